"""Email notifications through the ledger table `Notification`: claimed exactly once, delivered at least once.

Claiming is exactly once. A sweep *claims* a (kind, object, recipient, threshold) key with INSERT ... ON CONFLICT
DO NOTHING and hands on only the rows it inserted: two sweeps at once, or a sweep run again after a crash, never
claim a key twice.

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
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import connection, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation

from incubator.audit import audit_record
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


def backoff(attempts: int) -> timedelta:
    """1, 2, 4, 8 ... minutes after the last attempt, at most 6 hours: 12 attempts span about a day."""
    return min(FIRST_BACKOFF * 2 ** max(attempts - 1, 0), MAX_BACKOFF)


@dataclass(frozen=True)
class EmailContent:
    subject: str
    body: str
    html: str | None = None
    # (filename, content, mimetype) triples, e.g. a calendar invitation.
    attachments: tuple[tuple[str, str | bytes, str], ...] = ()
    # Extra (name, value) headers, e.g. List-Unsubscribe; the Message-ID is the ledger's.
    headers: tuple[tuple[str, str], ...] = ()


Renderer = Callable[[Notification], EmailContent | None]
_renderers: dict[str, Renderer] = {}


def renderers() -> dict[str, Renderer]:
    """Every registered kind and its renderer (the email tests write one of each)."""
    return dict(_renderers)


def register(kind: str) -> Callable[[Renderer], Renderer]:
    """Declare how a kind of notification is written. Returning None means "no longer due"."""

    def decorator(renderer: Renderer) -> Renderer:
        _renderers[kind] = renderer
        return renderer

    return decorator


def render_email(template: str, context: dict) -> EmailContent:
    """Render `emails/<template>_subject.txt`, the plain text `emails/<template>.txt` and its HTML alternative
    `emails/<template>.html` (which extends `emails/base.html`, its heading the subject) in the active language."""
    subject = " ".join(render_to_string(f"emails/{template}_subject.txt", context).split())
    return EmailContent(
        subject=subject,
        body=render_to_string(f"emails/{template}.txt", context),
        html=render_to_string(f"emails/{template}.html", {**context, "subject": subject}),
    )


@dataclass(frozen=True)
class Claim:
    kind: str
    object_id: int
    recipient_id: int
    threshold: str = ""
    # The program the email is about: its managers see the row in the admin and can send it again.
    program_id: int | None = None


def notifications_claim(*, claims: Iterable[Claim]) -> list[int]:
    """Insert ledger rows for the claims not yet taken; return the ids of the rows this call inserted."""
    claims = list(claims)
    if not claims:
        return []
    now = timezone.now()
    values_sql = ", ".join(["(%s, %s, %s, %s, 'pending', 0, '', %s, %s)"] * len(claims))
    params = []
    for claim in claims:
        params += [claim.kind, claim.object_id, claim.recipient_id, claim.threshold, now, claim.program_id]
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO {Notification._meta.db_table}
                (kind, object_id, recipient_id, threshold, status, attempts, last_error, created_at, program_id)
            VALUES {values_sql}
            ON CONFLICT (kind, object_id, recipient_id, threshold) DO NOTHING
            RETURNING id
            """,
            params,
        )
        return [row[0] for row in cursor.fetchall()]


def notifications_enqueue(*, notification_ids: list[int]) -> None:
    """Hand claimed rows to Celery once the claiming transaction has committed."""
    from incubator.tasks import notification_deliver

    for notification_id in notification_ids:
        transaction.on_commit(lambda pk=notification_id: notification_deliver.delay(pk))


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
        content = _renderers[notification.kind](notification)
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


def notification_resend(*, notification: Notification, by) -> bool:
    """A manager sends a failed row again: a fresh round of attempts, audited. False if it is not failed."""
    with transaction.atomic():
        locked = (
            Notification.objects.select_for_update()
            .filter(pk=notification.pk, status=Notification.Status.FAILED)
            .first()
        )
        if locked is None:
            return False
        before = {"status": locked.status, "attempts": locked.attempts, "last_error": locked.last_error}
        locked.status = Notification.Status.PENDING
        locked.attempts = 0
        locked.next_attempt_at = None
        locked.save(update_fields=["status", "attempts", "next_attempt_at"])
        audit_record(actor=by, action="notification.resend", obj=locked, before=before, after={"status": "pending"})
        notifications_enqueue(notification_ids=[locked.pk])
    return True
