"""Reads for reviewers and managers: queues, the ranking (aggregated in PostgreSQL) and its figures.

The ranking is one SQL statement, whatever the number of applications. By the mean score, it reads each
application's figures (count, mean, median, standard deviation, recommendation tally) from `ScoreSummary`, which
triggers keep up to date, in the order of its index: the first page reads 50 rows, not 30,000 reviews. With
per-reviewer normalisation every review's z-score depends on all the reviewer's other reviews, so that ranking is
computed from the reviews' weighted scores (0–100 points, kept by `services.review_points_refresh`): per reviewer
the mean and standard deviation (window functions), per application the same figures, then a row number by the
ranking order with its tie-break."""

from dataclasses import dataclass, fields
from typing import NamedTuple

from django.db import connection
from django.db.models import Count, Prefetch, Q, QuerySet

from applications.models import Application, Call, TeamMember
from applications.scoring.models import (
    ConflictOfInterest,
    Criterion,
    CriterionScore,
    Decision,
    Review,
    ReviewerAssignment,
    ReviewSettings,
    ReviewStage,
    ScoreSummary,
)
from cohorts.models import Region

RANKED_STATUSES = ("submitted", "accepted", "waitlisted", "rejected")
SORT_COLUMNS = {
    "rank": "rank",
    "score": "score",
    "mean": "mean",
    "normalised": "normalised",
    "median": "median",
    "count": "review_count",
    "stddev": "stddev",
    "yes": "yes",
    "maybe": "maybe",
    "no": "no",
    "name": "full_name",
    "region": "region_name",
}
# Stated tie-break, used by the rank and therefore by the selection: the higher median, then the earlier
# submission, then the lower application number.
TIE_BREAK = "median DESC NULLS LAST, submitted_at ASC, id ASC"
STATUS_FILTERS = ("undecided", "accept", "waitlist", "reject")


def settings_for(call: Call) -> ReviewSettings:
    """The call's review settings; a call nobody configured yet is still in screening."""
    try:
        return call.review_settings
    except ReviewSettings.DoesNotExist:
        return ReviewSettings(call=call)


@dataclass
class RankRow:
    id: int
    full_name: str
    region_id: int | None
    region_name: str
    status: str
    submitted_at: object
    decision_outcome: str | None
    decision_status: str | None
    decision_reason: str
    review_count: int
    mean: float | None
    median: float | None
    stddev: float | None
    normalised: float | None
    score: float | None
    yes: int
    maybe: int
    no: int
    rank: int
    total: int
    disagreement: bool = False


RANK_COLUMNS = tuple(f.name for f in fields(RankRow) if f.name != "disagreement")


class RankPosition(NamedTuple):
    """An application's place in the ranking, with what the selection proposal reads to fill the seats."""

    id: int
    region_id: int | None
    review_count: int
    rank: int


def _tables() -> dict:
    return {
        "app": Application._meta.db_table,
        "region": Region._meta.db_table,
        "assignment": ReviewerAssignment._meta.db_table,
        "review": Review._meta.db_table,
        "score": CriterionScore._meta.db_table,
        "criterion": Criterion._meta.db_table,
        "decision": Decision._meta.db_table,
        "summary": ScoreSummary._meta.db_table,
    }


