"""The person's bookings as iCalendar events, for the per-person feed (incubator.calendar_feed registers it)."""

import datetime

from django.conf import settings
from django.utils import timezone
from django.utils.translation import ngettext
from icalendar import Event

from incubator.language import absolute_url
from workspaces.models import Booking

FEED_DAYS_BACK = 30


def booking_events(user) -> list[Event]:
    """Active bookings from a month ago on (one query); times in UTC, the space's zone named in the location."""
    since = timezone.now() - datetime.timedelta(days=FEED_DAYS_BACK)
    bookings = Booking.objects.filter(
        person=user, status=Booking.Status.ACTIVE, period__endswith__gte=since
    ).select_related("resource__space")
    events = []
    for booking in bookings:
        space = booking.resource.space
        event = Event()
        event.add("uid", f"workspaces-booking-{booking.pk}@{settings.SITE_URL.split('://')[-1]}")
        event.add("dtstamp", booking.created_at)
        event.add("dtstart", booking.period.lower)
        event.add("dtend", booking.period.upper)
        event.add("summary", f"{booking.resource.name} — {space.name}")
        event.add("location", ", ".join(part for part in [space.name, space.address] if part))
        event.add(
            "description",
            ngettext(
                "Check in on arrival: a booking not checked in within %(minutes)s minute of its start is released.",
                "Check in on arrival: a booking not checked in within %(minutes)s minutes of its start is released.",
                space.check_in_minutes,
            )
            % {"minutes": space.check_in_minutes},
        )
        event.add("url", absolute_url("workspaces:bookings", user.preferred_language))
        events.append(event)
    return events
