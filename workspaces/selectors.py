"""Reads with a fixed number of queries: the week grid and the managers' reports (statements: `ledger`)."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.contrib.postgres.fields import BigIntegerRangeField
from django.db.backends.postgresql.psycopg_any import NumericRange
from django.db.models import Count, DateTimeField, F, Func, Q, Sum, Value
from django.db.models.functions import ExtractIsoWeekDay
from django.utils import timezone
from moneyed import Money

from cohorts.access import managed_q
from workspaces.models import Booking, ClosedDate, OpeningHours, Resource, Space, SubsidyPlan
from workspaces.periods import days_range, month_start, space_today, week_start

FREE, TAKEN, MINE, CLOSED, PAST = "free", "taken", "mine", "closed", "past"


@dataclass
class Cell:
    resource: Resource
    day: datetime.date
    starts: datetime.datetime  # wall-clock in the space
    ends: datetime.datetime
    label: str
    state: str
    booking_id: int | None = None
    checked_in: bool = False


@dataclass
class Row:
    resource: Resource
    price: Money  # per unit, in the space's currency
    cells: list[Cell] = field(default_factory=list)


@dataclass
class Grid:
    space: Space
    first_day: datetime.date
    days: list[datetime.date]
    hours_day: datetime.date
    hour_columns: list[datetime.time]
    day_rows: list[Row]
    hour_rows: list[Row]
    closed: dict[datetime.date, str]


def _bookings_by_resource(space: Space, window, resource: Resource | None = None) -> dict[int, list[tuple]]:
    # The bounds come as two timestamps: the driver parses those in C, a range in Python (a third of the time).
    bookings = Booking.objects.filter(resource__space=space, status=Booking.Status.ACTIVE, period__overlap=window)
    if resource is not None:
        # As the exclusion constraint's GiST index spells the resource, so both its columns narrow the scan
        # (resource=… alone AND-ed a btree bitmap with a scan of the whole day's periods: 4.4 ms, now 0.2 ms).
        bookings = bookings.annotate(
            resource_range=Func(
                F("resource_id"),
                F("resource_id"),
                Value("[]"),
                function="int8range",
                output_field=BigIntegerRangeField(),
            )
        ).filter(resource_range__overlap=NumericRange(resource.pk, resource.pk, "[]"))
    rows = bookings.annotate(
        lower=Func("period", function="lower", output_field=DateTimeField()),
        upper=Func("period", function="upper", output_field=DateTimeField()),
    ).values_list("pk", "resource_id", "person_id", "lower", "upper", "checked_in_at")
    found = defaultdict(list)
    for pk, resource_id, person_id, lower, upper, checked_in_at in rows:
        found[resource_id].append((pk, person_id, lower, upper, checked_in_at))
    return found


def _state(bookings: list[tuple], lower, upper, user_id: int, now) -> tuple[str, int | None, bool]:
    for pk, person_id, booked_lower, booked_upper, checked_in_at in bookings:
        if booked_lower < upper and lower < booked_upper:
            if person_id == user_id:
                return MINE, pk, checked_in_at is not None
            return TAKEN, None, False
    if lower <= now:
        return PAST, None, False
    return FREE, None, False


def next_open_day(space: Space, day: datetime.date) -> datetime.date:
    """`day` if the space opens on its weekday, else the next day that it does (a space without opening hours keeps
    `day`). A grid opened on a Sunday shows Monday's hours rather than an empty closed day."""
    weekdays = set(OpeningHours.objects.filter(space=space).values_list("weekday", flat=True))
    for offset in range(7 if weekdays else 0):
        candidate = day + datetime.timedelta(days=offset)
        if candidate.weekday() in weekdays:
            return candidate
    return day


class _Cells:
    """Makes the grid's cells, each period's bounds converted once for all the resources of the grid."""

    def __init__(self, zone: ZoneInfo, closed: dict, bookings: dict[int, list[tuple]], user_id: int):
        self.zone, self.closed, self.bookings, self.user_id = zone, closed, bookings, user_id
        self.now = timezone.now()
        self.bounds = {}

    def __call__(self, resource: Resource, day: datetime.date, starts_at, ends_at, label: str) -> Cell:
        key = (day, starts_at, ends_at)
        if key not in self.bounds:
            starts = datetime.datetime.combine(day, starts_at)
            ends = datetime.datetime.combine(day, ends_at)
            # In UTC, like the bookings read back: comparing datetimes of one tzinfo skips an offset lookup each.
            self.bounds[key] = (
                starts,
                ends,
                starts.replace(tzinfo=self.zone).astimezone(datetime.UTC),
                ends.replace(tzinfo=self.zone).astimezone(datetime.UTC),
            )
        starts, ends, lower, upper = self.bounds[key]
        if day in self.closed:
            return Cell(resource, day, starts, ends, label, CLOSED)
        state, booking_id, checked_in = _state(self.bookings.get(resource.pk, []), lower, upper, self.user_id, self.now)
        return Cell(resource, day, starts, ends, label, state, booking_id, checked_in)


