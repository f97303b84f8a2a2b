"""Statements as CSV and PDF, and a month's statements of all participants as CSV or XLSX."""

import datetime
import logging
from pathlib import Path
from zoneinfo import ZoneInfo

from django.http import HttpResponse
from django.utils.translation import gettext as _
from fpdf import FPDF
from fpdf.fonts import FontFace

from incubator.exports import Column, Kind, Table, export_response
from incubator.when import format_day, format_money

# DejaVu Sans has Latin, Hebrew and Arabic glyphs; with uharfbuzz, fpdf2 shapes Arabic letters and orders
# right-to-left runs itself.
FONT = Path(__file__).parent / "fonts" / "DejaVuSans.ttf"
# fontTools logs every glyph of the font subset at INFO: a screenful per PDF in the server's log.
logging.getLogger("fontTools").setLevel(logging.WARNING)


def _period(line) -> tuple[datetime.date, str]:
    booking = line.booking
    zone = ZoneInfo(booking.resource.space.time_zone)
    lower, upper = booking.period.lower.astimezone(zone), booking.period.upper.astimezone(zone)
    return lower.date(), f"{lower:%H:%M}–{upper:%H:%M} ({zone.key})"


def _columns() -> list[Column]:
    return [Column(_("Date"), Kind.DATE), Column(_("Time")), Column(_("Space")), Column(_("Resource")),
            Column(_("Units"), Kind.NUMBER), Column(_("List price"), Kind.MONEY), Column(_("Subsidy"), Kind.MONEY),
            Column(_("Co-pay"), Kind.MONEY), Column(_("Currency"), Kind.CURRENCY), Column(_("Note"))]  # fmt: skip


def _headers() -> list[str]:
    return [column.header for column in _columns()]


def _line_values(line) -> list:
    day, time = _period(line)
    booking = line.booking
    return [day, time, booking.resource.space.name, booking.resource.name, line.units, line.list_price, line.subsidy,
            line.co_pay, line.currency, line.note_shown]  # fmt: skip


def _total_rows(data) -> list[list]:
    """A total row per currency, the units counted once, on the first; a month with nothing charged totals zero."""
    if not data.totals:
        return [[_("Total"), "", "", "", data.units, 0, 0, 0, "", ""]]
    rows = []
    for n, total in enumerate(data.totals):
        amounts = [total.list_price.amount, total.subsidy.amount, total.co_pay.amount]
        rows.append([_("Total"), "", "", "", data.units if n == 0 else "", *amounts, total.currency, ""])
    return rows


def _printed(values: list) -> list[str]:
    """A CSV row keeps plain numbers for spreadsheets; the PDF is read by people, so its amounts are money in the
    row's currency (its ninth value)."""
    currency = values[8]
    amounts = [format_money(value, currency) if currency else str(value) for value in values[5:8]]
    return [str(value) for value in values[:5]] + amounts + [str(value) for value in values[8:]]


def _filename(user, month) -> str:
    return f"statement-{month:%Y-%m}-{user.pk}"


def statement_csv(request, data) -> HttpResponse:
    """The requester's own statement: the audit event is about them."""
    rows = [_line_values(line) for line in data.lines] + _total_rows(data)
    return export_response(
        request,
        Table(_columns(), rows),
        fmt="csv",
        filename=_filename(request.user, data.month),
        about=request.user,
        note=f"statement {data.month:%Y-%m} ({len(data.lines)} lines)",
    )


def statement_pdf(data, user) -> HttpResponse:
    pdf = FPDF(orientation="landscape")
    pdf.add_font("DejaVu", fname=str(FONT))
    pdf.set_text_shaping(True)
    pdf.add_page()
    pdf.set_font("DejaVu", size=16)
    pdf.cell(0, 10, _("Statement for %(month)s") % {"month": format_day(data.month, "month")}, new_x="LMARGIN",
             new_y="NEXT")  # fmt: skip
    pdf.set_font("DejaVu", size=11)
    pdf.cell(0, 8, f"{user.name} <{user.email}>", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    widths = [22, 44, 38, 38, 14, 26, 26, 26, 18, 25]
    pdf.set_font("DejaVu", size=9)
    # One font file only (no bold face): headings are set apart by a shaded background instead.
    headings = FontFace(emphasis="", fill_color=(225, 232, 240))
    with pdf.table(col_widths=widths, text_align="LEFT", headings_style=headings) as table:
        table.row([str(value) for value in _headers()])
        for line in data.lines:
            table.row(_printed(_line_values(line)))
        for values in _total_rows(data):
            table.row(_printed(values))
    response = HttpResponse(bytes(pdf.output()), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{_filename(user, data.month)}.pdf"'
    return response


def _month_columns() -> list[Column]:
    return [Column(_("Cohort")), Column(_("Name")), Column(_("Email")), Column(_("Units"), Kind.NUMBER),
            Column(_("Subsidised units"), Kind.NUMBER), Column(_("List price"), Kind.MONEY),
            Column(_("Subsidy"), Kind.MONEY), Column(_("Co-pay"), Kind.MONEY),
            Column(_("Currency"), Kind.CURRENCY)]  # fmt: skip


def _month_values(row) -> list:
    return [row["plan__cohort__name"], row["person__name"], row["person__email"], row["units"],
            row["subsidised_units"], row["list_price"], row["subsidy"], row["co_pay"], row["currency"]]  # fmt: skip


def month_statements(request, space, month, rows: list[dict], fmt: str) -> HttpResponse:
    return export_response(
        request,
        Table(_month_columns(), [_month_values(row) for row in rows]),
        fmt=fmt,
        filename=f"statements-{space.slug}-{month:%Y-%m}",
        sheet_title=f"{month:%Y-%m}",
        about=space,
        note=f"statements {month:%Y-%m} ({len(rows)} people)",
    )
