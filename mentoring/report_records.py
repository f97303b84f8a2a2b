"""The records behind the funder report's figures: the sessions, attendance marks, people, feedback, check-ins and
ventures each figure counts, so that an auditor can trace any number.

Each kind of record is read in one query over the report's period and program and tagged in Python with the keys of
the figures it counts in, beside what it adds to each (a session's hours, a month's revenue). A figure's page and the
XLSX's records sheet read the same tags, and a download runs a fixed number of queries whatever the number of
figures or records. A figure that hides a count of people (`Figure.linked`) opens nothing."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.contrib.postgres.aggregates import ArrayAgg
from django.db.models import Count, Max, Q
from django.urls import reverse

from cohorts.models import CheckIn
from mentoring.figures import ATTENDANCE, CHECKIN, FEEDBACK, PERSON, SESSION, VENTURE, Figure
from mentoring.models import Attendance, Feedback, Session, SessionKind
from mentoring.report import AGE_BANDS, NOT_GIVEN, Report, held_sessions, period_bounds
from mentoring.report_outcomes import FLOWS, STOCKS, flow_sums, outcome_metrics, submitted_in

MARKED = [Attendance.Status.PRESENT, Attendance.Status.ABSENT, Attendance.Status.EXCUSED]


@dataclass
class Record:
    kind: str
    pk: int
    label: str
    date: object = None
    details: dict = field(default_factory=dict)
    figures: dict = field(default_factory=dict)  # {figure key: what this record adds to it}

    @property
    def url(self) -> str:
        details = self.details
        if self.kind in (CHECKIN, VENTURE):
            return reverse("cohorts:checkins", args=[details["cohort"], details["venture_id"]])
        if self.kind == PERSON:
            return reverse("mentoring:assignment_suggest", args=[details["program"], self.pk])
        return reverse("mentoring:session_detail", args=[details.get("session_id", self.pk)])


def _session_label(title: str, kind: str) -> str:
    return title or kind


def _session_keys(row: dict, held: bool, tours: set[int]) -> list[str]:
    counts_as, kind, series = row["kind__counts_as"], row["kind_id"], row["series_id"]
    keys = []
    if held and series is None:
        keys += [f"totals.{counts_as}", "totals.hours", f"kinds.{kind}", f"hours.{kind}"]
        keys.append(f"regions.{row['region_id'] or 'none'}.{counts_as}")
    elif held:
        keys.append("totals.activities")
    if series in tours and row["status"] != Session.Status.CANCELLED:
        keys.append(f"tours.{series}.{kind}")
    return keys


def session_records(report: Report) -> list[Record]:
    """The sessions held in the period, and the activities of its tours (one query)."""
    program = report.program
    held = held_sessions(program, report.start, report.end)
    tours = held.filter(kind__counts_as=SessionKind.CountsAs.SERIES)
    rows = (
        Session.objects.filter(Q(pk__in=held) | Q(series__in=tours) & ~Q(status=Session.Status.CANCELLED))
        .values("pk", "title", "program_id", "status", "starts_at", "ends_at", "series_id", "kind_id", "kind__name",
                "kind__counts_as", "region_id", "region__name")
        .annotate(mentors=ArrayAgg("facilitators__name", filter=Q(facilitators__isnull=False), distinct=True))
        .order_by("starts_at", "pk")
    )  # fmt: skip
    since, until = period_bounds(program, report.start, report.end)
    zone = ZoneInfo(program.time_zone)
    tour_ids = {tour["id"] for tour in report.tours}
    records = []
    for row in rows:
        held_here = row["program_id"] == program.pk and row["status"] == Session.Status.HELD
        keys = _session_keys(row, held_here and since <= row["starts_at"] < until, tour_ids)
        hours = round((row["ends_at"] - row["starts_at"]).total_seconds() / 3600, 2)
        details = {"kind": row["kind__name"], "mentors": ", ".join(row["mentors"] or []), "region": row["region__name"]}
        records.append(
            Record(SESSION, row["pk"], _session_label(row["title"], row["kind__name"]),
                   row["starts_at"].astimezone(zone), details, dict.fromkeys(keys, hours))
        )  # fmt: skip
    return records


def attendance_records(report: Report) -> list[Record]:
    """The attendance marks (present, absent, excused) of the sessions held in the period (one query)."""
    held = held_sessions(report.program, report.start, report.end)
    rows = (
        Attendance.objects.filter(session__in=held, status__in=MARKED)
        .values("pk", "status", "person__name", "session_id", "session__title", "session__kind__name",
                "session__starts_at")
        .order_by("session__starts_at", "session_id", "person__name", "pk")
    )  # fmt: skip
    zone = ZoneInfo(report.program.time_zone)
    return [
        Record(ATTENDANCE, row["pk"], row["person__name"], row["session__starts_at"].astimezone(zone),
               {"session_id": row["session_id"],
                "session": _session_label(row["session__title"], row["session__kind__name"])},
               {"people.attendance_rate": str(Attendance.Status(row["status"]).label)})
        for row in rows
    ]  # fmt: skip


def _band(consent: bool, birth_year: int | None, end: datetime.date) -> int | str:
    for i, (_label, youngest, oldest) in enumerate(AGE_BANDS):
        if consent and birth_year is not None and end.year - oldest <= birth_year <= end.year - youngest:
            return i
    return "none"


def people_records(report: Report) -> list[Record]:
    """The people present at least once at a session held in the period, grouped as the report groups them (by
    gender and age band where they consented), with how many sessions each attended (one query)."""
    held = held_sessions(report.program, report.start, report.end)
    profile = "person__participant_profile__"
    rows = (
        Attendance.objects.filter(session__in=held, status=Attendance.Status.PRESENT)
        .values("person_id", "person__name", f"{profile}gender", f"{profile}consent", f"{profile}birth_year")
        .annotate(present=Count("pk"))
        .order_by("person__name", "person_id")
    )
    records = []
    for row in rows:
        consent = bool(row[f"{profile}consent"])
        gender = (row[f"{profile}gender"] if consent else "") or NOT_GIVEN
        keys = ["people.reached", "people.sessions_per_participant", f"gender.{gender}",
                f"age.{_band(consent, row[f'{profile}birth_year'], report.end)}"]  # fmt: skip
        details = {"program": report.program.slug}
        records.append(Record(PERSON, row["person_id"], row["person__name"], None, details,
                              dict.fromkeys(keys, row["present"])))  # fmt: skip
    return records


def feedback_records(report: Report) -> list[Record]:
    """The feedback on the sessions held in the period, without the names of those who gave it (one query)."""
    held = held_sessions(report.program, report.start, report.end)
    rows = (
        Feedback.objects.filter(session__in=held)
        .values("pk", "rating", "created_at", "session_id", "session__title", "session__kind__name")
        .order_by("created_at", "pk")
    )
    zone = ZoneInfo(report.program.time_zone)
    return [
        Record(FEEDBACK, row["pk"], _session_label(row["session__title"], row["session__kind__name"]),
               row["created_at"].astimezone(zone), {"session_id": row["session_id"]},
               {"feedback.mean": row["rating"], "feedback.count": row["rating"]})
        for row in rows
    ]  # fmt: skip


def _submitted_rows(report: Report) -> list[dict]:
    """The period's submitted check-ins with their outcome values, by venture then month (two queries)."""
    metrics = outcome_metrics(report.program)
    if not metrics:
        return []
    stocks = {
        standard: Max(f"answers__{STOCKS[standard]}", filter=Q(answers__metric=metric))
        for standard, metric in metrics.items()
        if standard in STOCKS
    }
    return list(
        submitted_in(report.program, report.start, report.end)
        .values("pk", "month", "late", "status", "venture_id", "venture__name", "venture__cohort__slug")
        .annotate(**flow_sums(metrics), **stocks)
        .order_by("venture__name", "venture_id", "month")
    )


