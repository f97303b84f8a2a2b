"""The bounds every value taken from a URL or a form is held to, in one place (issue 18: odd input never reaches a
500).

- Dates: years EARLIEST_YEAR..LATEST_YEAR (1900..2200). Far wider than any program, birth date or booking needs,
  and far enough inside Python's (years 1..9999) and PostgreSQL's ranges that any arithmetic a page does on a
  date or a datetime (a month further, a week of slots, 8 weeks of recurring bookings, a time zone's offset)
  cannot overflow.
- Whole numbers: within the column they are compared with (PostgreSQL integer, or bigint for ids).
- Text: no NUL character, which PostgreSQL refuses to store or even compare; incubator.odd_input answers 400 for
  any request carrying one, before a view sees it.
"""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from incubator.widgets import IsoDateInput

EARLIEST_YEAR = 1900
LATEST_YEAR = 2200
EARLIEST_DAY = datetime.date(EARLIEST_YEAR, 1, 1)
LATEST_DAY = datetime.date(LATEST_YEAR, 12, 31)
EARLIEST_MONTH = f"{EARLIEST_YEAR}-01"
LATEST_MONTH = f"{LATEST_YEAR}-12"

MAX_INTEGER = 2**31 - 1  # PostgreSQL integer
MAX_BIGINT = 2**63 - 1  # PostgreSQL bigint: every id (BigAutoField)


def day_in_bounds(day: datetime.date) -> bool:
    if isinstance(day, datetime.datetime):
        day = day.date()
    return EARLIEST_DAY <= day <= LATEST_DAY


def parse_day(value: str | None) -> datetime.date | None:
    """`YYYY-MM-DD` within the bounds; None when missing, unreadable or out of bounds."""
    try:
        day = datetime.date.fromisoformat(value) if value else None
    except ValueError:
        return None
    return day if day is not None and day_in_bounds(day) else None


def parse_month(value: str | None) -> datetime.date | None:
    """`YYYY-MM` to the month's first day within the bounds; None when unreadable or out of bounds."""
    try:
        month = datetime.datetime.strptime(value or "", "%Y-%m").date()
    except ValueError:
        return None
    return month if day_in_bounds(month) else None


def is_out_of_bounds_month(value: str | None) -> bool:
    """A well-formed `YYYY-MM` outside the bounds (9999-12, 0001-01), to be told apart from a mistyped one."""
    try:
        datetime.datetime.strptime(value or "", "%Y-%m")
    except ValueError:
        return False
    return parse_month(value) is None


def parse_int(value, *, minimum: int = 1, maximum: int = MAX_BIGINT) -> int | None:
    """A whole number within minimum..maximum (ids by default); None otherwise."""
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        return None
    return number if minimum <= number <= maximum else None


def validate_day(value):
    """A form field's date (or datetime) within the bounds, with a message naming them."""
    if value is not None and not day_in_bounds(value):
        raise ValidationError(
            _("Enter a date between %(earliest)s and %(latest)s."),
            code="out_of_bounds",
            params={"earliest": EARLIEST_DAY.isoformat(), "latest": LATEST_DAY.isoformat()},
        )


class BoundedDateField(forms.DateField):
    """A date input whose value stays within the bounds: a form refuses 9999-12-31 with a message, kept filled.
    Shown as the browser's date picker, its value written in ISO whatever the language (incubator.widgets)."""

    widget = IsoDateInput
    default_validators = [validate_day]
