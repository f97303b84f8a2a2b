import csv
import datetime
import io

import pytest

from incubator.csv import csv_writer_row, spreadsheet_safe


@pytest.mark.parametrize(
    "value",
    ['=HYPERLINK("http://evil.example","x")', "+972501234567", "-2+3", "@SUM(A1)", "\tcmd", "\r=1+1"],
)
def test_a_cell_a_spreadsheet_would_run_is_quoted(value):
    assert spreadsheet_safe(value) == "'" + value


@pytest.mark.parametrize("value", ["Mira", "", "a=b", " =1", "מירה", 5, -3, None, datetime.date(2026, 1, 1)])
def test_other_values_are_unchanged(value):
    assert spreadsheet_safe(value) is value


def test_csv_writer_row_makes_every_cell_safe():
    out = io.StringIO()
    csv.writer(out).writerow(csv_writer_row(["=1+1", "plain", 7]))
    assert next(csv.reader(io.StringIO(out.getvalue()))) == ["'=1+1", "plain", "7"]
