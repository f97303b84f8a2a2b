from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from incubator import delivery, emails, notifications
from incubator.emails import EmailContent
from incubator.models import Notification
from incubator.notifications import Claim


@pytest.fixture
def greeting_kind():
    calls = {"fail": False}

    @emails.register("test.greeting")
    def render(notification):
        if calls["fail"]:
            raise ConnectionError("mail server down")
        return EmailContent(subject="Hello", body=f"Hello {notification.recipient.name}")

    return calls


def test_a_key_is_claimed_once(user, greeting_kind):
    claim = Claim(kind="test.greeting", object_id=7, recipient_id=user.pk, threshold="1d")
    assert len(notifications.notifications_claim(claims=[claim])) == 1
    assert notifications.notifications_claim(claims=[claim]) == []
    assert Notification.objects.count() == 1


def test_send_delivers_once(user, greeting_kind, mailoutbox):
    [pk] = notifications.notifications_claim(claims=[Claim("test.greeting", 1, user.pk)])
    assert delivery.notification_send(notification_id=pk) is True
    assert delivery.notification_send(notification_id=pk) is False
    assert len(mailoutbox) == 1
    assert Notification.objects.get(pk=pk).status == Notification.Status.SENT


def test_failed_send_is_retried_not_duplicated(user, greeting_kind, mailoutbox):
    [pk] = notifications.notifications_claim(claims=[Claim("test.greeting", 1, user.pk)])
    greeting_kind["fail"] = True
    assert delivery.notification_send(notification_id=pk) is False
    failed = Notification.objects.get(pk=pk)
    assert (failed.status, failed.attempts) == (Notification.Status.PENDING, 1)
    assert "mail server down" in failed.last_error

    greeting_kind["fail"] = False
    with time_machine.travel(timezone.now() + timedelta(minutes=11)):
        assert delivery.notifications_retry_pending() == 1
        assert delivery.notifications_retry_pending() == 0
    assert len(mailoutbox) == 1


def test_gives_up_after_max_attempts(user, greeting_kind):
    [pk] = notifications.notifications_claim(claims=[Claim("test.greeting", 1, user.pk)])
    greeting_kind["fail"] = True
    now = timezone.now()
    for _ in range(delivery.MAX_ATTEMPTS):
        with time_machine.travel(now, tick=False):
            assert delivery.notification_send(notification_id=pk) is False
        now = Notification.objects.get(pk=pk).next_attempt_at or now
    assert Notification.objects.get(pk=pk).status == Notification.Status.FAILED
