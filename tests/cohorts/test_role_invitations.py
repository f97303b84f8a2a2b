"""Program roles by invitation (cohorts/invitations.py): nobody is listed on a program by someone else's word alone.

A manager invites an email address; the page answers the same whether an account has it or not and never names
the account; the link's token is random and stored only hashed; only the account that confirmed the address may
accept or decline; a withdrawn, answered or expired invitation is refused with a clear 410; the people a manager
may see in the admin are those listed on the program, not those merely invited."""

import datetime
import hashlib
import re

import pytest
import time_machine
from allauth.account.models import EmailAddress
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from cohorts.admin_access import people_of_managed_programs
from cohorts.invitations import (
    program_role_invitation_accept,
    program_role_invitation_decline,
    program_role_invitation_revoke,
    program_role_invite,
)
from cohorts.models import ProgramRoleInvitation
from cohorts.program_roles import program_role_revoke
from incubator.roles import REVIEWER
from tests.audit_trail import actions
from tests.factories import ProgramFactory, UserFactory, program_manager, superuser
from tests.incubator.test_email_html import problems_with

State = ProgramRoleInvitation.State
TOKEN_IN_LINK = re.compile(r"/cohorts/invitations/([A-Za-z0-9_-]{40,})/")


@pytest.fixture
def program(db):
    return ProgramFactory(name="BizUP invitations", language="fr")


@pytest.fixture
def boss(program):
    return program_manager(program, name="Bina Boss")


@pytest.fixture
def other_boss(db):
    return program_manager(ProgramFactory(name="Elsewhere"), name="Otto Other")


@pytest.fixture
def invitee(db):
    return UserFactory(email="rina@example.org", name="Rina Secretname")


@pytest.fixture
def invited(program, boss, invitee):
    """A pending invitation of Rina's address to review for the program, and its token."""
    return program_role_invite(program=program, role="reviewer", email="Rina@Example.org", by=boss)


@pytest.fixture
def other_invitee(program, boss):
    """Someone else invited to the same program: another invitee, who must not answer Rina's invitation."""
    person = UserFactory(email="omer@example.org", name="Omer Otherinvitee")
    program_role_invite(program=program, role="reviewer", email=person.email, by=boss)
    return person


def roles_url(program):
    return reverse("cohorts:program_roles", args=[program.slug])


def link(token):
    return reverse("cohorts:invitation", args=[token])


def accept_url(invitation):
    return reverse("cohorts:invitation_accept", args=[invitation.pk])


def decline_url(invitation):
    return reverse("cohorts:invitation_decline", args=[invitation.pk])


def revoke_url(invitation):
    return reverse("cohorts:program_invitation_revoke", args=[invitation.program.slug, invitation.pk])


def as_(client, person):
    client.logout()
    if person is not None:
        client.force_login(person)
    return client


# -- The manager's page: the same answer for every address, no names ------------------------------------------------


CSRF = re.compile(r'(csrfmiddlewaretoken" value=|X-CSRFToken": )"[^"]+"')
REVOKE = re.compile(r"/invitations/\d+/revoke/")


def _invite_on_page(client, program, email):
    response = client.post(roles_url(program), {"email": email, "role": "reviewer"}, follow=True)
    messages = [str(message).replace(email, "ADDRESS") for message in response.context["messages"]]
    page = response.content.decode().replace(email, "ADDRESS").replace(program.slug, "SLUG")
    page = CSRF.sub(r"\1TOKEN", page.replace(program.name, "PROGRAM"))
    page = REVOKE.sub("/invitations/NUMBER/revoke/", page)
    return response, messages, page


