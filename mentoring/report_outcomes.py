"""The funder report's outcomes: what the ventures of the program answered in their monthly check-ins for the months
of the period, counted in SQL in four queries whatever the number of ventures and months.

Only submitted check-ins count. A month falls in the period when its first day is between the first day of the
period's first month and the period's last day. Stocks (paid jobs, clients, volunteers) are read at each venture's
latest answered month and added up over the ventures; flows (revenue, funding) are added up over the months, a loss
being a negative revenue."""

import datetime

from django.db.models import Count, Q, Sum

from cohorts.checkins import current_month
from cohorts.models import CheckIn, CheckInAnswer, Metric, Program, Venture

FLOWS = {Metric.Standard.REVENUE: "amount", Metric.Standard.FUNDING: "amount"}
STOCKS = {Metric.Standard.JOBS: "fte", Metric.Standard.CLIENTS: "count", Metric.Standard.VOLUNTEERS: "count"}


def period_months(start: datetime.date, end: datetime.date) -> Q:
    """The check-ins whose month falls in the period."""
    return Q(month__gte=start.replace(day=1), month__lte=end)


def outcome_metrics(program: Program) -> dict[str, Metric]:
    """The program's standard numeric metrics by standard name, each with its metric set (one query; empty when the
    program asks no check-ins)."""
    metrics = Metric.objects.filter(metric_set__program=program, standard__in=[*FLOWS, *STOCKS])
    return {metric.standard: metric for metric in metrics.select_related("metric_set")}


def submitted_in(program: Program, start: datetime.date, end: datetime.date):
    return CheckIn.objects.filter(
        period_months(start, end), venture__cohort__program=program, status=CheckIn.Status.SUBMITTED
    )


def flow_sums(metrics: dict[str, Metric]) -> dict:
    """Annotations summing each flow metric's answers (in the metric set's currency) over the rows' check-ins."""
    return {
        standard: Sum(
            f"answers__{FLOWS[standard]}",
            filter=Q(answers__metric=metric, answers__currency=metric.metric_set.currency),
        )
        for standard, metric in metrics.items()
        if standard in FLOWS
    }


def report_outcomes(
    program: Program, start: datetime.date, end: datetime.date, now: datetime.datetime | None = None
) -> dict | None:
    """Queries: the metrics; the ventures per cohort (the months asked); the submitted check-ins per venture; each
    venture's latest stocks. None when the program asks no check-ins."""
    metrics = outcome_metrics(program)
    if not metrics:
        return None
    expected = _expected(program, start, end, now)
    ventures = list(
        submitted_in(program, start, end)
        .values("venture_id")
        .annotate(submitted=Count("pk", distinct=True), **flow_sums(metrics))
        .order_by()
    )
    submitted = sum(row["submitted"] for row in ventures)
    outcomes = {
        "currency": next(iter(metrics.values())).metric_set.currency,
        "answering": len(ventures),
        "submitted": submitted,
        "expected": expected,
        "answer_share": round(100 * submitted / expected) if expected else None,
        "revenue_ventures": sum(1 for row in ventures if (row.get("revenue") or 0) > 0),
    }
    for standard in FLOWS:
        outcomes[standard] = sum((row.get(standard) or 0 for row in ventures), 0)
    outcomes.update(_latest_stocks(program, start, end, metrics))
    return outcomes


def _months_between(first: datetime.date, last: datetime.date) -> int:
    return max(0, (last.year - first.year) * 12 + last.month - first.month + 1)


def _expected(program: Program, start: datetime.date, end: datetime.date, now) -> int:
    """Ventures × months asked in the period: a cohort's months from its first to its last, up to the last month
    over (the one before the month in progress)."""
    last_over = current_month(program, now) - datetime.timedelta(days=1)
    cohorts = (
        Venture.objects.filter(cohort__program=program)
        .values("cohort__starts_on", "cohort__ends_on")
        .annotate(ventures=Count("pk"))
        .order_by()
    )
    total = 0
    for cohort in cohorts:
        if cohort["cohort__starts_on"] is None:
            continue
        first = max(start.replace(day=1), cohort["cohort__starts_on"].replace(day=1))
        last = min(end, last_over, cohort["cohort__ends_on"] or end).replace(day=1)
        total += cohort["ventures"] * _months_between(first, last)
    return total


def latest_stock_answers(program: Program, start: datetime.date, end: datetime.date, metrics: dict[str, Metric]):
    """Each venture's latest submitted answer of each stock metric in the period (one row per venture and metric)."""
    stocks = [metric for standard, metric in metrics.items() if standard in STOCKS]
    return (
        CheckInAnswer.objects.filter(
            metric__in=stocks,
            checkin__in=submitted_in(program, start, end),
        )
        .filter(Q(count__isnull=False) | Q(fte__isnull=False))
        .order_by("checkin__venture_id", "metric_id", "-checkin__month")
        .distinct("checkin__venture_id", "metric_id")
    )


def _latest_stocks(program, start, end, metrics: dict[str, Metric]) -> dict:
    standard_of = {metric.pk: standard for standard, metric in metrics.items()}
    totals = dict.fromkeys(STOCKS, 0)
    for metric_id, count, fte in latest_stock_answers(program, start, end, metrics).values_list(
        "metric_id", "count", "fte"
    ):
        standard = standard_of[metric_id]
        totals[standard] += fte if STOCKS[standard] == "fte" else count
    return totals
