"""Cohort members by invitation (cohorts/member_invitations.py, issue 18): typing an address never pulls anyone in.

A manager invites an email address to a cohort; the page answers "Invitation sent to …" whether an account has the
address or not, creates no account and no membership, and never shows an account's name: the dashboard lists the
invitation by the address and the name the manager typed. Only the account that confirmed the address may accept
(which creates the membership: region, start date, participant group, audit) or decline; the manager may withdraw
it; a declined, withdrawn or expired invitation makes nobody a member, and the manager's view of people (the admin's
`people_of_managed_programs`) includes nobody merely invited."""

import datetime
import re

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from cohorts.admin_access import people_of_managed_programs
from cohorts.invitations import InvitationClosed
from cohorts.member_invitations import (
    membership_invitation_accept,
    membership_invitation_decline,
    membership_invitation_revoke,
    membership_invite,
)
from cohorts.models import Membership, ProgramRoleInvitation
from cohorts.program_roles import program_role_revoke
from incubator.models import User
from incubator.roles import PARTICIPANT
from tests.audit_trail import action, actions
from tests.factories import CohortFactory, RegionFactory, UserFactory, program_manager, superuser
from tests.incubator.test_email_html import problems_with

State = ProgramRoleInvitation.State
TOKEN_IN_LINK = re.compile(r"/cohorts/invitations/([A-Za-z0-9_-]{40,})/")
CSRF = re.compile(r'(csrfmiddlewaretoken" value=|X-CSRFToken": )"[^"]+"')
WITHDRAW = re.compile(r"/members/invitations/\d+/withdraw/")


@pytest.fixture
def boss(cohort):
    """The cohort's program's manager, listed through the audited service."""
    return program_manager(cohort.program, name="Bina Boss")


@pytest.fixture
def other_boss(other_cohort):
    return program_manager(other_cohort.program, name="Otto Other")


@pytest.fixture
def invitee(db):
    return UserFactory(email="rina@example.org", name="Rina Secretname")


@pytest.fixture
def invited(cohort, north, boss, invitee):
    """A pending invitation of Rina's address to the cohort, with the name the manager typed, and its token."""
    return membership_invite(cohort=cohort, email="Rina@Example.org", name="R. Typed", region=north, by=boss)


@pytest.fixture
def other_invitee(cohort, boss):
    """Someone else invited to the same cohort: another invitee, who must not answer Rina's invitation."""
    person = UserFactory(email="omer@example.org", name="Omer Otherinvitee")
    membership_invite(cohort=cohort, email=person.email, name="Omer", by=boss)
    return person


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


def invite_url(cohort):
    return reverse("cohorts:member_invite", args=[cohort.slug])


def dashboard_url(cohort):
    return reverse("cohorts:dashboard", args=[cohort.slug])


def withdraw_url(invitation):
    return reverse("cohorts:member_invitation_revoke", args=[invitation.cohort.slug, invitation.pk])


def link(token):
    return reverse("cohorts:invitation", args=[token])


def accept_url(invitation):
    return reverse("cohorts:invitation_accept", args=[invitation.pk])


def decline_url(invitation):
    return reverse("cohorts:invitation_decline", args=[invitation.pk])


def as_(client, person):
    client.logout()
    if person is not None:
        client.force_login(person)
    return client


def is_member(person, cohort) -> bool:
    return Membership.objects.filter(person=person, cohort=cohort).exists()


# -- The manager's side: the same answer for every address, no account, no name -------------------------------------


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


def test_inviting_again_sends_a_fresh_link_and_the_old_one_stops_working(client, cohort, boss, invitee, invited):
    old, old_token = invited
    again, new_token = membership_invite(cohort=cohort, email="rina@example.org", name="Rina T.", by=boss)
    assert again.pk == old.pk and new_token != old_token and again.name == "Rina T." and again.region is None
    assert ProgramRoleInvitation.objects.filter(state=State.PENDING).count() == 1
    assert actions(action="membership.invite", object_id=old.pk, note="sent again")
    client.force_login(invitee)
    assert client.get(link(old_token)).status_code == 404
    assert client.get(link(new_token)).status_code == 200


@pytest.mark.calendar
def test_one_pending_invitation_per_cohort_and_address_in_the_database(cohort, boss, invited):
    invitation = invited[0]
    fields = {"program": cohort.program, "role": "member", "cohort": cohort, "email": "rina@example.org"}
    later = timezone.now() + datetime.timedelta(days=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        ProgramRoleInvitation.objects.create(**fields, token_hash="x" * 64, expires_at=later)
    # Another cohort of the program may invite the same address at the same time.
    twin = CohortFactory(program=cohort.program)
    membership_invite(cohort=twin, email="rina@example.org", name="Rina", by=boss)
    # A member invitation names its cohort; a role invitation names none.
    with pytest.raises(IntegrityError), transaction.atomic():
        ProgramRoleInvitation.objects.create(**{**fields, "cohort": None}, token_hash="y" * 64, expires_at=later)
    with pytest.raises(IntegrityError), transaction.atomic():
        ProgramRoleInvitation.objects.create(**{**fields, "role": "mentor"}, token_hash="z" * 64, expires_at=later)
    # Once withdrawn, a new one may be pending.
    membership_invitation_revoke(invitation=invitation, by=boss)
    ProgramRoleInvitation.objects.create(**fields, token_hash="w" * 64, expires_at=later)


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


# -- Who may do what -----------------------------------------------------------------------------------------------


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


# -- The flow ------------------------------------------------------------------------------------------------------


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


# -- The email -----------------------------------------------------------------------------------------------------


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


def test_erasing_an_account_removes_its_member_invitations_and_the_name_typed(cohort, boss, invitee, invited):
    from incubator.personal_data import account_erase, personal_data_export
    from tests.incubator.test_personal_data import unzip

    data, _files = unzip(personal_data_export(user=invitee))
    [received] = data["cohorts"]["role_invitations_received"]
    assert received["cohort__name"] == "BizUP test cohort" and received["name"] == "R. Typed"
    account_erase(user=invitee, by=invitee)
    assert not ProgramRoleInvitation.objects.exists()
    for entry in actions(object_type="cohorts.programroleinvitation"):
        assert "rina@example.org" not in str(entry.before) + str(entry.after)
        assert "R. Typed" not in str(entry.before) + str(entry.after)