def test_an_unknown_and_a_known_address_get_the_same_answer_and_no_name(
    client, program, boss, mailoutbox, django_capture_on_commit_callbacks
):
    """Two programs of the same manager, an address with an account invited to one and an address without to the
    other: the same status, redirect, template, message and page, the addresses and programs aside."""
    UserFactory(email="known@example.org", name="Kira Knownaccount")
    twin = ProgramFactory(name="BizUP twin", language="fr")
    boss.managed_programs.add(twin)
    client.force_login(boss)
    with django_capture_on_commit_callbacks(execute=True):
        known, known_messages, known_page = _invite_on_page(client, program, "known@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        unknown, unknown_messages, unknown_page = _invite_on_page(client, twin, "unknown@example.org")
    assert [code for _url, code in known.redirect_chain] == [code for _url, code in unknown.redirect_chain] == [302]
    assert known.status_code == unknown.status_code == 200
    assert [t.name for t in known.templates] == [t.name for t in unknown.templates]
    assert known_messages == unknown_messages == ["Invitation sent to ADDRESS."]
    assert known_page == unknown_page
    assert known_page.count('data-testid="invitation"') == 1
    assert "Kira" not in known_page and "Knownaccount" not in known_page
    # Neither address is listed on a program; both got an email.
    assert not program.reviewers.exists() and not twin.reviewers.exists()
    assert sorted(message.to[0] for message in mailoutbox) == ["known@example.org", "unknown@example.org"]


def test_the_form_answers_the_same_without_the_old_account_lookup(client, program, boss):
    """The old page said "Nobody has an account with this email address": it never does now."""
    client.force_login(boss)
    response = client.post(roles_url(program), {"email": "nobody@example.org", "role": "reviewer"})
    assert response.status_code == 302
    assert "Nobody has an account" not in client.get(roles_url(program)).content.decode()


def test_the_pending_list_shows_the_address_and_state_only(client, program, boss, invited, invitee):
    client.force_login(boss)
    page = client.get(roles_url(program)).content.decode()
    section = page[page.index('data-testid="role-invitations"') :]
    assert "rina@example.org" in section and "waiting for an answer" in section
    assert invitee.name not in page and "Secretname" not in page
    invitation, token = invited
    assert token not in page and invitation.token_hash not in page


def test_an_address_longer_than_its_column_is_refused_by_the_form_kept_and_nothing_stored(client, program, boss):
    client.force_login(boss)
    address = "a" * 250 + "@example.org"
    response = client.post(roles_url(program), {"email": address, "role": "reviewer"})
    assert response.status_code == 400 and address in response.content.decode()
    assert not ProgramRoleInvitation.objects.exists()


def test_a_manager_cannot_invite_managers_nor_for_another_program(client, program, boss, other_boss):
    client.force_login(boss)
    response = client.post(roles_url(program), {"email": "x@example.org", "role": "manager"})
    assert response.status_code == 400 and not ProgramRoleInvitation.objects.exists()
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        program_role_invite(program=program, role="manager", email="x@example.org", by=boss)
    with pytest.raises(PermissionDenied):
        program_role_invite(program=other_boss.managed_programs.get(), role="reviewer", email="x@example.org", by=boss)
    # A superuser invites a manager; the program's manager may not withdraw that invitation.
    invitation, _token = program_role_invite(program=program, role="manager", email="m@example.org", by=superuser())
    assert client.post(revoke_url(invitation)).status_code == 404
    invitation.refresh_from_db()
    assert invitation.state == State.PENDING


def test_someone_already_listed_is_not_invited_again(client, program, boss, invited, invitee):
    program_role_invitation_accept(invitation=invited[0], by=invitee)
    client.force_login(boss)
    response = client.post(roles_url(program), {"email": "rina@example.org", "role": "reviewer"})
    assert response.status_code == 400
    assert "rina@example.org is already listed as Reviewer." in response.content.decode()
    assert ProgramRoleInvitation.objects.filter(state=State.PENDING).count() == 0


def test_a_manager_cannot_flood_an_inbox(client, program, boss, mailoutbox, django_capture_on_commit_callbacks):
    client.force_login(boss)
    for _ in range(3):  # each request commits: each sends its link (the last one is the one that works)
        with django_capture_on_commit_callbacks(execute=True):
            assert client.post(roles_url(program), {"email": "a@example.org", "role": "reviewer"}).status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(roles_url(program), {"email": "a@example.org", "role": "reviewer"})
    assert response.status_code == 429
    assert "Too many emails" in response.content.decode() and 'value="a@example.org"' in response.content.decode()
    assert len(mailoutbox) == 3


def test_a_manager_cannot_flood_many_inboxes_either(client, program, boss, mailoutbox, monkeypatch):
    from incubator import ratelimit

    monkeypatch.setitem(ratelimit.LIMITS, "role_invite", ratelimit.Limit(per_person=2, per_target=3))
    client.force_login(boss)
    for number in range(2):
        assert client.post(roles_url(program), {"email": f"m{number}@example.org", "role": "mentor"}).status_code == 302
    assert client.post(roles_url(program), {"email": "m9@example.org", "role": "mentor"}).status_code == 429
    assert not ProgramRoleInvitation.objects.filter(email="m9@example.org").exists()


@pytest.mark.parametrize("size", [1, 20])
def test_the_roles_page_with_invitations_runs_a_fixed_number_of_queries(
    client, program, boss, django_assert_num_queries, size
):
    for number in range(size):
        program_role_invite(program=program, role="mentor", email=f"p{number}@example.org", by=boss)
    client.force_login(boss)
    client.get(roles_url(program))
    # session, user, the program, its managers, reviewers and mentors (three prefetches), its pending
    # invitations, the programs the user manages, the user's role names (navigation)
    with django_assert_num_queries(9):
        response = client.get(roles_url(program))
    assert response.content.decode().count('data-testid="invitation"') == size


# -- The token --------------------------------------------------------------------------------------------------------


def test_the_token_is_random_long_and_stored_only_as_its_hash(program, boss):
    tokens = {
        program_role_invite(program=program, role="mentor", email=f"t{n}@example.org", by=boss)[1] for n in range(5)
    }
    assert len(tokens) == 5 and all(len(token) >= 43 for token in tokens)  # 256 random bits each
    for invitation in ProgramRoleInvitation.objects.all():
        assert any(invitation.token_hash == hashlib.sha256(token.encode()).hexdigest() for token in tokens)
    table = ProgramRoleInvitation._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT row_to_json(t)::text FROM {table} t")  # noqa: S608 - the model's own table
        rows = " ".join(row[0] for row in cursor.fetchall())
    assert not any(token in rows for token in tokens)
    assert "token_hash" not in [field.name for field in ProgramRoleInvitation._meta.fields if field.editable]


def test_a_wrong_or_guessed_token_is_a_404(client, invitee, invited):
    client.force_login(invitee)
    invitation, token = invited
    assert client.get(link(token[:-1] + ("A" if token[-1] != "A" else "B"))).status_code == 404
    assert client.get(link(invitation.token_hash)).status_code == 404  # the stored hash is no key
    assert client.get(link(token)).status_code == 200


def test_inviting_the_same_address_again_sends_a_fresh_link_and_the_old_one_stops_working(
    client, program, boss, invitee, invited
):
    old_invitation, old_token = invited
    again, new_token = program_role_invite(program=program, role="reviewer", email="rina@example.org", by=boss)
    assert again.pk == old_invitation.pk and new_token != old_token
    assert ProgramRoleInvitation.objects.filter(state=State.PENDING).count() == 1
    client.force_login(invitee)
    assert client.get(link(old_token)).status_code == 404
    assert client.get(link(new_token)).status_code == 200


@pytest.mark.calendar
def test_the_database_allows_one_pending_invitation_per_program_role_and_address(program, boss, invited):
    invitation = invited[0]
    fields = {"program": program, "role": "reviewer", "email": "rina@example.org", "invited_by": boss}
    later = timezone.now() + datetime.timedelta(days=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        ProgramRoleInvitation.objects.create(**fields, token_hash="x" * 64, expires_at=later)
    # Once answered, a new one may be pending.
    program_role_invitation_revoke(invitation=invitation, by=boss)
    ProgramRoleInvitation.objects.create(**fields, token_hash="y" * 64, expires_at=later)
    with pytest.raises(IntegrityError), transaction.atomic():
        ProgramRoleInvitation.objects.filter(pk=invitation.pk).update(state="maybe")
    with pytest.raises(IntegrityError), transaction.atomic():
        ProgramRoleInvitation.objects.create(
            **{**fields, "email": "Upper@example.org"}, token_hash="z" * 64, expires_at=later
        )


# -- Who may do what: the invitee, the program's manager, and everyone else -------------------------------------------


PERSONAS = ("manager", "invitee", "other_invitee", "outsider", "other_manager")


@pytest.fixture
def people(boss, invitee, other_invitee, outsider, other_boss):
    return {
        "manager": boss,
        "invitee": invitee,
        "other_invitee": other_invitee,
        "outsider": outsider,
        "other_manager": other_boss,
    }


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_invitation_link_opens_for_the_invited_address_alone(client, people, invited, persona):
    invitation, token = invited
    response = as_(client, people[persona]).get(link(token))
    page = response.content.decode()
    if persona == "invitee":
        assert response.status_code == 200
        assert "BizUP invitations" in page and "Reviewer" in page and "Bina Boss" in page
        assert 'data-testid="accept"' in page and 'data-testid="decline"' in page
    else:
        assert response.status_code == 403
        assert "BizUP invitations" not in page and "rina@example.org" not in page and "Bina Boss" not in page


def test_signed_out_the_link_asks_to_sign_in_and_comes_back(client, invited):
    token = invited[1]
    response = client.get(link(token))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login")) and f"next={link(token)}" in response[
        "Location"
    ].replace("%2F", "/")


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("answer", ["accept", "decline"])
def test_only_the_invitee_answers(client, people, invited, invitee, persona, answer):
    invitation = invited[0]
    url = accept_url(invitation) if answer == "accept" else decline_url(invitation)
    response = as_(client, people[persona]).post(url)
    invitation.refresh_from_db()
    if persona == "invitee":
        assert response.status_code == 302
        assert invitation.state == (State.ACCEPTED if answer == "accept" else State.DECLINED)
    else:
        assert response.status_code == 404
        assert invitation.state == State.PENDING
    assert invitee.reviewed_programs.exists() == (persona == "invitee" and answer == "accept")
    assert not people["other_invitee"].reviewed_programs.exists()


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_the_programs_manager_withdraws(client, people, invited, persona):
    invitation = invited[0]
    response = as_(client, people[persona]).post(revoke_url(invitation))
    invitation.refresh_from_db()
    if persona == "manager":
        assert response.status_code == 302 and invitation.state == State.REVOKED
    else:
        assert response.status_code == 404 and invitation.state == State.PENDING


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_invitations_page_lists_ones_own_open_invitations(client, people, invited, persona):
    page = as_(client, people[persona]).get(reverse("cohorts:invitations")).content.decode()
    if persona in ("invitee", "other_invitee"):
        assert page.count('data-testid="invitation"') == 1 and "BizUP invitations" in page
        assert ("rina@example.org" in page) == (persona == "invitee")
    else:
        assert "BizUP invitations" not in page and 'data-testid="invitation"' not in page


def test_answers_are_post_only(client, invitee, invited, boss):
    invitation = invited[0]
    client.force_login(invitee)
    assert client.get(accept_url(invitation)).status_code == 405
    assert client.get(decline_url(invitation)).status_code == 405
    client.force_login(boss)
    assert client.get(revoke_url(invitation)).status_code == 405
    invitation.refresh_from_db()
    assert invitation.state == State.PENDING


# -- The flow ------------------------------------------------------------------------------------------------------


def test_accepting_lists_the_person_and_is_audited(client, program, boss, invitee, invited):
    invitation, token = invited
    client.force_login(invitee)
    response = client.post(accept_url(invitation), follow=True)
    assert "You are now Reviewer in BizUP invitations." in response.content.decode()
    assert program.reviewers.filter(pk=invitee.pk).exists()
    assert invitee.groups.filter(name=REVIEWER).exists()
    invitation.refresh_from_db()
    assert invitation.state == State.ACCEPTED and invitation.answered_at is not None
    assert actions(action="program.role_invite", actor=boss, object_id=invitation.pk)
    assert actions(action="program.role_invitation_accept", actor=invitee)
    (grant,) = [entry for entry in actions(action="program.role_grant") if entry.after["role"] == "reviewer"]
    assert grant.actor == boss and grant.after["person"] == invitee.pk  # granted in the inviter's name
    # The link now says so, as a 410, and accepting again changes nothing.
    again = client.get(link(token))
    assert again.status_code == 410 and "This invitation was already accepted." in again.content.decode()
    assert client.post(accept_url(invitation)).status_code == 410


def test_declining_lists_nobody(client, program, invitee, invited):
    invitation, token = invited
    client.force_login(invitee)
    response = client.post(decline_url(invitation), follow=True)
    assert "You declined the invitation to BizUP invitations." in response.content.decode()
    assert not program.reviewers.exists()
    assert actions(action="program.role_invitation_decline", actor=invitee)
    closed = client.post(accept_url(invitation))
    assert closed.status_code == 410 and "already declined" in closed.content.decode()
    assert not program.reviewers.exists()


def test_a_withdrawn_invitation_cannot_be_accepted(client, program, boss, invitee, invited):
    invitation, token = invited
    client.force_login(boss)
    response = client.post(revoke_url(invitation), follow=True)
    assert "Invitation to rina@example.org withdrawn." in response.content.decode()
    assert actions(action="program.role_invitation_revoke", actor=boss)
    client.force_login(invitee)
    assert client.get(link(token)).status_code == 410
    refused = client.post(accept_url(invitation))
    assert refused.status_code == 410 and "withdrawn by the program" in refused.content.decode()
    assert not program.reviewers.exists()
    assert program_role_invitation_revoke(invitation=invitation, by=boss) is False


def test_an_expired_invitation_is_refused(client, program, invitee, invited):
    invitation, token = invited
    with time_machine.travel(timezone.now() + datetime.timedelta(days=14, minutes=1)):
        client.force_login(invitee)
        page = client.get(link(token))
        assert page.status_code == 410 and "This invitation has expired." in page.content.decode()
        assert client.post(accept_url(invitation)).status_code == 410
        assert client.post(decline_url(invitation)).status_code == 410
        assert 'data-testid="invitation"' not in client.get(reverse("cohorts:invitations")).content.decode()
    invitation.refresh_from_db()
    assert invitation.state == State.PENDING and not program.reviewers.exists()


def test_an_invitation_from_someone_who_can_no_longer_give_the_role_is_refused(program, boss, invitee, invited):
    program_role_revoke(program=program, person=boss, role="manager", by=superuser())
    boss.refresh_from_db()
    boss.__dict__.pop("_program_role_ids", None)
    from cohorts.invitations import InvitationClosed

    with pytest.raises(InvitationClosed):
        program_role_invitation_accept(invitation=invited[0], by=invitee)
    invited[0].refresh_from_db()
    assert invited[0].state == State.PENDING and not program.reviewers.exists()


def test_an_address_not_confirmed_on_the_account_cannot_accept(client, program, boss):
    """Adding someone else's address to one's account, unconfirmed, is not owning it."""
    intruder = UserFactory(email="intruder@example.org")
    EmailAddress.objects.create(user=intruder, email="victim@example.org", verified=False, primary=False)
    invitation, token = program_role_invite(program=program, role="mentor", email="victim@example.org", by=boss)
    client.force_login(intruder)
    assert client.get(link(token)).status_code == 403
    assert client.post(accept_url(invitation)).status_code == 404
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        program_role_invitation_decline(invitation=invitation, by=intruder)
    assert not program.mentors.exists()


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


# -- What an invitation does not give the manager --------------------------------------------------------------------


def test_people_merely_invited_are_not_the_managers_to_see(program, boss, invitee, invited, other_invitee):
    program_role_invitation_decline(
        invitation=ProgramRoleInvitation.objects.get(email=other_invitee.email), by=other_invitee
    )
    seen = people_of_managed_programs(boss)
    assert not seen.filter(pk=invitee.pk).exists()  # pending
    assert not seen.filter(pk=other_invitee.pk).exists()  # declined
    program_role_invitation_accept(invitation=invited[0], by=invitee)
    assert people_of_managed_programs(boss).filter(pk=invitee.pk).exists()  # listed once accepted


@pytest.mark.parametrize("size", [1, 20])
def test_the_invitations_page_runs_a_fixed_number_of_queries(client, boss, django_assert_num_queries, size):
    person = UserFactory(email="many@example.org")
    for _number in range(size):
        program = ProgramFactory()
        boss.managed_programs.add(program)
        boss.__dict__.pop("_program_role_ids", None)
        program_role_invite(program=program, role="mentor", email="many@example.org", by=boss)
    client.force_login(person)
    client.get(reverse("cohorts:invitations"))
    # session, user, the user's confirmed addresses, the invitations with their programs and inviters, the user's
    # role names (navigation)
    with django_assert_num_queries(5):
        response = client.get(reverse("cohorts:invitations"))
    assert response.content.decode().count('data-testid="invitation"') == size


def test_erasing_an_account_removes_the_invitations_to_its_addresses(program, boss, invitee, invited):
    from incubator.personal_data import account_erase, personal_data_export
    from tests.incubator.test_personal_data import unzip

    data, _files = unzip(personal_data_export(user=invitee))
    [received] = data["cohorts"]["role_invitations_received"]
    assert received["program__name"] == "BizUP invitations" and received["state"] == State.PENDING
    account_erase(user=invitee, by=invitee)
    assert not ProgramRoleInvitation.objects.exists()
    for entry in actions(object_type="cohorts.programroleinvitation"):
        assert "rina@example.org" not in str(entry.before) + str(entry.after)


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


def _at_once(*calls):
    """Run the calls in two threads released together; their results and errors."""
    import threading

    barrier = threading.Barrier(len(calls))
    results, errors = [], []

    def run(call):
        try:
            barrier.wait()
            results.append(call())
        except Exception as error:  # noqa: BLE001 - reported by the assertions
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results, errors


def test_two_invitations_of_one_address_at_once_leave_one_pending(transactional_db):
    program = ProgramFactory()
    boss = program_manager(program)
    results, errors = _at_once(
        *[lambda: program_role_invite(program=program, role="mentor", email="twice@example.org", by=boss)] * 2
    )
    assert errors == [] and len(results) == 2
    assert ProgramRoleInvitation.objects.filter(state=State.PENDING).count() == 1


def test_accepting_and_withdrawing_at_once_do_one_or_the_other(transactional_db):
    program = ProgramFactory()
    boss = program_manager(program)
    person = UserFactory(email="race@example.org")
    invitation, _token = program_role_invite(program=program, role="mentor", email=person.email, by=boss)
    results, errors = _at_once(
        lambda: program_role_invitation_accept(invitation=invitation, by=person),
        lambda: program_role_invitation_revoke(invitation=invitation, by=boss),
    )
    invitation.refresh_from_db()
    listed = program.mentors.filter(pk=person.pk).exists()
    if invitation.state == State.ACCEPTED:
        assert listed and results.count(True) == 1 and results.count(False) == 1 and errors == []
    else:
        assert invitation.state == State.REVOKED and not listed
        assert results == [True] and [type(error).__name__ for error in errors] == ["InvitationClosed"]
