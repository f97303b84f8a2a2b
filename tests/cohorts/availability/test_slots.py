"""The slot computation, pure Python: rules built in memory (no database), time zones from the machine's tz data."""

import datetime
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation

from cohorts.availability import (
    SLOT_CLOSED,
    SLOT_HORIZON,
    SLOT_NOTICE,
    SLOT_OUTSIDE,
    SLOT_PAST,
    SLOT_TAKEN,
    Slot,
    free_slots,
    slot_refusal,
)
from cohorts.models import AvailabilityException, AvailabilityWindow

UTC = datetime.UTC
T = datetime.time


def rules(zone="UTC", *, windows=(), exceptions=(), slot_minutes=30, notice_hours=0, horizon_days=28, active=True):
    """An availability as `free_slots` reads it: its settings and its windows and exceptions."""
    return SimpleNamespace(
        time_zone=zone,
        slot_minutes=slot_minutes,
        notice_hours=notice_hours,
        horizon_days=horizon_days,
        active=active,
        windows=SimpleNamespace(all=lambda: [AvailabilityWindow(weekday=w, starts=s, ends=e) for w, s, e in windows]),
        exceptions=SimpleNamespace(
            all=lambda: [
                AvailabilityException(on=on, closed=closed, starts=s, ends=e) for on, closed, s, e in exceptions
            ]
        ),
    )


def local_starts(slots, zone):
    """Each slot's start as local wall-clock text, with its UTC offset."""
    return [slot.starts_at.astimezone(ZoneInfo(zone)).strftime("%H:%M%z") for slot in slots]


def on(day, slots, zone):
    return [s for s in slots if s.starts_at.astimezone(ZoneInfo(zone)).date() == day]


MONDAY = datetime.date(2027, 1, 4)
NOW = datetime.datetime(2027, 1, 1, 9, tzinfo=UTC)  # a Friday


def test_slots_are_laid_from_the_window_start_and_must_fit():
    availability = rules("Europe/Warsaw", windows=[(0, T(9), T(10, 45))])
    slots = free_slots(availability, busy=[], now=NOW, start=MONDAY, end=MONDAY)
    assert local_starts(slots, "Europe/Warsaw") == ["09:00+0100", "09:30+0100", "10:00+0100"]
    assert all(s.ends_at - s.starts_at == datetime.timedelta(minutes=30) for s in slots)
    assert all(s.starts_at.tzinfo == UTC for s in slots)


def test_several_windows_a_day_and_every_week_within_the_horizon():
    availability = rules(windows=[(0, T(9), T(10)), (0, T(14), T(15))], slot_minutes=60, horizon_days=14)
    slots = free_slots(availability, busy=[], now=NOW)
    assert [s.starts_at for s in slots] == [
        datetime.datetime(2027, 1, d, h, tzinfo=UTC) for d in (4, 11) for h in (9, 14)
    ]


def test_notice_and_horizon_clip_the_span_and_the_dates_given():
    availability = rules(windows=[(d, T(9), T(10)) for d in range(7)], slot_minutes=60, notice_hours=24, horizon_days=3)
    slots = free_slots(availability, busy=[], now=NOW)
    # Friday 9:00 is the notice's edge (now + 24 h = Saturday 9:00, included); the horizon is Monday 9:00.
    assert [s.starts_at.day for s in slots] == [2, 3, 4]
    assert [s.starts_at.day for s in free_slots(availability, busy=[], now=NOW, start=MONDAY)] == [4]
    assert free_slots(availability, busy=[], now=NOW, end=datetime.date(2027, 1, 1)) == []


def test_busy_periods_remove_the_slots_they_overlap_and_only_those():
    availability = rules(windows=[(0, T(9), T(12))], slot_minutes=60)
    busy = [
        (datetime.datetime(2027, 1, 4, 9, 30, tzinfo=UTC), datetime.datetime(2027, 1, 4, 10, tzinfo=UTC)),
        (datetime.datetime(2027, 1, 4, 8, tzinfo=UTC), datetime.datetime(2027, 1, 4, 9, tzinfo=UTC)),
    ]
    slots = free_slots(availability, busy=busy, now=NOW, start=MONDAY, end=MONDAY)
    assert local_starts(slots, "UTC") == ["10:00+0000", "11:00+0000"]


