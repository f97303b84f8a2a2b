"""Check-in reminders: on the 1st and on the 5th of a month, in each program's time zone, every team member of a
venture whose previous month is neither submitted nor skipped gets an email, exactly once a threshold.

The sweep runs every hour. A threshold is reached at 08:00 local time on its day and stays due until the month's
check-in is due (the 10th): a sweep that missed the 1st sends the 1st's reminder later, and one that first runs on
the 6th sends only the 5th's. The ledger key is (kind, venture, member, "YYYY-MM:day"), so two sweeps at once, or a
sweep run again, claim each reminder once; the email is written when it is sent and is dropped if the month was
answered by then."""

import datetime
from zoneinfo import ZoneInfo

from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from cohorts.checkins import DUE_DAY, next_month, window_closes
from cohorts.models import CheckIn, Membership, Program, VentureMember
from incubator.emails import register, render_email
from incubator.language import absolute_url
from incubator.notifications import Claim, notifications_claim, notifications_enqueue
from incubator.when import format_day, format_when

REMINDER_KIND = "cohorts.checkin_reminder"
REMINDER_DAYS = (1, 5)
SEND_HOUR = 8
ANSWERED = [CheckIn.Status.SUBMITTED, CheckIn.Status.SKIPPED]


def reminder_due(program: Program, now: datetime.datetime) -> tuple[datetime.date, int] | None:
    """(the month reminded about, the day of the latest threshold reached), or None outside the 1st–10th."""
    local = timezone.localtime(now, ZoneInfo(str(program.time_zone)))
    reached = [day for day in REMINDER_DAYS if (local.day, local.hour) >= (day, SEND_HOUR)]
    if not reached or local.day > DUE_DAY:
        return None
    month = (local.date().replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
    return month, reached[-1]


def threshold_of(month: datetime.date, day: int) -> str:
    return f"{month:%Y-%m}:{day}"


def month_of(threshold: str) -> datetime.date:
    return datetime.date.fromisoformat(f"{threshold[:7]}-01")


def members_to_remind(program: Program, month: datetime.date):
    """Team members with an account and an active membership, of the program's ventures whose cohort ran in
    `month` and whose check-in for it is not answered."""
    running = (Q(venture__cohort__starts_on__isnull=True) | Q(venture__cohort__starts_on__lt=next_month(month))) & (
        Q(venture__cohort__ends_on__isnull=True) | Q(venture__cohort__ends_on__gte=month)
    )
    active = Membership.objects.filter(
        cohort=OuterRef("venture__cohort"), person=OuterRef("user"), status=Membership.Status.ACTIVE
    )
    answered = CheckIn.objects.filter(venture=OuterRef("venture"), month=month, status__in=ANSWERED)
    return (
        VentureMember.objects.filter(running, venture__cohort__program=program, user__is_active=True)
        .filter(Exists(active))
        .exclude(Exists(answered))
        .order_by("venture_id", "user_id")
    )


def checkin_reminders_sweep(*, now: datetime.datetime | None = None) -> int:
    """Claim the reminders due now; enqueue only the ones this sweep claimed."""
    now = now or timezone.now()
    claims = []
    for program in Program.objects.filter(metric_set__isnull=False).order_by("pk"):
        due = reminder_due(program, now)
        if due is None:
            continue
        month, day = due
        claims += [
            Claim(REMINDER_KIND, member.venture_id, member.user_id, threshold_of(month, day), program.pk)
            for member in members_to_remind(program, month)
        ]
    with transaction.atomic():
        claimed = notifications_claim(claims=claims)
        notifications_enqueue(notification_ids=claimed)
    return len(claimed)


@register(REMINDER_KIND)
def render_checkin_reminder(notification):
    month = month_of(notification.threshold)
    member = (
        VentureMember.objects.select_related("venture__cohort__program")
        .filter(venture_id=notification.object_id, user=notification.recipient)
        .first()
    )
    if member is None or CheckIn.objects.filter(venture=member.venture, month=month, status__in=ANSWERED).exists():
        return None  # left the team, or the month was answered since the sweep
    venture, language = member.venture, notification.recipient.preferred_language
    program = venture.cohort.program
    due = window_closes(month, program.time_zone) - datetime.timedelta(minutes=1)
    return render_email(
        "cohorts/checkin_reminder",
        {
            "venture": venture,
            "program": program,
            "month": format_day(month, "month", language),
            "due": format_when(due, program, language),
            "url": absolute_url(
                "cohorts:checkin", language, args=[venture.cohort.slug, venture.pk, month.year, month.month]
            ),
        },
    )
