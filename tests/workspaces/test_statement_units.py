"""A statement adds like to like (issue 19): desk days and printer hours are totalled apart, units are written for
their kind ("2 days", "3 godziny"), and the PDF is laid out from the reading side with headings no word of which is
split."""

import datetime

import pytest
from django.urls import reverse
from django.utils import translation
from fpdf import FPDF

from tests.workspaces.factories import bizmax_setup, make_resource, participant
from workspaces import exports, ledger, services
from workspaces.exports import FONT
from workspaces.models import Resource

MONTH = datetime.date(2026, 6, 1)
TUESDAY = datetime.date(2026, 6, 2)


def at(day, hour):
    return datetime.datetime.combine(day, datetime.time(hour))


@pytest.fixture
def desk_and_printer(db, frozen):
    cohort, space, desk, plan = bizmax_setup()
    printer = make_resource(space, "3D printer", unit="hour", price="30.00", kind="machine")
    person = participant(cohort, name="Dana Maker")
    services.booking_create(resource=desk, starts=at(TUESDAY, 8), ends=at(TUESDAY, 18), by=person)
    services.booking_create(resource=printer, starts=at(TUESDAY, 10), ends=at(TUESDAY, 12), by=person)
    return person


def test_days_and_hours_are_totalled_apart(client, desk_and_printer):
    assert ledger.statement(desk_and_printer, MONTH).units == {"day": 1, "hour": 2}
    client.force_login(desk_and_printer)
    page = client.get(reverse("workspaces:statement"), {"month": "2026-06"}).content.decode()
    assert '<span data-testid="units-day" data-value="1.00">1 day</span> · ' in page
    assert '<span data-testid="units-hour" data-value="2.00">2 hours</span>' in page


@pytest.mark.parametrize(
    ("language", "day", "hours"),
    [("en", "1 day", "2 hours"), ("pl", "1 dzień", "2 godziny"), ("fr", "1\xa0jour", "2\xa0heures"),
     ("he", "1 יום", "2 שעות"), ("ar", "1 يوم", "2 ساعة")],
)  # fmt: skip
def test_the_pdf_writes_units_for_their_kind_and_reads_from_the_languages_side(desk_and_printer, language, day, hours):
    with translation.override(language):
        rows = exports.pdf_rows(ledger.statement(desk_and_printer, MONTH))
        date, note, total = (translation.gettext(word) for word in ("Date", "Note", "Total"))
    rtl = language in ("he", "ar")
    reading = [row[::-1] for row in rows] if rtl else rows
    assert (reading[0][0], reading[0][-1]) == (date, note)
    assert [row[4] for row in reading[1:3]] == [day, hours]  # the desk at 8:00, the printer at 10:00
    assert [row[4] for row in reading if row[0] == total][:2] == [day, hours]


@pytest.mark.parametrize("language", ["pl", "fr", "ar"])
def test_no_heading_word_is_split_in_the_pdf(desk_and_printer, language):
    with translation.override(language):
        rows = exports.pdf_rows(ledger.statement(desk_and_printer, MONTH))
    pdf = FPDF(orientation="landscape")
    pdf.add_font("DejaVu", fname=str(FONT))
    pdf.add_page()
    pdf.set_font("DejaVu", size=9)
    widths = exports.column_widths(pdf, rows)
    assert sum(widths) == pytest.approx(pdf.epw)
    for heading, width in zip(rows[0], widths, strict=True):
        longest = max(pdf.get_string_width(word) for word in heading.split())
        assert longest + 2 * pdf.c_margin <= width, (heading, width)


def test_the_pdf_is_made_in_every_language(client, desk_and_printer):
    client.force_login(desk_and_printer)
    for language in ("en", "he", "ar", "fr", "pl"):
        with translation.override(language):
            url = reverse("workspaces:statement")
        response = client.get(url, {"month": "2026-06", "format": "pdf"})
        assert response.status_code == 200 and response.content.startswith(b"%PDF")


def test_a_resources_unit_is_fixed_once_something_is_charged(admin_client, desk_and_printer):
    """Past statements count the printer's units as hours: turning it into a day resource would recount them."""
    printer = Resource.objects.get(name="3D printer")
    spare = make_resource(printer.space, "Spare printer", unit="hour", price="30.00", kind="machine")
    url = "admin:workspaces_resource_change"
    assert "unit" in admin_client.get(reverse(url, args=[spare.pk])).context["adminform"].form.fields
    assert "unit" not in admin_client.get(reverse(url, args=[printer.pk])).context["adminform"].form.fields
