"""The funder report as a flat list of figures, in the page's order: what the exports write, what a funder's
report template picks from (by section), and what a submitted report freezes.

A figure's `section` and `key` are stable codes (they are stored in templates and snapshots); its heading and item
are read in the language active when the figures are made."""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from mentoring.report import Report

SECTIONS = ("totals", "kinds", "hours", "regions", "tours", "people", "feedback", "gender", "age", "youth")


@dataclass(frozen=True)
class Figure:
    section: str
    key: str
    heading: str
    item: str
    value: object  # a number, "<5" where a count of people is hidden, or None where there is nothing to show


def _totals(report: Report) -> list[Figure]:
    totals = report.totals
    heading = _("Totals")
    return [
        Figure("totals", "totals.individual", heading, _("Individual sessions"), totals["individual"]),
        Figure("totals", "totals.group", heading, _("Group sessions"), totals["group"]),
        Figure("totals", "totals.series", heading, _("Tours"), totals["series"]),
        Figure("totals", "totals.activities", heading, _("Activities in tours"), totals["activities"]),
        Figure("totals", "totals.hours", heading, _("Hours"), totals["hours"]),
    ]


def _kinds(report: Report) -> list[Figure]:
    kinds = [kind for kind in report.kinds if kind["sessions"]]
    return [
        Figure("kinds", f"kinds.{kind['id']}", _("Sessions by kind"), kind["name"], kind["sessions"]) for kind in kinds
    ] + [Figure("hours", f"hours.{kind['id']}", _("Hours by kind"), kind["name"], kind["hours"]) for kind in kinds]


def _regions(report: Report) -> list[Figure]:
    figures = []
    for region in report.regions:
        name, code = region["name"] or _("no region"), region["id"] or "none"
        figures += [
            Figure("regions", f"regions.{code}.individual", _("Individual sessions by region"), name,
                   region["individual"]),
            Figure("regions", f"regions.{code}.group", _("Group sessions by region"), name, region["group"]),
        ]  # fmt: skip
    return figures


def _tours(report: Report) -> list[Figure]:
    return [
        Figure("tours", f"tours.{tour['id']}.{kind_id}", _("Tour: %(title)s") % {"title": tour["title"]}, kind, n)
        for tour in report.tours
        for kind_id, kind, n in tour["kinds"]
    ]


def _people(report: Report) -> list[Figure]:
    people, feedback = report.people, report.feedback
    return [
        Figure("people", "people.reached", _("People"), _("Participants reached"), people["reached"]),
        Figure("people", "people.attendance_rate", _("People"), _("Attendance rate (%)"), people["attendance_rate"]),
        Figure("people", "people.sessions_per_participant", _("People"), _("Sessions per participant"),
               people["sessions_per_participant"]),
        Figure("feedback", "feedback.mean", _("Feedback"), _("Mean rating (1–5)"), feedback["mean"]),
        Figure("feedback", "feedback.count", _("Feedback"), _("Answers"), feedback["count"]),
    ]  # fmt: skip


def _demographics(report: Report) -> list[Figure]:
    return [
        Figure("gender", f"gender.{code}", _("Participants by gender"), str(label), cell)
        for code, label, cell in report.gender
    ] + [
        Figure("age", f"age.{code}", _("Participants by age band"), str(label), cell)
        for code, label, cell in report.age
    ]


def _youth(report: Report) -> list[Figure]:
    heading = _("Participants aged 18–29 by region and gender")
    return [
        Figure("youth", f"youth.{row['id'] or 'none'}.{code}", heading,
               _("%(region)s: %(gender)s") % {"region": row["name"] or _("no region"), "gender": label}, cell)
        for row in report.youth["rows"]
        for (code, label), cell in zip(report.youth["genders"], row["cells"], strict=True)
    ]  # fmt: skip


def report_figures(report: Report) -> list[Figure]:
    return [
        *_totals(report),
        *_kinds(report),
        *_regions(report),
        *_tours(report),
        *_people(report),
        *_demographics(report),
        *_youth(report),
    ]