def test_closed_day_closed_hours_and_one_off_open_window():
    tuesday = MONDAY + datetime.timedelta(days=1)
    availability = rules(
        windows=[(0, T(9), T(12))],
        slot_minutes=60,
        exceptions=[
            (MONDAY + datetime.timedelta(days=7), True, None, None),
            (MONDAY, True, T(10, 30), T(11)),
            (tuesday, False, T(18), T(20)),
        ],
    )
    slots = free_slots(availability, busy=[], now=NOW, start=MONDAY, end=MONDAY + datetime.timedelta(days=7))
    assert [s.starts_at for s in slots] == [
        datetime.datetime(2027, 1, 4, 9, tzinfo=UTC),
        datetime.datetime(2027, 1, 4, 11, tzinfo=UTC),
        datetime.datetime(2027, 1, 5, 18, tzinfo=UTC),
        datetime.datetime(2027, 1, 5, 19, tzinfo=UTC),
    ]


def test_an_inactive_availability_offers_nothing():
    availability = rules(windows=[(0, T(9), T(12))], active=False)
    assert free_slots(availability, busy=[], now=NOW) == []
    assert (
        slot_refusal(availability, starts_at=datetime.datetime(2027, 1, 4, 9, tzinfo=UTC), busy=[], now=NOW).reason
        == SLOT_OUTSIDE
    )


@pytest.mark.parametrize(
    ("zone", "day", "window", "expected"),
    [
        # Warsaw springs forward at 02:00 on 28 March 2027: 02:00 and 02:30 do not exist and are skipped.
        (
            "Europe/Warsaw",
            datetime.date(2027, 3, 28),
            (T(1), T(4)),
            ["01:00+0100", "01:30+0100", "03:00+0200", "03:30+0200"],
        ),
        # Warsaw falls back at 03:00 on 31 October 2027: 02:00-03:00 happens twice; the first one is used.
        (
            "Europe/Warsaw",
            datetime.date(2027, 10, 31),
            (T(1), T(4)),
            ["01:00+0200", "01:30+0200", "02:00+0200", "02:30+0200", "03:00+0100", "03:30+0100"],
        ),
        # Jerusalem springs forward at 02:00 on Friday 26 March 2027.
        (
            "Asia/Jerusalem",
            datetime.date(2027, 3, 26),
            (T(1), T(4)),
            ["01:00+0200", "01:30+0200", "03:00+0300", "03:30+0300"],
        ),
        # Jerusalem falls back at 02:00 on 31 October 2027: 01:00-02:00 happens twice.
        (
            "Asia/Jerusalem",
            datetime.date(2027, 10, 31),
            (T(0), T(3)),
            ["00:00+0300", "00:30+0300", "01:00+0300", "01:30+0300", "02:00+0200", "02:30+0200"],
        ),
        # Casablanca goes back to +00 for Ramadan at 03:00 on 7 February 2027: 02:00-03:00 happens twice.
        (
            "Africa/Casablanca",
            datetime.date(2027, 2, 7),
            (T(1), T(4)),
            ["01:00+0100", "01:30+0100", "02:00+0100", "02:30+0100", "03:00+0000", "03:30+0000"],
        ),
        # ... and returns to +01 at 02:00 on 14 March 2027: 02:00-03:00 does not exist.
        (
            "Africa/Casablanca",
            datetime.date(2027, 3, 14),
            (T(1), T(4)),
            ["01:00+0000", "01:30+0000", "03:00+0100", "03:30+0100"],
        ),
    ],
)
def test_a_clock_change_inside_a_window_keeps_the_wall_clock_times(zone, day, window, expected):
    availability = rules(zone, windows=[(day.weekday(), *window)], horizon_days=366)
    slots = free_slots(availability, busy=[], now=NOW, start=day, end=day)
    assert local_starts(slots, zone) == expected
    assert all(a.ends_at <= b.starts_at for a, b in zip(slots, slots[1:], strict=False))


def test_the_days_around_casablancas_ramadan_keep_nine_oclock_local():
    """Slots stay at 09:00 local while the UTC offset changes from +01 to +00 and back."""
    zone = "Africa/Casablanca"
    availability = rules(zone, windows=[(d, T(9), T(10)) for d in range(7)], slot_minutes=60, horizon_days=366)
    slots = free_slots(availability, busy=[], now=NOW, start=datetime.date(2027, 2, 6), end=datetime.date(2027, 3, 15))
    assert set(local_starts(slots, zone)) == {"09:00+0100", "09:00+0000"}
    utc_hours = {s.starts_at.date(): s.starts_at.hour for s in slots}
    assert utc_hours[datetime.date(2027, 2, 6)] == 8
    assert utc_hours[datetime.date(2027, 2, 7)] == 9
    assert utc_hours[datetime.date(2027, 3, 13)] == 9
    assert utc_hours[datetime.date(2027, 3, 14)] == 8


