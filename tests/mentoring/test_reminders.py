"""Session reminders 24 hours and 1 hour before, exactly once; invitations and cancellations carry an .ics."""

import datetime
import re
import threading

import icalendar
import time_machine
from django.conf import settings
from django.core import mail
from django.db import connection

from incubator.models import Notification
from mentoring import services
from mentoring.models import Session
from mentoring.reminders import LOG_REMINDER, REMINDER, reminders_sweep
from mentoring.services import INVITATION

START = datetime.datetime(2030, 5, 6, 9, 0, tzinfo=datetime.UTC)


def schedule(program, kinds, mentor, people, starts_at=START, kind="workshop", scheduled_at=None):
    with time_machine.travel(scheduled_at or START - datetime.timedelta(days=10), tick=False):
        session, _ = services.session_schedule(
            program=program, kind=kinds[kind], starts_at=starts_at, ends_at=starts_at + datetime.timedelta(hours=2),
            participants=people, by=mentor, place="BizMax",
        )  # fmt: skip
    return session


def reminder_mails():
    return [m for m in mail.outbox if "reminder of your" in m.body]


def ics_of(message) -> icalendar.Calendar:
    [(name, content, mimetype)] = message.attachments
    assert name.endswith(".ics") and mimetype.startswith("text/calendar")
    return icalendar.Calendar.from_ical(content)


def test_beat_runs_the_sweep():
    entry = settings.CELERY_BEAT_SCHEDULE["mentoring-reminders-sweep"]
    assert entry["task"] == "mentoring.tasks.mentoring_reminders_sweep"
    assert "mentoring.tasks" in settings.CELERY_IMPORTS