def _hour_columns(opening: OpeningHours | None) -> list[datetime.time]:
    if opening is None:
        return []
    return [datetime.time(hour) for hour in range(opening.closes.hour) if datetime.time(hour) >= opening.opens]


def _day_cells(cells: _Cells, resource: Resource, days: list[datetime.date], hours: dict) -> list[Cell]:
    """A cell per open day for a desk booked by the day, two (morning, afternoon) for one booked by the half day."""
    row = []
    for day in days:
        today_hours = hours[day.weekday()]
        if resource.unit == Resource.Unit.DAY:
            row.append(cells(resource, day, today_hours.opens, today_hours.closes, ""))
        else:
            row.append(cells(resource, day, today_hours.opens, today_hours.midday, "am"))
            row.append(cells(resource, day, today_hours.midday, today_hours.closes, "pm"))
    return row


def week_grid(space: Space, user, *, first_day: datetime.date, hours_day: datetime.date) -> Grid:
    """Resources × days for desks and rooms, resources × hours of `hours_day` for equipment booked hourly.

    Four queries whatever the number of resources or bookings: opening hours, closed dates, resources, and the
    active bookings overlapping the week (and the hours day)."""
    hours = {row.weekday: row for row in OpeningHours.objects.filter(space=space)}
    last_day = first_day + datetime.timedelta(days=6)
    closed = {
        row.date: row.reason
        for row in ClosedDate.objects.filter(
            Q(date__range=(first_day, last_day)) | Q(date=hours_day), space=space
        ).only("date", "reason")
    }
    resources = list(Resource.objects.filter(space=space, is_active=True).order_by("position", "name"))
    window_start, window_end = min(first_day, hours_day), max(last_day, hours_day)
    bookings = _bookings_by_resource(space, days_range(space, window_start, (window_end - window_start).days + 1))
    days = [first_day + datetime.timedelta(days=n) for n in range(7) if (first_day.weekday() + n) % 7 in hours]
    cells = _Cells(ZoneInfo(space.time_zone), closed, bookings, user.pk)
    hour_columns = _hour_columns(hours.get(hours_day.weekday()))
    day_rows, hour_rows = [], []
    for resource in resources:
        if resource.unit == Resource.Unit.HOUR:
            row = [cells(resource, hours_day, at, datetime.time(at.hour + 1), f"{at:%H:%M}") for at in hour_columns]
            hour_rows.append(Row(resource, space.money(resource.price), row))
        else:
            day_rows.append(Row(resource, space.money(resource.price), _day_cells(cells, resource, days, hours)))
    return Grid(space, first_day, days, hours_day, hour_columns, day_rows, hour_rows, closed)


def grid_cell(resource: Resource, user, *, starts: datetime.datetime, ends: datetime.datetime) -> Cell:
    """One cell again, after a booking or cancellation (htmx swaps it in place)."""
    space = resource.space
    zone = ZoneInfo(space.time_zone)
    day = starts.date()
    if ClosedDate.objects.filter(space=space, date=day).exists():
        return Cell(resource, day, starts, ends, "", CLOSED)
    lower, upper = starts.replace(tzinfo=zone), ends.replace(tzinfo=zone)
    # That resource's bookings only: the day of the whole space was read and all but one row thrown away.
    bookings = _bookings_by_resource(space, days_range(space, day, 1), resource).get(resource.pk, [])
    state, booking_id, checked_in = _state(bookings, lower, upper, user.pk, timezone.now())
    label = ""
    if resource.unit == Resource.Unit.HOUR:
        label = f"{starts:%H:%M}"
    elif resource.unit == Resource.Unit.HALF_DAY:
        hours = OpeningHours.objects.filter(space=space, weekday=day.weekday()).first()
        label = "am" if hours is not None and starts.time() == hours.opens else "pm"
    return Cell(resource, day, starts, ends, label, state, booking_id, checked_in)


def my_bookings(user):
    """The person's bookings, newest first, with resource and space in the same query."""
    return Booking.objects.filter(person=user).select_related("resource__space").order_by("-period")


def managed_plans(space: Space, user):
    return SubsidyPlan.objects.filter(managed_q(user, "cohort__program"), space=space).select_related("cohort")


@dataclass
class Report:
    month: datetime.date
    weekdays: list[tuple[int, int]]  # (ISO weekday, bookings)
    by_resource: list[tuple[str, list[int]]]  # (resource name, bookings per ISO weekday 1..7)
    peak: int
    plans: list[SubsidyPlan]
    no_shows: list[dict]
    late_cancellations: int


