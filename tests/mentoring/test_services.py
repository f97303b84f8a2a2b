"""Logging, attendance, action items and feedback, and the bad input the issue lists."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from mentoring import assignments, services
from mentoring.models import Attendance, Feedback, Session
from tests.audit_trail import actions
from tests.mentoring.conftest import PAST


def log(program, kind, by, people, *, starts_at=PAST, minutes=60, **extra):
    return services.session_log(
        program=program,
        kind=kind,
        starts_at=starts_at,
        minutes=minutes,
        participants=people,
        summary="s",
        by=by,
        **extra,
    )


def test_an_individual_session_is_logged_in_one_step_with_its_people_present(held, mentee):
    assert held.status == Session.Status.HELD and held.logged_at
    assert list(held.attendances.values_list("person", "status")) == [(mentee.pk, Attendance.Status.PRESENT)]
    assert held.region.name == "Jerusalem"
    assert held.action_items.get().owner == mentee
    assert actions(action="session.log", object_id=held.pk)


def test_a_session_over_the_change_to_summer_time_lasts_the_minutes_logged(program, kinds, mentor, mentee):
    """Israel's clocks jump from 02:00 to 03:00 on 26 March 2027: a three-hour workshop from 01:00 ends at 05:00."""
    jerusalem = ZoneInfo("Asia/Jerusalem")
    starts_at = datetime.datetime(2027, 3, 26, 1, 0, tzinfo=jerusalem)
    with time_machine.travel(datetime.datetime(2027, 3, 27, tzinfo=datetime.UTC)):
        session, _ = log(program, kinds["workshop"], mentor, [mentee], starts_at=starts_at, minutes=180)
    assert session.ends_at - session.starts_at == datetime.timedelta(hours=3)
    assert session.ends_at == datetime.datetime(2027, 3, 26, 5, 0, tzinfo=jerusalem)


def test_a_group_session_waits_for_attendance_then_counts_who_came(program, kinds, mentor, mentee, participant):
    session, _ = log(program, kinds["workshop"], mentor, [mentee, participant], minutes=180)
    assert set(session.attendances.values_list("status", flat=True)) == {Attendance.Status.INVITED}
    services.attendance_mark(session=session, statuses={mentee.pk: "present", participant.pk: "excused"}, by=mentor)
    assert dict(session.attendances.values_list("person", "status")) == {
        mentee.pk: "present",
        participant.pk: "excused",
    }


def test_a_mentor_cannot_log_an_individual_session_with_someone_elses_mentee(program, kinds, mentor, participant):
    with pytest.raises(PermissionDenied):
        log(program, kinds["individual"], mentor, [participant])
    assert not Session.objects.exists()


def test_nobody_logs_a_session_with_another_programs_participant(program, kinds, mentor, manager, stranger):
    for by, kind in [(mentor, "individual"), (mentor, "workshop"), (manager, "workshop")]:
        with pytest.raises(PermissionDenied):
            log(program, kinds[kind], by, [stranger])
    assert not Session.objects.exists()


def test_a_mentor_of_another_program_logs_nothing_here(program, kinds, other_program, mentee):
    from tests.factories import UserFactory

    elsewhere = UserFactory()
    other_program.mentors.add(elsewhere)
    with pytest.raises(PermissionDenied):
        log(program, kinds["workshop"], elsewhere, [mentee])


def test_end_before_start_and_a_30_hour_individual_session_are_refused(program, kinds, mentor, mentee):
    with pytest.raises(ValidationError):
        services.session_schedule(
            program=program, kind=kinds["individual"], starts_at=PAST, ends_at=PAST - datetime.timedelta(hours=1),
            participants=[mentee], by=mentor,
        )  # fmt: skip
    with pytest.raises(ValidationError, match="individual session lasts at most"):
        log(program, kinds["individual"], mentor, [mentee], minutes=30 * 60)
    assert not Session.objects.exists()
    # The same 30 hours as a group event are fine.
    session, _ = log(program, kinds["full_day"], mentor, [mentee], minutes=30 * 60)
    assert session.hours == 30


def test_a_session_in_the_future_is_scheduled_not_logged(program, kinds, mentor, mentee):
    with pytest.raises(ValidationError):
        log(
            program, kinds["individual"], mentor, [mentee], starts_at=datetime.datetime(2999, 1, 1, tzinfo=datetime.UTC)
        )


def test_a_tours_overlapping_activities_are_warned_not_refused(program, kinds, mentor, mentee, second_mentee):
    tour, overlaps = log(program, kinds["tour"], mentor, [mentee, second_mentee], minutes=24 * 60)
    assert overlaps == []
    first, overlaps = log(program, kinds["visit"], mentor, [mentee], series=tour)
    assert overlaps == [tour]
    second, overlaps = log(
        program,
        kinds["workshop"],
        mentor,
        [second_mentee],
        starts_at=PAST + datetime.timedelta(minutes=30),
        series=tour,
    )
    assert set(overlaps) == {tour, first}
    assert second.pk


