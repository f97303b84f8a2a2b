"""Office hours: an active participant of a program books one of the free slots its mentors publish
(cohorts.availability), and the booking becomes a mentoring session of kind "office hours" — so the invitation,
the .ics, the 24 h and 1 h reminders, the mentor's log and the feedback are those of any session.

A slot is busy when the mentor or the participant has a time claim then (mentoring.claims): the availability's row
lock serialises bookings of one mentor's slots, and the claims' exclusion constraint refuses the rest (a session
the mentor scheduled by hand meanwhile)."""

import datetime
from itertools import groupby
from zoneinfo import ZoneInfo

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.http import Http404
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from cohorts.availability import Slot, free_slots, slot_refusal
from cohorts.models import Availability, Membership, Program
from incubator.models import User
from incubator.when import format_units
from mentoring.claims import BUSY, busy_periods
from mentoring.models import Session, SessionKind
from mentoring.services import DEFAULT_KINDS, OFFICE_HOURS, session_cancel, session_schedule

TAKEN = "taken"  # the ValidationError code of a slot someone else booked first: HTTP 409
# A booking made when its mentor had no published rules any more (an availability removed) keeps the default.
DEFAULT_CANCEL_HOURS = Availability._meta.get_field("cancel_hours").default


def office_hours_kind(program: Program) -> SessionKind:
    """The program's kind "office hours", created the first time it is needed, named in the program's language
    (a program may rename it)."""
    with translation.override(program.language):
        name = _("Office hours")
    kind, _created = SessionKind.objects.get_or_create(
        program=program,
        code=OFFICE_HOURS,
        defaults={"name": name, "counts_as": SessionKind.CountsAs.INDIVIDUAL, "position": len(DEFAULT_KINDS)},
    )
    return kind


def _open_to(user) -> QuerySet:
    """Office hours `user` may book: in a program where they are an active participant, published by someone who
    still mentors that program."""
    if not user.is_authenticated:
        return Availability.objects.none()
    programs = Membership.objects.filter(person=user, status=Membership.Status.ACTIVE).values("cohort__program_id")
    mentors = Program.mentors.through.objects.filter(program_id=OuterRef("program_id"), user_id=OuterRef("owner_id"))
    return Availability.objects.filter(purpose=Availability.Purpose.OFFICE_HOURS, program_id__in=programs).filter(
        Exists(mentors)
    )


def is_participant(user) -> bool:
    return user.is_authenticated and Membership.objects.filter(person=user, status=Membership.Status.ACTIVE).exists()


def office_hours_offered(user) -> list[Availability]:
    """The mentors' office hours open to the participant, taking bookings. One query."""
    return list(
        _open_to(user)
        .filter(active=True)
        .select_related("owner__mentor_profile", "program")
        .order_by("program__name", "owner__name", "pk")
    )


def get_office_hours_for(user, pk: int) -> Availability:
    """The gate of the booking pages: 404 unless the participant may book these office hours. Three queries:
    the availability with its owner and program, its windows, its exceptions."""
    availability = (
        _open_to(user)
        .filter(pk=pk, active=True)
        .select_related("owner", "program")
        .prefetch_related("windows", "exceptions")
        .first()
    )
    if availability is None:
        raise Http404
    return availability


def my_office_hours(user, *, now: datetime.datetime, mentor: User | None = None) -> list[Session]:
    """The participant's office hours to come (with one mentor, or all), each with its mentor. Two queries."""
    sessions = Session.objects.filter(
        kind__code=OFFICE_HOURS, attendances__person=user, status=Session.Status.SCHEDULED, ends_at__gt=now
    )
    if mentor is not None:
        sessions = sessions.filter(facilitators=mentor)
    return list(sessions.select_related("program", "kind").prefetch_related("facilitators").order_by("starts_at"))


def slots_by_day(availability: Availability, *, user, now: datetime.datetime) -> list[tuple[datetime.date, list[Slot]]]:
    """The free slots, grouped by day in the participant's time zone. One query (the busy time)."""
    latest = now + datetime.timedelta(days=availability.horizon_days + 1)  # past the last slot's end
    busy = busy_periods([availability.owner_id, user.pk], now, latest)
    zone = ZoneInfo(user.time_zone)
    slots = free_slots(availability, busy=busy, now=now)
    return [
        (day, list(day_slots)) for day, day_slots in groupby(slots, key=lambda s: s.starts_at.astimezone(zone).date())
    ]


def office_hour_book(*, availability: Availability, starts_at: datetime.datetime, by: User) -> Session:
    """Book the slot starting at `starts_at` for `by`. Refusals are ValidationErrors with the reason; code TAKEN
    (answer 409) when someone got there first."""
    with transaction.atomic():
        availability = (
            _open_to(by)
            .select_for_update(of=("self",))
            .select_related("owner", "program")
            .prefetch_related("windows", "exceptions")
            .filter(pk=availability.pk)
            .first()
        )
        if availability is None:
            raise PermissionDenied(_("These office hours are for the program's active participants."))
        ends_at = starts_at + datetime.timedelta(minutes=availability.slot_minutes)
        busy = busy_periods([availability.owner_id, by.pk], starts_at, ends_at)
        refusal = slot_refusal(availability, starts_at=starts_at, busy=busy, now=timezone.now())
        if refusal is not None:
            raise ValidationError(refusal.message, code=TAKEN if refusal.taken else "refused")
        try:
            session, _overlaps = session_schedule(
                program=availability.program,
                kind=office_hours_kind(availability.program),
                starts_at=starts_at,
                ends_at=ends_at,
                participants=[by],
                facilitators=[availability.owner],
                place=availability.place,
                online_link=availability.online_link,
                by=by,
            )
        except ValidationError as error:
            if error.code == BUSY:  # the mentor took this time another way a moment ago
                raise ValidationError(error.messages[0], code=TAKEN) from None
            raise
    return session


def cancel_deadline(session: Session) -> datetime.datetime:
    """Until when the participant may cancel: the mentor's cancellation window before the start."""
    hours = (
        Availability.objects.filter(
            program_id=session.program_id,
            purpose=Availability.Purpose.OFFICE_HOURS,
            owner__in=session.facilitators.all(),
        )
        .values_list("cancel_hours", flat=True)
        .first()
    )
    return session.starts_at - datetime.timedelta(hours=DEFAULT_CANCEL_HOURS if hours is None else hours)


def office_hour_cancel(*, session: Session, by: User) -> Session:
    """The participant cancels their own office hour, up to the mentor's cancellation window before it starts;
    the slot is free again (the session's claims go with the cancellation)."""
    with transaction.atomic():
        session = Session.objects.select_for_update(of=("self",)).select_related("kind").get(pk=session.pk)
        if session.kind.code != OFFICE_HOURS or not session.attendances.filter(person=by).exists():
            raise PermissionDenied(_("Only the participant who booked an office hour cancels it here."))
        if session.status != Session.Status.SCHEDULED:
            raise ValidationError(_("Only a scheduled session can be cancelled."))
        deadline = cancel_deadline(session)
        if timezone.now() > deadline:
            raise ValidationError(
                _("Office hours can be cancelled until %(hours)s before they start. Please write to your mentor.")
                % {"hours": format_units(round((session.starts_at - deadline).total_seconds() / 3600), "hour")}
            )
        return session_cancel(session=session, by=by)
