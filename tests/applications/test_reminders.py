"""Draft reminders 7 days, 1 day and 3 hours before the deadline, and the closing summary: each exactly once."""

import datetime
import threading
import time

import pytest
import time_machine
from celery.contrib.testing.worker import start_worker
from django.conf import settings
from django.core import mail
from django.db import connection
from django.urls import reverse

from applications.services import REMINDER_KIND, SUMMARY_KIND, application_start, application_withdraw, reminders_sweep
from applications.submission import application_submit
from applications.tasks import applications_reminders_sweep
from incubator import delivery
from incubator.celery import app
from incubator.models import Notification
from incubator.roles import PROGRAM_MANAGER
from tests.applications.conftest import fill
from tests.applications.factories import make_call, program_with_regions
from tests.factories import UserFactory

CLOSES_AT = datetime.datetime(2030, 3, 31, 21, 59, 59, tzinfo=datetime.UTC)


def at(delta: datetime.timedelta):
    """Frozen time `delta` before the deadline."""
    return time_machine.travel(CLOSES_AT - delta, tick=False)


def make_drafts(count: int, language="ar"):
    with at(datetime.timedelta(days=20)):
        call = make_call(closes_at=CLOSES_AT, opens_at=CLOSES_AT - datetime.timedelta(days=30))
        drafts = [
            application_start(call=call, applicant=UserFactory(preferred_language=language)) for _ in range(count)
        ]
    return call, drafts


def reminders():
    # Told apart by their link to the form: the subject is in the applicant's language (Arabic here).
    return [m for m in mail.outbox if "/apply/" in m.body]


def test_beat_runs_the_sweep():
    entry = settings.CELERY_BEAT_SCHEDULE["applications-reminders-sweep"]
    assert entry["task"] == "applications.tasks.applications_reminders_sweep"


def test_each_threshold_is_sent_once_in_the_applicants_language_with_a_link_to_the_draft(
    db, django_capture_on_commit_callbacks
):
    call, [draft] = make_drafts(1)
    sent = []
    for delta, threshold in [
        (datetime.timedelta(days=8), None),
        (datetime.timedelta(days=7) - datetime.timedelta(minutes=1), "7d"),
        (datetime.timedelta(days=6), None),
        (datetime.timedelta(hours=23), "1d"),
        (datetime.timedelta(hours=2, minutes=55), "3h"),
        (datetime.timedelta(hours=1), None),
    ]:
        with at(delta), django_capture_on_commit_callbacks(execute=True):
            assert reminders_sweep() == (1 if threshold else 0)
            assert reminders_sweep() == 0  # the same sweep again claims nothing
        sent.append(threshold)
    assert len(reminders()) == 3
    keys = Notification.objects.filter(kind=REMINDER_KIND).values_list("threshold", "status")
    assert sorted(keys) == [("1d", "sent"), ("3h", "sent"), ("7d", "sent")]
    message = reminders()[0]
    assert message.to == [draft.applicant.email]
    assert f"/ar{reverse('applications:apply', args=[call.slug])}" in message.body


def test_a_draft_started_the_day_before_gets_only_the_nearer_reminders(db, django_capture_on_commit_callbacks):
    make_drafts(1)
    with at(datetime.timedelta(hours=20)), django_capture_on_commit_callbacks(execute=True):
        reminders_sweep()
    assert list(Notification.objects.values_list("threshold", flat=True)) == ["1d"]


def test_no_reminder_once_submitted_or_withdrawn(db, django_capture_on_commit_callbacks):
    _call, [submitted, withdrawn, draft] = make_drafts(3)
    with at(datetime.timedelta(days=10)):
        application_submit(application=fill(submitted), by=submitted.applicant)
        application_withdraw(application=withdrawn, by=withdrawn.applicant)
    with at(datetime.timedelta(days=6)), django_capture_on_commit_callbacks(execute=True):
        assert reminders_sweep() == 1
    assert [m.to for m in reminders()] == [[draft.applicant.email]]


def test_a_reminder_claimed_before_the_submit_is_not_sent_after_it(db, django_capture_on_commit_callbacks):
    """The renderer re-checks: a pending reminder for an application submitted since is dropped, not sent."""
    _call, [draft] = make_drafts(1)
    with at(datetime.timedelta(days=6)):
        app.conf.task_always_eager = False  # claim now, deliver later (no worker yet)
        try:
            with django_capture_on_commit_callbacks(execute=False):
                reminders_sweep()
        finally:
            app.conf.task_always_eager = True
        application_submit(application=fill(draft), by=draft.applicant)
        [pending] = Notification.objects.filter(kind=REMINDER_KIND)
        assert delivery.notification_send(notification_id=pending.pk) is True
    assert reminders() == []


