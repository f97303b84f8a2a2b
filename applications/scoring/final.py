"""The final ranking of a call with an interview stage: the written score and the interview score combined with the
manager's weight (`ReviewSettings.interview_weight`), each line explained.

One SQL statement, whatever the number of applications. Each stage is scored as the written ranking scores the
written reviews (`selectors.RANKING_SQL`): the mean of the submitted reviews' weighted points (0–100), or, when the
call normalises, each review's z-score against its reviewer's other reviews of the same stage, rescaled to that
stage's overall spread. The combined score is written × (100 − w) % + interview × w %. Applications without a
submitted interview score (or written one) have no combined score and come after the others, by their written
score; ties: the higher written score, then the earlier submission, then the lower application number."""

from dataclasses import dataclass, fields

from django.db import connection
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from applications.interviews.models import Interview
from applications.models import Application, Call
from applications.scoring.models import Decision, Review, ReviewerAssignment, ReviewStage
from applications.scoring.selectors import RANKED_STATUSES, STATUS_FILTERS, ranking_filters, settings_for
from cohorts.models import Region
from incubator.when import format_number

FINAL_SQL = """
WITH review_points AS (
    SELECT a.application_id, a.reviewer_id, a.stage, r.points
    FROM {review} r
    JOIN {assignment} a ON a.id = r.assignment_id
    WHERE a.call_id = %(call)s AND r.status = 'submitted' AND r.points IS NOT NULL
),
overall AS (SELECT stage, AVG(points) AS mean, STDDEV_SAMP(points) AS sd FROM review_points GROUP BY stage),
per_review AS (
    SELECT p.*,
           (p.points - AVG(p.points) OVER reviewer) / NULLIF(STDDEV_SAMP(p.points) OVER reviewer, 0) AS z
    FROM review_points p
    WINDOW reviewer AS (PARTITION BY p.stage, p.reviewer_id)
),
per_stage AS (
    SELECT pr.application_id, pr.stage, COUNT(*) AS reviews,
           CASE WHEN %(normalise)s
                -- A reviewer with one review of the stage (no spread) counts at the stage's overall mean.
                THEN AVG(LEAST(100, GREATEST(0, o.mean + COALESCE(pr.z, 0) * COALESCE(o.sd, 0))))
                ELSE AVG(pr.points) END AS score
    FROM per_review pr JOIN overall o ON o.stage = pr.stage
    GROUP BY pr.application_id, pr.stage
),
scored AS (
    SELECT app.id, app.full_name, app.region_id, COALESCE(reg.name, '') AS region_name, app.submitted_at,
           d.outcome AS decision_outcome, d.status AS decision_status,
           COALESCE(w.reviews, 0) AS review_count, w.score AS written,
           COALESCE(i.reviews, 0) AS interview_count, i.score AS interview,
           COALESCE(iv.status, '') AS interview_status,
           w.score * (100 - %(weight)s) / 100.0 + i.score * %(weight)s / 100.0 AS score
    FROM {app} app
    LEFT JOIN per_stage w ON w.application_id = app.id AND w.stage = %(written)s
    LEFT JOIN per_stage i ON i.application_id = app.id AND i.stage = %(interview)s
    LEFT JOIN {region} reg ON reg.id = app.region_id
    LEFT JOIN {decision} d ON d.application_id = app.id
    LEFT JOIN {interview} iv ON iv.application_id = app.id
    WHERE app.call_id = %(call)s AND app.status IN %(statuses)s
      AND (app.eligibility_override = 'eligible' OR (app.eligibility_override = '' AND app.eligibility = 'eligible'))
),
ranked AS (
    SELECT scored.*,
           ROW_NUMBER() OVER (
               ORDER BY score DESC NULLS LAST, written DESC NULLS LAST, submitted_at ASC, id ASC
           ) AS rank
    FROM scored
)
SELECT ranked.*, COUNT(*) OVER () AS total FROM ranked
WHERE {filters}
ORDER BY rank
{limit}
"""


