"""A participant's office-hours pages: the mentors who publish them, a mentor's free slots (in the participant's
time zone), the confirmation that books one, and cancelling one. `office_hours.get_office_hours_for` gates the
slots (404 for anyone who is not an active participant of the program); a booked office hour is reached through
`access.get_session_for` like any session."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from incubator.ratelimit import email_request_allowed, too_many_requests
from mentoring import access, office_hours
from mentoring.models import Session


def _page(request, availability, *, status=200, error=""):
    now = timezone.now()
    context = {
        "availability": availability,
        "days": office_hours.slots_by_day(availability, user=request.user, now=now),
        "booked": office_hours.my_office_hours(request.user, now=now, mentor=availability.owner),
        "zone": request.user.time_zone,
        "error": error,
    }
    return render(request, "mentoring/office_hours_slots.html", context, status=status)


@login_required
@require_GET
def office_hours_list(request):
    if not office_hours.is_participant(request.user):
        raise Http404
    now = timezone.now()
    context = {
        "offered": office_hours.office_hours_offered(request.user),
        "booked": office_hours.my_office_hours(request.user, now=now),
        "zone": request.user.time_zone,
    }
    return render(request, "mentoring/office_hours.html", context)


@login_required
@require_GET
def office_hours_slots(request, pk):
    return _page(request, office_hours.get_office_hours_for(request.user, pk))


def _starts_at(value: str) -> datetime.datetime | None:
    try:
        starts_at = datetime.datetime.fromisoformat(value)
    except ValueError:
        return None
    return starts_at if timezone.is_aware(starts_at) else None


@login_required
def office_hour_book(request, pk):
    """Tap 1 (a slot's link) shows this confirmation; tap 2 posts it."""
    availability = office_hours.get_office_hours_for(request.user, pk)
    starts_at = _starts_at(request.POST.get("at") or request.GET.get("at") or "")
    context = {"availability": availability, "starts_at": starts_at, "zone": request.user.time_zone}
    if starts_at is None:
        context["error"] = _("Choose one of the free slots.")
        return render(request, "mentoring/office_hour_book.html", context, status=400)
    context["ends_at"] = starts_at + datetime.timedelta(minutes=availability.slot_minutes)
    if request.method != "POST":
        return render(request, "mentoring/office_hour_book.html", context)
    if not email_request_allowed(action="office_hours", person=request.user):
        return too_many_requests(request, back=reverse("mentoring:office_hours_slots", args=[availability.pk]))
    try:
        session = office_hours.office_hour_book(availability=availability, starts_at=starts_at, by=request.user)
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as error:
        if error.code == office_hours.TAKEN:
            return _page(
                request, availability, status=409, error=_("This slot was just taken. Please choose another one.")
            )
        context["error"] = " ".join(error.messages)
        return render(request, "mentoring/office_hour_book.html", context, status=400)
    messages.success(request, _("Your office hour is booked; you and your mentor get a calendar invitation."))
    return redirect("mentoring:session_detail", session.pk)


@login_required
def office_hour_cancel(request, pk):
    session = access.get_session_for(request.user, pk)
    if not session.viewer_invited or session.kind.code != office_hours.OFFICE_HOURS:
        raise Http404
    context = {"session": session, "deadline": office_hours.cancel_deadline(session), "zone": request.user.time_zone}
    if request.method != "POST":
        status = 200 if session.status == Session.Status.SCHEDULED else 400
        return render(request, "mentoring/office_hour_cancel.html", context, status=status)
    if not email_request_allowed(action="office_hours", person=request.user):
        return too_many_requests(request, back=reverse("mentoring:office_hours"))
    try:
        office_hours.office_hour_cancel(session=session, by=request.user)
    except ValidationError as error:
        context["error"] = " ".join(error.messages)
        return render(request, "mentoring/office_hour_cancel.html", context, status=400)
    messages.success(request, _("Your office hour is cancelled; the slot is free again and your mentor was told."))
    return redirect("mentoring:office_hours")
