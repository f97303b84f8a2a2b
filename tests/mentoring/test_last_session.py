"""Each mentor assignment's kept `last_session_at` (the triggers of migration 0003) equals a fresh search of the
mentee's attended held sessions after every kind of change: a session logged, attendance marked and corrected, a
session moved to another program or deleted, a new assignment, a stale full save, and the migration's fill."""

import datetime
from importlib import import_module

from django.db import connection
from django.db.models import Max

from mentoring import assignments, services
from mentoring.models import Assignment, Attendance, Session
from tests.mentoring.conftest import PAST
from tests.mentoring.test_services import log


def fresh(assignment: Assignment):
    return Attendance.objects.filter(
        person=assignment.mentee_id,
        status=Attendance.Status.PRESENT,
        session__status=Session.Status.HELD,
        session__program=assignment.program_id,
    ).aggregate(last=Max("session__starts_at"))["last"]


def assert_kept(expected=None, *, mentee=None) -> None:
    for assignment in Assignment.objects.all():
        assert assignment.last_session_at == fresh(assignment)
        if mentee is not None and assignment.mentee_id == mentee.pk:
            assert assignment.last_session_at == expected


def test_logging_and_marking_keep_the_date(program, kinds, mentor, mentee, participant):
    assert_kept(None, mentee=mentee)
    log(program, kinds["individual"], mentor, [mentee])
    assert_kept(PAST, mentee=mentee)
    later = PAST + datetime.timedelta(days=2)
    group, _ = log(program, kinds["workshop"], mentor, [mentee, participant], starts_at=later, minutes=120)
    assert_kept(PAST, mentee=mentee)  # invited, not marked yet
    services.attendance_mark(session=group, statuses={mentee.pk: "present", participant.pk: "absent"}, by=mentor)
    assert_kept(later, mentee=mentee)
    services.attendance_mark(session=group, statuses={mentee.pk: "excused", participant.pk: "absent"}, by=mentor)
    assert_kept(PAST, mentee=mentee)


def test_an_attendance_given_to_another_person_refreshes_both(program, kinds, mentor, mentee, participant, manager):
    """A manager corrects who came (the admin's inline): the one who lost the session loses its date too."""
    assignments.assignment_create(program=program, mentor=mentor, mentee=participant, by=manager)
    log(program, kinds["individual"], mentor, [mentee])
    assert_kept(PAST, mentee=mentee)
    Attendance.objects.filter(person=mentee).update(person=participant)
    assert_kept(None, mentee=mentee)
    assert_kept(PAST, mentee=participant)


def test_session_changes_and_deletes_keep_the_date(program, other_program, kinds, mentor, mentee):
    session, _ = log(program, kinds["individual"], mentor, [mentee])
    assert_kept(PAST, mentee=mentee)
    Session.objects.filter(pk=session.pk).update(program=other_program)
    assert_kept(None, mentee=mentee)
    Session.objects.filter(pk=session.pk).update(program=program, starts_at=PAST - datetime.timedelta(days=1))
    assert_kept(PAST - datetime.timedelta(days=1), mentee=mentee)
    Session.objects.filter(pk=session.pk).delete()
    assert_kept(None, mentee=mentee)


def test_new_assignments_and_stale_saves_read_the_date(program, kinds, mentor, mentee, manager):
    log(program, kinds["individual"], mentor, [mentee])
    stale = Assignment.objects.get(mentee=mentee)
    assignments.assignment_end(assignment=stale, by=manager)
    again = assignments.assignment_create(program=program, mentor=mentor, mentee=mentee, by=manager)
    assert Assignment.objects.get(pk=again.pk).last_session_at == PAST
    Attendance.objects.filter(person=mentee).delete()
    again.save()  # an instance read while the attendance stood
    assert_kept(None, mentee=mentee)


def test_the_migration_fills_the_date(program, kinds, mentor, mentee):
    log(program, kinds["individual"], mentor, [mentee])
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL session_replication_role = replica")  # as before the migration: no trigger
        cursor.execute("UPDATE mentoring_assignment SET last_session_at = NULL")
        cursor.execute("SET LOCAL session_replication_role = DEFAULT")
        assert Assignment.objects.get(mentee=mentee).last_session_at is None
        cursor.execute(import_module("mentoring.migrations.0003_assignment_last_session").FILL_SQL)
    assert_kept(PAST, mentee=mentee)
