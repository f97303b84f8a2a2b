import datetime
from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from cohorts.member_invitations import membership_invitation_accept, membership_invite
from cohorts.models import Membership, ProgramRoleInvitation, Venture, VentureMember
from cohorts.services import membership_create_from_application, membership_status_change
from incubator.models import Notification, User
from incubator.roles import PARTICIPANT
from tests.audit_trail import action, actions
from tests.factories import Acceptance, UserFactory


def test_acceptance_creates_membership_with_region_role_audit_and_venture(cohort, north):
    applicant = UserFactory()
    teammate = UserFactory(email="teammate@example.org")
    Membership.objects.create(person=teammate, cohort=cohort)
    UserFactory(email="outsider@example.org", name="Hidden Outsider")
    acceptance = Acceptance(
        applicant=applicant,
        call=SimpleNamespace(cohort=cohort),
        region=north,
        venture_name="Lens & Light",
        venture_field="photography",
        team_members=[
            SimpleNamespace(name="Tali Teammate", email="TEAMMATE@example.org"),
            SimpleNamespace(name="Noa Newcomer", email="noa@example.org", role="editor"),
            SimpleNamespace(name="Only a name", email=""),
            SimpleNamespace(name="Typed name", email="outsider@example.org"),
        ],
    )
    manager = UserFactory()

    membership = membership_create_from_application(application=acceptance, by=manager)

    assert (membership.person, membership.cohort, membership.region) == (applicant, cohort, north)
    assert membership.status == Membership.Status.ACTIVE
    assert membership.started_on == cohort.starts_on
    assert applicant.groups.filter(name=PARTICIPANT).exists()
    entry = action(action="membership.create")
    assert (entry.actor, entry.object_id) == (manager, membership.pk)
    venture = Venture.objects.get(cohort=cohort)
    assert (venture.name, venture.field) == ("Lens & Light", "photography")
    team = {(m.user_id, m.email.lower()) for m in venture.team.all()}
    # The teammate in the cohort is linked; an account outside it stays an email-only row, its name unseen.
    assert team == {
        (applicant.pk, ""),
        (teammate.pk, "teammate@example.org"),
        (None, "noa@example.org"),
        (None, "outsider@example.org"),
    }
    assert not venture.team.filter(name="Hidden Outsider").exists()


def test_the_same_acceptance_twice_makes_one_membership(cohort):
    applicant = UserFactory()
    acceptance = Acceptance(applicant=applicant, call=SimpleNamespace(cohort=cohort), venture_name="Studio",
                            team_members=[SimpleNamespace(name="T", email="t@example.org")])  # fmt: skip
    first = membership_create_from_application(application=acceptance, by=None)
    second = membership_create_from_application(application=acceptance, by=None)
    assert first.pk == second.pk
    assert Membership.objects.filter(person=applicant, cohort=cohort).count() == 1
    assert len(actions(action="membership.create")) == 1
    assert VentureMember.objects.filter(venture__cohort=cohort).count() == 2


def test_a_second_membership_row_is_impossible(cohort, member):
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(person=member, cohort=cohort)


def test_acceptance_tolerates_objects_with_only_the_required_attributes(cohort):
    """The applications app may pass its model as it is: only `applicant` and `call.cohort` are required."""
    applicant = UserFactory()
    bare = SimpleNamespace(applicant=applicant, call=SimpleNamespace(cohort=cohort))
    membership = membership_create_from_application(application=bare, by=None)
    assert membership.region is None
    assert not Venture.objects.exists()


def test_acceptance_reads_a_related_manager_of_team_members(cohort):
    """`application.team_members` is a related manager on the real model: `.all()` is called."""
    rows = [SimpleNamespace(name="Related Row", email="row@example.org")]
    manager_like = SimpleNamespace(all=lambda: rows)
    applicant = UserFactory()
    acceptance = Acceptance(applicant=applicant, call=SimpleNamespace(cohort=cohort), team_members=manager_like)
    membership_create_from_application(application=acceptance, by=None)
    venture = Venture.objects.get()
    assert venture.name == str(applicant)  # no venture name given: named after the applicant
    assert venture.team.filter(email="row@example.org").exists()


