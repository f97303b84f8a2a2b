"""Reads for a cohort's outcomes page: the share of ventures answering each month, the numeric metrics' totals and
medians per month and per region, and each venture's growth since it first answered.

Every figure is computed in SQL, grouped by month (and region): the page runs the same queries for 5 ventures or
500, for one month or 24. A venture's region is its team's: the region of the first team member's membership in
the cohort that names one (`region_of`); a venture with none counts under "no region" (None).
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import (
    Aggregate,
    Avg,
    Case,
    Count,
    DecimalField,
    F,
    FloatField,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce

from cohorts.checkins import current_month, next_month
from cohorts.models import CheckIn, CheckInAnswer, Cohort, Membership, Metric, Region, Venture

NUMERIC_KINDS = [Metric.Kind.COUNT, Metric.Kind.MONEY, Metric.Kind.FTE, Metric.Kind.PERCENTAGE, Metric.Kind.YES_NO]
GROWTH_STANDARDS = [Metric.Standard.REVENUE, Metric.Standard.CLIENTS, Metric.Standard.JOBS]
ANSWERED = [CheckIn.Status.SUBMITTED, CheckIn.Status.SKIPPED]
NUMBER = DecimalField(max_digits=20, decimal_places=2)


class Median(Aggregate):
    """PostgreSQL's continuous median of the group (the mean of the two middle values of an even count)."""

    function = "percentile_cont"
    name = "Median"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()
    allow_distinct = False


def answer_value(prefix: str = "") -> Coalesce:
    """An answer's number whatever its kind's column: a yes is 1 and a no 0, so that their mean is the share of yes."""
    yes_no = Case(When(**{f"{prefix}yes_no": True}, then=Value(1)), When(**{f"{prefix}yes_no": False}, then=Value(0)))
    columns = [f"{prefix}count", f"{prefix}amount", f"{prefix}fte", f"{prefix}percentage"]
    return Coalesce(*(Cast(column, NUMBER) for column in columns), Cast(yes_no, NUMBER), output_field=NUMBER)


def region_of() -> Subquery:
    """A venture's region: its first team member's in the cohort that names one."""
    memberships = Membership.objects.filter(
        cohort_id=OuterRef("cohort_id"),
        person__venture_memberships__venture_id=OuterRef("pk"),
        region__isnull=False,
    ).order_by("person__venture_memberships__id")
    return Subquery(memberships.values("region_id")[:1])


def default_months(cohort: Cohort, now: datetime.datetime | None = None) -> tuple[datetime.date, datetime.date] | None:
    """The cohort's months that are over: its first to the last before this one (or its end); None when none is."""
    if cohort.starts_on is None:
        return None
    first = cohort.starts_on.replace(day=1)
    last = month_before(current_month(cohort.program, now))
    if cohort.ends_on:
        last = min(last, cohort.ends_on.replace(day=1))
    return (first, last) if first <= last else None


def month_before(month: datetime.date) -> datetime.date:
    return (month - datetime.timedelta(days=1)).replace(day=1)


def months_between(first: datetime.date, last: datetime.date) -> list[datetime.date]:
    months, month = [], first
    while month <= last:
        months.append(month)
        month = next_month(month)
    return months


@dataclass(frozen=True)
class Scope:
    """What the page shows: a cohort's months from `first` to `last`, for one region or all (None)."""

    cohort: Cohort
    first: datetime.date
    last: datetime.date
    region: int | None = None
    # The program's regions' ids.
    regions: tuple[int, ...] = ()

    @property
    def months(self) -> list[datetime.date]:
        return months_between(self.first, self.last)


def _ventures_of(scope: Scope, region: int):
    return Venture.objects.filter(cohort=scope.cohort).annotate(region=region_of()).filter(region=region).values("pk")


def _in_region(queryset, scope: Scope, venture: str, *, grouped: bool = True):
    """The rows of the scope's region, each with its `region` when they are `grouped` by it. The region is read
    once per venture, not per row: a venture's region is looked up in each region's list of ventures."""
    if scope.region:
        queryset = queryset.filter(**{f"{venture}__in": _ventures_of(scope, scope.region)})
    if not grouped:
        return queryset
    regions = [scope.region] if scope.region else scope.regions
    cases = [When(**{f"{venture}__in": _ventures_of(scope, region)}, then=Value(region)) for region in regions]
    return queryset.annotate(region=Case(*cases, default=None, output_field=IntegerField()))


