"""Session reminders (24 hours and 1 hour before) and the reminder to log a session, swept by beat and claimed in
the exactly-once ledger."""

import datetime

from django.db import transaction
from django.utils import timezone

from incubator.notifications import Claim, notifications_claim, notifications_enqueue
from mentoring.models import Session

REMINDER = "mentoring.session_reminder"
LOG_REMINDER = "mentoring.log_reminder"
REMINDER_THRESHOLDS = [("24h", datetime.timedelta(hours=24)), ("1h", datetime.timedelta(hours=1))]
LOG_AFTER = datetime.timedelta(days=2)
# Older unlogged sessions are the managers' business (dashboard), not a new email.
LOG_REMINDER_WINDOW = datetime.timedelta(days=30)


def reminder_threshold(name: str, starts_at: datetime.datetime) -> str:
    """The start instant is part of the key, so a moved session is reminded again for its new time."""
    return f"{name}:{int(starts_at.timestamp())}"


def reminders_sweep(*, now: datetime.datetime | None = None) -> int:
    """Claim the session reminders now due and hand them to the workers. Safe to run twice at once: the
    ledger's unique key lets each (session, person, threshold) be claimed once, and only this sweep's own
    claims are enqueued."""
    now = now or timezone.now()
    claims = []
    upcoming = Session.objects.filter(
        status=Session.Status.SCHEDULED, starts_at__gt=now, starts_at__lte=now + REMINDER_THRESHOLDS[0][1]
    ).prefetch_related("facilitators", "attendances")
    for session in upcoming:
        # Only the nearest threshold: a session booked 30 minutes ahead gets one reminder, not two.
        name = next(name for name, before in reversed(REMINDER_THRESHOLDS) if session.starts_at - now <= before)
        threshold = reminder_threshold(name, session.starts_at)
        people = {person.pk for person in session.facilitators.all()} | {a.person_id for a in session.attendances.all()}
        claims += [
            Claim(REMINDER, session.pk, person_id, threshold, program_id=session.program_id)
            for person_id in sorted(people)
        ]
    unlogged = Session.objects.filter(
        status=Session.Status.SCHEDULED, ends_at__lte=now - LOG_AFTER, ends_at__gt=now - LOG_REMINDER_WINDOW
    ).prefetch_related("facilitators")
    for session in unlogged:
        claims += [
            Claim(LOG_REMINDER, session.pk, person.pk, program_id=session.program_id)
            for person in session.facilitators.all()
        ]
    with transaction.atomic():
        claimed = notifications_claim(claims=claims)
        notifications_enqueue(notification_ids=claimed)
    return len(claimed)
