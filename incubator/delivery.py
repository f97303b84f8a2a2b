"""Sending the rows the ledger claimed (`incubator.notifications`), by the workers (`incubator.tasks`).

Delivery is at least once, with duplicates suppressed downstream. An SMTP server cannot take part in our
transaction, so no code can make "the email left" and "the row says sent" one event. Sending therefore goes:
1. in a short transaction, the row is locked and marked `sending` (attempt counted, time noted), and committed;
2. the email leaves, outside any transaction (a hung mail server holds no lock), under `EMAIL_TIMEOUT` and the
   task's time limits, with a `Message-ID` derived from the row alone, the same on every attempt;
3. the row is marked `sent`.
A failure in 2 puts the row back to `pending` with `next_attempt_at` backing off from this attempt (not from the
row's creation), until `MAX_ATTEMPTS`, then `failed`, where a manager can send it again. A worker that dies between
1 and 3 leaves the row `sending`; after `NOTIFICATION_SENDING_TIMEOUT` (longer than any send may last) the retry
sweep sends it again, with the same Message-ID, so a receiving server or mail client can drop the duplicate.
"""

import logging
from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation

from incubator.emails import renderers
from incubator.models import Notification

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 12
# A claimed row no worker picked up (the broker lost the task) is sent by the sweep after this long.
RETRY_AFTER = timedelta(minutes=10)
FIRST_BACKOFF = timedelta(minutes=1)
MAX_BACKOFF = timedelta(hours=6)


def sending_timeout() -> timedelta:
    """How long a row may stay `sending` before it is taken for dead and sent again."""
    return timedelta(seconds=settings.NOTIFICATION_SENDING_TIMEOUT)


def backoff(attempts: int, first: timedelta = FIRST_BACKOFF, cap: timedelta = MAX_BACKOFF) -> timedelta:
    """1, 2, 4, 8 ... minutes after the last attempt, at most 6 hours: 12 attempts span about a day (emails; the
    webhooks pass their own first wait and cap)."""
    return min(first * 2 ** max(attempts - 1, 0), cap)


def message_id(notification: Notification) -> str:
    """The same on every attempt at this row, different for every row (and every database the row could be in)."""
    domain = urlsplit(settings.SITE_URL).hostname or "localhost"
    return f"<notification.{notification.pk}.{int(notification.created_at.timestamp())}@{domain}>"


def _due_q(now) -> Q:
    return (
        Q(status=Notification.Status.PENDING, next_attempt_at__lte=now)
        | Q(status=Notification.Status.PENDING, next_attempt_at__isnull=True)
        | Q(status=Notification.Status.SENDING, last_attempt_at__lt=now - sending_timeout())
    )


def _take(notification_id: int, now) -> Notification | None:
    """Step 1: mark the row `sending` and commit, so that a crash after the send is seen as one."""
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("recipient")
            .filter(_due_q(now), pk=notification_id)
            .first()
        )
        if notification is None:
            return None
        notification.status = Notification.Status.SENDING
        notification.attempts += 1
        notification.last_attempt_at = now
        notification.next_attempt_at = None
        notification.save(update_fields=["status", "attempts", "last_attempt_at", "next_attempt_at"])
    return notification


def _mark_sent(notification: Notification) -> None:
    """Step 3: the email left (or there is nothing left to say): settled for good."""
    Notification.objects.filter(pk=notification.pk, status=Notification.Status.SENDING).update(
        status=Notification.Status.SENT, sent_at=timezone.now(), last_error=""
    )


def _mark_failed(notification: Notification, error: BaseException) -> None:
    gave_up = notification.attempts >= MAX_ATTEMPTS
    Notification.objects.filter(pk=notification.pk, status=Notification.Status.SENDING).update(
        status=Notification.Status.FAILED if gave_up else Notification.Status.PENDING,
        last_error=f"{type(error).__name__}: {error}"[:2000],
        next_attempt_at=None if gave_up else notification.last_attempt_at + backoff(notification.attempts),
    )


def notification_message(notification: Notification) -> EmailMultiAlternatives | None:
    """The email of one ledger row, written in its recipient's language and time zone; None if no longer due."""
    recipient = notification.recipient
    with translation.override(recipient.preferred_language), timezone.override(recipient.time_zone):
        content = renderers()[notification.kind](notification)
    if content is None:
        return None
    headers = {**dict(content.headers), "Message-ID": message_id(notification)}
    message = EmailMultiAlternatives(content.subject, content.body, to=[recipient.email], headers=headers)
    if content.html:
        message.attach_alternative(content.html, "text/html")
    for attachment in content.attachments:
        message.attach(*attachment)
    return message


def notification_send(*, notification_id: int) -> bool:
    """Send one due notification; True when this call settled it (sent, or found nothing left to say)."""
    notification = _take(notification_id, timezone.now())
    if notification is None:
        return False
    try:
        message = notification_message(notification)
        if message is not None:
            message.send()
    except Exception as error:  # noqa: BLE001 - any failure (a time limit included) is recorded and retried
        logger.exception("notification %s failed (attempt %s)", notification_id, notification.attempts)
        _mark_failed(notification, error)
        return False
    _mark_sent(notification)
    return True


def notifications_due(now=None, limit: int = 500) -> list[int]:
    """Rows to send again: failed attempts whose back-off is over, rows claimed but never taken by a worker, and
    rows left `sending` by a worker that died."""
    now = now or timezone.now()
    due = (
        Q(status=Notification.Status.PENDING, next_attempt_at__lte=now)
        | Q(status=Notification.Status.PENDING, next_attempt_at__isnull=True, created_at__lt=now - RETRY_AFTER)
        | Q(status=Notification.Status.SENDING, last_attempt_at__lt=now - sending_timeout())
    )
    return list(Notification.objects.filter(due).order_by("pk").values_list("pk", flat=True)[:limit])


def notifications_retry_pending() -> int:
    """Send the due rows here and now; returns how many were settled."""
    return sum(notification_send(notification_id=pk) for pk in notifications_due())
