"""The calendar check's instants are what their names say, and `--clock` reads names and instants."""

import datetime

import pytest

from tests.calendar_clock import CASABLANCA, JERUSALEM, SCENARIOS, WARSAW, instants

HOUR = datetime.timedelta(hours=1)


def offset_changes_within_the_hour(instant: datetime.datetime, zone) -> bool:
    utc = instant.astimezone(datetime.UTC)  # an hour later in UTC: wall-clock arithmetic in the zone would skip it
    return utc.astimezone(zone).utcoffset() != (utc + HOUR).astimezone(zone).utcoffset()


def test_each_scenario_is_the_day_it_names():
    assert SCENARIOS["warsaw-sunday"].astimezone(WARSAW).weekday() == 6
    month_end = SCENARIOS["jerusalem-month-end"].astimezone(datetime.UTC)
    assert (month_end + HOUR).astimezone(JERUSALEM).month != month_end.astimezone(JERUSALEM).month
    new_year = SCENARIOS["jerusalem-new-year"]
    assert (new_year.astimezone(JERUSALEM).year, new_year.astimezone(datetime.UTC).year) == (2027, 2026)
    assert offset_changes_within_the_hour(SCENARIOS["jerusalem-dst"], JERUSALEM)
    assert offset_changes_within_the_hour(SCENARIOS["casablanca-dst"], CASABLANCA)
    assert offset_changes_within_the_hour(SCENARIOS["warsaw-dst"], WARSAW)
    assert (SCENARIOS["leap-day"].month, SCENARIOS["leap-day"].day) == (2, 29)


def test_clock_option_reads_all_names_and_instants():
    assert instants("all") == SCENARIOS
    chosen = instants("leap-day,2026-12-06T23:30:00+01:00")
    assert list(chosen) == ["leap-day", "2026-12-06T23:30:00+01:00"]
    assert chosen["2026-12-06T23:30:00+01:00"] == datetime.datetime(2026, 12, 6, 22, 30, tzinfo=datetime.UTC)
    with pytest.raises(pytest.UsageError, match="UTC offset"):
        instants("2026-12-06T23:30:00")
    with pytest.raises(pytest.UsageError, match="neither a scenario"):
        instants("someday")
