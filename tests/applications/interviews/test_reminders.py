"""The interview reminders: three days after an unanswered invitation, a day before a booked interview; each once,
whatever the number of sweeps, and again for a new time."""

import datetime

from django.core import mail

from applications.interviews.reminders import interview_reminders_sweep
from applications.interviews.services import interview_book
from tests.applications.interviews.conftest import NOW
from tests.applications.interviews.factories import plan, shortlisted

TUESDAY_10 = datetime.datetime(2026, 12, 8, 9, 0, tzinfo=datetime.UTC)


def test_unbooked_applicants_are_reminded_once_three_days_after_the_invitation(
    call, maya, time_machine, django_capture_on_commit_callbacks
):
    unbooked, booked = shortlisted(call, maya, count=2)
    interview_book(interview=booked, starts_at=TUESDAY_10 + datetime.timedelta(days=7), by=booked.application.applicant)
    mail.outbox.clear()
    time_machine.move_to(NOW + datetime.timedelta(days=2, hours=23))
    with django_capture_on_commit_callbacks(execute=True):
        assert interview_reminders_sweep() == 0
    time_machine.move_to(NOW + datetime.timedelta(days=3))
    with django_capture_on_commit_callbacks(execute=True):
        assert interview_reminders_sweep() == 1
        assert interview_reminders_sweep() == 0
    (message,) = mail.outbox
    assert message.to == [unbooked.application.applicant.email]
    assert "Rappel" in message.subject
    assert f"/fr/interview/{unbooked.token}/" in message.body


def test_booked_applicants_are_reminded_once_a_day_before(call, maya, time_machine, django_capture_on_commit_callbacks):
    (interview,) = shortlisted(call, maya)
    applicant = interview.application.applicant
    starts = TUESDAY_10 + datetime.timedelta(days=2)  # Thursday 10:00
    interview_book(interview=interview, starts_at=starts, by=applicant)
    mail.outbox.clear()
    time_machine.move_to(starts - datetime.timedelta(hours=25))
    with django_capture_on_commit_callbacks(execute=True):
        assert interview_reminders_sweep() == 0
    time_machine.move_to(starts - datetime.timedelta(hours=24))
    with django_capture_on_commit_callbacks(execute=True):
        assert interview_reminders_sweep() == 1
    time_machine.move_to(starts - datetime.timedelta(hours=23))
    with django_capture_on_commit_callbacks(execute=True):
        assert interview_reminders_sweep() == 0
    (message,) = mail.outbox
    assert "Demain" in message.subject and "10:00" in message.body


def test_a_reminder_claimed_before_the_applicant_booked_is_not_sent(
    call, maya, time_machine, django_capture_on_commit_callbacks
):
    (interview,) = shortlisted(call, maya)
    mail.outbox.clear()
    time_machine.move_to(NOW + datetime.timedelta(days=3))
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        assert interview_reminders_sweep() == 1
    interview_book(
        interview=interview, starts_at=TUESDAY_10 + datetime.timedelta(days=7), by=interview.application.applicant
    )
    for callback in callbacks:
        callback()
    assert mail.outbox == []


def test_a_new_time_gets_its_own_reminder(call, maya, time_machine, django_capture_on_commit_callbacks):
    plan(call, maya, cancel_hours=0)
    (interview,) = shortlisted(call, maya)
    applicant = interview.application.applicant
    thursday = TUESDAY_10 + datetime.timedelta(days=2)
    interview_book(interview=interview, starts_at=thursday, by=applicant)
    time_machine.move_to(thursday - datetime.timedelta(hours=24))
    with django_capture_on_commit_callbacks(execute=True):
        assert interview_reminders_sweep() == 1
        interview_book(interview=interview, starts_at=thursday + datetime.timedelta(days=1), by=applicant)
        assert interview_reminders_sweep() == 0
    time_machine.move_to(thursday)
    with django_capture_on_commit_callbacks(execute=True):
        assert interview_reminders_sweep() == 1
