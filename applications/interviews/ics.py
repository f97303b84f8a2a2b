"""An interview as an iCalendar invitation: one UID for its whole life, SEQUENCE raised at each reschedule, so a
calendar moves (or cancels) the event it already has instead of adding another."""

import datetime

import icalendar
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from applications.interviews.models import Interview
from incubator.language import absolute_url


def interview_ics(interview: Interview, *, method: str, recipient_email: str, language: str) -> bytes:
    """A REQUEST (booked or moved) or a CANCEL for the applicant, written in `language` (the active one)."""
    availability = interview.plan.availability
    event = icalendar.Event()
    event.add("uid", f"interview-{interview.pk}@incubator-portal")
    event.add("sequence", interview.reschedules + (1 if method == "CANCEL" else 0))
    event.add("dtstamp", timezone.now().astimezone(datetime.UTC))
    # UTC instants: right whatever the calendar's zone and across every daylight-saving change.
    event.add("dtstart", interview.starts_at.astimezone(datetime.UTC))
    event.add("dtend", interview.ends_at.astimezone(datetime.UTC))
    event.add("summary", _("Interview: %(call)s") % {"call": interview.application.call.title})
    if availability.place or availability.online_link:
        event.add("location", availability.place or availability.online_link)
    event.add("url", absolute_url("interviews:book", language, args=[interview.token]))
    event.add("status", "CANCELLED" if method == "CANCEL" else "CONFIRMED")
    event.add(
        "organizer", icalendar.vCalAddress(f"mailto:{settings.DEFAULT_FROM_EMAIL.rsplit('<', 1)[-1].rstrip('>')}")
    )
    event.add("attendee", icalendar.vCalAddress(f"mailto:{recipient_email}"))
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Incubator portal//interviews//EN")
    calendar.add("version", "2.0")
    calendar.add("method", method)
    calendar.add_component(event)
    return calendar.to_ical()
