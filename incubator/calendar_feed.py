"""A private iCalendar feed per person. Apps add their events through `register_source` (mentoring its sessions,
workspaces its bookings), so incubator imports none of them.

The address carries a random token; resetting it makes the old address answer 404 at once."""

import secrets
from collections.abc import Callable, Iterable

import icalendar
from django.db import transaction
from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils import translation

from incubator.audit import audit_record
from incubator.models import CalendarToken, User

Source = Callable[[User], Iterable[icalendar.Event]]
_sources: list[Source] = []


def register_source(source: Source) -> Source:
    if source not in _sources:
        _sources.append(source)
    return source


def calendar_for(user: User) -> icalendar.Calendar:
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Incubator portal//calendar feed//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", f"Incubator portal — {user}")
    for source in _sources:
        for event in source(user):
            calendar.add_component(event)
    return calendar


def calendar_token_for(user: User) -> CalendarToken:
    token = CalendarToken.objects.filter(user=user).first()
    return token or CalendarToken.objects.get_or_create(user=user, defaults={"token": secrets.token_urlsafe(32)})[0]


def calendar_addresses(request) -> dict[str, str]:
    """The person's feed address, and the same as webcal://, which opens their calendar app subscribed to it
    rather than importing it once."""
    feed_url = request.build_absolute_uri(reverse("calendar_feed", args=[calendar_token_for(request.user).token]))
    return {"feed_url": feed_url, "webcal_url": "webcal://" + feed_url.split("://", 1)[1]}


def calendar_token_reset(*, by: User) -> CalendarToken:
    with transaction.atomic():
        token = calendar_token_for(by)
        token = CalendarToken.objects.select_for_update().get(pk=token.pk)
        token.token = secrets.token_urlsafe(32)
        token.save(update_fields=["token"])
        audit_record(actor=by, action="calendar_token.reset", obj=token)
    return token


def calendar_feed(request, token: str):
    """No login: calendar apps fetch the address on their own. The token is the only key."""
    row = CalendarToken.objects.select_related("user").filter(token=token, user__is_active=True).first()
    if row is None or not secrets.compare_digest(row.token, token):
        raise Http404
    # Fetched by a calendar app with no language of its own: the events speak the person's, links included.
    with translation.override(row.user.preferred_language):
        ical = calendar_for(row.user).to_ical()
    response = HttpResponse(ical, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    return response