def test_an_invitation_creates_no_account_and_no_membership_until_accepted(
    cohort, north, manager, mailoutbox, django_capture_on_commit_callbacks
):
    """The old direct adding made an account with no password and a membership at once: now an unknown address
    gets one email (the invitation) and nothing else exists until an account with that address accepts."""
    with django_capture_on_commit_callbacks(execute=True):
        invitation, _token = membership_invite(
            cohort=cohort, email="agent@example.org", name="Ada Agent", region=north, by=manager
        )
    assert not User.objects.filter(email__iexact="agent@example.org").exists()
    assert not Membership.objects.filter(cohort=cohort).exists()
    assert [message.to for message in mailoutbox] == [["agent@example.org"]]
    assert reverse("account_reset_password") not in mailoutbox[0].body
    assert not Notification.objects.filter(kind="cohorts.membership_invited").exists()
    agent = UserFactory(email="agent@example.org", name="Ada Agent")  # signs up and confirms the address
    membership, created = membership_invitation_accept(invitation=invitation, by=agent)
    assert created and (membership.person, membership.cohort, membership.region) == (agent, cohort, north)
    assert agent.groups.filter(name=PARTICIPANT).exists()
    # Once a member, the address is refused with the member list's own words, and nothing is sent.
    refused = pytest.raises(ValidationError, match="agent@example.org is already in this cohort.")
    with refused, django_capture_on_commit_callbacks(execute=True):
        membership_invite(cohort=cohort, email="AGENT@example.org", name="Ada Agent", by=manager)
    assert len(mailoutbox) == 1


def test_an_existing_user_invited_is_not_a_member_until_they_accept(
    cohort, manager, mailoutbox, django_capture_on_commit_callbacks
):
    person = UserFactory(email="known@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        invitation, _token = membership_invite(cohort=cohort, email="known@example.org", name="typed", by=manager)
    assert reverse("account_reset_password") not in mailoutbox[0].body
    assert not Membership.objects.filter(person=person, cohort=cohort).exists()
    assert not person.groups.filter(name=PARTICIPANT).exists()
    membership_invitation_accept(invitation=invitation, by=person)
    assert Membership.objects.filter(person=person, cohort=cohort).exists()


def test_invitation_refuses_a_region_of_another_program(cohort, other_cohort, manager):
    from tests.factories import RegionFactory

    with pytest.raises(ValidationError):
        membership_invite(cohort=cohort, email="x@example.org", name="X", region=RegionFactory(), by=manager)


def test_invite_page_sends_an_invitation(client, cohort, manager, mailoutbox, django_capture_on_commit_callbacks):
    client.force_login(manager)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("cohorts:member_invite", args=[cohort.slug]), {"email": "new@example.org", "name": "New One"}
        )
    assert response.status_code == 302
    assert not Membership.objects.filter(cohort=cohort).exists()
    assert ProgramRoleInvitation.objects.filter(cohort=cohort, email="new@example.org", name="New One").exists()
    assert len(mailoutbox) == 1


def test_status_changes_keep_dates_and_reasons(cohort, member, manager):
    membership = Membership.objects.get(person=member)
    with pytest.raises(ValidationError):
        membership_status_change(membership=membership, status="paused", reason=" ", by=manager)

    membership_status_change(membership=membership, status="paused", reason="Family leave", by=manager,
                             on=datetime.date(2026, 4, 1))  # fmt: skip
    membership.refresh_from_db()
    assert (membership.status, membership.status_reason, membership.ended_on) == ("paused", "Family leave", None)

    membership_status_change(membership=membership, status="graduated", reason="", by=manager,
                             on=datetime.date(2026, 12, 1))  # fmt: skip
    membership.refresh_from_db()
    assert (membership.status, membership.ended_on) == ("graduated", datetime.date(2026, 12, 1))
    with pytest.raises(ValidationError):
        membership_status_change(membership=membership, status="active", reason="", by=manager)
    assert len(actions(action="membership.status")) == 2


def test_status_date_before_the_start_is_refused(cohort, member, manager):
    with pytest.raises(ValidationError):
        membership_status_change(membership=Membership.objects.get(person=member), status="withdrawn", reason="r",
                                 on=datetime.date(2025, 1, 1), by=manager)  # fmt: skip


@pytest.mark.parametrize(
    "fields",
    [{"status": "withdrawn", "status_reason": "gone"}, {"status": "paused", "status_reason": ""}],
    ids=["ended-without-date", "paused-without-reason"],
)
def test_constraints_refuse_unexplained_statuses(cohort, member, fields):
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.filter(person=member).update(**fields)


def test_status_page_changes_status(client, cohort, member, manager):
    membership = Membership.objects.get(person=member)
    client.force_login(manager)
    url = reverse("cohorts:membership_status", args=[cohort.slug, membership.pk])
    response = client.post(url, {"status": "withdrawn", "reason": "", "on": "2026-05-01"})
    assert response.status_code == 200 and "Say why" in response.text
    response = client.post(url, {"status": "withdrawn", "reason": "Moved abroad", "on": "2026-05-01"})
    assert response.status_code == 302
    membership.refresh_from_db()
    assert (membership.status, membership.ended_on) == ("withdrawn", datetime.date(2026, 5, 1))
