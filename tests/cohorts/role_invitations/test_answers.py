"""Accepting, declining, withdrawing: what each does, and the invitations that can no longer be answered."""

import datetime

import pytest
import time_machine
from allauth.account.models import EmailAddress
from django.urls import reverse
from django.utils import timezone

from cohorts.invitations import (
    program_role_invitation_accept,
    program_role_invitation_decline,
    program_role_invitation_revoke,
    program_role_invite,
)
from cohorts.program_roles import program_role_revoke
from incubator.roles import REVIEWER
from tests.audit_trail import actions
from tests.cohorts.role_invitations.pages import State, accept_url, decline_url, link, revoke_url
from tests.factories import UserFactory, superuser


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
