"""The funder report as CSV and XLSX: the same figures as the page, one (section, item, figure) per line."""

from django.http import HttpResponse
from django.utils import translation
from django.utils.translation import gettext as _

from incubator.exports import Column, Kind, Table, export_response
from mentoring.figures import report_figures
from mentoring.report import Report


def report_rows(report: Report) -> list[list]:
    period = f"{report.start.isoformat()} – {report.end.isoformat()}"
    rows = [[_("Program"), str(report.program), ""], [_("Period"), period, ""]]
    return rows + [[figure.heading, figure.item, figure.value] for figure in report_figures(report)]


def report_export(request, report: Report, fmt: str) -> HttpResponse:
    """The report as `fmt` ("csv" or "xlsx"); a figure is a number, or text where a count under 5 is hidden."""
    columns = [Column(_("Section")), Column(_("Item")), Column(_("Figure"), Kind.NUMBER)]
    return export_response(
        request,
        Table(columns, report_rows(report)),
        fmt=fmt,
        filename=f"mentoring-{report.program.slug}-{report.start}-{report.end}",
        sheet_title=_("Mentoring"),
        about=report.program,
        note=f"mentoring report {report.start} – {report.end}",
    )


def snapshot_export(request, snapshot, fmt: str) -> HttpResponse:
    """A submitted report as `fmt`, in the language it was submitted in (a Hebrew or Arabic sheet right to left):
    its figures as frozen, never read again from the records."""
    with translation.override(snapshot.language):
        rows = [
            [_("Program"), str(snapshot.program), ""],
            [_("Funder"), snapshot.funder, ""],
            [_("Period"), f"{snapshot.start.isoformat()} – {snapshot.end.isoformat()}", ""],
            [_("Submitted"), snapshot.submitted_at, ""],
        ] + [[figure["heading"], figure["item"], figure["value"]] for figure in snapshot.figures]
        columns = [Column(_("Section")), Column(_("Item")), Column(_("Figure"), Kind.NUMBER)]
        return export_response(
            request,
            Table(columns, rows),
            fmt=fmt,
            filename=f"report-{snapshot.program.slug}-{snapshot.start}-{snapshot.end}-{snapshot.pk}",
            sheet_title=snapshot.title,
            about=snapshot.program,
            note=f"submitted report {snapshot.pk}",
        )