def report(space: Space, user, month: datetime.date) -> Report:
    """Occupancy by resource and weekday, subsidy per cohort against its budget, and no-shows: four queries."""
    first = month_start(month)
    next_month = (first + datetime.timedelta(days=32)).replace(day=1)
    zone = ZoneInfo(space.time_zone)
    in_month = Booking.objects.filter(
        resource__space=space, period__overlap=days_range(space, first, (next_month - first).days)
    )
    counts = (
        in_month.filter(status__in=[Booking.Status.ACTIVE, Booking.Status.NO_SHOW, Booking.Status.LATE_CANCELLED])
        .annotate(weekday=ExtractIsoWeekDay("period__startswith", tzinfo=zone))
        .values("resource__name", "resource__position", "weekday")
        .annotate(n=Count("pk"))
        .order_by("resource__position", "resource__name")
    )
    table: dict[str, list[int]] = {}
    for row in counts:
        table.setdefault(row["resource__name"], [0] * 7)[row["weekday"] - 1] = row["n"]
    weekdays = [(day, sum(values[day - 1] for values in table.values())) for day in range(1, 8)]
    plans = list(managed_plans(space, user).order_by("cohort__name"))
    no_shows = list(
        in_month.filter(managed_q(user, "plan__cohort__program"), status=Booking.Status.NO_SHOW)
        .values("person__name", "person__email")
        .annotate(n=Count("pk"))
        .order_by("-n", "person__name")
    )
    late = in_month.filter(managed_q(user, "plan__cohort__program"), status=Booking.Status.LATE_CANCELLED).count()
    return Report(
        month=first,
        weekdays=weekdays,
        by_resource=list(table.items()),
        peak=max([count for _day, count in weekdays] + [1]),
        plans=plans,
        no_shows=no_shows,
        late_cancellations=late,
    )


def default_week(space: Space) -> datetime.date:
    return week_start(space, space_today(space))


# Booked is what holds a desk: an active booking, or a no-show (the desk was kept until released).
HELD_STATUSES = (Booking.Status.ACTIVE, Booking.Status.NO_SHOW)
DESK_DAY_UNITS = (Resource.Unit.DAY, Resource.Unit.HALF_DAY)


@dataclass
class SpaceWeek:
    space: Space
    first_day: datetime.date
    desks: int
    open_days: int
    booked: Decimal

    @property
    def available(self) -> int:
        return self.desks * self.open_days

    @property
    def percent(self) -> int | None:
        return round(100 * self.booked / self.available) if self.available else None


def program_spaces_week(program) -> list[SpaceWeek]:
    """The program's spaces with this week's desk occupancy (each space's own week, in its zone): booked desk-days
    (a half day counts one half) against desks × open days. Four queries whatever the number of spaces: the spaces
    with their bookable desks counted, their opening hours, their closed dates this week, their bookings."""
    desk = Q(resources__kind=Resource.Kind.DESK, resources__is_active=True, resources__unit__in=DESK_DAY_UNITS)
    spaces = list(program.spaces.annotate(desks=Count("resources", filter=desk)).order_by("name"))
    if not spaces:
        return []
    weeks = {space.pk: week_start(space, space_today(space)) for space in spaces}
    first, last = min(weeks.values()), max(weeks.values()) + datetime.timedelta(days=6)
    open_weekdays = defaultdict(set)
    for space_id, weekday in OpeningHours.objects.filter(space__in=spaces).values_list("space_id", "weekday"):
        open_weekdays[space_id].add(weekday)
    closed = defaultdict(set)
    for space_id, date in ClosedDate.objects.filter(space__in=spaces, date__range=(first, last)).values_list(
        "space_id", "date"
    ):
        closed[space_id].add(date)
    in_week = Q()
    for space in spaces:
        week = days_range(space, weeks[space.pk], 7)
        in_week |= Q(resource__space=space, period__startswith__gte=week.lower, period__startswith__lt=week.upper)
    booked = dict(
        Booking.objects.filter(
            in_week,
            status__in=HELD_STATUSES,
            resource__kind=Resource.Kind.DESK,
            resource__unit__in=DESK_DAY_UNITS,
        )
        .values_list("resource__space_id")
        .annotate(units=Sum("units"))
        .order_by()
    )
    rows = []
    for space in spaces:
        days = [weeks[space.pk] + datetime.timedelta(days=n) for n in range(7)]
        open_days = sum(1 for d in days if d.weekday() in open_weekdays[space.pk] and d not in closed[space.pk])
        rows.append(
            SpaceWeek(
                space=space,
                first_day=weeks[space.pk],
                desks=space.desks,
                open_days=open_days,
                booked=booked.get(space.pk) or Decimal(0),
            )
        )
    return rows


def program_plans(program):
    """The subsidy plans of the program's cohorts with what they have spent (kept on the plan), in their space's
    currency, as the space report shows it: one query."""
    return (
        SubsidyPlan.objects.filter(cohort__program=program)
        .select_related("cohort", "space")
        .order_by("-cohort__starts_on", "cohort__name", "space__name")
    )
