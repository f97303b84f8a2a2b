"""The slots of an availability (cohorts.models.availability), computed from its rules, never stored.

`free_slots(availability, *, busy, now, start=None, end=None)` lists the free `Slot`s; `slot_refusal(availability,
*, starts_at, busy, now)` says why one start time cannot be booked, or None when it can. Both read
`availability.windows.all()` and `availability.exceptions.all()` (prefetch them to read a list of availabilities
in a fixed number of queries) and never query anything else: the caller passes `busy`, the periods already taken
(the owner's sessions, the panel's interviews), as (starts_at, ends_at) pairs of aware datetimes.

The taken signal: `slot_refusal` returns a `SlotRefusal` whose `reason` is one of the `SLOT_*` constants below
and whose `message` is the translated sentence for the person (in the language active when it is read;
`str(refusal)` is the message). `refusal.taken` (`reason == SLOT_TAKEN`) is the one a caller answers with HTTP
409 ("just taken": another booking got there first); every other reason is a 400-style refusal of a slot that was
never free. Check the refusal again under the lock that guards the booking, with `busy` read under that lock.

The rules, in the availability's time zone (zoneinfo):
- each weekly window on a date, and each one-off open exception of that date, is cut into slots of
  `slot_minutes` laid from the window's start; a slot must end, in wall-clock time, by the window's end;
- a day with a whole-day closed exception has no slots; closed hours remove the slots that overlap them;
- across a DST change (or Casablanca's Ramadan change of offset) slots keep their wall-clock times: a slot whose
  local start does not exist (the clocks jump over it) is skipped; a local start that exists twice (the clocks
  go back) is the first one (fold=0); a slot lasts `slot_minutes` of real time, and a slot overlapping an
  earlier one of the same day is dropped, so slots never overlap each other;
- a slot is offered when it starts no earlier than `now + notice_hours` and no later than `now + horizon_days`,
  and overlaps nothing in `busy` (periods are half-open: a session ending at 10:00 leaves a 10:00 slot free);
- an availability that is not active offers nothing.
"""

import bisect
import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.utils.translation import gettext

UTC = datetime.UTC

SLOT_PAST = "past"
SLOT_NOTICE = "notice"
SLOT_HORIZON = "horizon"
SLOT_CLOSED = "closed"
SLOT_OUTSIDE = "outside"
SLOT_TAKEN = "taken"


@dataclass(frozen=True, order=True)
class Slot:
    starts_at: datetime.datetime
    ends_at: datetime.datetime


@dataclass(frozen=True)
class SlotRefusal:
    reason: str
    notice_hours: int = 0

    @property
    def taken(self) -> bool:
        return self.reason == SLOT_TAKEN

    @property
    def message(self) -> str:
        if self.reason == SLOT_PAST:
            return gettext("This time has already passed.")
        if self.reason == SLOT_NOTICE:
            return gettext("This time is too soon: bookings close %(hours)s h before the start.") % {
                "hours": self.notice_hours
            }
        if self.reason == SLOT_HORIZON:
            return gettext("This time is too far ahead to be booked yet.")
        if self.reason == SLOT_CLOSED:
            return gettext("This day or time is closed.")
        if self.reason == SLOT_TAKEN:
            return gettext("This slot has just been taken. Please choose another one.")
        return gettext("This time is not one of the available slots.")

    def __str__(self):
        return self.message


def _exists(local: datetime.datetime) -> bool:
    """False for a wall-clock time the clocks jump over (it does not survive a round trip through UTC)."""
    return local.astimezone(UTC).astimezone(local.tzinfo).replace(tzinfo=None) == local.replace(tzinfo=None)


def _day_slots(availability, day: datetime.date, zone: ZoneInfo, windows: list, todays: list) -> list[Slot]:
    """All of the day's slots by the rules alone (no notice, horizon or busy), in order, never overlapping:
    `windows` are the weekly windows, `todays` the exceptions of that date."""
    if any(exception.closed and exception.starts is None for exception in todays):
        return []
    spans = [(w.starts, w.ends) for w in windows if w.weekday == day.weekday()]
    spans += [(e.starts, e.ends) for e in todays if not e.closed]
    closed = [
        (datetime.datetime.combine(day, e.starts), datetime.datetime.combine(day, e.ends)) for e in todays if e.closed
    ]
    length = datetime.timedelta(minutes=availability.slot_minutes)
    candidates = []
    for starts, ends in spans:
        wall, limit = datetime.datetime.combine(day, starts), datetime.datetime.combine(day, ends)
        while wall + length <= limit:
            local = wall.replace(tzinfo=zone)
            if _exists(local):
                starts_at = local.astimezone(UTC)
                ends_wall = (starts_at + length).astimezone(zone).replace(tzinfo=None)
                in_closed = any(wall < off_ends and ends_wall > off_starts for off_starts, off_ends in closed)
                if ends_wall <= limit and not in_closed:
                    candidates.append(Slot(starts_at, starts_at + length))
            wall += length
    slots = []
    for slot in sorted(set(candidates)):
        if not slots or slot.starts_at >= slots[-1].ends_at:
            slots.append(slot)
    return slots


