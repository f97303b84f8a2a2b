"""Every state change of bookings and inductions: locked, checked, audited. What a booking costs is written
by the ledger (`workspaces.ledger`); the rules a booking must pass are in `workspaces.booking_checks`."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.backends.postgresql.psycopg_any import DateTimeTZRange
from django.utils import timezone
from django.utils.translation import gettext as _

from incubator.audit import audit_record
from incubator.history import recorded_by
from incubator.models import User
from workspaces import booking_checks as checks
from workspaces.access import can_record_induction
from workspaces.ledger import booking_charge, booking_refund
from workspaces.models import Booking, Induction, OpeningHours, Resource, Space, SubsidyPlan
from workspaces.periods import booking_units, local_datetime, month_start

# A person may check in a little before their booking starts.
EARLY_CHECK_IN = datetime.timedelta(minutes=30)

JUST_TAKEN = "just_taken"
# Cancelled already, or released as a no-show.
NOT_ACTIVE = "not_active"


@recorded_by
def booking_create(
    *, resource: Resource, starts: datetime.datetime, ends: datetime.datetime, by: User, recurring: bool = False
) -> Booking:
    """Book `resource` from `starts` to `ends` (wall-clock times in the space) for `by`.

    Raises ValidationError (code "just_taken" when someone else was faster) or PermissionDenied."""
    with transaction.atomic():
        # One person's bookings are taken one at a time, so the weekly limit holds when they click fast.
        User.objects.select_for_update().filter(pk=by.pk).first()
        resource = Resource.objects.select_related("space").get(pk=resource.pk)
        space, day = resource.space, starts.date()
        checks.check_resource_bookable(resource)
        membership = checks.check_booker(space, by)
        checks.check_ends_after_start(starts, ends)
        checks.check_one_day(starts, ends)
        lower, upper = local_datetime(space, starts), local_datetime(space, ends)
        checks.check_not_begun(lower)
        checks.check_within_horizon(space, day)
        checks.check_not_closed(space, day)
        hours = checks.check_open_weekday(space, day)
        checks.check_shape(resource, hours, starts, ends)
        checks.check_induction(resource, by, day)
        checks.check_weekly_limit(space, by, day)
        plan = None
        if membership is not None:
            plan = SubsidyPlan.objects.filter(cohort=membership.cohort, space=space).first()
        booking = _insert_booking(resource=resource, person=by, period=DateTimeTZRange(lower, upper), plan=plan)
        booking_charge(booking=booking, plan=plan, month=month_start(day))
        audit_record(
            actor=by,
            action="booking.create",
            obj=booking,
            after={"resource": resource.pk, "from": lower.isoformat(), "to": upper.isoformat()},
            note="recurring" if recurring else "",
        )
    return booking


def _insert_booking(*, resource: Resource, person: User, period: DateTimeTZRange, plan: SubsidyPlan | None):
    """The insert the exclusion constraint guards: a period someone else took a moment ago is refused here."""
    try:
        with transaction.atomic():
            return Booking.objects.create(
                resource=resource,
                person=person,
                period=period,
                plan=plan,
                units=booking_units(resource, period.lower, period.upper),
            )
    except IntegrityError as error:
        if "booking_no_overlap" not in str(error):
            raise
        raise ValidationError(
            _("Just taken: someone else booked %(resource)s for this time a moment ago. Choose another slot.")
            % {"resource": resource.name},
            code=JUST_TAKEN,
        ) from None


@recorded_by
def booking_create_recurring(
    *, resource: Resource, first_day: datetime.date, weekdays: set[int], weeks: int, part: str = "day", by: User
) -> tuple[list[Booking], list[tuple[datetime.date, str]]]:
    """Each occurrence is booked on its own, under the same rules, for the `part` of that day's opening hours
    ("day", or "am"/"pm" for half-day resources; hourly equipment is booked slot by slot in the grid). Returns
    what was booked and, per date that could not be, why."""
    hours = {row.weekday: row for row in OpeningHours.objects.filter(space_id=resource.space_id)}
    booked, refused = [], []
    for offset in range(weeks * 7):
        day = first_day + datetime.timedelta(days=offset)
        if day.weekday() not in weekdays:
            continue
        opening = hours.get(day.weekday())
        if opening is None:
            refused.append((day, _("The space is closed on this weekday.")))
            continue
        starts_at = opening.midday if part == "pm" else opening.opens
        ends_at = opening.midday if part == "am" else opening.closes
        try:
            booked.append(
                booking_create(
                    resource=resource,
                    starts=datetime.datetime.combine(day, starts_at),
                    ends=datetime.datetime.combine(day, ends_at),
                    by=by,
                    recurring=True,
                )
            )
        except (ValidationError, PermissionDenied) as error:
            refused.append((day, " ".join(getattr(error, "messages", [str(error)]))))
    return booked, refused


@recorded_by
def booking_cancel(*, booking: Booking, by: User) -> Booking:
    """Free until the space's notice period; later the booking stays charged and is counted as a late cancellation."""
    with transaction.atomic():
        booking = Booking.objects.select_for_update(of=("self",)).select_related("resource__space").get(pk=booking.pk)
        if booking.person_id != by.pk:
            raise PermissionDenied(_("You can cancel only your own bookings."))
        if booking.status != Booking.Status.ACTIVE:
            raise ValidationError(_("This booking is no longer active."), code=NOT_ACTIVE)
        now = timezone.now()
        if booking.period.lower <= now:
            raise ValidationError(_("This booking has already started and cannot be cancelled."), code="begun")
        space = booking.resource.space
        in_time = now <= booking.period.lower - datetime.timedelta(hours=space.free_cancellation_hours)
        booking.status = Booking.Status.CANCELLED if in_time else Booking.Status.LATE_CANCELLED
        booking.cancelled_at = now
        booking.save(update_fields=["status", "cancelled_at"])
        if in_time:
            booking_refund(booking=booking)
        audit_record(actor=by, action="booking.cancel", obj=booking, after={"status": booking.status})
    return booking


