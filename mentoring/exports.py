"""The funder report as CSV and XLSX: the same figures as the page, one (section, item, figure) per line."""

from django.http import HttpResponse
from django.utils.translation import gettext as _

from incubator.exports import Column, Kind, Table, export_response
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
    return rows


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
