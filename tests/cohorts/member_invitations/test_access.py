"""Who may do what: the program's manager invites and withdraws, the invited address alone opens and answers."""

import pytest
from django.urls import reverse

from cohorts.models import ProgramRoleInvitation
from tests.cohorts.member_invitations.pages import (
    PERSONAS,
    State,
    accept_url,
    as_,
    dashboard_url,
    decline_url,
    invite_url,
    is_member,
    link,
    withdraw_url,
)
from tests.factories import CohortFactory


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_invite_page_is_the_program_managers_alone(client, cohort, people, persona, mailoutbox):
    client = as_(client, people[persona])
    got = client.get(invite_url(cohort))
    sent = client.post(invite_url(cohort), {"email": "new@example.org", "name": "New One"})
    if persona == "manager":
        assert got.status_code == 200 and sent.status_code == 302
        assert ProgramRoleInvitation.objects.filter(email="new@example.org").exists()
    else:
        assert got.status_code == 404 and sent.status_code == 404
        assert not ProgramRoleInvitation.objects.filter(email="new@example.org").exists()


def test_a_member_of_the_cohort_may_not_invite(client, cohort, member):
    client.force_login(member)
    assert client.get(invite_url(cohort)).status_code == 403
    assert client.post(invite_url(cohort), {"email": "new@example.org", "name": "N"}).status_code == 403
    assert not ProgramRoleInvitation.objects.exists()


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_the_programs_manager_sees_and_withdraws_member_invitations(client, people, invited, persona):
    invitation = invited[0]
    client = as_(client, people[persona])
    dashboard = client.get(dashboard_url(invitation.cohort))
    response = client.post(withdraw_url(invitation))
    invitation.refresh_from_db()
    if persona == "manager":
        assert dashboard.status_code == 200 and "rina@example.org" in dashboard.content.decode()
        assert response.status_code == 302 and invitation.state == State.REVOKED
    else:
        assert dashboard.status_code == 404 and response.status_code == 404
        assert invitation.state == State.PENDING


def test_withdrawing_is_post_only_and_a_member_of_the_cohort_may_not(client, invited, boss, member):
    invitation = invited[0]
    client.force_login(boss)
    assert client.get(withdraw_url(invitation)).status_code == 405
    client.force_login(member)
    assert client.post(withdraw_url(invitation)).status_code == 403
    invitation.refresh_from_db()
    assert invitation.state == State.PENDING


def test_an_invitation_is_withdrawn_only_from_its_own_cohort(client, cohort, boss, invited):
    """Another cohort's slug in the address, or a role invitation's number, finds nothing."""
    invitation = invited[0]
    twin = CohortFactory(program=cohort.program)
    client.force_login(boss)
    wrong = reverse("cohorts:member_invitation_revoke", args=[twin.slug, invitation.pk])
    assert client.post(wrong).status_code == 404
    from cohorts.invitations import program_role_invite

    role_invitation, _token = program_role_invite(program=cohort.program, role="mentor", email="m@x.org", by=boss)
    assert client.post(withdraw_url(invitation).replace(str(invitation.pk), str(role_invitation.pk))).status_code == 404
    # And the roles page neither lists nor withdraws member invitations.
    roles = client.get(reverse("cohorts:program_roles", args=[cohort.program.slug])).content.decode()
    assert "rina@example.org" not in roles
    revoke = reverse("cohorts:program_invitation_revoke", args=[cohort.program.slug, invitation.pk])
    assert client.post(revoke).status_code == 404
    invitation.refresh_from_db()
    role_invitation.refresh_from_db()
    assert invitation.state == role_invitation.state == State.PENDING


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_link_opens_for_the_invited_address_alone(client, people, invited, persona):
    _invitation, token = invited
    response = as_(client, people[persona]).get(link(token))
    page = response.content.decode()
    if persona == "invitee":
        assert response.status_code == 200
        assert "BizUP test cohort" in page and "Bina Boss" in page and "member of the cohort" in page
        assert 'data-testid="accept"' in page and 'data-testid="decline"' in page
    else:
        assert response.status_code == 403
        assert "BizUP test cohort" not in page and "rina@example.org" not in page and "Bina Boss" not in page


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("answer", ["accept", "decline"])
def test_only_the_invitee_answers(client, cohort, people, invited, invitee, persona, answer):
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
    assert is_member(invitee, cohort) == (persona == "invitee" and answer == "accept")
    assert not is_member(people["other_invitee"], cohort)


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_invitations_page_lists_ones_own_member_invitations(client, people, invited, persona):
    page = as_(client, people[persona]).get(reverse("cohorts:invitations")).content.decode()
    if persona in ("invitee", "other_invitee"):
        assert page.count('data-testid="invitation"') == 1
        assert "Member of the cohort" in page and "BizUP test cohort" in page
        assert ("rina@example.org" in page) == (persona == "invitee")
    else:
        assert 'data-testid="invitation"' not in page
