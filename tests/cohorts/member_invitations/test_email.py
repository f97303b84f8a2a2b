"""The invitation email, in the recipient's language or the program's, with a sign-up link for an address no account
has."""

from django.db import transaction

from cohorts.member_invitations import membership_invitation_revoke, membership_invite
from cohorts.models import ProgramRoleInvitation
from tests.cohorts.member_invitations.pages import TOKEN_IN_LINK, accept_url, is_member, link
from tests.factories import CohortFactory, UserFactory
from tests.incubator.test_email_html import problems_with


def test_the_email_names_cohort_and_program_in_the_recipients_language(
    cohort, boss, mailoutbox, django_capture_on_commit_callbacks, settings
):
    settings.SITE_URL = "https://portal.example.org"
    problems = []
    for number, language in enumerate(("en", "he", "ar", "fr", "pl")):
        UserFactory(email=f"r{number}@example.org", preferred_language=language)
        with django_capture_on_commit_callbacks(execute=True):
            membership_invite(cohort=cohort, email=f"r{number}@example.org", name="Typed", by=boss)
        message = mailoutbox[-1]
        problems += [f"{language}: {problem}" for problem in problems_with(message, language, "portal.example.org")]
        assert "Bina Boss" in message.body and "BizUP test cohort" in message.body
        assert cohort.program.name in message.body and "BizUP test cohort" in message.subject
        assert ("invites you to join" in message.body) == (language == "en")
        # An account has the address: the link leads to the invitation (sign in), not to creating an account.
        assert "/accounts/signup/" not in message.body and TOKEN_IN_LINK.search(message.body)
    assert problems == []
    assert mailoutbox[0].subject == f"Invitation: join BizUP test cohort ({cohort.program.name})"


def test_an_unknown_address_gets_a_sign_up_link_back_to_the_invitation_in_the_programs_language(
    client, boss, mailoutbox, django_capture_on_commit_callbacks, settings
):
    settings.SITE_URL = "https://portal.example.org"
    problems = []
    program = boss.managed_programs.get()
    for language in ("en", "he", "ar", "fr", "pl"):
        program.language = language
        program.save(update_fields=["language"])
        cohort = CohortFactory(program=program, name=f"Cohort {language}")
        with django_capture_on_commit_callbacks(execute=True):
            membership_invite(cohort=cohort, email=f"new-{language}@example.org", name="New", by=boss)
        message = mailoutbox[-1]
        problems += [f"{language}: {problem}" for problem in problems_with(message, language, "portal.example.org")]
        prefix = "" if language == "en" else f"/{language}"
        assert f"{prefix}/accounts/signup/?next=" in message.body and f"Cohort {language}" in message.body
    assert problems == []
    # The newcomer signs up with the address (confirmed), opens the link and accepts: a member now.
    token = TOKEN_IN_LINK.search(mailoutbox[-1].body).group(1)
    newcomer = UserFactory(email="new-pl@example.org")
    client.force_login(newcomer)
    assert client.get(link(token)).status_code == 200
    invitation = ProgramRoleInvitation.objects.get(email="new-pl@example.org")
    assert client.post(accept_url(invitation)).status_code == 302
    assert is_member(newcomer, invitation.cohort)


def test_no_email_for_an_invitation_withdrawn_before_the_commit(
    cohort, boss, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks, transaction.atomic():
        invitation, _token = membership_invite(cohort=cohort, email="q@example.org", name="Q", by=boss)
        membership_invitation_revoke(invitation=invitation, by=boss)
    for callback in callbacks:
        callback()
    assert mailoutbox == []
