"""The ranking as CSV and XLSX: the same rows and columns as the page."""

import csv
import io

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook
from openpyxl.cell.cell import TYPE_STRING

from incubator.csv import csv_writer_row, spreadsheet_safe

COLUMNS = [
    # (key for sorting, header, value from a RankRow)
    ("rank", _("Rank"), lambda r: r.rank),
    ("name", _("Applicant"), lambda r: r.full_name),
    ("region", _("Region"), lambda r: r.region_name),
    ("score", _("Score"), lambda r: _round(r.score)),
    ("mean", _("Mean"), lambda r: _round(r.mean)),
    ("normalised", _("Normalised"), lambda r: _round(r.normalised)),
    ("median", _("Median"), lambda r: _round(r.median)),
    ("count", _("Reviews"), lambda r: r.review_count),
    ("stddev", _("Std. dev."), lambda r: _round(r.stddev)),
    ("yes", _("Yes"), lambda r: r.yes),
    ("maybe", _("Maybe"), lambda r: r.maybe),
    ("no", _("No"), lambda r: r.no),
]
EXTRA = [
    (_("Disagreement"), lambda r: "yes" if r.disagreement else ""),
    (_("Decision"), lambda r: r.decision_outcome or ""),
    (_("Decision status"), lambda r: r.decision_status or ""),
    (_("Application id"), lambda r: r.id),
]


def _round(value):
    return None if value is None else round(value, 1)


def _table(rows):
    """Header and body, every cell made safe for a spreadsheet: an applicant's name like `=HYPERLINK(…)` is text."""
    header = [str(title) for _key, title, _value in COLUMNS] + [str(title) for title, _value in EXTRA]
    body = [[value(row) for _k, _t, value in COLUMNS] + [value(row) for _t, value in EXTRA] for row in rows]
    return csv_writer_row(header), [csv_writer_row(line) for line in body]


def _filename(call, extension: str) -> str:
    return f'attachment; filename="ranking-{call.slug}-{timezone.now():%Y%m%d-%H%M}.{extension}"'


def ranking_csv(call, rows) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = _filename(call, "csv")
    response.write("\ufeff")  # Excel opens UTF-8 (Arabic and Hebrew names) only with a BOM
    header, body = _table(rows)
    writer = csv.writer(response)
    writer.writerow(header)
    # The cells are spreadsheet-safe already (`_table`); an empty figure is an empty cell.
    writer.writerows(["" if cell is None else cell for cell in line] for line in body)
    return response


def ranking_xlsx(call, rows) -> HttpResponse:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Ranking"
    header, body = _table(rows)
    for line in [header, *body]:
        sheet.append(line)
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, str):
                # openpyxl reads a string starting with "=" as a formula; text cells are always plain strings.
                cell.value = spreadsheet_safe(cell.value)
                cell.data_type = TYPE_STRING
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(
        buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = _filename(call, "xlsx")
    return response
