"""Every state change of bookings, inductions and the ledger: locked, checked, audited.

Periods are given as the space's wall-clock times (naive datetimes) and turned into UTC here, so a booking on
a daylight-saving day has its true length, and a time that does not exist or happens twice is refused."""

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.backends.postgresql.psycopg_any import DateTimeTZRange
from django.db.models import BigIntegerField, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from cohorts.access import managed_program_ids
from cohorts.models import Membership
from incubator.audit import audit_record
from incubator.history import recorded_by
from incubator.models import CURRENCY_CODES, User
from incubator.notifications import Claim, notifications_claim, notifications_enqueue
from incubator.when import format_clock, format_day
from workspaces.models import (
    Allowance,
    Booking,
    ClosedDate,
    Induction,
    LedgerLine,
    OpeningHours,
    Resource,
    Space,
    SubsidyPlan,
)

REMINDER = "workspaces.booking_reminder"
CENT = Decimal("0.01")
HALF = Decimal("0.5")
# A person may check in a little before their booking starts.
EARLY_CHECK_IN = datetime.timedelta(minutes=30)

JUST_TAKEN = "just_taken"


def local_datetime(space: Space, wall: datetime.datetime) -> datetime.datetime:
    """The aware datetime of a wall-clock time in the space, refusing times the clocks skip or repeat."""
    zone = ZoneInfo(space.time_zone)
    first = wall.replace(tzinfo=zone, fold=0)
    second = wall.replace(tzinfo=zone, fold=1)
    if first.utcoffset() != second.utcoffset():
        # Both folds agree only for times that happen exactly once.
        round_trip = first.astimezone(datetime.UTC).astimezone(zone).replace(tzinfo=None)
        if round_trip != wall:
            raise ValidationError(
                _("%(time)s does not exist on %(date)s in %(zone)s: the clocks change that night.")
                % {"time": format_clock(wall), "date": format_day(wall.date()), "zone": space.time_zone}
            )
        raise ValidationError(
            _("%(time)s happens twice on %(date)s in %(zone)s: the clocks change that night. Choose another time.")
            % {"time": format_clock(wall), "date": format_day(wall.date()), "zone": space.time_zone}
        )
    # In UTC: Python subtracts two datetimes of one zone by their wall clocks, which is wrong across a change.
    return first.astimezone(datetime.UTC)


def days_range(space: Space, first_day: datetime.date, days: int) -> DateTimeTZRange:
    """From the start of `first_day` to the start of the day `days` later, in the space's zone (bounds only: a
    midnight the clocks skip simply moves by the hour)."""
    zone = ZoneInfo(space.time_zone)
    return DateTimeTZRange(
        datetime.datetime.combine(first_day, datetime.time(), zone),
        datetime.datetime.combine(first_day + datetime.timedelta(days=days), datetime.time(), zone),
    )


def month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def week_start(space: Space, day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=(day.weekday() - space.week_starts_on) % 7)


def space_today(space: Space) -> datetime.date:
    return timezone.localtime(timezone.now(), ZoneInfo(space.time_zone)).date()


@dataclass(frozen=True)
class Slot:
    """A bookable stretch of one resource on one day, in wall-clock times."""

    starts: datetime.datetime
    ends: datetime.datetime


