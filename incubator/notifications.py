"""Exactly-once email notifications through the ledger table `Notification`.

A sweep *claims* a (kind, object, recipient, threshold) key with INSERT ... ON CONFLICT DO NOTHING
and sends only the rows it inserted. Sending locks the row (SKIP LOCKED), so two workers never send
the same row, and marks it sent in the same transaction. A worker killed before that commit leaves
the row pending, and `notifications_retry_pending` sends it later: the key is never claimed twice.
"""

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import connection, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from incubator.models import Notification

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
RETRY_AFTER = timedelta(minutes=10)


@dataclass(frozen=True)
class EmailContent:
    subject: str
    body: str
    html: str | None = None
    # (filename, content, mimetype) triples, e.g. a calendar invitation.
    attachments: tuple[tuple[str, str | bytes, str], ...] = ()


Renderer = Callable[[Notification], EmailContent | None]
_renderers: dict[str, Renderer] = {}


def register(kind: str) -> Callable[[Renderer], Renderer]:
    """Declare how a kind of notification is written. Returning None means "no longer due"."""

    def decorator(renderer: Renderer) -> Renderer:
        _renderers[kind] = renderer
        return renderer

    return decorator


def render_email(template: str, context: dict) -> EmailContent:
    """Render `emails/<template>_subject.txt` and `emails/<template>.txt` in the active language."""
    context = {"site_url": settings.SITE_URL, **context}
    subject = " ".join(render_to_string(f"emails/{template}_subject.txt", context).split())
    return EmailContent(subject=subject, body=render_to_string(f"emails/{template}.txt", context))


@dataclass(frozen=True)
class Claim:
    kind: str
    object_id: int
    recipient_id: int
    threshold: str = ""


def notifications_claim(*, claims: Iterable[Claim]) -> list[int]:
    """Insert ledger rows for the claims not yet taken; return the ids of the rows this call inserted."""
    claims = list(claims)
    if not claims:
        return []
    now = timezone.now()
    values_sql = ", ".join(["(%s, %s, %s, %s, 'pending', 0, '', %s)"] * len(claims))
    params = []
    for claim in claims:
        params += [claim.kind, claim.object_id, claim.recipient_id, claim.threshold, now]
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO {Notification._meta.db_table}
                (kind, object_id, recipient_id, threshold, status, attempts, last_error, created_at)
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


def notification_send(*, notification_id: int) -> bool:
    """Send one pending notification; True when this call sent it."""
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("recipient")
            .filter(pk=notification_id, status=Notification.Status.PENDING)
            .first()
        )
        if notification is None:
            return False
        recipient = notification.recipient
        try:
            with translation.override(recipient.preferred_language), timezone.override(recipient.time_zone):
                content = _renderers[notification.kind](notification)
            if content is not None:
                message = EmailMultiAlternatives(content.subject, content.body, to=[recipient.email])
                if content.html:
                    message.attach_alternative(content.html, "text/html")
                for attachment in content.attachments:
                    message.attach(*attachment)
                message.send()
        except Exception as error:  # noqa: BLE001 - any failure is recorded and retried, never lost
            logger.exception("notification %s failed", notification_id)
            notification.attempts += 1
            notification.last_error = f"{type(error).__name__}: {error}"[:2000]
            if notification.attempts >= MAX_ATTEMPTS:
                notification.status = Notification.Status.FAILED
            notification.save(update_fields=["attempts", "last_error", "status"])
            return False
        notification.status = Notification.Status.SENT
        notification.sent_at = timezone.now()
        notification.attempts += 1
        notification.save(update_fields=["status", "sent_at", "attempts"])
        return True


def notifications_retry_pending() -> int:
    """Send rows left pending by a failed send or a worker that died; returns how many were sent."""
    stale = Notification.objects.filter(
        status=Notification.Status.PENDING, created_at__lt=timezone.now() - RETRY_AFTER
    ).values_list("pk", flat=True)
    return sum(notification_send(notification_id=pk) for pk in stale[:500])
