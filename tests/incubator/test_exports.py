"""The one export helper: spreadsheet-safe cells, typed numbers and dates, the requester's language and direction,
money only beside its currency, a safe file name, and an audit event per download."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.test import RequestFactory
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy
from openpyxl import load_workbook

from incubator import exports
from incubator.exports import Column, Kind, Table, csv_response, export_response, safe_filename, spreadsheet_safe
from tests.factories import CohortFactory, UserFactory

FORMULAS = ['=HYPERLINK("http://evil.example","x")', "+972501234567", "-2+3", "@SUM(A1)", "\tcmd", "\r=1+1"]
DAY = datetime.date(2026, 6, 2)


@pytest.mark.parametrize("value", FORMULAS)
def test_a_cell_a_spreadsheet_would_run_is_quoted(value):
    assert spreadsheet_safe(value) == "'" + value


@pytest.mark.parametrize("value", ["Mira", "", "a=b", " =1", "מירה", 5, -3, None, DAY])
def test_other_values_are_unchanged(value):
    assert spreadsheet_safe(value) is value


def table(*rows) -> Table:
    columns = [Column(gettext_lazy("Name")), Column("Units", Kind.NUMBER), Column("Day", Kind.DATE),
               Column("Co-pay", Kind.MONEY), Column("Currency", Kind.CURRENCY)]  # fmt: skip
    return Table(columns, list(rows))


def csv_rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def sheet_of(response):
    return load_workbook(io.BytesIO(response.content)).active


def test_csv_quotes_formulas_and_keeps_numbers_and_dates():
    response = csv_response(table(["=1+1", -3, DAY, Decimal("20.00"), "ILS"], [None, 2.5, None, 0, ""]),
                            filename="x")  # fmt: skip
    assert response.content.startswith("\ufeff".encode())
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert csv_rows(response)[1:] == [["'=1+1", "-3", "2026-06-02", "20.00", "ILS"], ["", "2.5", "", "0", ""]]


def test_csv_writes_an_aware_time_with_its_offset():
    at = datetime.datetime(2026, 6, 1, 22, 30, tzinfo=datetime.UTC)
    response = csv_response(Table([Column("At", Kind.DATE)], [[at]]), filename="x")
    assert datetime.datetime.fromisoformat(csv_rows(response)[1][0]) == at


@pytest.mark.parametrize("value", FORMULAS)
def test_xlsx_writes_formula_like_text_as_quoted_text(value):
    sheet = sheet_of(exports.xlsx_response(table([value, 1, DAY, 1, "ILS"]), filename="x", sheet_title="t"))
    assert sheet["A2"].value == ("'" + value).replace("\r", "\n")  # XML reads a carriage return as a new line
    assert sheet["A2"].data_type == "s"  # never a formula ("f")


def test_xlsx_keeps_numbers_dates_and_money_typed():
    response = exports.xlsx_response(table(["Mira", -3, DAY, Decimal("20.50"), "PLN"]), filename="x", sheet_title="t")
    assert response["Content-Type"] == exports.XLSX_TYPE
    sheet = sheet_of(response)
    assert [cell.data_type for cell in sheet[2]] == ["s", "n", "d", "n", "s"]
    assert sheet["B2"].value == -3 and sheet["C2"].value.date() == DAY and sheet["C2"].is_date
    assert sheet["D2"].value == 20.5 and sheet["D2"].number_format == '#,##0.00 "PLN"'
    assert sheet["E2"].value == "PLN"
    assert sheet.freeze_panes == "A2"


def test_xlsx_shows_an_aware_time_in_the_active_zone():
    at = datetime.datetime(2026, 6, 1, 22, 30, tzinfo=datetime.UTC)
    with timezone.override("Asia/Jerusalem"):
        response = exports.xlsx_response(Table([Column("At", Kind.DATE)], [[at]]), filename="x", sheet_title="t")
    assert sheet_of(response)["A2"].value == datetime.datetime(2026, 6, 2, 1, 30)


@pytest.mark.parametrize(("language", "right_to_left", "header"), [
    ("he", True, "שם"), ("ar", True, "الاسم"), ("en", False, "Name"), ("fr", False, "Nom"),
])  # fmt: skip
def test_xlsx_is_in_the_requesters_language_and_direction(language, right_to_left, header):
    with translation.override(language):
        sheet = sheet_of(exports.xlsx_response(table(), filename="x", sheet_title="t"))
    assert bool(sheet.sheet_view.rightToLeft) is right_to_left
    assert sheet["A1"].value == header


def test_csv_headers_are_in_the_requesters_language():
    with translation.override("he"):
        assert csv_rows(csv_response(table(), filename="x"))[0][0] == "שם"


def test_an_amount_without_a_currency_code_is_still_a_number():
    sheet = sheet_of(exports.xlsx_response(table(["Total", 0, None, 0, ""]), filename="x", sheet_title="t"))
    assert sheet["D2"].value == 0 and sheet["D2"].number_format == exports.MONEY_FORMAT


def test_a_money_column_needs_a_currency_column():
    with pytest.raises(ValueError, match="currency"):
        Table([Column("Name"), Column("Co-pay", Kind.MONEY)], [])
    Table([Column("Co-pay", Kind.MONEY), Column("Currency", Kind.CURRENCY)], [])


@pytest.mark.parametrize(("stem", "name"), [
    ("ranking-spring-2026", "ranking-spring-2026.csv"),
    ('a"b;c\r\nd/e\\f', "a-b-c-d-e-f.csv"),
    ("קוהורט-כ", "export.csv"),
    ("Łódź été", "odz-ete.csv"),
    ("../../etc/passwd", "etc-passwd.csv"),
])  # fmt: skip
def test_file_names_are_plain_ascii(stem, name):
    assert safe_filename(stem, "csv") == name


def test_the_sheet_title_is_one_excel_accepts():
    sheet = sheet_of(exports.xlsx_response(table(), filename="x", sheet_title="a/b:c*d?e[f]" + "g" * 40))
    assert sheet.title == "a-b-c-d-e-f-" + "g" * 19


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_download_is_an_attachment_and_is_audited(fmt, monkeypatch):
    recorded = []
    monkeypatch.setattr(exports, "audit_record", lambda **entry: recorded.append(entry))
    request = RequestFactory().get("/")
    request.user = UserFactory()
    cohort = CohortFactory()
    response = export_response(request, table(), fmt=fmt, filename="members ü", about=cohort, note="members (0)")
    assert response["Content-Disposition"] == f'attachment; filename="members-u.{fmt}"'
    assert recorded == [{"actor": request.user, "action": f"export.{fmt}", "obj": cohort, "note": "members (0)"}]


@pytest.mark.django_db
def test_a_download_about_several_objects_audits_each(monkeypatch):
    recorded = []
    monkeypatch.setattr(exports, "audit_record", lambda **entry: recorded.append(entry["obj"]))
    request = RequestFactory().get("/")
    request.user = UserFactory()
    cohorts = [CohortFactory(), CohortFactory()]
    export_response(request, table(), fmt="csv", filename="x", about=cohorts, note="")
    assert recorded == cohorts


def test_an_unknown_format_is_refused():
    with pytest.raises(ValueError, match="pdf"):
        export_response(None, table(), fmt="pdf", filename="x", about=[], note="")