def _check_shape(resource: Resource, hours: OpeningHours, starts: datetime.datetime, ends: datetime.datetime):
    """The period must be a whole unit of the resource inside the day's opening hours."""
    day = starts.date()
    opens = datetime.datetime.combine(day, hours.opens)
    closes = datetime.datetime.combine(day, hours.closes)
    if resource.unit == Resource.Unit.DAY:
        if (starts, ends) != (opens, closes):
            raise ValidationError(
                _("%(resource)s is booked by the full day, from %(opens)s to %(closes)s on one day.")
                % {"resource": resource.name, "opens": f"{hours.opens:%H:%M}", "closes": f"{hours.closes:%H:%M}"}
            )
        return
    if resource.unit == Resource.Unit.HALF_DAY:
        midday = datetime.datetime.combine(day, hours.midday)
        if (starts, ends) not in [(opens, midday), (midday, closes)]:
            raise ValidationError(
                _("%(resource)s is booked by the half day: %(opens)s–%(midday)s or %(midday)s–%(closes)s.")
                % {
                    "resource": resource.name,
                    "opens": f"{hours.opens:%H:%M}",
                    "midday": f"{hours.midday:%H:%M}",
                    "closes": f"{hours.closes:%H:%M}",
                }
            )
        return
    if starts.minute or starts.second or ends.minute or ends.second:
        raise ValidationError(_("Hourly bookings start and end on the hour."))
    if starts < opens or ends > closes:
        raise ValidationError(
            _("The space is open from %(opens)s to %(closes)s that day.")
            % {"opens": f"{hours.opens:%H:%M}", "closes": f"{hours.closes:%H:%M}"}
        )
    length = (ends - starts) // datetime.timedelta(hours=1)
    if not resource.min_hours <= length <= resource.max_hours:
        raise ValidationError(
            _("%(resource)s is booked for %(min)s to %(max)s hours at a time.")
            % {"resource": resource.name, "min": resource.min_hours, "max": resource.max_hours}
        )


