"""A real Celery worker, consuming from the real (embedded) Redis, delivers a ledger notification."""

import time

import pytest
from celery.contrib.testing.worker import start_worker
from django.core import mail

from incubator import emails, notifications
from incubator.celery import app
from incubator.emails import EmailContent
from incubator.models import Notification
from incubator.notifications import Claim
from incubator.tasks import notification_deliver
from tests.factories import UserFactory


@pytest.fixture
def real_worker(transactional_db):
    app.conf.task_always_eager = False
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
            yield
    finally:
        app.conf.task_always_eager = True


@emails.register("test.worker")
def _render(notification):
    return EmailContent(subject="From the worker", body="Sent by a real worker.")


@pytest.mark.celery_worker
def test_worker_delivers_a_claimed_notification(real_worker):
    user = UserFactory()
    [pk] = notifications.notifications_claim(claims=[Claim("test.worker", 1, user.pk)])
    notification_deliver.delay(pk)
    for _ in range(200):
        if Notification.objects.get(pk=pk).status == Notification.Status.SENT:
            break
        time.sleep(0.05)
    assert Notification.objects.get(pk=pk).status == Notification.Status.SENT
    assert [message.subject for message in mail.outbox] == ["From the worker"]
