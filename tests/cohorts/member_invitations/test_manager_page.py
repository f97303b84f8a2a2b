"""The manager's side: the same answer for every address, no account, no name."""

import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from cohorts.admin_access import people_of_managed_programs
from cohorts.member_invitations import (
    membership_invitation_accept,
    membership_invitation_decline,
    membership_invitation_revoke,
    membership_invite,
)
from cohorts.models import Membership, ProgramRoleInvitation
from incubator.models import User
from incubator.roles import PARTICIPANT
from tests.cohorts.member_invitations.pages import dashboard_url, invite_url
from tests.factories import CohortFactory, RegionFactory, UserFactory

CSRF = re.compile(r'(csrfmiddlewaretoken" value=|X-CSRFToken": )"[^"]+"')
WITHDRAW = re.compile(r"/members/invitations/\d+/withdraw/")


def _invite_on_page(client, cohort, email):
    response = client.post(invite_url(cohort), {"email": email, "name": "Typed Name"}, follow=True)
    messages = [str(message).replace(email, "ADDRESS") for message in response.context["messages"]]
    page = response.content.decode().replace(email, "ADDRESS").replace(cohort.slug, "SLUG")
    page = CSRF.sub(r"\1TOKEN", page.replace(cohort.name, "COHORT"))
    page = WITHDRAW.sub("/members/invitations/NUMBER/withdraw/", page)
    return response, messages, page


def test_a_known_and_an_unknown_address_get_the_same_answer_and_no_name(
    client, cohort, boss, mailoutbox, django_capture_on_commit_callbacks
):
    """Two cohorts of the same program, an address with an account invited to one and an address without to the
    other: the same status, redirect, template, message and dashboard, the addresses and cohorts aside; no account
    created, nobody a member, both addresses emailed."""
    known = UserFactory(email="known@example.org", name="Kira Knownaccount")
    twin = CohortFactory(program=cohort.program, name="BizUP twin cohort")
    client.force_login(boss)
    with django_capture_on_commit_callbacks(execute=True):
        known_response, known_messages, known_page = _invite_on_page(client, cohort, "known@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        unknown_response, unknown_messages, unknown_page = _invite_on_page(client, twin, "unknown@example.org")
    assert [code for _url, code in known_response.redirect_chain] == [302]
    assert [code for _url, code in unknown_response.redirect_chain] == [302]
    assert known_response.status_code == unknown_response.status_code == 200
    assert [t.name for t in known_response.templates] == [t.name for t in unknown_response.templates]
    assert known_messages == unknown_messages == ["Invitation sent to ADDRESS."]
    assert known_page == unknown_page
    assert known_page.count('data-testid="member-invitation"') == 1 and "Typed Name" in known_page
    assert "Kira" not in known_page and "Knownaccount" not in known_page
    # Nobody joined, no account was made for the unknown address, the known account got no group.
    assert not Membership.objects.exists()
    assert not User.objects.filter(email__iexact="unknown@example.org").exists()
    assert not known.groups.filter(name=PARTICIPANT).exists()
    assert sorted(message.to[0] for message in mailoutbox) == ["known@example.org", "unknown@example.org"]


def test_the_invitees_name_never_reaches_the_manager_before_acceptance(
    client, cohort, boss, invitee, invited, django_capture_on_commit_callbacks
):
    """Not on the dashboard, the member export, the directory, nor the admin's people and memberships; the
    invitation shows the address and the name the manager typed. Once accepted, the member list names them."""
    client.force_login(boss)
    pages = [
        dashboard_url(cohort),
        reverse("cohorts:members_csv", args=[cohort.slug]),
        reverse("cohorts:directory", args=[cohort.slug]),
        invite_url(cohort),
        reverse("cohorts:program_roles", args=[cohort.program.slug]),
        reverse("admin:cohorts_membership_changelist"),
        reverse("admin:incubator_user_changelist") + "?q=rina",
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        page = response.content.decode("utf-8-sig")
        assert "Secretname" not in page and "Rina" not in page, url
    dashboard = client.get(dashboard_url(cohort)).content.decode()
    section = dashboard[dashboard.index('data-testid="member-invitations"') :]
    assert "rina@example.org" in section and "R. Typed" in section and "waiting for an answer" in section
    invitation, token = invited
    assert token not in dashboard and invitation.token_hash not in dashboard
    membership_invitation_accept(invitation=invitation, by=invitee)
    members = client.get(dashboard_url(cohort)).content.decode()
    assert "Rina Secretname" in members[members.index('data-testid="members-table"') :]


def test_people_of_managed_programs_leaves_out_the_merely_invited(
    cohort, boss, invitee, invited, other_invitee, outsider
):
    membership_invitation_decline(
        invitation=ProgramRoleInvitation.objects.get(email=other_invitee.email), by=other_invitee
    )
    withdrawn, _token = membership_invite(cohort=cohort, email=outsider.email, name="Olga", by=boss)
    membership_invitation_revoke(invitation=withdrawn, by=boss)
    seen = people_of_managed_programs(boss)
    assert not seen.filter(pk=invitee.pk).exists()  # pending
    assert not seen.filter(pk=other_invitee.pk).exists()  # declined
    assert not seen.filter(pk=outsider.pk).exists()  # withdrawn
    membership_invitation_accept(invitation=invited[0], by=invitee)
    assert people_of_managed_programs(boss).filter(pk=invitee.pk).exists()  # a member once accepted


def test_an_address_already_on_the_member_list_is_refused_with_its_words(client, cohort, boss, member):
    client.force_login(boss)
    response = client.post(invite_url(cohort), {"email": member.email.upper(), "name": "Again"})
    assert response.status_code == 200
    assert f"{member.email} is already in this cohort." in response.content.decode()
    assert f'value="{member.email.upper()}"' in response.content.decode()  # the form stays filled
    assert not ProgramRoleInvitation.objects.exists()


def test_only_a_manager_of_the_program_invites_and_regions_stay_in_the_program(cohort, other_boss, member, boss):
    for person in (other_boss, member):
        with pytest.raises(PermissionDenied):
            membership_invite(cohort=cohort, email="x@example.org", name="X", by=person)
    with pytest.raises(PermissionDenied):
        membership_invite(cohort=cohort, email="x@example.org", name="X", by=None)
    with pytest.raises(ValidationError):
        membership_invite(cohort=cohort, email="x@example.org", name="X", region=RegionFactory(), by=boss)
    assert not ProgramRoleInvitation.objects.exists()


@pytest.mark.parametrize("size", [1, 20])
def test_the_dashboard_with_invitations_runs_a_fixed_number_of_queries(
    client, cohort, boss, manager, member, django_assert_num_queries, size
):
    for number in range(size):
        membership_invite(cohort=cohort, email=f"p{number}@example.org", name=f"P {number}", by=boss)
    client.force_login(manager)  # a manager listed directly, as in tests/cohorts/test_dashboard.py
    client.get(dashboard_url(cohort))
    # 1 session, 2 user, 3 groups, 4 the cohort with the viewer's roles, 5 members by status, 6 members by region,
    # 7 milestone figures, 8 initiatives by status, 9 the member table, 10 its ventures (prefetch), 11 the pending
    # member invitations (address, name typed, state: no account read), and the mentoring panels (12 sessions held
    # this month, 13 mentees without a recent session, 14 unlogged sessions)
    with django_assert_num_queries(14):
        response = client.get(dashboard_url(cohort))
    assert response.content.decode().count('data-testid="member-invitation"') == size
