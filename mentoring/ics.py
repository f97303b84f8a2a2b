"""Sessions as iCalendar events: the same UID for a session's whole life, SEQUENCE raised at each change."""

import datetime

import icalendar
from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from cohorts.access import managed_program_ids, mentored_program_ids
from incubator.language import absolute_url
from mentoring.models import Session


def session_event(session: Session, *, language: str, cancelled: bool = False) -> icalendar.Event:
    """The session as one event; its link opens the session page in `language`, the reader's."""
    event = icalendar.Event()
    event.add("uid", session.uid)
    event.add("sequence", session.sequence)
    event.add("dtstamp", timezone.now().astimezone(datetime.UTC))
    # UTC instants: right whatever the calendar's zone and across every daylight-saving change.
    event.add("dtstart", session.starts_at.astimezone(datetime.UTC))
    event.add("dtend", session.ends_at.astimezone(datetime.UTC))
    event.add("summary", f"{session.kind.name}: {session.title}" if session.title else session.kind.name)
    if session.place or session.online_link:
        event.add("location", session.place or session.online_link)
    event.add("url", absolute_url("mentoring:session_detail", language, args=[session.pk]))
    if session.agenda:
        event.add("description", session.agenda)
    cancelled = cancelled or session.status == Session.Status.CANCELLED
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    return event


def session_ics(session: Session, *, method: str, recipient_email: str, language: str) -> bytes:
    """An invitation (METHOD:REQUEST) or a cancellation (METHOD:CANCEL) for one recipient."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Incubator portal//mentoring//EN")
    calendar.add("version", "2.0")
    calendar.add("method", method)
    event = session_event(session, language=language, cancelled=method == "CANCEL")
    organizer = icalendar.vCalAddress(f"mailto:{settings.DEFAULT_FROM_EMAIL.rsplit('<', 1)[-1].rstrip('>')}")
    event.add("organizer", organizer)
    event.add("attendee", icalendar.vCalAddress(f"mailto:{recipient_email}"))
    calendar.add_component(event)
    return calendar.to_ical()


def calendar_source(user):
    """The person's sessions for their private feed: facilitated or invited, from a year back. Three queries (the
    programs the person mentors and manages, then the sessions)."""
    since = timezone.now() - datetime.timedelta(days=365)
    facilitated = Q(facilitators=user)
    managed = managed_program_ids(user)
    if managed is not None:
        # A mentor removed from a program keeps no view of its sessions (times, places, online links, agendas),
        # as on the session pages.
        facilitated &= Q(program_id__in=mentored_program_ids(user) | managed)
    sessions = (
        Session.objects.filter(facilitated | Q(attendances__person=user), starts_at__gte=since)
        .select_related("kind")
        .distinct()
        .order_by("starts_at")
    )
    for session in sessions:
        yield session_event(session, language=user.preferred_language)
