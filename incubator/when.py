"""The one place that turns dates, times, numbers and money into text, in the active language.

Babel's CLDR data gives each language its own order, month forms and separators ("30 ديسمبر 2026،
23:59", "30 grudnia 2026", "1 234,50 zł"); Django's locale formats mix an English order with Arabic
month names and have no currency at all. Templates reach this through `{% load when %}`; exports and
views call it directly, so a page and its CSV say the same thing."""

import copy
import datetime
import functools
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_date, format_skeleton
from babel.numbers import format_currency, format_decimal
from django.utils import timezone, translation
from moneyed import Money

# What a caller asks for → the CLDR skeleton each language turns into its own pattern.
DATE_STYLES = {
    "date": "yMMMd",  # 30 Dec 2026 / 30 בדצמ׳ 2026
    "weekday": "yMMMEd",  # Wed 30 Dec 2026 / mer. 30 déc. 2026
    "short": "MMMEd",  # a column heading in a week: Wed 30 Dec
    "month": "yMMMM",  # December 2026 / grudzień 2026
    "long": "yMMMMd",  # 30 December 2026 / 30 grudnia 2026
}


# The portal's English is the one its programs read in Jerusalem, Casablanca and Bydgoszcz: day before month,
# a 24-hour clock ("30 Dec 2026, 23:59"), as its pages always showed.
CLDR_LOCALE = {"en": "en_GB"}


def locale_name(language: str | None = None) -> str:
    language = language or translation.get_language() or "en"
    return CLDR_LOCALE.get(language, translation.to_locale(language))


def zone_of(where) -> ZoneInfo | None:
    """A zone from a zone name, a ZoneInfo, or anything with a `time_zone` (a program, a space)."""
    if where is None or where == "":
        return None
    if isinstance(where, ZoneInfo):
        return where
    name = where if isinstance(where, str) else getattr(where, "time_zone", None)
    return ZoneInfo(str(name)) if name else None


def _local(value: datetime.datetime, zone: ZoneInfo | None) -> datetime.datetime:
    if timezone.is_aware(value):
        return timezone.localtime(value, zone)
    return value


# Babel takes tens of microseconds a value (a locale's data read, a pattern copied), and a page of figures, days
# and times repeats few distinct ones (prices, scores, hours): each is formatted once per process and language.
# A number's text keys it too, since equal values can print differently (0 and -0, 1 and 1.0).
FORMATTED = 4096


def format_day(value: datetime.date, style: str = "date", language: str | None = None) -> str:
    if isinstance(value, datetime.datetime):
        value = _local(value, None).date()
    return _day(value, style, locale_name(language))


@functools.lru_cache(maxsize=FORMATTED)
def _day(value: datetime.date, style: str, name: str) -> str:
    if style == "dayname":  # a skeleton would shorten it to "Fri"
        return format_date(value, "EEEE", locale=name)
    return format_skeleton(DATE_STYLES[style], value, locale=name)


def format_clock(
    value: datetime.datetime | datetime.time, where=None, language: str | None = None, *, seconds: bool = False
) -> str:
    if isinstance(value, datetime.datetime):
        # The wall-clock time alone: two instants of one time of day in different zones are equal datetimes.
        value = _local(value, zone_of(where)).time()
    return _clock(value, seconds, locale_name(language))


@functools.lru_cache(maxsize=FORMATTED)
def _clock(value: datetime.time, seconds: bool, name: str) -> str:
    return format_skeleton("Hms" if seconds else "Hm", value, locale=name)


def format_when(value: datetime.datetime, where=None, language: str | None = None, *, named: bool = True) -> str:
    """An instant as the wall-clock date and time in the zone of `where`, the zone named when `named`."""
    zone = zone_of(where)
    local = _local(value, zone)
    locale = locale_name(language)
    text = (
        Locale.parse(locale)
        .datetime_formats["medium"]
        .format(format_skeleton("Hm", local, locale=locale), format_skeleton(DATE_STYLES["date"], local, locale=locale))
    )
    if named:
        text += f" ({zone or timezone.get_current_timezone_name()})"
    return text


def _signed(text: str, locale: Locale) -> str:
    """CLDR's minus sign for Hebrew and Arabic carries a left-to-right mark, so that "-1" does not read "1-" in a
    right-to-left line; Babel prints a bare hyphen, so the mark is put back here."""
    minus = locale.number_symbols[locale.default_numbering_system]["minusSign"]
    return text.replace("-", minus, 1) if minus != "-" else text


# A quantity of time as CLDR writes it: "2 days", "0,5 dnia", "5 ימים", "3 ساعات".
UNIT_KINDS = {"day": "duration-day", "hour": "duration-hour", "minute": "duration-minute"}


def format_units(value, kind: str, language: str | None = None) -> str:
    """Units of a kind ("day" or "hour") with their word in the plural form the number takes. A statement keeps the
    digit: where CLDR writes one or two as a word alone (Arabic "يومان", Hebrew "יומיים") the general form stands
    in, and Babel's Arabic has no long "day", so its short one (whole words too) is used."""
    language = language or translation.get_language() or "en"
    return _units(value, str(value), kind, language)


@functools.lru_cache(maxsize=FORMATTED, typed=True)
def _units(value, text: str, kind: str, language: str) -> str:
    locale = Locale.parse(locale_name(language))
    value = Decimal(value)
    value = int(value) if value == value.to_integral_value() else value.normalize()
    patterns = locale._data["unit_patterns"][UNIT_KINDS[kind]]
    forms = patterns["long"] if "other" in patterns.get("long", {}) else patterns["short"]
    pattern = forms.get(locale.plural_form(abs(value)), forms["other"])
    if "{0}" not in pattern:
        pattern = forms["other"]
    return pattern.replace("{0}", format_number(value, language=language))


def format_number(value, decimals: int | None = None, language: str | None = None) -> str:
    """A number with the language's separators; `decimals` fixes how many digits follow the separator."""
    return _number(value, str(value), None if decimals is None else int(decimals), locale_name(language))


@functools.lru_cache(maxsize=FORMATTED, typed=True)
def _number(value, text: str, decimals: int | None, name: str) -> str:
    locale = Locale.parse(name)
    if decimals is None:
        return _signed(format_decimal(value, locale=locale), locale)
    # The language's own pattern (Polish groups only from five digits) with a fixed number of decimals, rounded
    # half up as a reader does by hand (Babel would round 7.25 to the even 7.2).
    pattern = copy.copy(locale.decimal_formats[None])
    pattern.frac_prec = (decimals, decimals)
    exact = Decimal(text).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    return _signed(pattern.apply(exact, locale), locale)


def format_money(value, currency: str = "", language: str | None = None) -> str:
    """An amount with its currency, placed and spaced as the language writes it: "₪20.00", "20,00 zł". `value` is
    a `Money` (which carries its currency), or an amount in `currency`."""
    if isinstance(value, Money):
        value, currency = value.amount, value.currency.code
    return _money(value, str(value), currency, locale_name(language))


@functools.lru_cache(maxsize=FORMATTED, typed=True)
def _money(value, text: str, currency: str, name: str) -> str:
    locale = Locale.parse(name)
    return _signed(format_currency(value, currency, locale=locale), locale)