def _latest_stocks(rows: list[dict]) -> dict[tuple[int, str], int]:
    """{(check-in id, stock): value} for each venture's latest answered month of each stock."""
    latest: dict[tuple[int, str], dict] = {}
    for row in rows:  # by month within a venture: a later month replaces an earlier one
        for standard in STOCKS:
            if row.get(standard) is not None:
                latest[(row["venture_id"], standard)] = row
    return {(row["pk"], standard): row[standard] for (_venture, standard), row in latest.items()}


def checkin_records(report: Report) -> list[Record]:
    rows = _submitted_rows(report)
    latest = _latest_stocks(rows)
    records = []
    for row in rows:
        figures = {"outcomes.answer_share": None}
        figures |= {f"outcomes.{flow}": row[flow] for flow in FLOWS if row.get(flow) is not None}
        figures |= {f"outcomes.{stock}": latest[(row["pk"], stock)] for stock in STOCKS if (row["pk"], stock) in latest}
        details = {"venture": row["venture__name"], "venture_id": row["venture_id"],
                   "cohort": row["venture__cohort__slug"], "status": str(CheckIn.Status(row["status"]).label),
                   "late": row["late"]}  # fmt: skip
        records.append(Record(CHECKIN, row["pk"], row["venture__name"], row["month"], details, figures))
    return records


def venture_records(report: Report) -> list[Record]:
    """The ventures that answered in the period: how many months each, and its revenue over them."""
    ventures: dict[int, Record] = {}
    revenue: dict[int, object] = defaultdict(int)
    for row in _submitted_rows(report):
        details = {"venture_id": row["venture_id"], "cohort": row["venture__cohort__slug"]}
        record = ventures.setdefault(row["venture_id"], Record(VENTURE, row["venture_id"], row["venture__name"],
                                                                None, details, {"outcomes.answering": 0}))  # fmt: skip
        record.figures["outcomes.answering"] += 1
        revenue[row["venture_id"]] += row.get("revenue") or 0
    for pk, record in ventures.items():
        if revenue[pk] > 0:
            record.figures["outcomes.revenue_ventures"] = revenue[pk]
    return list(ventures.values())


READERS = {
    SESSION: session_records,
    ATTENDANCE: attendance_records,
    PERSON: people_records,
    FEEDBACK: feedback_records,
    CHECKIN: checkin_records,
    VENTURE: venture_records,
}


def figure_records(report: Report, figure: Figure) -> list[tuple[Record, object]]:
    """The records `figure` counts, each with what it adds to it (none for a figure that opens nothing)."""
    if not figure.linked:
        return []
    return [
        (record, record.figures[figure.key]) for record in READERS[figure.opens](report) if figure.key in record.figures
    ]


def all_figure_records(report: Report, figures: list[Figure]) -> list[tuple[Figure, Record, object]]:
    """Every linked figure's records, in the figures' order: each kind of record read once."""
    by_key: dict[str, list[Record]] = defaultdict(list)
    for kind in dict.fromkeys(figure.opens for figure in figures if figure.linked):
        for record in READERS[kind](report):
            for key in record.figures:
                by_key[key].append(record)
    return [
        (figure, record, record.figures[figure.key])
        for figure in figures
        if figure.linked
        for record in by_key[figure.key]
    ]
