"""Accepting makes a member; declining, withdrawing or expiring makes nobody one."""

import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from cohorts.invitations import InvitationClosed
from cohorts.member_invitations import membership_invitation_accept, membership_invitation_revoke, membership_invite
from cohorts.models import Membership
from cohorts.program_roles import program_role_revoke
from incubator.roles import PARTICIPANT
from tests.audit_trail import action, actions
from tests.cohorts.member_invitations.pages import (
    State,
    accept_url,
    dashboard_url,
    decline_url,
    is_member,
    link,
    withdraw_url,
)
from tests.factories import CohortFactory, UserFactory, superuser


@time_machine.travel(datetime.datetime(2026, 5, 10, 22, 30, tzinfo=datetime.UTC), tick=False)
def test_accepting_creates_the_membership_with_region_start_group_and_audit(
    client, cohort, north, boss, invitee, invited
):
    invitation, token = invited
    client.force_login(invitee)
    response = client.post(accept_url(invitation), follow=True)
    assert response.redirect_chain[-1][0] == reverse("cohorts:directory", args=[cohort.slug])
    assert "You are now a member of BizUP test cohort" in response.content.decode()
    membership = Membership.objects.get(person=invitee, cohort=cohort)
    # Joined a running cohort: from the program's today (already 11 May in Jerusalem), in the region typed.
    assert (membership.status, membership.region, membership.started_on) == (
        "active",
        north,
        datetime.date(2026, 5, 11),
    )
    assert invitee.groups.filter(name=PARTICIPANT).exists()
    invitation.refresh_from_db()
    assert invitation.state == State.ACCEPTED and invitation.answered_at is not None
    assert actions(action="membership.invite", actor=boss, object_id=invitation.pk)
    assert actions(action="membership.invitation_accept", actor=invitee)
    assert action(action="membership.accept", object_id=membership.pk).actor == invitee
    # The link now says so, as a 410, and accepting again changes nothing.
    again = client.get(link(token))
    assert again.status_code == 410 and "This invitation was already accepted." in again.content.decode()
    assert client.post(accept_url(invitation)).status_code == 410
    assert Membership.objects.filter(person=invitee).count() == 1


@pytest.mark.calendar
def test_a_cohort_not_started_yet_is_joined_on_its_first_day(boss, invitee):
    starts_on = timezone.now().date() + datetime.timedelta(9)
    cohort = CohortFactory(
        program=boss.managed_programs.get(), starts_on=starts_on, ends_on=starts_on + datetime.timedelta(days=180)
    )
    invitation, _token = membership_invite(cohort=cohort, email=invitee.email, name="R", by=boss)
    membership, created = membership_invitation_accept(invitation=invitation, by=invitee)
    assert created and membership.started_on == cohort.starts_on


def test_declining_makes_nobody_a_member(client, cohort, invitee, invited):
    invitation, _token = invited
    client.force_login(invitee)
    response = client.post(decline_url(invitation), follow=True)
    assert "You declined the invitation to" in response.content.decode()
    assert actions(action="membership.invitation_decline", actor=invitee)
    closed = client.post(accept_url(invitation))
    assert closed.status_code == 410 and "already declined" in closed.content.decode()
    assert not is_member(invitee, cohort) and not invitee.groups.filter(name=PARTICIPANT).exists()


def test_a_withdrawn_invitation_cannot_be_accepted(client, cohort, boss, invitee, invited):
    invitation, token = invited
    client.force_login(boss)
    response = client.post(withdraw_url(invitation), follow=True)
    assert "Invitation to rina@example.org withdrawn." in response.content.decode()
    assert 'data-testid="member-invitation"' not in response.content.decode()
    assert actions(action="membership.invitation_revoke", actor=boss)
    client.force_login(invitee)
    assert client.get(link(token)).status_code == 410
    refused = client.post(accept_url(invitation))
    assert refused.status_code == 410 and "withdrawn by the program" in refused.content.decode()
    assert not is_member(invitee, cohort)
    assert membership_invitation_revoke(invitation=invitation, by=boss) is False


def test_an_expired_invitation_is_refused_and_shown_expired(client, cohort, boss, invitee, invited):
    invitation, token = invited
    with time_machine.travel(timezone.now() + datetime.timedelta(days=14, minutes=1)):
        client.force_login(invitee)
        page = client.get(link(token))
        assert page.status_code == 410 and "This invitation has expired." in page.content.decode()
        assert client.post(accept_url(invitation)).status_code == 410
        assert client.post(decline_url(invitation)).status_code == 410
        client.force_login(boss)
        dashboard = client.get(dashboard_url(cohort)).content.decode()
        assert "expired: withdraw it, or invite again" in dashboard
    invitation.refresh_from_db()
    assert invitation.state == State.PENDING and not is_member(invitee, cohort)


def test_an_invitation_from_someone_no_longer_managing_the_program_is_refused(cohort, boss, invitee, invited):
    program_role_revoke(program=cohort.program, person=boss, role="manager", by=superuser())
    with pytest.raises(InvitationClosed, match="no longer manages the program"):
        membership_invitation_accept(invitation=invited[0], by=invitee)
    invited[0].refresh_from_db()
    assert invited[0].state == State.PENDING and not is_member(invitee, cohort)


def test_an_address_not_confirmed_on_the_account_cannot_accept(client, cohort, boss):
    from allauth.account.models import EmailAddress

    intruder = UserFactory(email="intruder@example.org")
    EmailAddress.objects.create(user=intruder, email="victim@example.org", verified=False, primary=False)
    invitation, token = membership_invite(cohort=cohort, email="victim@example.org", name="V", by=boss)
    client.force_login(intruder)
    assert client.get(link(token)).status_code == 403
    assert client.post(accept_url(invitation)).status_code == 404
    with pytest.raises(PermissionDenied):
        membership_invitation_accept(invitation=invitation, by=intruder)
    assert not is_member(intruder, cohort)


def test_an_account_already_in_the_cohort_under_another_address_keeps_its_membership(client, cohort, boss, member):
    """The member list shows the account's main address only: a second confirmed address is invited like any
    other, and accepting leaves the membership as it is."""
    from allauth.account.models import EmailAddress

    EmailAddress.objects.create(user=member, email="second@example.org", verified=True, primary=False)
    invitation, _token = membership_invite(cohort=cohort, email="second@example.org", name="S", by=boss)
    before = Membership.objects.get(person=member, cohort=cohort)
    client.force_login(member)
    response = client.post(accept_url(invitation), follow=True)
    assert "You were already in BizUP test cohort" in response.content.decode()
    assert list(Membership.objects.filter(person=member, cohort=cohort)) == [before]
    assert not actions(action="membership.accept")


def test_the_services_of_each_kind_refuse_the_other_kind(cohort, boss, invitee, invited):
    from cohorts.invitations import program_role_invitation_accept, program_role_invitation_revoke, program_role_invite

    with pytest.raises(PermissionDenied):
        program_role_invitation_accept(invitation=invited[0], by=invitee)
    with pytest.raises(PermissionDenied):
        program_role_invitation_revoke(invitation=invited[0], by=boss)
    role_invitation, _token = program_role_invite(program=cohort.program, role="mentor", email=invitee.email, by=boss)
    with pytest.raises(PermissionDenied):
        membership_invitation_accept(invitation=role_invitation, by=invitee)
    assert not is_member(invitee, cohort) and not cohort.program.mentors.exists()