@recorded_by
def booking_check_in(*, booking: Booking, by: User) -> Booking:
    with transaction.atomic():
        booking = Booking.objects.select_for_update().get(pk=booking.pk)
        if booking.person_id != by.pk:
            raise PermissionDenied(_("You can check in only to your own bookings."))
        if booking.status != Booking.Status.ACTIVE:
            raise ValidationError(_("This booking is no longer active."))
        if booking.checked_in_at is not None:
            return booking
        now = timezone.now()
        if now < booking.period.lower - EARLY_CHECK_IN:
            raise ValidationError(_("Check-in opens 30 minutes before the booking starts."))
        if now >= booking.period.upper:
            raise ValidationError(_("This booking has ended."))
        booking.checked_in_at = now
        booking.save(update_fields=["checked_in_at"])
        audit_record(actor=by, action="booking.check_in", obj=booking)
    return booking


def bookings_release_no_shows() -> int:
    """Release the bookings not checked in within the space's check-in time; each is counted as a no-show (and
    stays charged). The slot is free again at once: the exclusion constraint covers active bookings only."""
    now = timezone.now()
    released = 0
    with transaction.atomic():
        candidates = (
            Booking.objects.select_for_update(of=("self",), skip_locked=True)
            .select_related("resource__space")
            .filter(status=Booking.Status.ACTIVE, checked_in_at__isnull=True, period__startswith__lt=now)
        )
        for booking in candidates:
            if booking.period.lower + datetime.timedelta(minutes=booking.resource.space.check_in_minutes) > now:
                continue
            booking.status = Booking.Status.NO_SHOW
            booking.released_at = now
            booking.save(update_fields=["status", "released_at"])
            audit_record(actor=None, action="booking.no_show", obj=booking)
            released += 1
    return released


def induction_record(
    *,
    space: Space,
    person: User,
    induction_type: str,
    inducted_on: datetime.date,
    expires_on: datetime.date | None = None,
    by: User,
) -> Induction:
    with transaction.atomic():
        space = Space.objects.select_for_update().get(pk=space.pk)
        if not can_record_induction(by, space):
            raise PermissionDenied(_("Only the space's trainers and its programs' managers record inductions."))
        if expires_on is not None and expires_on < inducted_on:
            raise ValidationError(_("An induction expires after it was given."))
        induction = Induction.objects.create(
            space=space,
            person=person,
            induction_type=induction_type.strip(),
            inducted_on=inducted_on,
            expires_on=expires_on,
            recorded_by=by,
        )
        audit_record(
            actor=by,
            action="induction.record",
            obj=induction,
            after={"person": person.pk, "type": induction.induction_type, "on": inducted_on.isoformat()},
        )
    return induction
