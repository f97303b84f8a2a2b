"""The funder report: counted in SQL in a fixed number of queries whatever the number of sessions and check-ins
(four for the sessions and people, four for the ventures' outcomes), with every count of people under 5 shown as
"<5" so that nobody can be singled out."""

import datetime
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.db import connection
from django.db.models import Avg, Count, F, Q, Sum, Window
from django.db.models.functions import DenseRank
from django.utils.translation import gettext_lazy as _

from cohorts.models import Program
from mentoring.models import Attendance, Feedback, ParticipantProfile, Session, SessionKind
from mentoring.report_outcomes import report_outcomes

SMALL = 5
SUPPRESSED = "<5"
AGE_BANDS = [
    # (label, youngest, oldest) in whole years at the end of the period
    (_("under 18"), 0, 17),
    (_("18–24"), 18, 24),
    (_("25–29"), 25, 29),
    (_("30–44"), 30, 44),
    (_("45–64"), 45, 64),
    (_("65 and over"), 65, 200),
]
NOT_GIVEN = "-"
# Sessions on their own, not activities inside a tour (a series).
TOP_LEVEL = Q(series__isnull=True)


@dataclass
class Report:
    program: Program
    start: datetime.date
    end: datetime.date
    totals: dict = field(default_factory=dict)
    kinds: list = field(default_factory=list)
    regions: list = field(default_factory=list)
    tours: list = field(default_factory=list)
    people: dict = field(default_factory=dict)
    feedback: dict = field(default_factory=dict)
    gender: list = field(default_factory=list)
    age: list = field(default_factory=list)
    outcomes: dict | None = None  # None when the program asks no monthly check-ins


def people_cells(counts: list[int]) -> list[int | str]:
    """Counts of people, with those under 5 hidden; when only one is hidden, the next smallest is hidden too,
    since the total would otherwise give it away."""
    cells: list[int | str] = [SUPPRESSED if n < SMALL else n for n in counts]
    hidden = [i for i, cell in enumerate(cells) if cell == SUPPRESSED and counts[i] > 0]
    if len(hidden) == 1:
        shown = sorted((n, i) for i, n in enumerate(counts) if cells[i] != SUPPRESSED)
        if shown:
            cells[shown[0][1]] = SUPPRESSED
    return cells


def period_bounds(program: Program, start: datetime.date, end: datetime.date):
    zone = ZoneInfo(program.time_zone)
    return (
        datetime.datetime.combine(start, datetime.time.min, zone),
        datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time.min, zone),
    )


def held_sessions(program: Program, start: datetime.date, end: datetime.date):
    """The program's sessions held in the period (the days in the program's zone)."""
    since, until = period_bounds(program, start, end)
    return Session.objects.filter(
        program=program, status=Session.Status.HELD, starts_at__gte=since, starts_at__lt=until
    )


def mentoring_report(program: Program, start: datetime.date, end: datetime.date) -> Report:
    """Queries: kinds and regions; tours' activities; attendance and demographics; feedback; the outcomes' four."""
    held = held_sessions(program, start, end)
    report = Report(program=program, start=start, end=end)
    report.kinds, report.regions = _kinds_and_regions(held)
    report.totals = _totals(report.kinds)
    report.tours = _tours(held)
    report.people, report.gender, report.age = _people_and_demographics(held, end)
    report.feedback = _feedback(held)
    report.outcomes = report_outcomes(program, start, end)
    return report


def _kinds_and_regions(held) -> tuple[list[dict], list[dict]]:
    """Sessions per kind (on their own and in tours, hours) and per region (on their own, per kind of count): one
    query over the period's sessions grouped by kind and region, each table's order ranked by the database."""
    rows = (
        held.values(
            "kind_id",
            "kind__name",
            "kind__counts_as",
            "kind__position",
            "region_id",
            "region__name",
            "region__position",
        )
        .annotate(
            sessions=Count("pk", filter=TOP_LEVEL),
            in_tours=Count("pk", filter=~TOP_LEVEL),
            duration=Sum(F("ends_at") - F("starts_at"), filter=TOP_LEVEL),
        )
        .annotate(
            kind_rank=Window(
                DenseRank(), order_by=[F("kind__position").asc(), F("kind__name").asc(), F("kind_id").asc()]
            ),
            region_rank=Window(
                DenseRank(), order_by=[F("region__position").asc(nulls_last=True), F("region__name").asc()]
            ),
        )
        .order_by()
    )
    kinds: dict[int, dict] = {}
    regions: dict[int, dict] = {}
    for row in rows:
        kind = kinds.setdefault(
            row["kind_rank"],
            {"id": row["kind_id"], "name": row["kind__name"], "counts_as": row["kind__counts_as"], "sessions": 0,
             "in_tours": 0, "duration": datetime.timedelta()},
        )  # fmt: skip
        kind["sessions"] += row["sessions"]
        kind["in_tours"] += row["in_tours"]
        kind["duration"] += row["duration"] or datetime.timedelta()
        if row["sessions"]:
            region = regions.setdefault(
                row["region_rank"],
                {"id": row["region_id"], "name": row["region__name"], **dict.fromkeys(SessionKind.CountsAs.values, 0)},
            )
            region[row["kind__counts_as"]] += row["sessions"]
    for kind in kinds.values():
        kind["hours"] = round(kind.pop("duration").total_seconds() / 3600, 1)
    return [kinds[rank] for rank in sorted(kinds)], [regions[rank] for rank in sorted(regions)]