def ventures_by_region(scope: Scope) -> dict[int | None, int]:
    """How many ventures the cohort has in each region (one query)."""
    ventures = Venture.objects.filter(cohort=scope.cohort).annotate(region=region_of())
    if scope.region:
        ventures = ventures.filter(region=scope.region)
    return {row["region"]: row["n"] for row in ventures.values("region").annotate(n=Count("id")).order_by()}


def checkins_in(scope: Scope):
    """The cohort's answered (sent or skipped) check-ins of the scope's months and region."""
    checkins = CheckIn.objects.filter(
        venture__cohort=scope.cohort, status__in=ANSWERED, month__gte=scope.first, month__lte=scope.last
    )
    return _in_region(checkins, scope, "venture_id")


def answering(scope: Scope) -> list[dict]:
    """{month, region, status, n, late} for each group of answered check-ins (one query)."""
    rows = checkins_in(scope).values("month", "region", "status")
    return list(rows.annotate(n=Count("id"), late=Count("id", Q(late=True))).order_by())


def answers_in(scope: Scope, metrics: list[Metric], *, by_region: bool = False):
    """The submitted answers to the numeric `metrics` in the scope, each with its `value` as a number."""
    answers = CheckInAnswer.objects.filter(
        checkin__venture__cohort=scope.cohort,
        checkin__status=CheckIn.Status.SUBMITTED,
        checkin__month__gte=scope.first,
        checkin__month__lte=scope.last,
        metric__in=[metric.pk for metric in metrics],
    )
    return _in_region(answers, scope, "checkin__venture_id", grouped=by_region).annotate(value=answer_value())


FIGURES = {"n": Count("id"), "total": Sum("value"), "mean": Avg("value"), "median": Median("value")}


def metric_figures(scope: Scope, metrics: list[Metric], *, by_region: bool = False) -> list[dict]:
    """{month, metric, [region,] n, total, mean, median} for each month (and region) and metric (one query)."""
    groups = ["checkin__month", "metric_id", *(["region"] if by_region else [])]
    rows = answers_in(scope, metrics, by_region=by_region).values(*groups).annotate(**FIGURES).order_by()
    return [{**row, "month": row.pop("checkin__month"), "metric": row.pop("metric_id")} for row in rows]


def _answer_at(metric: Metric, last: datetime.date, order: str) -> Subquery:
    answers = CheckInAnswer.objects.filter(
        checkin__venture_id=OuterRef("pk"),
        checkin__status=CheckIn.Status.SUBMITTED,
        checkin__month__lte=last,
        metric=metric,
    )
    return Subquery(answers.annotate(value=answer_value()).order_by(order).values("value")[:1], output_field=NUMBER)


def growth(scope: Scope, metrics: list[Metric]) -> dict[int, dict]:
    """For each metric, the ventures that answered it up to the scope's last month, and the total and median of
    their growth: the latest answered value less the first (one query)."""
    if not metrics:
        return {}
    ventures = _in_region(Venture.objects.filter(cohort=scope.cohort), scope, "pk", grouped=False)
    figures = {}
    for metric in metrics:
        first = _answer_at(metric, scope.last, "checkin__month")
        latest = _answer_at(metric, scope.last, "-checkin__month")
        ventures = ventures.annotate(**{f"growth_{metric.pk}": latest - first})
        key = F(f"growth_{metric.pk}")
        figures |= {f"n_{metric.pk}": Count(key), f"total_{metric.pk}": Sum(key), f"median_{metric.pk}": Median(key)}
    values = ventures.aggregate(**figures)
    return {m.pk: {key: values[f"{key}_{m.pk}"] for key in ("n", "total", "median")} for m in metrics}


@dataclass
class Outcomes:
    """The page's figures, arranged for its tables and charts."""

    scope: Scope
    metrics: list[Metric]
    regions: list[Region]
    ventures: int = 0
    answering: list[dict] = field(default_factory=list)
    by_metric: list[dict] = field(default_factory=list)
    by_region: list[dict] = field(default_factory=list)
    growth: list[dict] = field(default_factory=list)


def numeric_metrics(cohort: Cohort) -> list[Metric]:
    metric_set = getattr(cohort.program, "metric_set", None)
    return [m for m in metric_set.metrics.all() if m.kind in NUMERIC_KINDS] if metric_set else []


