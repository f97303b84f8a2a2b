"""The funder report as CSV and XLSX: the same figures as the page, one (section, item, figure) per line."""

import csv
import io

from django.http import HttpResponse
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell.cell import TYPE_STRING

from incubator.csv import csv_writer_row, spreadsheet_safe
from mentoring.report import Report


def report_rows(report: Report) -> list[list]:
    period = f"{report.start.isoformat()} – {report.end.isoformat()}"
    rows = [[_("Program"), str(report.program), ""], [_("Period"), period, ""]]
    totals = report.totals
    rows += [
        [_("Totals"), _("Individual sessions"), totals["individual"]],
        [_("Totals"), _("Group sessions"), totals["group"]],
        [_("Totals"), _("Tours"), totals["series"]],
        [_("Totals"), _("Activities in tours"), totals["activities"]],
        [_("Totals"), _("Hours"), totals["hours"]],
    ]
    rows += [[_("Sessions by kind"), kind["name"], kind["sessions"]] for kind in report.kinds if kind["sessions"]]
    rows += [[_("Hours by kind"), kind["name"], kind["hours"]] for kind in report.kinds if kind["sessions"]]
    for region in report.regions:
        name = region["name"] or _("no region")
        rows += [
            [_("Individual sessions by region"), name, region["individual"]],
            [_("Group sessions by region"), name, region["group"]],
        ]
    for tour in report.tours:
        rows += [[_("Tour: %(title)s") % {"title": tour["title"]}, kind, n] for kind, n in tour["kinds"]]
    people = report.people
    rows += [
        [_("People"), _("Participants reached"), people["reached"]],
        [_("People"), _("Attendance rate (%)"), people["attendance_rate"]],
        [_("People"), _("Sessions per participant"), people["sessions_per_participant"]],
        [_("Feedback"), _("Mean rating (1–5)"), report.feedback["mean"]],
        [_("Feedback"), _("Answers"), report.feedback["count"]],
    ]
    rows += [[_("Participants by gender"), str(label), cell] for label, cell in report.gender]
    rows += [[_("Participants by age band"), str(label), cell] for label, cell in report.age]
    return [csv_writer_row("" if cell is None else cell for cell in row) for row in rows]


def _filename(report: Report, extension: str) -> str:
    return f'attachment; filename="mentoring-{report.program.slug}-{report.start}-{report.end}.{extension}"'


def report_csv(report: Report) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = _filename(report, "csv")
    response.write("\ufeff")  # Excel opens UTF-8 (Arabic and Hebrew names) only with a BOM
    writer = csv.writer(response)
    writer.writerow([_("Section"), _("Item"), _("Figure")])
    writer.writerows(report_rows(report))
    return response


def report_xlsx(report: Report) -> HttpResponse:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Mentoring"
    for line in [[_("Section"), _("Item"), _("Figure")], *report_rows(report)]:
        sheet.append(line)
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, str):
                cell.value = spreadsheet_safe(cell.value)
                cell.data_type = TYPE_STRING
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(
        buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = _filename(report, "xlsx")
    return response
