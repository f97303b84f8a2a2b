"""Every CSV and XLSX download: a table of typed cells becomes a response, and the download is audited.

A table is columns and rows. Cells keep their Python type: numbers and dates stay numbers and dates in a spreadsheet,
everything else is text, and a text cell a spreadsheet would run as a formula is written with a leading quote.
Headers are translated when the table is written, so a download is in the language of the person asking for it, and
every sheet of an XLSX reads right to left when that language does; an XLSX may carry more sheets after the first.
A money column is only allowed beside a currency column: an amount never leaves the portal as a bare number.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from django.db import models
from django.http import HttpResponse
from django.utils import timezone, translation
from django.utils.http import content_disposition_header
from django.utils.translation import gettext
from openpyxl import Workbook
from openpyxl.cell.cell import TYPE_STRING, Cell
from openpyxl.styles import Font

from incubator.audit import audit_record

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMATS = ("csv", "xlsx")
MONEY_FORMAT = "#,##0.00"
DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
# Excel refuses a sheet title longer than 31 characters or holding any of these.
SHEET_TITLE_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


class Kind(StrEnum):
    """What a column holds; it decides the column's number format and is checked for money."""

    TEXT = "text"
    NUMBER = "number"
    DATE = "date"
    MONEY = "money"
    CURRENCY = "currency"


@dataclass(frozen=True)
class Column:
    header: str  # often a lazy translation: it is read in the language active when the table is written
    kind: Kind = Kind.TEXT


@dataclass(frozen=True)
class Table:
    columns: Sequence[Column]
    rows: Iterable[Sequence[object]]

    def __post_init__(self):
        kinds = {column.kind for column in self.columns}
        if Kind.MONEY in kinds and Kind.CURRENCY not in kinds:
            raise ValueError("A table with a money column needs a currency column beside it.")

    @property
    def headers(self) -> list[str]:
        return [str(column.header) for column in self.columns]


@dataclass(frozen=True)
class Sheet:
    """A further sheet of an XLSX download."""

    title: str
    table: Table


def spreadsheet_safe(value: object) -> object:
    """`value` itself, unless it is text a spreadsheet would run as a formula: that gets a leading quote."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def _typed(value: object) -> object:
    """A cell as a spreadsheet should hold it: a number, a date, None, or safe text (lazy strings translated)."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return gettext("yes") if value else gettext("no")
    if isinstance(value, int | float | Decimal):
        return value
    if isinstance(value, datetime.datetime):
        # XLSX has no time zones: an aware time is shown in the requester's zone.
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    if isinstance(value, datetime.date):
        return value
    return spreadsheet_safe(str(value))


def safe_filename(stem: str, extension: str) -> str:
    """An ASCII file name every browser and operating system keeps: letters, digits, dot, dash and underscore."""
    ascii_stem = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode()
    cleaned = re.sub(r"[^A-Za-z0-9._-]+", "-", ascii_stem).strip(".-") or "export"
    return f"{cleaned}.{extension}"


def _attach(response: HttpResponse, stem: str, extension: str) -> HttpResponse:
    response["Content-Disposition"] = content_disposition_header(True, safe_filename(stem, extension))
    return response


def _csv_cell(value: object) -> object:
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        return timezone.localtime(value).isoformat()
    cell = _typed(value)
    if cell is None:
        return ""
    if isinstance(cell, datetime.date):
        return cell.isoformat()
    return cell


def csv_response(table: Table, *, filename: str) -> HttpResponse:
    response = HttpResponse(content_type=CSV_TYPE)
    response.write("\ufeff")  # spreadsheets read UTF-8 (Hebrew, Arabic, Polish names) only with the BOM
    writer = csv.writer(response)
    writer.writerow([spreadsheet_safe(header) for header in table.headers])
    writer.writerows([_csv_cell(value) for value in row] for row in table.rows)
    return _attach(response, filename, "csv")


def _sheet_title(title: str) -> str:
    return SHEET_TITLE_FORBIDDEN.sub("-", str(title))[:31] or "Sheet"


def _money_format(currency: object) -> str:
    """Amounts show their row's currency code and stay numbers a spreadsheet can add up."""
    code = str(currency or "")
    return f'{MONEY_FORMAT} "{code}"' if code.isalpha() else MONEY_FORMAT


def _number_format(kind: Kind, value: object, currency: object) -> str | None:
    if kind is Kind.MONEY and isinstance(value, int | float | Decimal):
        return _money_format(currency)
    if isinstance(value, datetime.datetime):
        return DATETIME_FORMAT
    if isinstance(value, datetime.date):
        return DATE_FORMAT
    return None


def _append_row(sheet, kinds: Sequence[Kind], values: Sequence[object]) -> None:
    """The row's cells are made before they are appended: finding the last row again (`max_row`) would read every
    cell of the sheet, row after row."""
    currency = next((value for value, kind in zip(values, kinds, strict=False) if kind is Kind.CURRENCY), "")
    cells = []
    for i, value in enumerate(values):
        cell = Cell(sheet, value=_typed(value))
        if isinstance(cell.value, str):
            # openpyxl takes any string starting with "=" for a formula; a text cell is always a plain string.
            cell.data_type = TYPE_STRING
        elif number_format := _number_format(kinds[i] if i < len(kinds) else Kind.TEXT, cell.value, currency):
            cell.number_format = number_format
        cells.append(cell)
    sheet.append(cells)


def _write_sheet(sheet, table: Table, title: str) -> None:
    sheet.title = _sheet_title(title)
    sheet.sheet_view.rightToLeft = translation.get_language_bidi()
    kinds = [column.kind for column in table.columns]
    _append_row(sheet, kinds, table.headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in table.rows:
        _append_row(sheet, kinds, row)
    sheet.freeze_panes = "A2"


def xlsx_response(table: Table, *, filename: str, sheet_title: str, more_sheets: Sequence[Sheet] = ()) -> HttpResponse:
    workbook = Workbook()
    _write_sheet(workbook.active, table, sheet_title)
    for sheet in more_sheets:
        _write_sheet(workbook.create_sheet(), sheet.table, sheet.title)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return _attach(HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE), filename, "xlsx")


def export_response(
    request,
    table: Table,
    *,
    fmt: str,
    filename: str,
    about: models.Model | Iterable[models.Model],
    note: str,
    sheet_title: str = "",
    more_sheets: Sequence[Sheet] = (),
) -> HttpResponse:
    """The table as a `fmt` ("csv" or "xlsx") download named `filename` plus the extension, with one audit event
    per object in `about` (the program, call, cohort or space the rows belong to) saying what went out. An XLSX
    carries `more_sheets` after the table's; a CSV is the table alone."""
    if fmt not in FORMATS:
        raise ValueError(f"Unknown export format {fmt!r}.")
    if fmt == "csv":
        response = csv_response(table, filename=filename)
    else:
        response = xlsx_response(table, filename=filename, sheet_title=sheet_title or filename, more_sheets=more_sheets)
    for obj in [about] if isinstance(about, models.Model) else about:
        audit_record(actor=request.user, action=f"export.{fmt}", obj=obj, note=note)
    return response
