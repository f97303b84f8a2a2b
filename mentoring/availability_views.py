"""The mentor's office hours: their availability in one of the programs they mentor, and the free slots it gives
over the next two weeks, around the sessions they already have (cohorts.availability computes the slots)."""

import datetime
import itertools
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from cohorts.access import mentored_program_ids
from cohorts.availability import free_slots
from cohorts.availability_forms import (
    AvailabilitySettingsForm,
    ExceptionFormSet,
    WindowFormSet,
    exceptions_initial,
    settings_initial,
    windows_initial,
)
from cohorts.availability_services import availability_save
from cohorts.models import Availability, Program
from mentoring.models import Session

PREVIEW_DAYS = 14


def _mentored_program(request) -> tuple[Program, list[Program]]:
    """The program chosen with `?program=<slug>` among those the person mentors (the first by name without one);
    404 for a program they do not mentor, and for anyone who mentors none."""
    programs = list(Program.objects.filter(pk__in=mentored_program_ids(request.user)).order_by("name"))
    slug = request.GET.get("program")
    program = next((p for p in programs if p.slug == slug), None) if slug else (programs[0] if programs else None)
    if program is None:
        raise Http404
    return program, programs


def _preview(availability: Availability | None, user, zone: ZoneInfo, now: datetime.datetime) -> dict:
    """The person's sessions over the next two weeks (the only ones read, whatever their past) and the free
    slots around them, grouped by day in the person's zone."""
    until = now + datetime.timedelta(days=PREVIEW_DAYS)
    sessions = list(
        Session.objects.filter(facilitators=user, starts_at__lt=until, ends_at__gt=now)
        .exclude(status=Session.Status.CANCELLED)
        .select_related("program", "kind")
        .order_by("starts_at")
    )
    slots = []
    if availability is not None:
        last_day = until.astimezone(ZoneInfo(availability.time_zone)).date()
        busy = [(session.starts_at, session.ends_at) for session in sessions]
        slots = [s for s in free_slots(availability, busy=busy, now=now, end=last_day) if s.starts_at < until]
    days = [
        (day, list(day_slots))
        for day, day_slots in itertools.groupby(slots, key=lambda slot: slot.starts_at.astimezone(zone).date())
    ]
    return {"sessions": sessions, "days": days, "slot_count": len(slots)}


@login_required
def availability_edit(request):
    program, programs = _mentored_program(request)
    availability = (
        Availability.objects.filter(program=program, owner=request.user, purpose=Availability.Purpose.OFFICE_HOURS)
        .prefetch_related(Prefetch("windows"), Prefetch("exceptions"))
        .first()
    )
    zone_name = request.user.time_zone or program.time_zone
    zone = ZoneInfo(zone_name)
    now = timezone.now()
    today = now.astimezone(ZoneInfo(availability.time_zone if availability else zone_name)).date()
    data = request.POST if request.method == "POST" else None
    settings_form = AvailabilitySettingsForm(data, initial=settings_initial(availability, time_zone=zone_name))
    windows = WindowFormSet(data, initial=windows_initial(availability), prefix="window")
    exceptions = ExceptionFormSet(data, initial=exceptions_initial(availability, since=today), prefix="exception")
    status = 200
    if data is not None:
        status = 400
        if settings_form.is_valid() and windows.is_valid() and exceptions.is_valid():
            try:
                availability_save(
                    availability=availability,
                    program=program,
                    owner=request.user,
                    purpose=Availability.Purpose.OFFICE_HOURS,
                    settings=settings_form.cleaned_data,
                    windows=windows.rows(),
                    exceptions=exceptions.rows(),
                    by=request.user,
                )
            except ValidationError as error:
                for message in error.messages:
                    settings_form.add_error(None, message)
            else:
                messages.success(request, _("Your office hours are saved."))
                return redirect(f"{reverse('mentoring:availability')}?{urlencode({'program': program.slug})}")
    context = {
        "program": program,
        "programs": programs,
        "availability": availability,
        "settings_form": settings_form,
        "windows": windows,
        "exceptions": exceptions,
        "zone": zone_name,
        **_preview(availability, request.user, zone, now),
    }
    return render(request, "mentoring/availability.html", context, status=status)
