"""Wall-clock times in a space and the periods built from them: days, weeks, months and booking units.

Periods are given as the space's wall-clock times (naive datetimes) and turned into UTC here, so a booking on
a daylight-saving day has its true length, and a time that does not exist or happens twice is refused."""

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.db.backends.postgresql.psycopg_any import DateTimeTZRange
from django.utils import timezone
from django.utils.translation import gettext as _

from incubator.when import format_clock, format_day
from workspaces.models import Resource, Space

HALF = Decimal("0.5")


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


def booking_units(resource: Resource, lower: datetime.datetime, upper: datetime.datetime) -> Decimal:
    """A full day is 1 unit, a half day 0.5, an hour 1 — real hours, so a DST night's booking is its true length."""
    if resource.unit == Resource.Unit.DAY:
        return Decimal(1)
    if resource.unit == Resource.Unit.HALF_DAY:
        return HALF
    return Decimal((upper - lower) // datetime.timedelta(hours=1))