def test_slots_never_overlap_when_the_clocks_jump_inside_a_long_slot():
    zone = "Europe/Warsaw"
    day = datetime.date(2027, 3, 28)
    availability = rules(zone, windows=[(day.weekday(), T(0), T(6))], slot_minutes=120, horizon_days=366)
    slots = free_slots(availability, busy=[], now=NOW, start=day, end=day)
    # 00:00+01 lasts until 03:00+02 (two real hours): the 02:00 start does not exist, 04:00 follows.
    assert local_starts(slots, zone) == ["00:00+0100", "04:00+0200"]
    assert all(a.ends_at <= b.starts_at for a, b in zip(slots, slots[1:], strict=False))


def test_a_slot_running_past_the_window_end_across_the_gap_is_dropped():
    zone = "Europe/Warsaw"
    day = datetime.date(2027, 3, 28)
    availability = rules(zone, windows=[(day.weekday(), T(1), T(2, 30))], slot_minutes=60, horizon_days=366)
    # 01:00+01 ends at 03:00+02, beyond 02:30: no slot fits that morning.
    assert free_slots(availability, busy=[], now=NOW, start=day, end=day) == []


AT_NINE = datetime.datetime(2027, 1, 4, 9, tzinfo=UTC)


@pytest.mark.parametrize(
    ("starts_at", "now", "busy", "reason"),
    [
        (AT_NINE, AT_NINE + datetime.timedelta(minutes=1), [], SLOT_PAST),
        (AT_NINE, AT_NINE - datetime.timedelta(hours=2), [], SLOT_NOTICE),
        (AT_NINE, AT_NINE - datetime.timedelta(days=29), [], SLOT_HORIZON),
        (AT_NINE + datetime.timedelta(days=7), NOW, [], SLOT_CLOSED),
        (AT_NINE + datetime.timedelta(hours=1), NOW, [], SLOT_CLOSED),
        (AT_NINE + datetime.timedelta(minutes=15), NOW, [], SLOT_OUTSIDE),
        (AT_NINE + datetime.timedelta(days=1), NOW, [], SLOT_OUTSIDE),
        (AT_NINE, NOW, [(AT_NINE + datetime.timedelta(minutes=59), AT_NINE + datetime.timedelta(hours=3))], SLOT_TAKEN),
    ],
)
def test_each_refusal_names_its_reason(starts_at, now, busy, reason):
    availability = rules(
        windows=[(0, T(9), T(12))],
        slot_minutes=60,
        notice_hours=4,
        exceptions=[(MONDAY + datetime.timedelta(days=7), True, None, None), (MONDAY, True, T(10), T(11))],
    )
    refusal = slot_refusal(availability, starts_at=starts_at, busy=busy, now=now)
    assert refusal.reason == reason
    assert refusal.taken == (reason == SLOT_TAKEN)
    assert str(refusal) == refusal.message


def test_a_free_slot_is_not_refused_and_a_neighbouring_busy_period_does_not_take_it():
    availability = rules(windows=[(0, T(9), T(12))], slot_minutes=60)
    busy = [
        (AT_NINE - datetime.timedelta(hours=1), AT_NINE),
        (AT_NINE + datetime.timedelta(hours=1), AT_NINE + datetime.timedelta(hours=2)),
    ]
    assert slot_refusal(availability, starts_at=AT_NINE, busy=busy, now=NOW) is None
    assert Slot(AT_NINE, AT_NINE + datetime.timedelta(hours=1)) in free_slots(availability, busy=busy, now=NOW)


def test_the_refusal_reads_in_the_language_active_when_read():
    availability = rules(windows=[(0, T(9), T(12))], slot_minutes=60)
    refusal = slot_refusal(
        availability, starts_at=AT_NINE, busy=[(AT_NINE, AT_NINE + datetime.timedelta(hours=1))], now=NOW
    )
    english = refusal.message
    with translation.override("fr"):
        assert refusal.message != english


def test_the_refused_and_offered_agree_on_every_start_of_a_month():
    """Every offered slot is accepted by `slot_refusal`; every other quarter-hour of the month is refused."""
    zone = "Asia/Jerusalem"
    availability = rules(
        zone, windows=[(d, T(8), T(13)) for d in (0, 2, 4, 6)], slot_minutes=45, notice_hours=12, horizon_days=31
    )
    now = datetime.datetime(2027, 3, 10, 6, 7, tzinfo=UTC)
    offered = {s.starts_at for s in free_slots(availability, busy=[], now=now)}
    assert offered
    moment = now.replace(minute=0)
    while moment < now + datetime.timedelta(days=32):
        refused = slot_refusal(availability, starts_at=moment, busy=[], now=now)
        assert (refused is None) == (moment in offered), moment
        moment += datetime.timedelta(minutes=15)
