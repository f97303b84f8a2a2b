"""The bounds of incubator/bounds.py: one range of dates for every value read from a URL or a form."""

import datetime

import pytest
from django import forms

from incubator import bounds


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2026-06-01", datetime.date(2026, 6, 1)),
        ("1900-01-01", datetime.date(1900, 1, 1)),
        ("2200-12-31", datetime.date(2200, 12, 31)),
        ("1899-12-31", None),
        ("2201-01-01", None),
        ("9999-12-31", None),
        ("0001-01-01", None),
        ("2026-02-30", None),
        ("\x00", None),
        ("", None),
        (None, None),
    ],
)
def test_parse_day_keeps_within_the_bounds(value, expected):
    assert bounds.parse_day(value) == expected


@pytest.mark.parametrize(
    ("value", "expected", "out_of_bounds"),
    [
        ("2026-06", datetime.date(2026, 6, 1), False),
        ("9999-12", None, True),
        ("0001-01", None, True),
        ("2026-13", None, False),
        ("June", None, False),
    ],
)
def test_parse_month_tells_a_far_month_from_a_mistyped_one(value, expected, out_of_bounds):
    assert bounds.parse_month(value) == expected
    assert bounds.is_out_of_bounds_month(value) is out_of_bounds


@pytest.mark.parametrize(
    ("value", "expected"),
    [("12", 12), ("0", None), ("9" * 20, None), (str(2**63 - 1), 2**63 - 1), ("x", None), (None, None)],
)
def test_parse_int_keeps_within_bigint(value, expected):
    assert bounds.parse_int(value) == expected


def test_every_arithmetic_a_page_does_stays_inside_pythons_calendar():
    # A year of days either side of the bounds: a month's following and previous month, a week, 8 weeks of recurring
    # bookings, a day's time-zone offset.
    for day in (bounds.EARLIEST_DAY, bounds.LATEST_DAY):
        moment = datetime.datetime.combine(day, datetime.time(), tzinfo=datetime.UTC)
        assert (moment + datetime.timedelta(days=366)).year < 9999
        assert (moment - datetime.timedelta(days=366)).year > 1


def test_bounded_date_field_refuses_with_the_bounds_named():
    class Form(forms.Form):
        on = bounds.BoundedDateField()

    form = Form({"on": "9999-12-31"})
    assert not form.is_valid()
    assert form.errors["on"] == ["Enter a date between 1900-01-01 and 2200-12-31."]
    assert Form({"on": "2026-06-01"}).is_valid()
