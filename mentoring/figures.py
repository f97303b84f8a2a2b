"""The funder report as a flat list of figures, in the page's order: what the exports write, what a funder's
report template picks from (by section), and what a submitted report freezes.

A figure's `section` and `key` are stable codes (they are stored in templates and snapshots); its heading and item
are read in the language active when the figures are made. A figure `opens` the kind of records it counts
(mentoring/report_records.py): a page of them is one click away, and the XLSX lists them all, except where the
figure hides a count of people ("<5") or has nothing to show."""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from mentoring.report import SUPPRESSED, Report

# The kinds of records a figure opens.
SESSION, ATTENDANCE, PERSON, FEEDBACK, CHECKIN, VENTURE = (
    "session",
    "attendance",
    "person",
    "feedback",
    "checkin",
    "venture",
)

SECTIONS = ("totals", "kinds", "hours", "regions", "tours", "people", "feedback", "gender", "age", "outcomes")


@dataclass(frozen=True)
class Figure:
    section: str
    key: str
    heading: str
    item: str
    value: object  # a number, "<5" where a count of people is hidden, or None where there is nothing to show
    opens: str = ""  # the kind of records it counts: "session", "attendance", "person", "feedback", "checkin"...

    @property
    def linked(self) -> bool:
        """Whether its records may be shown: never behind a hidden count of people."""
        return bool(self.opens) and self.value is not None and self.value != SUPPRESSED


def _totals(report: Report) -> list[Figure]:
    totals = report.totals
    heading = _("Totals")
    return [
        Figure("totals", "totals.individual", heading, _("Individual sessions"), totals["individual"], SESSION),
        Figure("totals", "totals.group", heading, _("Group sessions"), totals["group"], SESSION),
        Figure("totals", "totals.series", heading, _("Tours"), totals["series"], SESSION),
        Figure("totals", "totals.activities", heading, _("Activities in tours"), totals["activities"], SESSION),
        Figure("totals", "totals.hours", heading, _("Hours"), totals["hours"], SESSION),
    ]


def _kinds(report: Report) -> list[Figure]:
    kinds = [kind for kind in report.kinds if kind["sessions"]]
    return [
        Figure("kinds", f"kinds.{kind['id']}", _("Sessions by kind"), kind["name"], kind["sessions"], SESSION)
        for kind in kinds
    ] + [
        Figure("hours", f"hours.{kind['id']}", _("Hours by kind"), kind["name"], kind["hours"], SESSION)
        for kind in kinds
    ]


def _regions(report: Report) -> list[Figure]:
    figures = []
    for region in report.regions:
        name, code = region["name"] or _("no region"), region["id"] or "none"
        figures += [
            Figure("regions", f"regions.{code}.individual", _("Individual sessions by region"), name,
                   region["individual"], SESSION),
            Figure("regions", f"regions.{code}.group", _("Group sessions by region"), name, region["group"],
                   SESSION),
            Figure("regions", f"regions.{code}.series", _("Tours by region"), name, region["series"], SESSION),
        ]  # fmt: skip
    return figures


def _tours(report: Report) -> list[Figure]:
    return [
        Figure(
            "tours", f"tours.{tour['id']}.{kind_id}", _("Tour: %(title)s") % {"title": tour["title"]}, kind, n, SESSION
        )  # fmt: skip
        for tour in report.tours
        for kind_id, kind, n in tour["kinds"]
    ]


def _people(report: Report) -> list[Figure]:
    people, feedback = report.people, report.feedback
    # The marks name the people they are about: they open only where the people reached are shown.
    marks = ATTENDANCE if people["reached"] != SUPPRESSED else ""
    return [
        Figure("people", "people.reached", _("People"), _("Participants reached"), people["reached"], PERSON),
        Figure("people", "people.attendance_rate", _("People"), _("Attendance rate (%)"), people["attendance_rate"],
               marks),
        Figure("people", "people.sessions_per_participant", _("People"), _("Sessions per participant"),
               people["sessions_per_participant"], PERSON),
        Figure("feedback", "feedback.mean", _("Feedback"), _("Mean rating (1–5)"), feedback["mean"], FEEDBACK),
        Figure("feedback", "feedback.count", _("Feedback"), _("Answers"), feedback["count"], FEEDBACK),
    ]  # fmt: skip


def _demographics(report: Report) -> list[Figure]:
    return [
        Figure("gender", f"gender.{code}", _("Participants by gender"), str(label), cell, PERSON)
        for code, label, cell in report.gender
    ] + [
        Figure("age", f"age.{code}", _("Participants by age band"), str(label), cell, PERSON)
        for code, label, cell in report.age
    ]


def _outcomes(report: Report) -> list[Figure]:
    outcomes = report.outcomes
    if outcomes is None:
        return []
    heading, currency = _("Outcomes"), outcomes["currency"]
    return [
        Figure("outcomes", "outcomes.answering", heading, _("Ventures that answered a check-in"),
               outcomes["answering"], VENTURE),
        Figure("outcomes", "outcomes.answer_share", heading, _("Check-ins answered (%)"), outcomes["answer_share"],
               CHECKIN),
        Figure("outcomes", "outcomes.revenue_ventures", heading, _("Ventures with revenue"),
               outcomes["revenue_ventures"], VENTURE),
        Figure("outcomes", "outcomes.revenue", heading, _("Revenue (%(currency)s)") % {"currency": currency},
               outcomes["revenue"], CHECKIN),
        Figure("outcomes", "outcomes.jobs", heading, _("Paid jobs (full-time equivalents)"), outcomes["jobs"],
               CHECKIN),
        Figure("outcomes", "outcomes.clients", heading, _("Clients"), outcomes["clients"], CHECKIN),
        Figure("outcomes", "outcomes.funding", heading, _("Funding raised (%(currency)s)") % {"currency": currency},
               outcomes["funding"], CHECKIN),
        Figure("outcomes", "outcomes.volunteers", heading, _("Volunteers"), outcomes["volunteers"], CHECKIN),
    ]  # fmt: skip


def report_figures(report: Report) -> list[Figure]:
    return [
        *_totals(report),
        *_kinds(report),
        *_regions(report),
        *_tours(report),
        *_people(report),
        *_demographics(report),
        *_outcomes(report),
    ]
