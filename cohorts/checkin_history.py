"""Reads for the check-in pages: who reads a venture's check-ins, its months, and its metrics over time."""

import datetime

from django.db.models import Prefetch

from cohorts.checkins import current_month, next_month
from cohorts.models import CheckIn, CheckInAnswer, Metric, Venture, VentureMember
from incubator.when import format_day


def venture_for_checkins(cohort, pk: int) -> Venture | None:
    """The cohort's venture with its team and its program's metric set (None when the program asks none)."""
    return (
        Venture.objects.filter(cohort=cohort, pk=pk)
        .select_related("cohort__program__metric_set")
        .prefetch_related(Prefetch("team", queryset=VentureMember.objects.select_related("user")))
        .first()
    )


def on_team(user, venture: Venture) -> bool:
    return any(member.user_id == user.pk for member in venture.team.all())


def can_read_checkins(user, cohort, venture: Venture) -> bool:
    """The venture's team, the cohort's mentors and the program's managers."""
    return on_team(user, venture) or cohort.viewer_is_mentor or cohort.viewer_is_manager


def metrics_of(venture: Venture) -> list[Metric]:
    metric_set = getattr(venture.cohort.program, "metric_set", None)
    return list(metric_set.metrics.all()) if metric_set else []


def cohort_months(venture: Venture, now: datetime.datetime | None = None) -> list[datetime.date]:
    """The months a check-in is asked for: from the cohort's first to the last one over (or its end)."""
    cohort = venture.cohort
    if cohort.starts_on is None:
        return []
    last = current_month(cohort.program, now)
    if cohort.ends_on:
        last = min(last, next_month(cohort.ends_on.replace(day=1)))
    months, month = [], cohort.starts_on.replace(day=1)
    while month < last:
        months.append(month)
        month = next_month(month)
    return months


def venture_checkins(venture: Venture) -> dict[datetime.date, CheckIn]:
    """The venture's check-ins by month, each with its answers (two queries)."""
    answers = CheckInAnswer.objects.order_by("metric_id")
    checkins = venture.checkins.prefetch_related(Prefetch("answers", queryset=answers)).order_by("month")
    return {checkin.month: checkin for checkin in checkins}


def answers_by_metric(checkin: CheckIn | None) -> dict[int, CheckInAnswer]:
    return {answer.metric_id: answer for answer in checkin.answers.all()} if checkin else {}


def history_rows(venture: Venture, metrics: list[Metric], now=None) -> list[dict]:
    """One row a month, newest first: the check-in (or None) and its submitted values in the metrics' order."""
    checkins = venture_checkins(venture)
    months = sorted(set(cohort_months(venture, now)) | set(checkins), reverse=True)
    rows = []
    for month in months:
        checkin = checkins.get(month)
        answers = answers_by_metric(checkin) if checkin and checkin.status == CheckIn.Status.SUBMITTED else {}
        values = [_value(answers.get(metric.pk), metric) for metric in metrics]
        cells = list(zip(metrics, values, strict=True))
        rows.append({"month": month, "checkin": checkin, "values": values, "cells": cells})
    return rows


def _value(answer: CheckInAnswer | None, metric: Metric):
    if answer is None:
        return None
    answer.metric = metric  # the metrics are read once for the page
    return answer.value


def chart_data(rows: list[dict], metrics: list[Metric]) -> dict:
    """The numeric metrics as series over the months, oldest first, for static/js/checkin_charts.js."""
    ordered = list(reversed(rows))
    return {
        "months": [format_day(row["month"], "month") for row in ordered],
        "series": [
            {
                "label": metric.label,
                "kind": metric.kind,
                "values": [None if row["values"][i] is None else float(row["values"][i]) for row in ordered],
            }
            for i, metric in enumerate(metrics)
            if metric.is_numeric
        ],
    }
