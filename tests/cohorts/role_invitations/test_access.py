"""Who may do what: the invitee, the program's manager, and everyone else; the people an invitation does not give
the manager."""

import pytest
from django.urls import reverse

from cohorts.admin_access import people_of_managed_programs
from cohorts.invitations import program_role_invitation_accept, program_role_invitation_decline, program_role_invite
from cohorts.models import ProgramRoleInvitation
from tests.cohorts.role_invitations.pages import PERSONAS, State, accept_url, as_, decline_url, link, revoke_url
from tests.factories import ProgramFactory, UserFactory


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
