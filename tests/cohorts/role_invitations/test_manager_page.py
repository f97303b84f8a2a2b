"""The manager's page: the same answer for every address, no names, no flood of emails."""

import re

import pytest

from cohorts.invitations import program_role_invitation_accept, program_role_invite
from cohorts.models import ProgramRoleInvitation
from tests.cohorts.role_invitations.pages import State, revoke_url, roles_url
from tests.factories import ProgramFactory, UserFactory, superuser

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
