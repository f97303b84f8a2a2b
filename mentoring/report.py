"""The funder report: counted in SQL in six queries whatever the number of sessions, with every count of people
under 5 shown as "<5" so that nobody can be singled out."""

import datetime
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.db.models import Avg, Case, CharField, Count, Exists, F, IntegerField, OuterRef, Q, Sum, Value, When
from django.utils.translation import gettext_lazy as _

from cohorts.models import Program
from incubator.models import User
from mentoring.models import Attendance, Feedback, ParticipantProfile, Session, SessionKind

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


def _bounds(program: Program, start: datetime.date, end: datetime.date):
    zone = ZoneInfo(program.time_zone)
    return (
        datetime.datetime.combine(start, datetime.time.min, zone),
        datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time.min, zone),
    )


def mentoring_report(program: Program, start: datetime.date, end: datetime.date) -> Report:
    """Queries: kinds; regions; tours' activities; attendance; feedback; demographics."""
    since, until = _bounds(program, start, end)
    held = Session.objects.filter(
        program=program, status=Session.Status.HELD, starts_at__gte=since, starts_at__lt=until
    )
    report = Report(program=program, start=start, end=end)
    report.kinds = _kinds(held)
    report.totals = _totals(report.kinds)
    report.regions = _regions(held)
    report.tours = _tours(held)
    report.people = _people(held)
    report.feedback = _feedback(held)
    report.gender, report.age = _demographics(held, end)
    return report


def _kinds(held) -> list[dict]:
    kinds = (
        held.values("kind_id", "kind__name", "kind__counts_as", "kind__position")
        .annotate(
            sessions=Count("pk", filter=TOP_LEVEL),
            in_tours=Count("pk", filter=~TOP_LEVEL),
            duration=Sum(F("ends_at") - F("starts_at"), filter=TOP_LEVEL),
        )
        .order_by("kind__position", "kind__name")
    )
    return [
        {
            "name": row["kind__name"],
            "counts_as": row["kind__counts_as"],
            "sessions": row["sessions"],
            "in_tours": row["in_tours"],
            "hours": round((row["duration"] or datetime.timedelta()).total_seconds() / 3600, 1),
        }
        for row in kinds
    ]


def _totals(kinds: list[dict]) -> dict:
    totals = dict.fromkeys(SessionKind.CountsAs.values, 0)
    for row in kinds:
        totals[row["counts_as"]] += row["sessions"]
    return {
        **totals,
        "activities": sum(row["in_tours"] for row in kinds),
        "hours": round(sum(row["hours"] for row in kinds), 1),
    }


def _regions(held) -> list[dict]:
    regions = (
        held.filter(TOP_LEVEL)
        .values("region__name", "region__position")
        .annotate(
            **{counts_as: Count("pk", filter=Q(kind__counts_as=counts_as)) for counts_as in SessionKind.CountsAs.values}
        )
        .order_by(F("region__position").asc(nulls_last=True), "region__name")
    )
    return [{"name": row["region__name"], **{k: row[k] for k in SessionKind.CountsAs.values}} for row in regions]


def _tours(held) -> list[dict]:
    activities = (
        Session.objects.filter(series__in=held.filter(kind__counts_as=SessionKind.CountsAs.SERIES))
        .exclude(status=Session.Status.CANCELLED)
        .values("series_id", "series__title", "series__starts_at", "kind__name", "kind__position")
        .annotate(n=Count("pk"))
        .order_by("series__starts_at", "series_id", "kind__position")
    )
    tours: dict[int, dict] = {}
    for row in activities:
        tour = tours.setdefault(
            row["series_id"],
            {"title": row["series__title"], "starts_at": row["series__starts_at"], "kinds": [], "total": 0},
        )
        tour["kinds"].append((row["kind__name"], row["n"]))
        tour["total"] += row["n"]
    return list(tours.values())


def _people(held) -> dict:
    marked = [Attendance.Status.PRESENT, Attendance.Status.ABSENT, Attendance.Status.EXCUSED]
    present = Q(status=Attendance.Status.PRESENT)
    attendance = Attendance.objects.filter(session__in=held).aggregate(
        present=Count("pk", filter=present),
        marked=Count("pk", filter=Q(status__in=marked)),
        reached=Count("person", filter=present, distinct=True),
    )
    reached = attendance["reached"]
    return {
        "reached": people_cells([reached])[0] if reached else 0,
        "attendance_rate": round(100 * attendance["present"] / attendance["marked"]) if attendance["marked"] else None,
        # A ratio over fewer than 5 people would describe them one by one.
        "sessions_per_participant": round(attendance["present"] / reached, 1) if reached >= SMALL else None,
    }


def _feedback(held) -> dict:
    feedback = Feedback.objects.filter(session__in=held).aggregate(mean=Avg("rating"), count=Count("pk"))
    if feedback["mean"] is not None:
        feedback["mean"] = round(feedback["mean"], 1)
    return feedback


def _demographics(held, end: datetime.date):
    """People reached by gender and by age band, from consenting profiles only; one query."""
    consented = Q(participant_profile__consent=True)
    band = Case(
        *[
            When(
                consented,
                participant_profile__birth_year__lte=end.year - youngest,
                participant_profile__birth_year__gte=end.year - oldest,
                then=Value(i),
            )
            for i, (_label, youngest, oldest) in enumerate(AGE_BANDS)
        ],
        default=Value(-1),
        output_field=IntegerField(),
    )
    gender = Case(
        When(consented & ~Q(participant_profile__gender=""), then=F("participant_profile__gender")),
        default=Value(NOT_GIVEN),
        output_field=CharField(),
    )
    # The people first (a semi-join), then their profiles: grouping the attendances themselves joined every one
    # of tens of thousands of rows to its profile and sorted them for the distinct count. A person has one
    # profile, so each falls in exactly one (gender, band) group and the margins add up.
    present = Attendance.objects.filter(person=OuterRef("pk"), session__in=held, status=Attendance.Status.PRESENT)
    rows = User.objects.filter(Exists(present)).values(g=gender, band=band).annotate(n=Count("pk"))
    by_gender: dict[str, int] = {}
    by_band: dict[int, int] = {}
    for row in rows:
        by_gender[row["g"]] = by_gender.get(row["g"], 0) + row["n"]
        by_band[row["band"]] = by_band.get(row["band"], 0) + row["n"]
    gender_labels = [(value, label) for value, label in ParticipantProfile.Gender.choices] + [
        (NOT_GIVEN, _("not given"))
    ]
    gender_cells = people_cells([by_gender.get(value, 0) for value, _label in gender_labels])
    band_labels = [(i, label) for i, (label, _y, _o) in enumerate(AGE_BANDS)] + [(-1, _("not given"))]
    band_cells = people_cells([by_band.get(i, 0) for i, _label in band_labels])
    return (
        [(label, cell) for (_value, label), cell in zip(gender_labels, gender_cells, strict=True)],
        [(label, cell) for (_i, label), cell in zip(band_labels, band_cells, strict=True)],
    )