def test_feedback_once_per_session_and_only_from_those_who_attended(program, kinds, mentor, mentee, participant, held):
    feedback = services.feedback_give(session=held, rating=5, comment="Useful", anonymous=True, by=mentee)
    assert feedback.anonymous
    with pytest.raises(ValidationError):
        services.feedback_give(session=held, rating=4, comment="", anonymous=False, by=mentee)
    group, _ = log(
        program, kinds["workshop"], mentor, [mentee, participant], starts_at=PAST + datetime.timedelta(hours=1)
    )
    services.attendance_mark(session=group, statuses={mentee.pk: "present", participant.pk: "absent"}, by=mentor)
    with pytest.raises(PermissionDenied):
        services.feedback_give(session=group, rating=3, comment="", anonymous=False, by=participant)
    with pytest.raises(ValidationError):
        services.feedback_give(session=group, rating=6, comment="", anonymous=False, by=mentee)
    assert Feedback.objects.count() == 1


def test_participants_tick_their_action_items_and_outsiders_cannot(held, mentee, outsider, participant):
    item = held.action_items.get()
    services.action_item_set_done(item=item, done=True, by=mentee)
    item.refresh_from_db()
    assert item.done_at is not None
    for person in (outsider, participant):
        with pytest.raises(PermissionDenied):
            services.action_item_set_done(item=item, done=False, by=person)
    item.refresh_from_db()
    assert item.done_at is not None


def test_a_manager_of_another_program_cannot_change_a_session(held, other_manager, mentee):
    with pytest.raises(PermissionDenied):
        services.attendance_mark(session=held, statuses={mentee.pk: "absent"}, by=other_manager)
    assert held.attendances.get().status == "present"


def test_assignments_only_to_the_programs_mentors_and_active_participants(
    program, manager, mentor, stranger, mentee, other_manager
):
    with pytest.raises(ValidationError):
        assignments.assignment_create(program=program, mentor=mentor, mentee=stranger, by=manager)
    with pytest.raises(ValidationError):
        assignments.assignment_create(program=program, mentor=mentor, mentee=mentee, by=manager)  # already
    with pytest.raises(PermissionDenied):
        assignments.assignment_create(program=program, mentor=mentor, mentee=mentee, by=other_manager)


def test_a_tours_activities_are_sessions_of_the_tour(program, kinds, mentor, mentee, participant, other_program):
    tour, _ = log(program, kinds["tour"], mentor, [mentee, participant], minutes=2 * 24 * 60, title="Study tour")
    visit, _ = log(program, kinds["visit"], mentor, [mentee, participant], series=tour)
    assert list(tour.activities.all()) == [visit]
    with pytest.raises(ValidationError):
        log(program, kinds["visit"], mentor, [mentee], series=visit)
    other_kinds = {kind.code: kind for kind in services.session_kinds_ensure(other_program)}
    with pytest.raises(ValidationError):
        log(program, other_kinds["visit"], mentor, [mentee], series=tour)


def test_facilitators_are_the_programs_mentors_and_managers(program, kinds, mentor, other_mentor, mentee, outsider):
    start = datetime.datetime(2030, 1, 1, 9, tzinfo=datetime.UTC)
    period = {"starts_at": start, "ends_at": start + datetime.timedelta(hours=2)}
    session, _ = services.session_schedule(
        program=program, kind=kinds["workshop"], participants=[mentee], facilitators=[mentor, other_mentor], by=mentor,
        notify=False, **period,
    )  # fmt: skip
    assert set(session.facilitators.all()) == {mentor, other_mentor}
    with pytest.raises(ValidationError):
        services.session_schedule(
            program=program, kind=kinds["workshop"], participants=[mentee], facilitators=[mentor, outsider], by=mentor,
            **period,
        )  # fmt: skip


@pytest.mark.parametrize("minutes_ago", [0, 1, 60 * 24 * 30])
def test_a_session_to_come_cannot_be_scheduled_at_a_time_already_passed(program, kinds, mentor, mentee, minutes_ago):
    """Before, it was scheduled and its invitations sent; a session that took place is logged instead."""
    with time_machine.travel(datetime.datetime(2026, 12, 7, 9, 0, tzinfo=datetime.UTC), tick=False):
        start = datetime.datetime(2026, 12, 7, 9, 0, tzinfo=datetime.UTC) - datetime.timedelta(minutes=minutes_ago)
        with pytest.raises(ValidationError, match="already passed"):
            services.session_schedule(
                program=program, kind=kinds["individual"], starts_at=start, ends_at=start + datetime.timedelta(hours=1),
                participants=[mentee], by=mentor,
            )  # fmt: skip
        assert not Session.objects.exists()
        later = start + datetime.timedelta(minutes=minutes_ago + 1)
        services.session_schedule(
            program=program, kind=kinds["individual"], starts_at=later, ends_at=later + datetime.timedelta(hours=1),
            participants=[mentee], by=mentor, notify=False,
        )  # fmt: skip
        assert Session.objects.count() == 1