def _sweep_in_thread(now, barrier, errors):
    try:
        with time_machine.travel(now, tick=False):
            barrier.wait()
            reminders_sweep()
    except Exception as error:  # noqa: BLE001 - reported to the test thread
        errors.append(error)
    finally:
        connection.close()


def test_two_concurrent_sweeps_send_each_reminder_once(transactional_db):
    _call, drafts = make_drafts(12)
    now = CLOSES_AT - datetime.timedelta(days=6)
    barrier, errors = threading.Barrier(2), []
    threads = [threading.Thread(target=_sweep_in_thread, args=(now, barrier, errors)) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(m.to[0] for m in reminders()) == sorted(d.applicant.email for d in drafts)
    assert Notification.objects.filter(kind=REMINDER_KIND, status="sent").count() == 12


@pytest.mark.celery_worker
def test_a_worker_killed_mid_sweep_still_sends_each_reminder_once(transactional_db):
    _call, drafts = make_drafts(3)
    app.control.purge()
    now = CLOSES_AT - datetime.timedelta(days=6)
    # The sweep claims and queues the deliveries, then the worker that should send them dies: the rows stay pending.
    app.conf.task_always_eager = False
    try:
        with time_machine.travel(now, tick=False):
            assert reminders_sweep() == 3
        assert Notification.objects.filter(kind=REMINDER_KIND, status="pending").count() == 3
        assert reminders() == []

        # Beat's retry picks up the stale rows later; another sweep claims nothing new.
        with time_machine.travel(now + datetime.timedelta(minutes=11), tick=False):
            assert reminders_sweep() == 0
            assert delivery.notifications_retry_pending() == 3
            assert delivery.notifications_retry_pending() == 0
        assert len(reminders()) == 3

        # The queued deliveries are redelivered to a new worker (acks_late): they find the rows sent.
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
            for _ in range(200):
                if _queue_is_empty():
                    break
                time.sleep(0.05)
    finally:
        app.conf.task_always_eager = True
    assert sorted(m.to[0] for m in reminders()) == sorted(d.applicant.email for d in drafts)
    assert Notification.objects.filter(kind=REMINDER_KIND, status="sent").count() == 3


def _queue_is_empty() -> bool:
    with app.connection_for_write() as conn:
        return conn.default_channel.client.llen("celery") == 0


def test_closing_summary_goes_to_the_programs_managers_once(db, django_capture_on_commit_callbacks):
    call, [_draft, other] = make_drafts(2, language="en")
    manager = UserFactory(preferred_language="en")
    call.cohort.program.managers.add(manager)
    with at(datetime.timedelta(days=2)):
        application_submit(application=fill(other), by=other.applicant)
    with (
        time_machine.travel(CLOSES_AT + datetime.timedelta(minutes=5), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        reminders_sweep()
        reminders_sweep()
    [summary] = [m for m in mail.outbox if m.subject.startswith("Call closed")]
    assert summary.to == [manager.email]
    assert "Submitted applications: 1" in summary.body and "Drafts never submitted: 1" in summary.body
    assert Notification.objects.filter(kind=SUMMARY_KIND).count() == 1
    assert reminders() == []  # and the draft left gets no reminder after the deadline


def test_closing_summary_never_goes_to_managers_of_other_programs(db, django_capture_on_commit_callbacks):
    make_drafts(1, language="en")
    UserFactory(roles=[PROGRAM_MANAGER])  # in the group, manager of no program
    other_manager = UserFactory(roles=[PROGRAM_MANAGER])
    program_with_regions(slug="another-program").managers.add(other_manager)
    with (
        time_machine.travel(CLOSES_AT + datetime.timedelta(minutes=5), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        reminders_sweep()
    assert [m for m in mail.outbox if m.subject.startswith("Call closed")] == []


def test_calls_closed_long_ago_send_no_summary(db):
    make_drafts(1)
    UserFactory(roles=[PROGRAM_MANAGER])
    with time_machine.travel(CLOSES_AT + datetime.timedelta(days=30), tick=False):
        assert reminders_sweep() == 0


def test_the_beat_task_runs_the_sweep(db, django_capture_on_commit_callbacks):
    make_drafts(2)
    with at(datetime.timedelta(days=6)), django_capture_on_commit_callbacks(execute=True):
        assert applications_reminders_sweep.delay().get() == 2
    assert len(reminders()) == 2
