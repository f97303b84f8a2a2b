"""Dates, times, numbers and money read as a native reader of each language expects, from one place."""

import datetime
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.template import Context, Template
from django.utils import translation

from incubator.when import format_day, format_money, format_number, format_when

DEADLINE = datetime.datetime(2026, 12, 30, 21, 59, tzinfo=datetime.UTC)  # 23:59 in Jerusalem, 22:59 in Casablanca

EXPECTED = {
    "en": ("12 Apr 2001", "30 Dec 2026, 23:59 (Asia/Jerusalem)", "1,234.5", "₪1,234.50", "December 2026"),
    "he": (
        "12 באפר׳ 2001",
        "30 בדצמ׳ 2026, 23:59 (Asia/Jerusalem)",
        "1,234.5",
        "\u200f1,234.50\u00a0\u200f₪",
        "דצמבר 2026",
    ),
    "ar": (
        "12 أبريل 2001",
        "30 ديسمبر 2026، 22:59 (Africa/Casablanca)",
        "1,234.5",
        "\u200f1,234.50\u00a0د.م.\u200f",
        "ديسمبر 2026",
    ),
    "fr": (
        "12 avr. 2001",
        "30 déc. 2026, 22:59 (Africa/Casablanca)",
        "1\u202f234,5",
        "1\u202f234,50\u00a0MAD",
        "décembre 2026",
    ),
    "pl": (
        "12 kwi 2001",
        "30 gru 2026, 22:59 (Europe/Warsaw)",
        "1\u00a0234,5",
        "1\u00a0234,50\u00a0zł",
        "grudzień 2026",
    ),
}
ZONE = {"en": "Asia/Jerusalem", "he": "Asia/Jerusalem", "ar": "Africa/Casablanca", "fr": "Africa/Casablanca",
        "pl": "Europe/Warsaw"}  # fmt: skip
CURRENCY = {"en": "ILS", "he": "ILS", "ar": "MAD", "fr": "MAD", "pl": "PLN"}


@pytest.mark.parametrize("language", EXPECTED)
def test_each_language_reads_its_own_formats(language):
    date, when, number, money, month = EXPECTED[language]
    with translation.override(language):
        assert format_day(datetime.date(2001, 4, 12)) == date
        assert format_when(DEADLINE, ZONE[language]) == when
        assert format_number(Decimal("1234.5")) == number
        assert format_money(Decimal("1234.5"), CURRENCY[language]) == money
        assert format_day(datetime.date(2026, 12, 1), "month") == month
    with translation.override("pl"):
        assert format_day(datetime.date(2026, 6, 5), "dayname") == "piątek"


@pytest.mark.parametrize(
    ("language", "refund", "units"),
    [
        ("en", "-₪90.00", "-1"),
        ("pl", "-90,00\u00a0ILS", "-1"),
        # A left-to-right mark before the minus (CLDR's sign), so a right-to-left line shows "-1", not "1-".
        ("he", "\u200f\u200e-90.00\u00a0\u200f₪", "\u200e-1"),
        ("ar", "\u200f\u200e-90.00\u00a0₪", "\u200e-1"),
    ],
)
def test_a_negative_amount_keeps_its_minus_in_front(language, refund, units):
    with translation.override(language):
        assert format_money(Decimal("-90"), "ILS") == refund
        assert format_number(-1) == units
        assert format_number(Decimal("-1"), 2).endswith("-1.00" if language in ("en", "he", "ar") else "-1,00")


@pytest.mark.parametrize("language", EXPECTED)
def test_templates_reach_the_same_place(language):
    date, when, number, money, _month = EXPECTED[language]
    template = Template(
        "{% load when %}{{ d|day }}|{{ t|when:zone }}|{{ n|number }}|{{ m|money:currency }}|{{ score|number:1 }}"
    )
    context = Context({"d": datetime.date(2001, 4, 12), "t": DEADLINE, "zone": ZONE[language], "n": Decimal("1234.5"),
                       "m": Decimal("1234.5"), "currency": CURRENCY[language], "score": 7.25})  # fmt: skip
    with translation.override(language):
        assert (
            template.render(context) == f"{date}|{when}|{number}|{money}|{'7,3' if language in ('fr', 'pl') else '7.3'}"
        )


def test_the_arabic_admin_no_longer_mixes_an_english_order_with_arabic_months():
    from django.utils import formats

    with translation.override("ar"):
        assert (
            formats.date_format(datetime.datetime(2026, 12, 30, 23, 59), "DATETIME_FORMAT") == "30 ديسمبر 2026، 23:59"
        )


# Machine formats in links and form values ("?month=2026-12") are not text for a reader.
MACHINE = re.compile(r"""\|date:["'](Y-m-d|Y-m|c)["']""")
SCATTERED = re.compile(r"""\|(date|time|floatformat)(:|\s*}})|\|date:|strftime""")


def test_no_format_strings_left_in_templates():
    found = []
    for path in sorted(Path(settings.BASE_DIR, "templates").rglob("*")):
        if path.suffix not in (".html", ".txt"):
            continue
        for number, line in enumerate(path.read_text().splitlines(), 1):
            if SCATTERED.search(MACHINE.sub("", line)):
                found.append(f"{path.relative_to(settings.BASE_DIR)}:{number}: {line.strip()[:120]}")
    assert not found, "format through {% load when %} instead:\n" + "\n".join(found)
