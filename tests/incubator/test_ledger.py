"""The ledger's delivery guarantee: claimed exactly once, sent at least once with one Message-ID per row.

Mail goes to Django's test outbox; a failing or hanging SMTP server is a real socket or a backend that raises."""

import socket
import threading
from datetime import timedelta

import pytest
import time_machine
from billiard.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend
from django.urls import reverse
from django.utils import timezone

from incubator import delivery, emails, notifications, tasks
from incubator.emails import EmailContent
from incubator.models import Notification
from incubator.notifications import Claim
from tests.audit_trail import actions
from tests.factories import ProgramFactory, UserFactory, program_manager

KIND = "test.ledger"


@pytest.fixture(autouse=True)
def ledger_kind():
    emails.register(KIND)(lambda notification: EmailContent(subject="Hello", body="A reminder"))


class Outage(LocmemBackend):
    """An SMTP server that is down while `down` is set (connection refused), then delivers to the outbox."""

    down = False

    def send_messages(self, messages):
        if Outage.down:
            raise ConnectionRefusedError(111, "Connection refused")
        return super().send_messages(messages)


@pytest.fixture
def outage(settings):
    settings.EMAIL_BACKEND = "tests.incubator.test_ledger.Outage"
    Outage.down = True
    yield Outage
    Outage.down = False


def claim(user, program=None) -> int:
    [pk] = notifications.notifications_claim(
        claims=[Claim(KIND, 1, user.pk, program_id=program.pk if program else None)]
    )
    return pk


def test_the_row_is_committed_as_sending_before_the_email_leaves(user, settings):
    """What the mail server sees is already recorded as an attempt under way (so a crash after it is known)."""
    seen = []

    class Watching(LocmemBackend):
        def send_messages(self, messages):
            seen.append(Notification.objects.values_list("status", "attempts").get())
            return super().send_messages(messages)

    settings.EMAIL_BACKEND = f"{__name__}.Watching"
    globals()["Watching"] = Watching
    pk = claim(user)
    assert delivery.notification_send(notification_id=pk) is True
    assert seen == [(Notification.Status.SENDING, 1)]
    assert Notification.objects.get(pk=pk).status == Notification.Status.SENT


def test_a_crash_between_send_and_commit_is_retried_once_after_the_timeout_with_the_same_message_id(user, monkeypatch):
    pk = claim(user)

    def worker_dies(notification):
        raise SystemExit("worker killed")  # not an Exception: nothing in the send path catches it

    with monkeypatch.context() as patch:
        patch.setattr(delivery, "_mark_sent", worker_dies)
        with pytest.raises(SystemExit):
            delivery.notification_send(notification_id=pk)
    assert len(mail.outbox) == 1  # the email left ...
    row = Notification.objects.get(pk=pk)
    assert row.status == Notification.Status.SENDING  # ... and the row still says so

    # Within the timeout a sweep leaves it alone: the send might still be under way.
    assert delivery.notifications_retry_pending() == 0
    timeout = timedelta(seconds=settings.NOTIFICATION_SENDING_TIMEOUT)
    with time_machine.travel(row.last_attempt_at + timeout - timedelta(seconds=1)):
        assert delivery.notifications_retry_pending() == 0
    with time_machine.travel(row.last_attempt_at + timeout + timedelta(seconds=1)):
        assert delivery.notifications_retry_pending() == 1
        assert delivery.notifications_retry_pending() == 0
    assert len(mail.outbox) == 2
    ids = {message.extra_headers["Message-ID"] for message in mail.outbox}
    assert ids == {delivery.message_id(row)}  # one Message-ID: the receiving side drops the duplicate
    row.refresh_from_db()
    assert (row.status, row.attempts) == (Notification.Status.SENT, 2)


def test_message_ids_differ_between_rows(user):
    other = UserFactory()
    first, second = claim(user), claim(other)
    rows = Notification.objects.in_bulk([first, second])
    assert delivery.message_id(rows[first]) != delivery.message_id(rows[second])


def test_an_smtp_outage_of_an_hour_is_delivered_when_the_server_is_back(user, outage):
    """Beat sweeps every 5 minutes; attempts back off from the last one, so an hour's outage loses nothing."""
    start = timezone.now()
    pk = claim(user)
    with time_machine.travel(start, tick=False):
        assert delivery.notification_send(notification_id=pk) is False  # the on-commit send fails
    minute = 0
    while minute <= 60:
        with time_machine.travel(start + timedelta(minutes=minute), tick=False):
            delivery.notifications_retry_pending()
        minute += 5
    row = Notification.objects.get(pk=pk)
    assert row.status == Notification.Status.PENDING and "Connection refused" in row.last_error
    assert row.attempts < delivery.MAX_ATTEMPTS
    # Backed off from the last attempt, not from the row's creation.
    assert row.next_attempt_at == row.last_attempt_at + delivery.backoff(row.attempts)
    assert mail.outbox == []

    outage.down = False
    while Notification.objects.get(pk=pk).status != Notification.Status.SENT:
        minute += 5
        assert minute < 60 * 4, "not delivered within three hours of the server coming back"
        with time_machine.travel(start + timedelta(minutes=minute), tick=False):
            delivery.notifications_retry_pending()
    assert len(mail.outbox) == 1