# The ranking by normalised score, computed from the reviews (see the module docstring).
RANKING_SQL = """
WITH review_points AS (
    SELECT a.application_id, a.reviewer_id, r.recommendation, r.points
    FROM {review} r
    JOIN {assignment} a ON a.id = r.assignment_id
    WHERE a.call_id = %(call)s AND a.stage = %(stage)s AND r.status = 'submitted' AND r.points IS NOT NULL
),
overall AS (SELECT AVG(points) AS mean, STDDEV_SAMP(points) AS sd FROM review_points),
per_review AS (
    SELECT p.*,
           (p.points - AVG(p.points) OVER reviewer) / NULLIF(STDDEV_SAMP(p.points) OVER reviewer, 0) AS z,
           ROW_NUMBER() OVER (PARTITION BY p.application_id ORDER BY p.points) AS position,
           COUNT(*) OVER (PARTITION BY p.application_id) AS reviews
    FROM review_points p
    WINDOW reviewer AS (PARTITION BY p.reviewer_id)
),
per_application AS (
    SELECT pr.application_id,
           COUNT(*) AS review_count,
           AVG(pr.points) AS mean,
           -- The median: the middle review, or the mean of the two middle ones. The same as percentile_cont(0.5),
           -- which sorts each application's few rows separately and is much slower over 10,000 applications.
           AVG(pr.points) FILTER (WHERE pr.position IN ((pr.reviews + 1) / 2, (pr.reviews + 2) / 2)) AS median,
           STDDEV_SAMP(pr.points) AS stddev,
           -- z-score rescaled to the call's overall spread, kept within the 0-100 range of the rubric;
           -- a reviewer with one review (no spread) counts at the overall mean.
           AVG(LEAST(100, GREATEST(0, o.mean + COALESCE(pr.z, 0) * COALESCE(o.sd, 0)))) AS normalised,
           COUNT(*) FILTER (WHERE pr.recommendation = 'yes') AS yes,
           COUNT(*) FILTER (WHERE pr.recommendation = 'maybe') AS maybe,
           COUNT(*) FILTER (WHERE pr.recommendation = 'no') AS no
    FROM per_review pr CROSS JOIN overall o
    GROUP BY pr.application_id
),
scored AS (
    SELECT app.id, app.full_name, app.region_id, COALESCE(reg.name, '') AS region_name, app.status,
           app.submitted_at, d.outcome AS decision_outcome, d.status AS decision_status,
           COALESCE(d.reason, '') AS decision_reason,
           COALESCE(pa.review_count, 0) AS review_count, pa.mean, pa.median, pa.stddev, pa.normalised,
           pa.normalised AS score,
           COALESCE(pa.yes, 0) AS yes, COALESCE(pa.maybe, 0) AS maybe, COALESCE(pa.no, 0) AS no
    FROM {app} app
    LEFT JOIN per_application pa ON pa.application_id = app.id
    LEFT JOIN {region} reg ON reg.id = app.region_id
    LEFT JOIN {decision} d ON d.application_id = app.id
    WHERE app.call_id = %(call)s AND app.status IN %(statuses)s
      AND (app.eligibility_override = 'eligible' OR (app.eligibility_override = '' AND app.eligibility = 'eligible'))
),
ranked AS (
    SELECT scored.*, ROW_NUMBER() OVER (ORDER BY score DESC NULLS LAST, {tie_break}) AS rank FROM scored
)
SELECT ranked.*, COUNT(*) OVER () AS total FROM ranked
WHERE {filters}
ORDER BY {order} {direction} NULLS LAST, rank
{limit}
"""


# The ranking by mean score, from the summaries. Ordered by the ranking's own keys (those of
# `score_summary_rank_idx`), PostgreSQL reads the first page's rows in index order and stops after them; sorted by
# another column or filtered, it ranks all of the call's summaries first (a few milliseconds for 10,000).
SUMMARY_RANKING_SQL = """
SELECT app.id, app.full_name, app.region_id, COALESCE(reg.name, '') AS region_name, app.status, s.submitted_at,
       d.outcome AS decision_outcome, d.status AS decision_status, COALESCE(d.reason, '') AS decision_reason,
       s.review_count, s.mean, s.median, s.stddev, NULL::float8 AS normalised, s.mean AS score,
       s.yes, s.maybe, s.no, s.rank, {total} AS total
FROM (
    SELECT summary.*, ROW_NUMBER() OVER (ORDER BY {rank_order}) AS rank
    FROM {summary} summary
    WHERE summary.call_id = %(call)s AND summary.ranked
    {window_limit}
) s
JOIN {app} app ON app.id = s.application_id
LEFT JOIN {region} reg ON reg.id = app.region_id
LEFT JOIN {decision} d ON d.application_id = app.id
WHERE {filters}
ORDER BY {order}
{limit}
"""
RANK_ORDER = "{t}.mean DESC NULLS LAST, {t}.median DESC NULLS LAST, {t}.submitted_at ASC, {t}.application_id ASC"
RANK_ORDER_REVERSED = (
    "{t}.mean ASC NULLS FIRST, {t}.median ASC NULLS FIRST, {t}.submitted_at DESC, {t}.application_id DESC"
)
# The sortable figures in the summary query; without normalisation there is no normalised score to sort by.
SUMMARY_COLUMNS = {
    "score": "s.mean",
    "mean": "s.mean",
    "normalised": "NULL::float8",
    "median": "s.median",
    "count": "s.review_count",
    "stddev": "s.stddev",
    "yes": "s.yes",
    "maybe": "s.maybe",
    "no": "s.no",
    "name": "app.full_name",
    "region": "region_name",
}


