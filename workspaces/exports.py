"""Statements as CSV and PDF, and a month's statements of all participants as CSV or XLSX."""

import datetime
import logging
from pathlib import Path
from zoneinfo import ZoneInfo

from django.http import HttpResponse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from fpdf import FPDF
from fpdf.fonts import FontFace

from incubator.exports import Column, Kind, Table, export_response
from incubator.when import format_day, format_money, format_number, format_units

# DejaVu Sans has Latin, Hebrew and Arabic glyphs; with uharfbuzz, fpdf2 shapes Arabic letters and orders
# right-to-left runs itself.
FONT = Path(__file__).parent / "fonts" / "DejaVuSans.ttf"
# fontTools logs every glyph of the font subset at INFO: a screenful per PDF in the server's log.
logging.getLogger("fontTools").setLevel(logging.WARNING)


# Where the CSV row keeps the units, their kind and the currency.
UNITS, UNIT, CURRENCY = 4, 5, 9


def _period(line) -> tuple[datetime.date, str]:
    booking = line.booking
    zone = ZoneInfo(booking.resource.space.time_zone)
    lower, upper = booking.period.lower.astimezone(zone), booking.period.upper.astimezone(zone)
    return lower.date(), f"{lower:%H:%M}–{upper:%H:%M} ({zone.key})"


def unit_names() -> dict[str, str]:
    return {"day": pgettext("unit kind", "days"), "hour": pgettext("unit kind", "hours")}


def _columns() -> list[Column]:
    return [Column(_("Date"), Kind.DATE), Column(_("Time")), Column(_("Space")), Column(_("Resource")),
            Column(_("Units"), Kind.NUMBER), Column(_("Unit")), Column(_("List price"), Kind.MONEY),
            Column(_("Subsidy"), Kind.MONEY), Column(_("Co-pay"), Kind.MONEY), Column(_("Currency"), Kind.CURRENCY),
            Column(_("Note"))]  # fmt: skip


def _line_values(line) -> list:
    day, time = _period(line)
    resource = line.booking.resource
    return [day, time, resource.space.name, resource.name, line.units, resource.unit_kind, line.list_price,
            line.subsidy, line.co_pay, line.currency, line.note_shown]  # fmt: skip


def _total_rows(data) -> list[list]:
    """A total row per unit kind (days and hours are not added together), then one per currency; a month with
    nothing charged totals zero."""
    if not data.totals:
        return [[_("Total"), "", "", "", 0, "", 0, 0, 0, "", ""]]
    units = [[_("Total"), "", "", "", count, kind, "", "", "", "", ""] for kind, count in data.units.items()]
    money = [[_("Total"), "", "", "", "", "", total.list_price.amount, total.subsidy.amount, total.co_pay.amount,
              total.currency, ""] for total in data.totals]  # fmt: skip
    return units + money


def _rows(data) -> list[list]:
    """The statement's rows, each unit kind as its code ("day", "hour")."""
    return [_line_values(line) for line in data.lines] + _total_rows(data)


def _filename(user, month) -> str:
    return f"statement-{month:%Y-%m}-{user.pk}"


def statement_csv(request, data) -> HttpResponse:
    """The requester's own statement: the audit event is about them."""
    names = unit_names()
    rows = [[*row[:UNIT], names.get(row[UNIT], ""), *row[UNIT + 1 :]] for row in _rows(data)]
    return export_response(
        request,
        Table(_columns(), rows),
        fmt="csv",
        filename=_filename(request.user, data.month),
        about=request.user,
        note=f"statement {data.month:%Y-%m} ({len(data.lines)} lines)",
    )


def _pdf_headers() -> list[str]:
    """The CSV's columns but the unit's: the PDF writes it beside its number ("2 days")."""
    return [str(column.header) for n, column in enumerate(_columns()) if n != UNIT]


def _pdf_cells(values: list) -> list[str]:
    """A row as people read it: the day in the language's form, units with their word, amounts as money."""
    day, units, kind, currency = values[0], values[UNITS], values[UNIT], values[CURRENCY]
    first = format_day(day) if isinstance(day, datetime.date) else str(day)
    # A currency's total has no units; an empty month's total counts 0 of no kind.
    written = format_units(units, kind) if kind else "" if units == "" else format_number(units)
    amounts = [format_money(value, currency) if currency else str(value) for value in values[UNIT + 1 : CURRENCY]]
    return [first, *map(str, values[1:UNITS]), written, *amounts, *map(str, values[CURRENCY:])]