def booking_units(resource: Resource, lower: datetime.datetime, upper: datetime.datetime) -> Decimal:
    """A full day is 1 unit, a half day 0.5, an hour 1 — real hours, so a DST night's booking is its true length."""
    if resource.unit == Resource.Unit.DAY:
        return Decimal(1)
    if resource.unit == Resource.Unit.HALF_DAY:
        return HALF
    return Decimal((upper - lower) // datetime.timedelta(hours=1))


def _booking_program_ids(space: Space) -> set[int]:
    return set(space.programs.values_list("pk", flat=True))


def _booker_membership(space: Space, person: User) -> Membership | None:
    return (
        Membership.objects.select_related("cohort")
        .filter(person=person, status=Membership.Status.ACTIVE, cohort__program__spaces=space)
        .order_by("-cohort__starts_on")
        .first()
    )


def _is_staff(space: Space, person: User, program_ids: set[int]) -> bool:
    managed = managed_program_ids(person)
    return managed is None or bool(managed & program_ids)


def _check_induction(resource: Resource, person: User, day: datetime.date) -> None:
    if not resource.induction_type:
        return
    valid = Induction.objects.filter(
        Q(expires_on__isnull=True) | Q(expires_on__gte=day),
        space=resource.space,
        person=person,
        induction_type__iexact=resource.induction_type,
        inducted_on__lte=day,
    )
    if not valid.exists():
        raise ValidationError(
            _(
                "%(resource)s needs a valid induction on the %(type)s. Ask the space's trainer or your program "
                "manager to book an induction with you; once it is recorded you can book it here."
            )
            % {"resource": resource.name, "type": resource.induction_type}
        )


def _lock_allowance(plan: SubsidyPlan, person: User, month: datetime.date) -> None:
    Allowance.objects.get_or_create(plan=plan, person=person, month=month)
    Allowance.objects.select_for_update().get(plan=plan, person=person, month=month)


def _charge(*, booking: Booking, plan: SubsidyPlan | None, month: datetime.date) -> LedgerLine:
    """The booking's ledger line. Caps and budgets are read as sums of lines under the allowance and plan locks."""
    units = booking.units
    list_price = (units * booking.resource.price).quantize(CENT)
    subsidy = Decimal(0)
    subsidised_units = Decimal(0)
    note = ""
    if plan is not None:
        _lock_allowance(plan, booking.person, month)
        used = LedgerLine.objects.filter(plan=plan, person=booking.person, month=month).aggregate(
            total=Sum("subsidised_units")
        )["total"] or Decimal(0)
        refuse = plan.over_cap == SubsidyPlan.OverCap.REFUSE
        if used + units > plan.monthly_cap:
            if refuse:
                raise ValidationError(
                    _("This would pass your monthly cap of %(cap)s subsidised units (%(used)s used this month).")
                    % {"cap": plan.monthly_cap, "used": used}
                )
            note = gettext_noop("Over the monthly cap: full price.")
        else:
            plan = SubsidyPlan.objects.select_for_update().get(pk=plan.pk)
            share = (list_price * plan.share_percent / 100).quantize(CENT, rounding=ROUND_HALF_UP)
            spent = LedgerLine.objects.filter(plan=plan).aggregate(total=Sum("subsidy"))["total"] or Decimal(0)
            if spent + share > plan.budget:
                if refuse:
                    raise ValidationError(_("The cohort's subsidy budget is spent; this booking cannot be subsidised."))
                note = gettext_noop("The cohort's subsidy budget is spent: full price.")
            else:
                subsidy, subsidised_units = share, units
    return LedgerLine.objects.create(
        booking=booking,
        person=booking.person,
        plan=plan,
        month=month,
        units=units,
        subsidised_units=subsidised_units,
        list_price=list_price,
        subsidy=subsidy,
        co_pay=list_price - subsidy,
        currency=booking.resource.space.currency,
        note=note,
    )


@recorded_by
def booking_create(
    *, resource: Resource, starts: datetime.datetime, ends: datetime.datetime, by: User, recurring: bool = False
) -> Booking:
    """Book `resource` from `starts` to `ends` (wall-clock times in the space) for `by`.

    The database's exclusion constraint is what makes double booking impossible; the checks before it give
    the clearer messages. Raises ValidationError (code "just_taken" when someone else was faster)."""
    with transaction.atomic():
        # One person's bookings are taken one at a time, so the weekly limit holds when they click fast.
        User.objects.select_for_update().filter(pk=by.pk).first()
        resource = Resource.objects.select_related("space").get(pk=resource.pk)
        space = resource.space
        if not resource.is_active:
            raise ValidationError(_("%(resource)s cannot be booked at the moment.") % {"resource": resource.name})
        program_ids = _booking_program_ids(space)
        membership = _booker_membership(space, by)
        if membership is None and not _is_staff(space, by, program_ids):
            raise PermissionDenied(_("Only active participants and staff of this space's programs book here."))
        day = starts.date()
        if ends <= starts:
            raise ValidationError(_("A booking ends after it starts."))
        if ends.date() != day:
            raise ValidationError(_("A booking starts and ends on the same day."))
        lower, upper = local_datetime(space, starts), local_datetime(space, ends)
        if lower <= timezone.now():
            raise ValidationError(_("This time has already begun or passed."))
        today = space_today(space)
        if day > today + datetime.timedelta(days=space.booking_horizon_days):
            raise ValidationError(
                _("Bookings open %(days)s days ahead: book this day from %(date)s.")
                % {
                    "days": space.booking_horizon_days,
                    "date": format_day(day - datetime.timedelta(days=space.booking_horizon_days)),
                }
            )
        closed = ClosedDate.objects.filter(space=space, date=day).first()
        if closed is not None:
            raise ValidationError(
                _("%(space)s is closed on %(date)s. %(reason)s")
                % {"space": space.name, "date": format_day(day), "reason": closed.reason}
            )
        hours = OpeningHours.objects.filter(space=space, weekday=day.weekday()).first()
        if hours is None:
            raise ValidationError(
                _("%(space)s is closed on %(weekday)s.") % {"space": space.name, "weekday": format_day(day, "dayname")}
            )
        _check_shape(resource, hours, starts, ends)
        _check_induction(resource, by, day)
        this_week = Booking.objects.filter(
            person=by,
            status=Booking.Status.ACTIVE,
            resource__space=space,
            period__overlap=days_range(space, week_start(space, day), 7),
        ).count()
        if this_week >= space.weekly_limit:
            raise ValidationError(
                _("You already have %(count)s bookings in this week, the most this space allows.")
                % {"count": this_week}
            )
        plan = None
        if membership is not None:
            plan = SubsidyPlan.objects.filter(cohort=membership.cohort, space=space).first()
        try:
            with transaction.atomic():
                booking = Booking.objects.create(
                    resource=resource,
                    person=by,
                    period=DateTimeTZRange(lower, upper),
                    plan=plan,
                    units=booking_units(resource, lower, upper),
                )
        except IntegrityError as error:
            if "booking_no_overlap" not in str(error):
                raise
            raise ValidationError(
                _("Just taken: someone else booked %(resource)s for this time a moment ago. Choose another slot.")
                % {"resource": resource.name},
                code=JUST_TAKEN,
            ) from None
        _charge(booking=booking, plan=plan, month=month_start(day))
        audit_record(
            actor=by,
            action="booking.create",
            obj=booking,
            after={"resource": resource.pk, "from": lower.isoformat(), "to": upper.isoformat()},
            note="recurring" if recurring else "",
        )
    return booking


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
            raise ValidationError(_("This booking is no longer active."))
        now = timezone.now()
        if booking.period.lower <= now:
            raise ValidationError(_("This booking has already started and cannot be cancelled."))
        space = booking.resource.space
        in_time = now <= booking.period.lower - datetime.timedelta(hours=space.free_cancellation_hours)
        booking.status = Booking.Status.CANCELLED if in_time else Booking.Status.LATE_CANCELLED
        booking.cancelled_at = now
        booking.save(update_fields=["status", "cancelled_at"])
        if in_time:
            for line in booking.ledger_lines.all():
                LedgerLine.objects.create(
                    booking=booking,
                    person=line.person,
                    plan=line.plan,
                    month=line.month,
                    units=-line.units,
                    subsidised_units=-line.subsidised_units,
                    list_price=-line.list_price,
                    subsidy=-line.subsidy,
                    co_pay=-line.co_pay,
                    currency=line.currency,
                    note=gettext_noop("Cancelled in time"),
                )
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


def reminders_sweep() -> int:
    """Claim a reminder for every active booking starting within a day; the ledger sends each exactly once."""
    now = timezone.now()
    due = Booking.objects.filter(
        status=Booking.Status.ACTIVE,
        period__startswith__gt=now,
        period__startswith__lte=now + datetime.timedelta(days=1),
    ).annotate(
        # The program the booking is made under, so that program's managers see the reminder in the ledger: the
        # subsidy plan's, or else the booker's own program among those using the space.
        program_id=Coalesce(
            "plan__cohort__program_id",
            Subquery(
                Membership.objects.filter(
                    person=OuterRef("person"),
                    status=Membership.Status.ACTIVE,
                    cohort__program__spaces=OuterRef("resource__space"),
                )
                .order_by("-cohort__starts_on")
                .values("cohort__program_id")[:1]
            ),
            output_field=BigIntegerField(),
        )
    )
    claims = [
        Claim(REMINDER, pk, person_id, "1d", program_id=program_id)
        for pk, person_id, program_id in due.values_list("pk", "person_id", "program_id")
    ]
    with transaction.atomic():
        claimed = notifications_claim(claims=claims)
        notifications_enqueue(notification_ids=claimed)
    return len(claimed)


def can_record_induction(user: User, space: Space) -> bool:
    managed = managed_program_ids(user)
    if managed is None:
        return True
    return bool(managed & _booking_program_ids(space)) or space.trainers.filter(pk=user.pk).exists()


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


def space_currency_correct(*, space: Space, currency: str, by: User | None) -> int:
    """Give a space the currency it really charges in, and relabel every line charged there; the amounts stay.

    For a currency that was wrong from the start: a space that had charged before spaces had a currency was
    stamped EUR by the migration, and the admin fixes the field once anything is charged. Returns the number
    of lines relabelled."""
    if currency not in CURRENCY_CODES:
        raise ValidationError(_("%(code)s is not a currency in use.") % {"code": currency})
    with transaction.atomic():
        space = Space.objects.select_for_update().get(pk=space.pk)
        before = space.currency
        relabelled = LedgerLine.objects.filter(booking__resource__space=space).update(currency=currency)
        space.currency = currency
        space.save(update_fields=["currency"])
        audit_record(
            actor=by,
            action="space.currency_correct",
            obj=space,
            before={"currency": before},
            after={"currency": currency, "lines": relabelled},
        )
    return relabelled