def _totals(kinds: list[dict]) -> dict:
    totals = dict.fromkeys(SessionKind.CountsAs.values, 0)
    for row in kinds:
        totals[row["counts_as"]] += row["sessions"]
    return {
        **totals,
        "activities": sum(row["in_tours"] for row in kinds),
        "hours": round(sum(row["hours"] for row in kinds), 1),
    }


def _tours(held) -> list[dict]:
    activities = (
        Session.objects.filter(series__in=held.filter(kind__counts_as=SessionKind.CountsAs.SERIES))
        .exclude(status=Session.Status.CANCELLED)
        .values("series_id", "series__title", "series__starts_at", "kind_id", "kind__name", "kind__position")
        .annotate(n=Count("pk"))
        .order_by("series__starts_at", "series_id", "kind__position")
    )
    tours: dict[int, dict] = {}
    for row in activities:
        tour = tours.setdefault(
            row["series_id"],
            {
                "id": row["series_id"],
                "title": row["series__title"],
                "starts_at": row["series__starts_at"],
                "kinds": [],
                "total": 0,
            },
        )
        tour["kinds"].append((row["kind_id"], row["kind__name"], row["n"]))
        tour["total"] += row["n"]
    return list(tours.values())


def _feedback(held) -> dict:
    feedback = Feedback.objects.filter(session__in=held).aggregate(mean=Avg("rating"), count=Count("pk"))
    if feedback["mean"] is not None:
        feedback["mean"] = round(feedback["mean"], 1)
    return feedback


def _attendance_groups(held, end: datetime.date) -> list[tuple]:
    """(gender, age band, people reached, present, marked) per group of consenting profiles (gender and band "not
    given" otherwise): one query. The marked attendances are counted per person first (tens of thousands of rows
    into one per person, no sort), then the people are joined to their profiles and grouped."""
    marked = [Attendance.Status.PRESENT, Attendance.Status.ABSENT, Attendance.Status.EXCUSED]
    per_person = (
        Attendance.objects.filter(session__in=held, status__in=marked)
        .values("person_id")
        .annotate(present=Count("pk", filter=Q(status=Attendance.Status.PRESENT)), marked=Count("pk"))
        .order_by()
    )
    inner, params = per_person.query.sql_with_params()
    bands = " ".join(f"WHEN p.consent AND p.birth_year BETWEEN %s AND %s THEN {i}" for i in range(len(AGE_BANDS)))
    sql = f"""
        SELECT CASE WHEN p.consent AND p.gender <> '' THEN p.gender ELSE %s END,
               CASE {bands} ELSE -1 END,
               COUNT(*) FILTER (WHERE t.present > 0), SUM(t.present)::int, SUM(t.marked)::int
        FROM ({inner}) AS t LEFT JOIN {ParticipantProfile._meta.db_table} p ON p.user_id = t.person_id
        GROUP BY 1, 2
    """
    years = [year for _label, youngest, oldest in AGE_BANDS for year in (end.year - oldest, end.year - youngest)]
    with connection.cursor() as cursor:
        cursor.execute(sql, [NOT_GIVEN, *years, *params])
        return cursor.fetchall()


def _people_and_demographics(held, end: datetime.date) -> tuple[dict, list, list]:
    """Attendance totals and the people reached, by gender and by age band. A person has one profile, so each
    falls in exactly one (gender, band) group: the groups add up to the people reached."""
    rows = _attendance_groups(held, end)
    by_gender: dict[str, int] = {}
    by_band: dict[int, int] = {}
    for gender, band, people, _present, _marked in rows:
        by_gender[gender] = by_gender.get(gender, 0) + people
        by_band[band] = by_band.get(band, 0) + people
    present, marked_count = sum(row[3] for row in rows), sum(row[4] for row in rows)
    reached = sum(row[2] for row in rows)
    people = {
        "reached": people_cells([reached])[0] if reached else 0,
        "attendance_rate": round(100 * present / marked_count) if marked_count else None,
        # A ratio over fewer than 5 people would describe them one by one.
        "sessions_per_participant": round(present / reached, 1) if reached >= SMALL else None,
    }
    gender_labels = [(value, label) for value, label in ParticipantProfile.Gender.choices] + [
        (NOT_GIVEN, _("not given"))
    ]
    gender_cells = people_cells([by_gender.get(value, 0) for value, _label in gender_labels])
    band_labels = [(i, label) for i, (label, _y, _o) in enumerate(AGE_BANDS)] + [(-1, _("not given"))]
    band_cells = people_cells([by_band.get(i, 0) for i, _label in band_labels])
    return (
        people,
        [(value or "none", label, cell) for (value, label), cell in zip(gender_labels, gender_cells, strict=True)],
        [(i if i >= 0 else "none", label, cell) for (i, label), cell in zip(band_labels, band_cells, strict=True)],
    )