def test_backoff_doubles_up_to_six_hours():
    assert [delivery.backoff(n) for n in (1, 2, 3)] == [timedelta(minutes=m) for m in (1, 2, 4)]
    assert delivery.backoff(30) == timedelta(hours=6)


@pytest.fixture
def silent_smtp_server():
    """A mail server that accepts connections and never says a word."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    accepted = []
    stop = threading.Event()

    def accept():
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                accepted.append(server.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield server.getsockname()[1]
    stop.set()
    thread.join()
    for connection in accepted:
        connection.close()
    server.close()


def test_a_hung_smtp_server_fails_the_attempt_at_the_timeout_and_the_row_is_retried(user, settings, silent_smtp_server):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", silent_smtp_server
    settings.EMAIL_TIMEOUT = 1  # production: 30 seconds (settings.py); the time limits of the task come after it
    pk = claim(user)
    assert tasks.notification_deliver.delay(pk).get() is False
    row = Notification.objects.get(pk=pk)
    assert row.status == Notification.Status.PENDING and row.attempts == 1
    assert "timed out" in row.last_error.lower() or "timeout" in row.last_error.lower()

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with time_machine.travel(row.next_attempt_at + timedelta(seconds=1)):
        assert tasks.notifications_retry_pending.delay().get() == 1
    assert Notification.objects.get(pk=pk).status == Notification.Status.SENT
    assert len(mail.outbox) == 1


def test_a_send_stopped_by_the_tasks_soft_time_limit_is_recorded_and_retried(user, settings):
    class Hanging(LocmemBackend):
        def send_messages(self, messages):
            raise SoftTimeLimitExceeded()  # what Celery raises in the task at CELERY_TASK_SOFT_TIME_LIMIT

    globals()["Hanging"] = Hanging
    settings.EMAIL_BACKEND = f"{__name__}.Hanging"
    pk = claim(user)
    assert tasks.notification_deliver.delay(pk).get() is False
    row = Notification.objects.get(pk=pk)
    assert row.status == Notification.Status.PENDING and "SoftTimeLimitExceeded" in row.last_error
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with time_machine.travel(row.next_attempt_at + timedelta(seconds=1)):
        delivery.notifications_retry_pending()
    assert Notification.objects.get(pk=pk).status == Notification.Status.SENT


def test_time_limits_are_set_and_a_sending_row_outlives_any_send():
    assert settings.EMAIL_TIMEOUT and settings.EMAIL_TIMEOUT < settings.CELERY_TASK_SOFT_TIME_LIMIT
    assert settings.CELERY_TASK_SOFT_TIME_LIMIT < settings.CELERY_TASK_TIME_LIMIT
    assert settings.CELERY_TASK_TIME_LIMIT < settings.NOTIFICATION_SENDING_TIMEOUT


# --- failed rows, for the managers of their program -------------------------------------------------------------


def fail_for_good(pk: int, outage) -> Notification:
    now = timezone.now()
    for _ in range(delivery.MAX_ATTEMPTS):
        with time_machine.travel(now, tick=False):
            delivery.notification_send(notification_id=pk)
        now = Notification.objects.get(pk=pk).next_attempt_at or now
    return Notification.objects.get(pk=pk)


def test_a_manager_sees_their_programs_failed_rows_and_sends_them_again(
    client, user, outage, django_capture_on_commit_callbacks
):
    program, other_program = ProgramFactory(), ProgramFactory()
    manager = program_manager(program, roles=["Program manager"])
    other_manager = program_manager(other_program, roles=["Program manager"])
    ours = fail_for_good(claim(user, program), outage)
    theirs = fail_for_good(claim(UserFactory(), other_program), outage)
    assert ours.status == theirs.status == Notification.Status.FAILED

    client.force_login(manager)
    listing = client.get(reverse("admin:incubator_notification_changelist"), {"status": "failed"})
    assert listing.status_code == 200
    page = listing.content.decode()
    assert f'value="{ours.pk}"' in page and f'value="{theirs.pk}"' not in page
    assert client.get(reverse("admin:incubator_notification_change", args=[theirs.pk])).status_code in (302, 403, 404)

    outage.down = False
    # A forged selection of the other program's row is ignored: the action runs on this manager's rows only.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:incubator_notification_changelist"),
            {"action": "send_again", "_selected_action": [ours.pk, theirs.pk]},
        )
    assert response.status_code == 302
    assert Notification.objects.get(pk=ours.pk).status == Notification.Status.SENT
    assert Notification.objects.get(pk=theirs.pk).status == Notification.Status.FAILED
    assert actions(action="notification.resend", actor=manager, object_id=ours.pk)
    assert len(mail.outbox) == 1

    client.force_login(other_manager)
    page = client.get(reverse("admin:incubator_notification_changelist")).content.decode()
    assert f'value="{ours.pk}"' not in page and f'value="{theirs.pk}"' in page
