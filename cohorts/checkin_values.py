"""Reading a check-in's answers from what people typed, in the language of the page they typed it in.

A number may come as the page's language writes it ("1 234,5" in French and Polish, "1,234.5" in English and
Hebrew, Arabic-Indic digits in Arabic) or as a plain machine number ("1234.5"); either is read to the same value.
"""

import re
from decimal import Decimal, InvalidOperation

from babel.numbers import NumberFormatError, parse_decimal
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from cohorts.models import Metric
from incubator.when import locale_name

PLAIN_NUMBER = re.compile(r"-?\d+(\.\d+)?")
# Marks that right-to-left text puts around a minus sign, and the spaces people type between thousands.
INVISIBLE = dict.fromkeys(map(ord, "\u200e\u200f\u061c"), None)
SPACES = re.compile(r"[\s\u00a0\u202f]+")
DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹٫٬−", "01234567890123456789.,-")
TEXT_LIMIT = 2000
YES, NO = "yes", "no"


def parse_number(typed: str, language: str) -> Decimal:
    """The number `typed` writes, or ValueError."""
    text = SPACES.sub("", typed.translate(INVISIBLE).translate(DIGITS))
    if PLAIN_NUMBER.fullmatch(text):
        return Decimal(text)
    try:
        # Babel expects the language's own group separator; people type an ordinary space, dropped above.
        return parse_decimal(text, locale=locale_name(language), strict=True)
    except (NumberFormatError, InvalidOperation) as error:
        raise ValueError(typed) from error


def _number(typed: str, language: str, *, places: int, low, high, message: str) -> Decimal:
    try:
        value = parse_number(typed, language)
    except ValueError:
        raise ValidationError(message) from None
    # Bounds first: "1E999999" or "NaN" read as numbers no column holds, and would not round.
    if not value.is_finite() or not low <= value <= high or value != value.quantize(Decimal(1).scaleb(-places)):
        raise ValidationError(message)
    return value


def _count(typed: str, language: str) -> dict:
    message = _("Enter a whole number, 0 or more.")
    return {"count": int(_number(typed, language, places=0, low=0, high=10**12, message=message))}


def _money(typed: str, language: str, currency: str, expected: str) -> dict:
    if currency != expected:
        raise ValidationError(
            _("Amounts are reported in %(expected)s, not %(currency)s.") % {"expected": expected, "currency": currency}
        )
    message = _("Enter an amount, with at most two decimals (a loss is a negative amount).")
    value = _number(typed, language, places=2, low=-(10**11), high=10**11, message=message)
    return {"amount": value, "currency": currency}


def _fte(typed: str, language: str) -> dict:
    message = _("Enter the full-time equivalents, 0 or more, for example 1.5.")
    return {"fte": _number(typed, language, places=2, low=0, high=99999, message=message)}


def read_fte(typed: str, language: str) -> Decimal:
    """Full-time equivalents as typed in `language` ("1,5" in French), 0 or more, or a ValidationError."""
    return _fte(typed.strip(), language)["fte"]


def _percentage(typed: str, language: str) -> dict:
    message = _("Enter a percentage from 0 to 100.")
    return {"percentage": _number(typed, language, places=2, low=0, high=100, message=message)}


def _yes_no(typed: str) -> dict:
    if typed not in (YES, NO):
        raise ValidationError(_("Choose yes or no."))
    return {"yes_no": typed == YES}


def _text(typed: str) -> dict:
    if len(typed) > TEXT_LIMIT:
        raise ValidationError(_("Please keep to %(limit)s characters.") % {"limit": TEXT_LIMIT})
    return {"text": typed}


def read_answer(metric: Metric, typed: str, *, language: str, currency: str, expected_currency: str) -> dict:
    """The answer's typed columns ({"amount": ..., "currency": ...}), or a ValidationError worded for the person.
    Text is optional; every other metric must be answered to submit (0 when there is nothing to report)."""
    typed = typed.strip()
    if metric.kind == Metric.Kind.TEXT:
        return _text(typed)
    if metric.kind == Metric.Kind.YES_NO:
        return _yes_no(typed)
    if not typed:
        raise ValidationError(_("Answer this question (0 if there is nothing to report)."))
    if metric.kind == Metric.Kind.COUNT:
        return _count(typed, language)
    if metric.kind == Metric.Kind.MONEY:
        return _money(typed, language, currency, expected_currency)
    if metric.kind == Metric.Kind.FTE:
        return _fte(typed, language)
    return _percentage(typed, language)