def _by_date(availability) -> dict[datetime.date, list]:
    exceptions = {}
    for exception in availability.exceptions.all():
        exceptions.setdefault(exception.on, []).append(exception)
    return exceptions


def _merged(busy: Iterable[tuple[datetime.datetime, datetime.datetime]]) -> tuple[list, list]:
    """The busy periods merged and sorted, as parallel lists of starts and ends (for bisecting)."""
    starts, ends = [], []
    for period_starts, period_ends in sorted(busy):
        if starts and period_starts <= ends[-1]:
            ends[-1] = max(ends[-1], period_ends)
        else:
            starts.append(period_starts)
            ends.append(period_ends)
    return starts, ends


def _overlaps(slot: Slot, starts: list, ends: list) -> bool:
    index = bisect.bisect_left(starts, slot.ends_at)
    return index > 0 and ends[index - 1] > slot.starts_at


def _bounds(availability, now: datetime.datetime) -> tuple[datetime.datetime, datetime.datetime]:
    return (
        now + datetime.timedelta(hours=availability.notice_hours),
        now + datetime.timedelta(days=availability.horizon_days),
    )


def free_slots(
    availability,
    *,
    busy: Iterable[tuple[datetime.datetime, datetime.datetime]],
    now: datetime.datetime,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
) -> list[Slot]:
    """The free slots from `now + notice` to `now + horizon`, or on the local dates `start`..`end` (both included,
    in the availability's zone) clipped to that span, in order."""
    if not availability.active:
        return []
    zone = ZoneInfo(availability.time_zone)
    earliest, latest = _bounds(availability, now)
    first, last = earliest.astimezone(zone).date(), latest.astimezone(zone).date()
    first, last = max(first, start) if start else first, min(last, end) if end else last
    windows, exceptions = list(availability.windows.all()), _by_date(availability)
    busy_starts, busy_ends = _merged(busy)
    slots, day = [], first
    while day <= last:
        slots += [
            slot
            for slot in _day_slots(availability, day, zone, windows, exceptions.get(day, []))
            if earliest <= slot.starts_at <= latest and not _overlaps(slot, busy_starts, busy_ends)
        ]
        day += datetime.timedelta(days=1)
    return slots


def slot_refusal(
    availability,
    *,
    starts_at: datetime.datetime,
    busy: Iterable[tuple[datetime.datetime, datetime.datetime]],
    now: datetime.datetime,
) -> SlotRefusal | None:
    """None when `starts_at` is the start of a free slot, else why not (see the module's docstring)."""
    earliest, latest = _bounds(availability, now)
    if starts_at < now:
        return SlotRefusal(SLOT_PAST)
    if starts_at < earliest:
        return SlotRefusal(SLOT_NOTICE, notice_hours=availability.notice_hours)
    if starts_at > latest:
        return SlotRefusal(SLOT_HORIZON)
    if not availability.active:
        return SlotRefusal(SLOT_OUTSIDE)
    zone = ZoneInfo(availability.time_zone)
    day = starts_at.astimezone(zone).date()
    windows, todays = list(availability.windows.all()), _by_date(availability).get(day, [])
    slot = next((s for s in _day_slots(availability, day, zone, windows, todays) if s.starts_at == starts_at), None)
    if slot is None:
        open_rules = windows, [e for e in todays if not e.closed]
        if any(s.starts_at == starts_at for s in _day_slots(availability, day, zone, *open_rules)):
            return SlotRefusal(SLOT_CLOSED)
        return SlotRefusal(SLOT_OUTSIDE)
    if _overlaps(slot, *_merged(busy)):
        return SlotRefusal(SLOT_TAKEN)
    return None
