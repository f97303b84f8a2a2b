"""The invitation email, in the recipient's language or the program's, and the newcomer's way from it through
signing up to the invitation."""

import re

from allauth.account.models import EmailAddress
from django.db import transaction

from cohorts.invitations import program_role_invitation_revoke, program_role_invite
from cohorts.models import ProgramRoleInvitation
from tests.cohorts.role_invitations.pages import TOKEN_IN_LINK, accept_url, link
from tests.factories import ProgramFactory, UserFactory
from tests.incubator.test_email_html import problems_with


def test_an_unknown_address_signs_up_then_accepts(
    client, program, boss, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        program_role_invite(program=program, role="mentor", email="new@example.org", by=boss)
    [message] = mailoutbox
    token = TOKEN_IN_LINK.search(message.body).group(1)
    # In the program's language (French) for an address no account has, with a way to create the account that
    # comes back to the invitation.
    assert "/fr/accounts/signup/?next=%2Ffr%2Fcohorts%2Finvitations%2F" in message.body
    assert "Créez" in message.body or "créez" in message.body
    newcomer = UserFactory(email="new@example.org")  # signed up and confirmed the address
    client.force_login(newcomer)
    invitation = ProgramRoleInvitation.objects.get()
    assert client.get(link(token)).status_code == 200
    assert client.post(accept_url(invitation)).status_code == 302
    assert program.mentors.filter(pk=newcomer.pk).exists()


def test_the_email_is_in_the_recipients_language_with_links_in_it(
    program, boss, mailoutbox, django_capture_on_commit_callbacks, settings
):
    settings.SITE_URL = "https://portal.example.org"
    problems = []
    for number, language in enumerate(("en", "he", "ar", "fr", "pl")):
        UserFactory(email=f"r{number}@example.org", preferred_language=language)
        with django_capture_on_commit_callbacks(execute=True):
            program_role_invite(program=program, role="reviewer", email=f"r{number}@example.org", by=boss)
        message = mailoutbox[-1]
        problems += [f"{language}: {problem}" for problem in problems_with(message, language, "portal.example.org")]
        assert "Bina Boss" in message.body and "BizUP invitations" in message.body
        english = language == "en"
        assert ("invites you to work with" in message.body) == english
        assert ("Accepting lists you on the program" in message.body) == english
        # An account has the address: the link leads to the invitation (sign in), not to creating an account.
        assert "/accounts/signup/" not in message.body and TOKEN_IN_LINK.search(message.body)
    assert problems == []
    assert [message.subject for message in mailoutbox] == [
        "Invitation: Reviewer in BizUP invitations",
        "הזמנה: סוקר/ת בBizUP invitations",
        "دعوة: مُراجِع في BizUP invitations",
        "Invitation : Évaluateur dans BizUP invitations",
        "Zaproszenie: Recenzent w programie BizUP invitations",
    ]


def test_an_unknown_address_gets_the_email_in_the_programs_language_every_language(
    boss, mailoutbox, django_capture_on_commit_callbacks, settings
):
    settings.SITE_URL = "https://portal.example.org"
    problems = []
    for language in ("en", "he", "ar", "fr", "pl"):
        program = ProgramFactory(name=f"Program {language}", language=language)
        boss.managed_programs.add(program)
        boss.__dict__.pop("_program_role_ids", None)
        with django_capture_on_commit_callbacks(execute=True):
            program_role_invite(program=program, role="mentor", email=f"new-{language}@example.org", by=boss)
        message = mailoutbox[-1]
        problems += [f"{language}: {problem}" for problem in problems_with(message, language, "portal.example.org")]
        assert "/accounts/signup/?next=" in message.body
    assert problems == []


def test_no_email_for_an_invitation_withdrawn_before_the_commit(
    program, boss, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks, transaction.atomic():
        invitation, _token = program_role_invite(program=program, role="reviewer", email="q@example.org", by=boss)
        program_role_invitation_revoke(invitation=invitation, by=boss)
    for callback in callbacks:
        callback()
    assert mailoutbox == []


def test_a_newcomer_follows_the_email_signs_up_confirms_and_lands_on_the_invitation(
    client, program, boss, mailoutbox, django_capture_on_commit_callbacks, settings
):
    """The whole way of an address no account has: the email's sign-up link, allauth's confirmation email, and back
    to the invitation (allauth's `next`), where the new account accepts."""
    settings.ACCOUNT_RATE_LIMITS = False
    with django_capture_on_commit_callbacks(execute=True):
        program_role_invite(program=program, role="mentor", email="newcomer@example.org", by=boss)
    invitation_email = mailoutbox[-1]
    signup = re.search(r"https?://[^/\s]+(/fr/accounts/signup/\?next=\S+)", invitation_email.body).group(1)
    token = TOKEN_IN_LINK.search(invitation_email.body).group(1)
    browser = client
    browser.logout()
    with django_capture_on_commit_callbacks(execute=True):
        response = browser.post(
            signup,
            {
                "email": "NewComer@example.org",
                "password1": "a-long-passphrase-2026",
                "password2": "a-long-passphrase-2026",
                "name": "Nadia Newcomer",
                "preferred_language": "fr",
                "time_zone": "Europe/Paris",
            },
        )
    assert response.status_code == 302
    confirm = re.search(r"https?://[^/\s]+(/\S*/accounts/confirm-email/\S+/)", mailoutbox[-1].body).group(1)
    newcomer = EmailAddress.objects.get(email__iexact="newcomer@example.org").user
    response = browser.post(confirm)
    assert response.status_code == 302 and response["Location"].endswith(f"/cohorts/invitations/{token}/")
    assert browser.get(response["Location"]).status_code == 200
    invitation = ProgramRoleInvitation.objects.get()
    assert browser.post(accept_url(invitation)).status_code == 302
    assert program.mentors.filter(pk=newcomer.pk).exists()
