"""Email notifications through the ledger table `Notification`: claimed exactly once, delivered at least once
(`incubator.delivery`).

Claiming is exactly once. A sweep *claims* a (kind, object, recipient, threshold) key with INSERT ... ON CONFLICT
DO NOTHING and hands on only the rows it inserted: two sweeps at once, or a sweep run again after a crash, never
claim a key twice.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone

from incubator.audit import audit_record
from incubator.models import Notification
from incubator.tasks import notification_deliver


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
    for notification_id in notification_ids:
        transaction.on_commit(lambda pk=notification_id: notification_deliver.delay(pk))


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
