"""The calendar check: the tests marked `calendar` (they read "today") run with the clock set to the instants where
a day, a month or an hour is not what it usually is in the programs' time zones (Europe/Warsaw, Asia/Jerusalem,
Africa/Casablanca; see PROGRAMS.md).

`pytest -m calendar --clock=all` runs each fast calendar test once per scenario, and each browser test once, at
the scenario its marker names (`@pytest.mark.calendar("warsaw-sunday")`): a browser journey seeds the whole demo,
so every journey at every instant would cost minutes. `--clock=NAME[,NAME…]` or `--clock=2026-12-06T10:00+01:00`
runs every selected calendar test at exactly those instants, whatever its marker names.
"""

import datetime
from zoneinfo import ZoneInfo

import pytest

WARSAW = ZoneInfo("Europe/Warsaw")
JERUSALEM = ZoneInfo("Asia/Jerusalem")
CASABLANCA = ZoneInfo("Africa/Casablanca")

SCENARIOS = {
    # The workshop in Bydgoszcz is closed on Sundays: a page that opens on "today" has no hours to show.
    "warsaw-sunday": datetime.datetime(2026, 12, 6, 10, 0, tzinfo=WARSAW),
    # Still November in UTC and in Jerusalem, December in half an hour: "this month" must be asked in one zone.
    "jerusalem-month-end": datetime.datetime(2026, 11, 30, 23, 30, tzinfo=JERUSALEM),
    # Already 1 January 2027 in Jerusalem while UTC (the database, the server) is still in 2026.
    "jerusalem-new-year": datetime.datetime(2027, 1, 1, 0, 30, tzinfo=JERUSALEM),
    # Half an hour before Israel's clocks jump from 02:00 to 03:00: a day of 23 hours.
    "jerusalem-dst": datetime.datetime(2027, 3, 26, 1, 30, tzinfo=JERUSALEM),
    # Morocco leaves UTC+1 for Ramadan: at 03:00 the clocks go back to 02:00, a day of 25 hours (and a Sunday).
    "casablanca-dst": datetime.datetime(2027, 2, 7, 2, 30, tzinfo=datetime.timezone(datetime.timedelta(hours=1))),
    # Half an hour before Poland's clocks jump from 02:00 to 03:00, on a Sunday.
    "warsaw-dst": datetime.datetime(2027, 3, 28, 1, 30, tzinfo=WARSAW),
    "leap-day": datetime.datetime(2028, 2, 29, 12, 0, tzinfo=datetime.UTC),
}


def instants(value: str) -> dict[str, datetime.datetime]:
    """`--clock`'s value: `all`, scenario names or ISO instants with their UTC offset, separated by commas."""
    if value == "all":
        return dict(SCENARIOS)
    chosen = {}
    for item in value.split(","):
        if item in SCENARIOS:
            chosen[item] = SCENARIOS[item]
            continue
        try:
            instant = datetime.datetime.fromisoformat(item)
        except ValueError:
            known = ", ".join(SCENARIOS)
            raise pytest.UsageError(f"--clock: {item!r} is neither a scenario ({known}) nor an instant") from None
        if instant.tzinfo is None:
            raise pytest.UsageError(f"--clock: {item!r} needs its UTC offset (e.g. {item}+01:00)")
        chosen[item] = instant
    return chosen


def scenarios_for(item_marker, every: dict[str, datetime.datetime], *, assigned_only: bool) -> dict:
    """The instants one test runs at: with `--clock=all`, the scenarios its marker names (all, if it names none)."""
    named = item_marker.args
    unknown = [name for name in named if name not in SCENARIOS]
    if unknown:
        raise pytest.UsageError(f"calendar marker names unknown scenarios {unknown}; known: {', '.join(SCENARIOS)}")
    if assigned_only and named:
        return {name: every[name] for name in named}
    return every
