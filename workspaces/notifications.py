"""How the booking reminder is written; registered with the ledger when the app is ready."""

from zoneinfo import ZoneInfo

from incubator.emails import register, render_email
from incubator.language import absolute_url
from workspaces.models import Booking
from workspaces.services import REMINDER


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
            "ends": booking.period.upper.astimezone(zone),
            "zone": space.time_zone,
            "bookings_url": absolute_url("workspaces:bookings", language),
            "check_in_url": absolute_url("workspaces:resource_check_in", language, args=[booking.resource_id]),
        },
    )