def ranking_filters(params: dict, *, region_id, status, ids, table: str, outcome_column: str) -> list[str]:
    """`table` is the alias of the application's columns in the statement ("" for none)."""
    filters = []
    if ids is not None:
        filters.append(f"{table}id = ANY(%(ids)s)")
        params["ids"] = list(ids)
    if region_id:
        filters.append(f"{table}region_id = %(region)s")
        params["region"] = region_id
    if status == "undecided":
        filters.append(f"{outcome_column} IS NULL")
    elif status in STATUS_FILTERS:
        filters.append(f"{outcome_column} = %(outcome)s")
        params["outcome"] = status
    return filters


def _normalised_ranking_sql(params: dict, *, region_id, status, ids, order, descending, limit_sql) -> str:
    filters = ranking_filters(
        params, region_id=region_id, status=status, ids=ids, table="", outcome_column="decision_outcome"
    )
    return RANKING_SQL.format(
        tie_break=TIE_BREAK,
        filters=" AND ".join(["TRUE", *filters]),
        order=SORT_COLUMNS[order],
        direction="DESC" if descending else "ASC",
        limit=limit_sql,
        **_tables(),
    )


def _summary_ranking_sql(params: dict, *, region_id, status, ids, order, descending, limit, offset, limit_sql) -> str:
    """From the kept score summaries (`ScoreSummary`), when the call's scores are not normalised per reviewer."""
    filters = ranking_filters(
        params, region_id=region_id, status=status, ids=ids, table="app.", outcome_column="d.outcome"
    )
    window_limit = ""
    if order == "rank":
        order_sql = (RANK_ORDER_REVERSED if descending else RANK_ORDER).format(t="s")
        if limit is not None and not descending and not filters:
            # The rows up to the page's last, in rank order: planned on its own, the window would otherwise
            # be planned for reading every row (a scan and a sort) rather than the index's first rows.
            window_limit = f"ORDER BY {RANK_ORDER.format(t='summary')} LIMIT %(window_limit)s"
            params["window_limit"] = offset + limit
    else:
        order_sql = f"{SUMMARY_COLUMNS[order]} {'DESC' if descending else 'ASC'} NULLS LAST, s.rank"
    return SUMMARY_RANKING_SQL.format(
        rank_order=RANK_ORDER.format(t="summary"),
        window_limit=window_limit,
        # Unfiltered, the total is a count of the call's ranked summaries, so not every row need be read.
        total="COUNT(*) OVER ()"
        if filters
        else f"(SELECT COUNT(*) FROM {ScoreSummary._meta.db_table} c WHERE c.call_id = %(call)s AND c.ranked)",
        filters=" AND ".join(["TRUE", *filters]),
        order=order_sql,
        limit=limit_sql,
        **_tables(),
    )


def _ranking_statement(
    call: Call,
    *,
    region_id: int | None = None,
    status: str = "",
    ids: list[int] | None = None,
    order: str = "rank",
    descending: bool = False,
    limit: int | None = None,
    offset: int = 0,
) -> tuple[str, dict]:
    review_settings = settings_for(call)
    params = {"call": call.pk, "statuses": RANKED_STATUSES, "stage": ReviewStage.WRITTEN}
    order = order if order in SORT_COLUMNS else "rank"
    limit_sql = ""
    if limit is not None:
        limit_sql = "LIMIT %(limit)s OFFSET %(offset)s"
        params.update(limit=limit, offset=offset)
    shape = {
        "region_id": region_id,
        "status": status,
        "ids": ids,
        "order": order,
        "descending": descending,
        "limit_sql": limit_sql,
    }
    if review_settings.normalise:
        return _normalised_ranking_sql(params, **shape), params
    return _summary_ranking_sql(params, limit=limit, offset=offset, **shape), params


def ranking(call: Call, **shape) -> list[RankRow]:
    """The call's eligible applications in ranking order (or sorted by any figure): one query. `shape` narrows it
    (`region_id`, a decision `status`, the applications' `ids`), orders it (`order`, `descending`) and pages it
    (`limit`, `offset`); the rank stays the place in the whole call's ranking."""
    sql, params = _ranking_statement(call, **shape)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        names = tuple(column.name for column in cursor.description)
        if names != RANK_COLUMNS:
            raise RuntimeError(f"The ranking statement returns {names}, not the fields of RankRow.")
        # By position: the statements select RankRow's fields in its order (checked above), and a call's full
        # ranking (the CSV, the selection) is 10,000 rows.
        rows = [RankRow(*values) for values in cursor.fetchall()]
    threshold = float(settings_for(call).disagreement_threshold)
    for row in rows:
        row.disagreement = row.stddev is not None and row.stddev > threshold
    return rows


