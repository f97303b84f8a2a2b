"""The database refuses a person two overlapping sessions (time claims), except a tour and its activities, which
overlap on purpose; every refusal names who is busy and with what, as a 4xx on pages and the API."""

import datetime

import pytest
import time_machine
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.urls import reverse

from mentoring import services
from mentoring.models import Attendance, Session, TimeClaim
from tests.factories import UserFactory
from tests.mentoring.conftest import PAST

NOW = datetime.datetime(2026, 12, 7, 8, 0, tzinfo=datetime.UTC)
AT = datetime.datetime(2026, 12, 14, 9, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def schedule(program, kinds, by, people, *, kind="individual", starts_at=AT, minutes=60, **extra):
    session, _overlaps = services.session_schedule(
        program=program, kind=kinds[kind], starts_at=starts_at, ends_at=starts_at + datetime.timedelta(minutes=minutes),
        participants=people, by=by, **extra,
    )  # fmt: skip
    return session


def claimed(person) -> list[int]:
    return sorted(TimeClaim.objects.filter(person=person).values_list("session_id", flat=True))


def test_every_facilitator_and_invited_person_claims_the_sessions_time(program, kinds, mentor, mentee):
    session = schedule(program, kinds, mentor, [mentee], title="Pricing")
    claims = TimeClaim.objects.filter(session=session)
    assert sorted(claims.values_list("person_id", flat=True)) == sorted([mentor.pk, mentee.pk])
    assert all(
        claim.exclusive and (claim.period.lower, claim.period.upper) == (AT, session.ends_at) for claim in claims
    )


def test_a_mentor_cannot_hold_two_overlapping_sessions(program, kinds, mentor, mentee, second_mentee):
    schedule(program, kinds, mentor, [mentee], title="Pricing")
    with pytest.raises(ValidationError, match="Meir Mentor already has “Pricing” at that time"):
        schedule(program, kinds, mentor, [second_mentee], starts_at=AT + datetime.timedelta(minutes=30))
    assert Session.objects.count() == 1
    # Back to back is fine: the period ends where the next starts.
    schedule(program, kinds, mentor, [second_mentee], starts_at=AT + datetime.timedelta(hours=1))


def test_a_participant_cannot_hold_two_overlapping_sessions(program, kinds, mentor, other_mentor, mentee, participant):
    schedule(program, kinds, mentor, [mentee], kind="workshop", title="Branding workshop")
    with pytest.raises(ValidationError, match="Mira Mentee already has “Branding workshop” at that time"):
        schedule(program, kinds, other_mentor, [participant, mentee], kind="workshop")
    assert claimed(participant) == []


def test_a_tour_and_its_activities_overlap_on_purpose_but_not_with_an_individual_session(
    program, kinds, mentor, mentee
):
    tour = schedule(program, kinds, mentor, [mentee], kind="tour", title="Negev tour", minutes=3 * 24 * 60)
    visit = schedule(program, kinds, mentor, [mentee], kind="visit", title="Dairy", series=tour)
    schedule(program, kinds, mentor, [mentee], kind="workshop", title="Packaging", series=tour)
    assert not TimeClaim.objects.filter(session__in=[tour, visit], exclusive=True).exists()
    with pytest.raises(ValidationError, match="already has “Negev tour” at that time|already has “Dairy”"):
        schedule(program, kinds, mentor, [mentee], starts_at=AT + datetime.timedelta(hours=30))


def test_moving_into_another_session_is_refused_and_cancelling_frees_the_time(
    program, kinds, mentor, mentee, second_mentee
):
    first = schedule(program, kinds, mentor, [mentee], title="Pricing")
    later = schedule(program, kinds, mentor, [second_mentee], starts_at=AT + datetime.timedelta(hours=3))
    with pytest.raises(ValidationError, match="already has “Pricing”"):
        services.session_move(session=later, starts_at=AT, ends_at=AT + datetime.timedelta(hours=1), by=mentor)
    later.refresh_from_db()
    assert later.starts_at == AT + datetime.timedelta(hours=3) and later.sequence == 0
    services.session_cancel(session=first, by=mentor)
    assert claimed(mentee) == [] and claimed(mentor) == [later.pk]
    services.session_move(session=later, starts_at=AT, ends_at=AT + datetime.timedelta(hours=1), by=mentor)
    assert TimeClaim.objects.get(session=later, person=mentor).period.lower == AT


def test_the_database_refuses_an_overlap_the_services_did_not_see(program, kinds, mentor, mentee, second_mentee):
    first = schedule(program, kinds, mentor, [mentee])
    second = schedule(program, kinds, mentor, [second_mentee], starts_at=AT + datetime.timedelta(hours=2))
    with pytest.raises(IntegrityError, match="time_claim_no_overlap"), transaction.atomic():
        TimeClaim.objects.create(
            person=mentor, session=second, period=(AT, AT + datetime.timedelta(hours=1)), exclusive=False
        )
    # Two shared claims (a tour's) of one person do not clash.
    TimeClaim.objects.filter(session=first).update(exclusive=False)
    TimeClaim.objects.create(
        person=mentor, session=second, period=(AT, AT + datetime.timedelta(hours=1)), exclusive=False
    )


def test_another_programs_session_is_not_named(program, kinds, mentor, mentee, other_program, other_manager):
    from tests.factories import CohortFactory, accept

    accept(CohortFactory(program=other_program), mentee)
    elsewhere = services.session_kinds_ensure(other_program)[1]
    services.session_schedule(
        program=other_program, kind=elsewhere, starts_at=AT, ends_at=AT + datetime.timedelta(hours=1),
        participants=[mentee], by=other_manager, title="Secret board meeting",
    )  # fmt: skip
    with pytest.raises(ValidationError) as refused:
        schedule(program, kinds, mentor, [mentee])
    assert refused.value.messages == ["Mira Mentee already has another session at that time."]


def test_the_schedule_page_answers_400_with_who_is_busy_and_keeps_the_form(
    client, program, kinds, mentor, mentee, second_mentee
):
    schedule(program, kinds, mentor, [mentee], title="Pricing")
    client.force_login(mentor)
    data = {
        "program": program.slug,
        "kind": kinds["individual"].pk,
        "participants": [second_mentee.pk],
        "date": "2026-12-14",
        "time": "11:30",
        "minutes": 60,
        "title": "Portfolio",
    }  # fmt: skip  (11:30 in Jerusalem: 09:30 UTC, inside "Pricing")
    response = client.post(reverse("mentoring:session_schedule"), data)
    page = response.content.decode()
    assert response.status_code == 400
    assert "Meir Mentor already has “Pricing” at that time" in page and 'value="Portfolio"' in page


def test_the_admin_undoes_a_busy_persons_invitation_and_says_why(
    client, program, kinds, manager, mentor, mentee, second_mentee
):
    schedule(program, kinds, mentor, [mentee], title="Pricing")
    other = schedule(program, kinds, manager, [second_mentee], kind="workshop", title="Texts")
    manager.is_staff = True
    manager.save(update_fields=["is_staff"])
    manager.groups.add(Group.objects.get(name="Program manager"))
    client.force_login(manager)
    change = reverse("admin:mentoring_session_change", args=[other.pk])
    form = client.get(change).context["adminform"].form
    data = {
        name: value
        for name, value in form.initial.items()
        if value is not None and name not in ("facilitators", "created_at")
    }
    data.update({"created_at_0": f"{other.created_at:%Y-%m-%d}", "created_at_1": f"{other.created_at:%H:%M:%S}"})
    data["facilitators"] = [manager.pk]
    data.update(
        {"attendances-TOTAL_FORMS": 2, "attendances-INITIAL_FORMS": 1,
         "attendances-0-id": other.attendances.get().pk, "attendances-0-session": other.pk,
         "attendances-0-person": second_mentee.pk, "attendances-1-session": other.pk, "attendances-1-person": mentee.pk,
         "action_items-TOTAL_FORMS": 0, "action_items-INITIAL_FORMS": 0, "title": "Texts, corrected"}
    )  # fmt: skip
    response = client.post(change, data, follow=True)
    assert response.status_code == 200
    assert "Mira Mentee already has “Pricing” at that time" in response.content.decode()
    other.refresh_from_db()
    assert other.title == "Texts, corrected"
    assert list(other.attendances.values_list("person", flat=True)) == [second_mentee.pk]


def test_the_backfill_claims_old_sessions_and_leaves_old_overlaps_unclaimed(program, kinds, mentor, mentee):
    import importlib

    backfill = importlib.import_module("mentoring.migrations.0007_time_claims").BACKFILL
    sessions = []
    for minutes in (0, 30):  # written directly, as before claims: the second overlaps the first
        session = Session.objects.create(
            program=program, kind=kinds["individual"], starts_at=PAST + datetime.timedelta(minutes=minutes),
            ends_at=PAST + datetime.timedelta(minutes=minutes + 60), status=Session.Status.SCHEDULED,
        )  # fmt: skip
        session.facilitators.set([mentor])
        Attendance.objects.create(session=session, person=mentee)
        sessions.append(session)
    cancelled = Session.objects.create(
        program=program, kind=kinds["individual"], starts_at=PAST, ends_at=PAST + datetime.timedelta(hours=1),
        status=Session.Status.CANCELLED,
    )  # fmt: skip
    cancelled.facilitators.set([UserFactory()])
    with connection.cursor() as cursor:
        cursor.execute(backfill)
    assert claimed(mentor) == [sessions[0].pk] and claimed(mentee) == [sessions[0].pk]
    assert not TimeClaim.objects.filter(session=cancelled).exists()
