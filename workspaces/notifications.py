"""The booking reminder: who is due one (claimed in the exactly-once ledger) and how it is written, registered
with the ledger when the app is ready."""

import datetime
from zoneinfo import ZoneInfo

from django.db import transaction
from django.db.models import BigIntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from cohorts.models import Membership
from incubator.emails import register, render_email
from incubator.language import absolute_url
from incubator.notifications import Claim, notifications_claim, notifications_enqueue
from incubator.zoned import is_today
from workspaces.models import Booking

REMINDER = "workspaces.booking_reminder"


def reminders_sweep() -> int:
    """Claim a reminder for every active booking starting within a day; the ledger sends each exactly once."""
    now = timezone.now()
    due = Booking.objects.filter(
        status=Booking.Status.ACTIVE,
        period__startswith__gt=now,
        period__startswith__lte=now + datetime.timedelta(days=1),
    ).annotate(
        # The program the booking is made under, so that program's managers see the reminder in the ledger: the
        # subsidy plan's, or else the booker's own program among those using the space.
        program_id=Coalesce(
            "plan__cohort__program_id",
            Subquery(
                Membership.objects.filter(
                    person=OuterRef("person"),
                    status=Membership.Status.ACTIVE,
                    cohort__program__spaces=OuterRef("resource__space"),
                )
                .order_by("-cohort__starts_on")
                .values("cohort__program_id")[:1]
            ),
            output_field=BigIntegerField(),
        )
    )
    claims = [
        Claim(REMINDER, pk, person_id, "1d", program_id=program_id)
        for pk, person_id, program_id in due.values_list("pk", "person_id", "program_id")
    ]
    with transaction.atomic():
        claimed = notifications_claim(claims=claims)
        notifications_enqueue(notification_ids=claimed)
    return len(claimed)


@register(REMINDER)
def render_reminder(notification):
    booking = Booking.objects.select_related("resource__space").filter(pk=notification.object_id).first()
    if booking is None or booking.status != Booking.Status.ACTIVE:
        return None
    space = booking.resource.space
    zone = ZoneInfo(space.time_zone)
    language = notification.recipient.preferred_language
    return render_email(
        "workspaces/booking_reminder",
        {
            "booking": booking,
            "resource": booking.resource,
            "space": space,
            "starts": booking.period.lower.astimezone(zone),
            # A booking made within the day is reminded the same day: "today", not "tomorrow".
            "today": is_today(booking.period.lower, zone),
            "ends": booking.period.upper.astimezone(zone),
            "zone": space.time_zone,
            "bookings_url": absolute_url("workspaces:bookings", language),
            "check_in_url": absolute_url("workspaces:resource_check_in", language, args=[booking.resource_id]),
        },
    )