def ranking_positions(call: Call) -> list[RankPosition]:
    """Every eligible application's place in the call's ranking, in rank order: one query. The selection proposal
    reads the whole ranking of a large call (10,000 rows) to show a hundred: four columns of each row read in a
    third of the time of whole rows (their names, dates and figures); `ranking(call, ids=…)` reads the hundred."""
    sql, params = _ranking_statement(call)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id, region_id, review_count, rank FROM ({sql}) ranking ORDER BY rank", params)
        return list(map(RankPosition._make, cursor.fetchall()))


def reviewer_queue(user) -> QuerySet[ReviewerAssignment]:
    """The reviewer's assignments with their application, call and own review, unfinished first: one query."""
    return (
        ReviewerAssignment.objects.filter(reviewer=user)
        .select_related("application__region", "call__cohort__program", "call__review_settings", "review")
        # The queue shows names, not answers: 50 rows of answers would be most of what the page reads.
        .defer("application__answers")
        # What is left to do first (no review yet, then drafts), finished reviews last: the kept sort key, read in
        # this order from `assignment_queue_idx`.
        .order_by("review_status", "call_closes_at", "call_id", "application_submitted_at", "pk")
    )


def reviewer_progress(user) -> list[dict]:
    """Per call: how many of the reviewer's assignments are submitted, out of how many: one query."""
    return list(
        ReviewerAssignment.objects.filter(reviewer=user)
        .values(
            "call_id",
            "call__title",
            "call__slug",
            "call__review_settings__review_deadline",
            "call__cohort__program__time_zone",
        )
        .annotate(assigned=Count("pk"), done=Count("pk", filter=Q(review_status=Review.Status.SUBMITTED)))
        .order_by("call__closes_at", "call_id")
    )


def next_assignment(user, *, after: ReviewerAssignment | None = None) -> ReviewerAssignment | None:
    """The reviewer's next unfinished assignment in queue order, the current one excluded."""
    unfinished = reviewer_queue(user).exclude(review_status=Review.Status.SUBMITTED)
    if after is not None:
        unfinished = unfinished.exclude(pk=after.pk)
    return unfinished.first()


def assignment_detail(pk: int) -> QuerySet[ReviewerAssignment]:
    """One assignment with what the review page shows: the application, its team, the rubric and the scores."""
    return (
        ReviewerAssignment.objects.filter(pk=pk)
        .select_related(
            "reviewer",
            "application__region",
            "application__applicant",
            "call__cohort__program",
            "call__review_settings",
        )
        .prefetch_related(
            "application__team_members",
            "application__files",
            Prefetch("call__criteria_set", queryset=Criterion.objects.order_by("position", "pk")),
        )
    )


def other_reviews(assignment: ReviewerAssignment) -> QuerySet[Review]:
    """The other reviewers' submitted reviews of the same application, with their scores."""
    return (
        Review.objects.filter(
            assignment__application_id=assignment.application_id,
            assignment__stage=assignment.stage,
            status=Review.Status.SUBMITTED,
        )
        .exclude(assignment_id=assignment.pk)
        .select_related("assignment__reviewer")
        .prefetch_related(Prefetch("scores", queryset=CriterionScore.objects.select_related("criterion")))
        .order_by("submitted_at")
    )


def conflicted_application_ids(call: Call, *, reviewers=()) -> dict[int, set[int]]:
    """{reviewer id: ids of this call's applications they must not review}: declared by application, applicant or
    team email, and implicit for each of `reviewers` whose own email is the application's, applicant's or a team
    member's."""
    applications = Application.objects.filter(call=call)
    by_email: dict[str, set[int]] = {}
    for pk, email, applicant_email in applications.values_list("pk", "email", "applicant__email"):
        for address in {email.lower(), applicant_email.lower()} - {""}:
            by_email.setdefault(address, set()).add(pk)
    for pk, email in (
        TeamMember.objects.filter(application__call=call).exclude(email="").values_list("application_id", "email")
    ):
        by_email.setdefault(email.lower(), set()).add(pk)
    conflicts: dict[int, set[int]] = {}
    declared = ConflictOfInterest.objects.filter(Q(application__call=call) | ~Q(email="")).values_list(
        "reviewer_id", "application_id", "email"
    )
    for reviewer_id, application_id, email in declared:
        ids = conflicts.setdefault(reviewer_id, set())
        if application_id:
            ids.add(application_id)
        if email:
            ids |= by_email.get(email.lower(), set())
    for reviewer in reviewers:
        own = by_email.get((reviewer.email or "").lower(), set())
        if own:
            conflicts.setdefault(reviewer.pk, set()).update(own)
    return conflicts