def statement_pdf(data, user) -> HttpResponse:
    response = HttpResponse(bytes(statement_document(data, user).output()), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{_filename(user, data.month)}.pdf"'
    return response


def pdf_rows(data) -> list[list[str]]:
    """The heading and the rows as printed, in reading order: from the right in Hebrew and Arabic."""
    rows = [_pdf_headers()] + [_pdf_cells(values) for values in _rows(data)]
    return [row[::-1] for row in rows] if translation.get_language_bidi() else rows


def statement_document(data, user) -> FPDF:
    """The statement on an A4 page, laid out from the reading side: in Hebrew and Arabic the columns run from the
    right and every cell is aligned to it."""
    rtl = translation.get_language_bidi()
    align = "RIGHT" if rtl else "LEFT"
    pdf = FPDF(orientation="landscape")
    pdf.add_font("DejaVu", fname=str(FONT))
    pdf.set_text_shaping(True)
    pdf.add_page()
    pdf.set_font("DejaVu", size=16)
    title = _("Statement for %(month)s") % {"month": format_day(data.month, "month")}
    pdf.cell(0, 10, title, align=align[0], new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", size=11)
    pdf.cell(0, 8, f"{user.name} <{user.email}>", align=align[0], new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    pdf.set_font("DejaVu", size=9)
    rows = pdf_rows(data)
    # One font file only (no bold face): headings are set apart by a shaded background instead.
    headings = FontFace(emphasis="", fill_color=(225, 232, 240))
    with pdf.table(col_widths=column_widths(pdf, rows), text_align=align, headings_style=headings) as table:
        for row in rows:
            table.row(row)
    return pdf


def column_widths(pdf: FPDF, rows: list[list[str]]) -> list[float]:
    """Widths that break no word while the page is wide enough: each column at least as wide as its longest word (a
    Polish heading was split mid-word), and the remaining width to the columns whose text would otherwise wrap
    most."""
    padding = 2 * pdf.c_margin + 1
    words = [max(pdf.get_string_width(word) for cell in column for word in cell.split() or [""]) + padding
             for column in zip(*rows, strict=True)]  # fmt: skip
    whole = [max(pdf.get_string_width(cell) for cell in column) + padding for column in zip(*rows, strict=True)]
    spare = pdf.epw - sum(words)
    wants = [w - m for w, m in zip(whole, words, strict=True)]
    if spare <= 0 or not sum(wants):
        return words
    share = min(1, spare / sum(wants))
    widths = [m + want * share for m, want in zip(words, wants, strict=True)]
    return [w * pdf.epw / sum(widths) for w in widths]


def _month_columns() -> list[Column]:
    return [Column(_("Cohort")), Column(_("Name")), Column(_("Email")), Column(_("Units"), Kind.NUMBER),
            Column(_("Unit")), Column(_("Subsidised units"), Kind.NUMBER), Column(_("List price"), Kind.MONEY),
            Column(_("Subsidy"), Kind.MONEY), Column(_("Co-pay"), Kind.MONEY),
            Column(_("Currency"), Kind.CURRENCY)]  # fmt: skip


def _month_values(row, names) -> list:
    return [row["plan__cohort__name"], row["person__name"], row["person__email"], row["units"],
            names[row["unit_kind"]], row["subsidised_units"], row["list_price"], row["subsidy"], row["co_pay"],
            row["currency"]]  # fmt: skip


def month_statements(request, space, month, rows: list[dict], fmt: str) -> HttpResponse:
    return export_response(
        request,
        Table(_month_columns(), [_month_values(row, unit_names()) for row in rows]),
        fmt=fmt,
        filename=f"statements-{space.slug}-{month:%Y-%m}",
        sheet_title=f"{month:%Y-%m}",
        about=space,
        note=f"statements {month:%Y-%m} ({len(rows)} people)",
    )
