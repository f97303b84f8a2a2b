"""The interview reminders, each claimed once in the ledger: applicants invited three days ago who have not
booked yet, and booked ones a day before their interview (again after a reschedule: a new time, a new reminder)."""

import datetime

from django.db import transaction
from django.utils import timezone

from applications.interviews.models import Interview
from incubator.notifications import Claim, notifications_claim, notifications_enqueue

UNBOOKED_KIND = "interviews.unbooked_reminder"
BOOKED_REMINDER_KIND = "interviews.booked_reminder"
UNBOOKED_AFTER = datetime.timedelta(days=3)
BOOKED_BEFORE = datetime.timedelta(hours=24)


def booked_threshold(starts_at: datetime.datetime) -> str:
    """The booked reminder's ledger key names the time it reminds of."""
    return "24h-" + starts_at.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M")


def interview_reminders_sweep(*, now: datetime.datetime | None = None) -> int:
    """Claim the reminders now due; enqueue only our claims. Two queries and the claim."""
    now = now or timezone.now()
    claims = []
    unbooked = Interview.objects.filter(
        status=Interview.Status.INVITED,
        invited_at__lte=now - UNBOOKED_AFTER,
        plan__call__decisions_published_at__isnull=True,
    ).values_list("pk", "application__applicant_id", "plan__call__cohort__program_id")
    for pk, applicant_id, program_id in unbooked:
        claims.append(Claim(UNBOOKED_KIND, pk, applicant_id, "3d", program_id))
    booked = Interview.objects.filter(
        status=Interview.Status.BOOKED, period__startswith__gt=now, period__startswith__lte=now + BOOKED_BEFORE
    ).values_list("pk", "application__applicant_id", "plan__call__cohort__program_id", "period")
    for pk, applicant_id, program_id, period in booked:
        claims.append(Claim(BOOKED_REMINDER_KIND, pk, applicant_id, booked_threshold(period.lower), program_id))
    with transaction.atomic():
        claimed = notifications_claim(claims=claims)
        notifications_enqueue(notification_ids=claimed)
    return len(claimed)