@dataclass
class FinalRow:
    id: int
    full_name: str
    region_id: int | None
    region_name: str
    submitted_at: object
    decision_outcome: str | None
    decision_status: str | None
    review_count: int  # the written reviews: an application nobody reviewed is no candidate (`selection`)
    written: float | None
    interview_count: int
    interview: float | None
    interview_status: str  # the interview's logistics (applications.interviews), "" when not shortlisted
    score: float | None  # the combined score, which ranks
    rank: int
    total: int
    explanation: str = ""


FINAL_COLUMNS = tuple(f.name for f in fields(FinalRow) if f.name != "explanation")


# Why a line has no interview score, by its interview's status.
_NO_INTERVIEW_SCORE = {
    "": gettext_lazy("not shortlisted for an interview"),
    Interview.Status.NO_SHOW: gettext_lazy("did not come to the interview"),
    Interview.Status.CANCELLED: gettext_lazy("interview cancelled"),
    Interview.Status.INVITED: gettext_lazy("no interview score yet"),
    Interview.Status.BOOKED: gettext_lazy("no interview score yet"),
    Interview.Status.HELD: gettext_lazy("no interview score yet"),
}


def _explain(row: FinalRow, weight: int) -> str:
    if row.written is None:
        return _("no written score")
    if row.interview is None:
        return str(_NO_INTERVIEW_SCORE.get(row.interview_status, _NO_INTERVIEW_SCORE[""]))
    # Translators: how a final score is made, e.g. "written 79.0 × 60 % + interview 84.0 × 40 % = 81.0".
    return _(
        "written %(written)s × %(written_weight)s %% + interview %(interview)s × %(interview_weight)s %% = %(score)s"
    ) % {
        "written": format_number(row.written, 1),
        "written_weight": format_number(100 - weight),
        "interview": format_number(row.interview, 1),
        "interview_weight": format_number(weight),
        "score": format_number(row.score, 1),
    }


def final_ranking(
    call: Call,
    *,
    region_id: int | None = None,
    status: str = "",
    ids: list[int] | None = None,
    limit: int | None = None,
    offset: int = 0,
) -> list[FinalRow]:
    """The call's eligible applications in final-ranking order, each line explained in the active language: one
    query (and one for the call's review settings when not read yet). Filtered by region, decision `status` or
    `ids`, and paged; the rank stays the place in the whole final ranking."""
    review_settings = settings_for(call)
    weight = review_settings.interview_weight
    params = {
        "call": call.pk,
        "statuses": RANKED_STATUSES,
        "normalise": review_settings.normalise,
        "weight": weight,
        "written": ReviewStage.WRITTEN,
        "interview": ReviewStage.INTERVIEW,
    }
    status = status if status in STATUS_FILTERS else ""
    filters = ranking_filters(
        params, region_id=region_id, status=status, ids=ids, table="", outcome_column="decision_outcome"
    )
    limit_sql = ""
    if limit is not None:
        limit_sql = "LIMIT %(limit)s OFFSET %(offset)s"
        params.update(limit=limit, offset=offset)
    sql = FINAL_SQL.format(
        review=Review._meta.db_table,
        assignment=ReviewerAssignment._meta.db_table,
        app=Application._meta.db_table,
        region=Region._meta.db_table,
        decision=Decision._meta.db_table,
        interview=Interview._meta.db_table,
        filters=" AND ".join(["TRUE", *filters]),
        limit=limit_sql,
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        names = tuple(column.name for column in cursor.description)
        if names != FINAL_COLUMNS:
            raise RuntimeError(f"The final ranking statement returns {names}, not the fields of FinalRow.")
        rows = [FinalRow(*values) for values in cursor.fetchall()]
    for row in rows:
        row.explanation = _explain(row, weight)
    return rows


def uses_final_ranking(call: Call) -> bool:
    """A call with an interview stage ranks (and selects) by the final ranking once an interview is scored."""
    return settings_for(call).has_interview and (
        Review.objects.filter(
            assignment__call=call, assignment__stage=ReviewStage.INTERVIEW, status=Review.Status.SUBMITTED
        ).exists()
    )
