"""How the booking reminder is written; registered with the ledger when the app is ready."""

from zoneinfo import ZoneInfo

from django.urls import reverse

from incubator.notifications import register, render_email
from workspaces.models import Booking
from workspaces.services import REMINDER


@register(REMINDER)
def render_reminder(notification):
    booking = Booking.objects.select_related("resource__space").filter(pk=notification.object_id).first()
    if booking is None or booking.status != Booking.Status.ACTIVE:
        return None
    space = booking.resource.space
    zone = ZoneInfo(space.time_zone)
    return render_email(
        "workspaces/booking_reminder",
        {
            "booking": booking,
            "resource": booking.resource,
            "space": space,
            "starts": booking.period.lower.astimezone(zone),
            "ends": booking.period.upper.astimezone(zone),
            "zone": space.time_zone,
            "bookings_path": reverse("workspaces:bookings"),
            "check_in_path": reverse("workspaces:resource_check_in", args=[booking.resource_id]),
        },
    )
