"""The funder report as CSV and XLSX: the same figures as the page, one (section, item, figure) per line; the XLSX's
second sheet, and a CSV of its own, list the records behind every figure (mentoring/report_records.py), except
those of a figure that hides a count of people."""

from django.http import HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from incubator.exports import Column, Kind, Sheet, Table, export_response
from mentoring.figures import ATTENDANCE, CHECKIN, FEEDBACK, PERSON, SESSION, VENTURE, report_figures
from mentoring.report import Report
from mentoring.report_records import all_figure_records

RECORD_KINDS = {
    SESSION: gettext_lazy("session"),
    ATTENDANCE: gettext_lazy("attendance mark"),
    PERSON: gettext_lazy("person"),
    FEEDBACK: gettext_lazy("feedback"),
    CHECKIN: gettext_lazy("check-in"),
    VENTURE: gettext_lazy("venture"),
}
RECORD_COLUMNS = [
    Column(gettext_lazy("Figure")),
    Column(gettext_lazy("Section")),
    Column(gettext_lazy("Item")),
    Column(gettext_lazy("Record")),
    Column(gettext_lazy("Record id"), Kind.NUMBER),
    Column(gettext_lazy("Label")),
    Column(gettext_lazy("Date"), Kind.DATE),
    Column(gettext_lazy("Value"), Kind.NUMBER),
]


def report_rows(report: Report) -> list[list]:
    period = f"{report.start.isoformat()} – {report.end.isoformat()}"
    rows = [[_("Program"), str(report.program), ""], [_("Period"), period, ""]]
    return rows + [[figure.heading, figure.item, figure.value] for figure in report_figures(report)]


def records_rows(report: Report) -> list[list]:
    """(figure key, section, item, kind of record, its id, label, date, what it adds to the figure) per record."""
    kinds = {kind: str(name) for kind, name in RECORD_KINDS.items()}  # translated once, not once a row
    return [
        [figure.key, figure.heading, figure.item, kinds[record.kind], record.pk, record.label, record.date, value]
        for figure, record, value in all_figure_records(report, report_figures(report))
    ]


def _stem(report: Report, what: str) -> str:
    return f"{what}-{report.program.slug}-{report.start}-{report.end}"


def report_export(request, report: Report, fmt: str) -> HttpResponse:
    """The report as `fmt` ("csv" or "xlsx"); a figure is a number, or text where a count under 5 is hidden."""
    columns = [Column(_("Section")), Column(_("Item")), Column(_("Figure"), Kind.NUMBER)]
    records = [Sheet(_("Records"), Table(RECORD_COLUMNS, records_rows(report)))] if fmt == "xlsx" else []
    return export_response(
        request,
        Table(columns, report_rows(report)),
        fmt=fmt,
        filename=_stem(report, "mentoring"),
        sheet_title=_("Mentoring"),
        more_sheets=records,
        about=report.program,
        note=f"mentoring report {report.start} – {report.end}",
    )


def records_export(request, report: Report) -> HttpResponse:
    """The records behind the report's figures as CSV."""
    return export_response(
        request,
        Table(RECORD_COLUMNS, records_rows(report)),
        fmt="csv",
        filename=_stem(report, "mentoring-records"),
        about=report.program,
        note=f"mentoring report records {report.start} – {report.end}",
    )