def test_invitation_carries_a_request_with_a_stable_uid(
    program, kinds, mentor, mentee, participant, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        session = schedule(program, kinds, mentor, [mentee, participant])
    assert sorted(m.to[0] for m in mail.outbox) == sorted([mentor.email, mentee.email, participant.email])
    calendar = ics_of(mail.outbox[0])
    assert calendar["METHOD"] == "REQUEST"
    [event] = calendar.walk("VEVENT")
    assert str(event["UID"]) == session.uid
    assert event["SEQUENCE"] == 0
    assert event.decoded("DTSTART") == START
    assert "(Asia/Jerusalem)" in mail.outbox[0].body  # the time in the program's zone, named


def test_each_threshold_once_to_facilitators_and_invited(
    program, kinds, mentor, mentee, django_capture_on_commit_callbacks
):
    schedule(program, kinds, mentor, [mentee])
    mail.outbox.clear()
    for before, expected in [(30, 0), (23.5, 2), (20, 0), (0.9, 2), (0.5, 0)]:
        with django_capture_on_commit_callbacks(execute=True):
            assert reminders_sweep(now=START - datetime.timedelta(hours=before)) == expected
            assert reminders_sweep(now=START - datetime.timedelta(hours=before)) == 0
    assert len(reminder_mails()) == 4
    assert {m.to[0] for m in reminder_mails()} == {mentor.email, mentee.email}


def test_moving_a_session_re_arms_its_reminders_and_sends_a_new_sequence(
    program, kinds, mentor, mentee, django_capture_on_commit_callbacks
):
    session = schedule(program, kinds, mentor, [mentee])
    with django_capture_on_commit_callbacks(execute=True):
        assert reminders_sweep(now=START - datetime.timedelta(hours=2)) == 2
    mail.outbox.clear()
    later = START + datetime.timedelta(days=1)
    with (
        time_machine.travel(START - datetime.timedelta(hours=1, minutes=30), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        services.session_move(session=session, starts_at=later, ends_at=later + datetime.timedelta(hours=1), by=mentor)
    [event] = ics_of(mail.outbox[0]).walk("VEVENT")
    assert event["SEQUENCE"] == 1 and str(event["UID"]) == session.uid
    assert event.decoded("DTSTART") == later
    mail.outbox.clear()
    # The old time passes without a reminder; the new one gets both again.
    with django_capture_on_commit_callbacks(execute=True):
        assert reminders_sweep(now=START - datetime.timedelta(minutes=30)) == 0
        assert reminders_sweep(now=later - datetime.timedelta(hours=20)) == 2
        assert reminders_sweep(now=later - datetime.timedelta(minutes=50)) == 2
    assert len(reminder_mails()) == 4


def test_a_reminder_claimed_for_the_old_time_is_not_sent_after_a_move(
    program, kinds, mentor, mentee, django_capture_on_commit_callbacks
):
    from incubator import delivery

    session = schedule(program, kinds, mentor, [mentee])
    reminders_sweep(now=START - datetime.timedelta(hours=2))  # claimed, not yet delivered (no commit callbacks)
    services.session_move(session=session, starts_at=START + datetime.timedelta(days=2),
                          ends_at=START + datetime.timedelta(days=2, hours=1), by=mentor)  # fmt: skip
    mail.outbox.clear()
    for pending in Notification.objects.filter(kind=REMINDER):
        delivery.notification_send(notification_id=pending.pk)
    assert reminder_mails() == []


def test_cancelled_sessions_send_no_reminder_and_everyone_invited_is_told(
    program, kinds, mentor, mentee, participant, django_capture_on_commit_callbacks
):
    session = schedule(program, kinds, mentor, [mentee, participant])
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.session_cancel(session=session, by=mentor)
    assert sorted(m.to[0] for m in mail.outbox) == sorted([mentor.email, mentee.email, participant.email])
    calendar = ics_of(mail.outbox[0])
    assert calendar["METHOD"] == "CANCEL"
    [event] = calendar.walk("VEVENT")
    assert str(event["UID"]) == session.uid and event["SEQUENCE"] == 1 and event["STATUS"] == "CANCELLED"
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert reminders_sweep(now=START - datetime.timedelta(hours=2)) == 0
        assert reminders_sweep(now=START - datetime.timedelta(minutes=30)) == 0
    assert mail.outbox == []


def test_an_unlogged_session_reminds_its_facilitator_once_two_days_later(
    program, kinds, mentor, mentee, django_capture_on_commit_callbacks
):
    session = schedule(program, kinds, mentor, [mentee])
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert reminders_sweep(now=START + datetime.timedelta(days=1)) == 0
        assert reminders_sweep(now=START + datetime.timedelta(days=2, hours=3)) == 1
        assert reminders_sweep(now=START + datetime.timedelta(days=3)) == 0
    [message] = mail.outbox
    assert message.to == [mentor.email] and f"/mentoring/sessions/{session.pk}/log/" in message.body
    assert Notification.objects.filter(kind=LOG_REMINDER).count() == 1


def _sweep_in_thread(now, barrier, errors):
    try:
        barrier.wait()
        reminders_sweep(now=now)
    except Exception as error:  # noqa: BLE001 - reported to the test thread
        errors.append(error)
    finally:
        connection.close()


def test_two_concurrent_sweeps_send_each_reminder_once(transactional_db):

    program, kinds, mentor, people = _world()
    for hour in range(6):
        starts_at = START + datetime.timedelta(minutes=10 * hour)
        ends_at = starts_at + datetime.timedelta(minutes=10)  # one after the other: nobody is in two at once
        services.session_schedule(
            program=program, kind=kinds["workshop"], starts_at=starts_at, ends_at=ends_at, participants=people,
            by=mentor, notify=False,
        )  # fmt: skip
    mail.outbox.clear()
    barrier, errors = threading.Barrier(2), []
    threads = [
        threading.Thread(target=_sweep_in_thread, args=(START - datetime.timedelta(hours=3), barrier, errors))
        for _ in range(2)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert Session.objects.count() == 6
    # 6 sessions × (1 facilitator + 3 invited), each reminded once.
    assert Notification.objects.filter(kind=REMINDER, status="sent").count() == 24
    assert len(reminder_mails()) == 24
    assert not Notification.objects.filter(kind=INVITATION).exists()


def _world():
    from tests.factories import CohortFactory, ProgramFactory, UserFactory, accept

    program = ProgramFactory()
    cohort = CohortFactory(program=program)
    people = [accept(cohort, UserFactory()).person for _ in range(3)]
    mentor = UserFactory()
    program.mentors.add(mentor)
    kinds = {kind.code: kind for kind in services.session_kinds_ensure(program)}
    return program, kinds, mentor, people


def test_the_beat_task_runs_the_sweep(program, kinds, mentor, mentee, django_capture_on_commit_callbacks):
    from mentoring.tasks import mentoring_reminders_sweep

    now = datetime.datetime.now(datetime.UTC)
    schedule(program, kinds, mentor, [mentee], starts_at=now + datetime.timedelta(hours=5), scheduled_at=now)
    with django_capture_on_commit_callbacks(execute=True):
        assert mentoring_reminders_sweep.delay().get() == 2


def test_invitations_and_reminders_are_filed_under_the_sessions_program(
    program, kinds, mentor, mentee, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        schedule(program, kinds, mentor, [mentee], kind="individual")
        reminders_sweep(now=START - datetime.timedelta(hours=23))
        reminders_sweep(now=START + datetime.timedelta(days=2, hours=3))
    kinds_seen = set(Notification.objects.values_list("kind", flat=True))
    assert len(kinds_seen) == 3  # invitation, reminder, log reminder
    assert set(Notification.objects.values_list("program_id", flat=True)) == {program.pk}


def test_email_links_are_absolute_and_in_the_recipients_language(
    program, kinds, mentor, mentee, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://portal.example.org"
    mentee.preferred_language = "ar"
    mentee.save()
    with django_capture_on_commit_callbacks(execute=True):
        session = schedule(program, kinds, mentor, [mentee], kind="individual")
        reminders_sweep(now=START + datetime.timedelta(days=2, hours=3))
    to_mentee = [m for m in mail.outbox if m.to == [mentee.email]]
    to_mentor = [m for m in mail.outbox if m.to == [mentor.email]]
    assert to_mentee and to_mentor
    for message in to_mentee:
        assert re.findall(r"https?://\S+", message.body) == [
            f"https://portal.example.org/ar/mentoring/sessions/{session.pk}/"
        ]
    links = re.findall(r"https?://\S+", to_mentor[-1].body)
    assert links == [f"https://portal.example.org/mentoring/sessions/{session.pk}/log/"]


def test_a_session_scheduled_the_same_day_is_reminded_as_today(program, kinds, mentor, mentee, mailoutbox,
                                                               django_capture_on_commit_callbacks):  # fmt: skip
    """Before, a session scheduled in the morning for that afternoon was announced as "Tomorrow"."""
    morning = datetime.datetime(2030, 5, 6, 5, 0, tzinfo=datetime.UTC)  # 08:00 in Jerusalem
    schedule(program, kinds, mentor, [mentee], starts_at=morning + datetime.timedelta(hours=6), scheduled_at=morning)
    mail.outbox.clear()
    soon_after = morning + datetime.timedelta(minutes=5)
    with time_machine.travel(soon_after, tick=False), django_capture_on_commit_callbacks(execute=True):
        reminders_sweep(now=soon_after)
    subjects = [message.subject for message in reminder_mails()]
    assert subjects and all("Today at 14:00" in subject and "Tomorrow" not in subject for subject in subjects)