def outcomes(scope: Scope, metrics: list[Metric], regions: list[Region], region_metric: Metric | None) -> Outcomes:
    """Every figure of the page, in a fixed number of queries (five at most)."""
    result = Outcomes(scope=scope, metrics=metrics, regions=regions)
    counts = ventures_by_region(scope)
    result.ventures = sum(counts.values())
    answered = answering(scope)
    result.answering = _answering_rows(scope.months, answered, result.ventures)
    result.by_metric = _metric_rows(scope.months, metrics, metric_figures(scope, metrics))
    if region_metric is not None:
        rows = metric_figures(scope, [region_metric], by_region=True)
        result.by_region = _region_rows(scope.months, regions, counts, answered, region_metric, rows)
    standards = [m for m in metrics if m.standard in GROWTH_STANDARDS]
    figures = growth(scope, standards)
    result.growth = [{"metric": m, **figures[m.pk]} for m in standards]
    return result


def _answering_rows(months, answered: list[dict], ventures: int) -> list[dict]:
    rows = {month: {"month": month, "submitted": 0, "skipped": 0, "late": 0} for month in months}
    for group in answered:
        rows[group["month"]][group["status"]] += group["n"]
        rows[group["month"]]["late"] += group["late"]
    return [{**row, "ventures": ventures, "share": _share(row["submitted"], ventures)} for row in rows.values()]


def _share(part, whole) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def _metric_rows(months, metrics: list[Metric], figures: list[dict]) -> list[dict]:
    found = {(row["month"], row["metric"]): row for row in figures}
    rows = [
        (metric, [{"month": month, **_figure(metric, found.get((month, metric.pk)))} for month in months])
        for metric in metrics
    ]
    return [{"metric": metric, "rows": figures} for metric, figures in rows]


def _figure(metric: Metric, row: dict | None) -> dict:
    """One group's figures as the page shows them: the median to the cent, and its `headline`: the total of counts,
    amounts and jobs, the mean of percentages, the share of yes (in percent) of a yes/no."""
    if row is None:
        return {"n": 0, "total": None, "mean": None, "median": None, "headline": None}
    median = None if row["median"] is None else Decimal(str(row["median"])).quantize(Decimal("0.01"))
    if metric.kind == Metric.Kind.YES_NO:
        headline, median = round(100 * row["mean"], 1), None
    elif metric.kind == Metric.Kind.PERCENTAGE:
        headline = row["mean"].quantize(Decimal("0.01"))
    else:
        headline = row["total"]
    return {"n": row["n"], "total": row["total"], "mean": row["mean"], "median": median, "headline": headline}


def _region_rows(months, regions, counts: dict, answered: list[dict], metric: Metric, figures: list[dict]) -> list:
    """One row a month, one cell a region (and "no region", None, when some venture has none)."""
    columns = [region for region in regions if counts.get(region.pk)] + ([None] if counts.get(None) else [])
    sent = {}
    for group in answered:
        if group["status"] == CheckIn.Status.SUBMITTED:
            sent[(group["month"], group["region"])] = sent.get((group["month"], group["region"]), 0) + group["n"]
    found = {(row["month"], row["region"]): row for row in figures}
    rows = []
    for month in months:
        cells = []
        for region in columns:
            key = region.pk if region else None
            submitted, ventures = sent.get((month, key), 0), counts.get(key, 0)
            figure = _figure(metric, found.get((month, key)))
            cells.append({"region": region, "ventures": ventures, "submitted": submitted, **figure})
            cells[-1]["share"] = _share(submitted, ventures)
        rows.append({"month": month, "cells": cells})
    return rows


def checkin_records(scope: Scope, *, month=None, status: str = "", metric: Metric | None = None):
    """The check-ins behind a figure, oldest month first, each with its venture, region and (for `metric`) the
    value it answered; sent and skipped ones, or those of `status`."""
    checkins = checkins_in(scope).select_related("venture")
    if month:
        checkins = checkins.filter(month=month)
    if status:
        checkins = checkins.filter(status=status)
    if metric is not None:
        answers = CheckInAnswer.objects.filter(checkin_id=OuterRef("pk"), metric=metric)
        value = Subquery(answers.annotate(value=answer_value()).values("value")[:1], output_field=NUMBER)
        checkins = checkins.filter(status=CheckIn.Status.SUBMITTED, answers__metric=metric).annotate(value=value)
    return checkins.order_by("month", "venture__name", "pk")
