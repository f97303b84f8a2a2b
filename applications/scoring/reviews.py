"""A review's life: written and submitted by its reviewer, locked at the deadline or once the others' scores were
seen, its weighted points kept in SQL, and reminders before the review deadline."""

import datetime

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from applications.models import Call
from applications.scoring import selectors
from applications.scoring.models import (
    Criterion,
    CriterionScore,
    Review,
    ReviewerAssignment,
    ReviewSettings,
    ReviewStage,
)
from applications.scoring.services import (
    ReviewNotYours,
    ScoringError,
    is_conflicted,
    lock_calls,
    may_write_review,
    not_your_review_message,
    scores_snapshot,
)
from incubator.audit import audit_record
from incubator.history import recorded_by
from incubator.notifications import Claim, notifications_claim, notifications_enqueue
from incubator.when import format_when

REMINDER_KIND = "scoring.review_reminder"


# Reviewers with unfinished reviews hear from us this long before the review deadline, once each.
REMINDER_THRESHOLDS = [("3d", datetime.timedelta(days=3)), ("1d", datetime.timedelta(days=1))]


def review_lock_reason(*, assignment: ReviewerAssignment, review: Review | None, by, now=None) -> str:
    """Why the reviewer may no longer change their submitted review, or "" while they may.

    A submitted review stays editable for its reviewer until the review deadline, unless they have been shown
    the other reviewers' scores after submitting (`others_seen_at`): otherwise a throwaway review would unlock the
    others' scores, to be rewritten after reading them. Managers may still correct a review in the admin."""
    if review is None or review.status != Review.Status.SUBMITTED or getattr(by, "pk", None) != assignment.reviewer_id:
        return ""
    review_settings = selectors.settings_for(assignment.call)
    # The review deadline is the written reviews'; interviews happen after it.
    deadline = review_settings.review_deadline if assignment.stage == ReviewStage.WRITTEN else None
    if deadline is not None and (now or timezone.now()) > deadline:
        local = timezone.localtime(deadline, assignment.call.zone)
        return _(
            "The review deadline (%(deadline)s, %(zone)s) has passed: your submitted review can no longer change."
        ) % {
            "deadline": format_when(local, assignment.call.zone, named=False),
            "zone": assignment.call.zone.key,
        }
    if review_settings.others_visible == ReviewSettings.Visibility.AFTER_SUBMIT and assignment.others_seen_at:
        local = timezone.localtime(assignment.others_seen_at)
        return _(
            "You were shown the other reviewers' scores on %(when)s, after submitting yours: "
            "your submitted review can no longer change."
        ) % {"when": format_when(local)}
    return ""


def assignment_others_shown(*, assignment: ReviewerAssignment, by) -> None:
    """Record that the reviewer was shown the others' submitted scores (the first time only)."""
    if assignment.others_seen_at is not None or getattr(by, "pk", None) != assignment.reviewer_id:
        return
    with transaction.atomic():
        updated = ReviewerAssignment.objects.filter(pk=assignment.pk, others_seen_at__isnull=True).update(
            others_seen_at=timezone.now()
        )
        if updated:
            assignment.refresh_from_db(fields=["others_seen_at"])
            audit_record(actor=by, action="scoring.others_shown", obj=assignment)


def _check_reviewable(assignment: ReviewerAssignment) -> None:
    call = assignment.call
    if call.decisions_published_at is not None:
        raise ScoringError(_("Decisions are published: reviews can no longer change."))
    review_settings = selectors.settings_for(call)
    if not review_settings.accepts_reviews:
        raise ScoringError(_("This call is not at a reviewing stage."))
    if assignment.stage == ReviewStage.INTERVIEW and review_settings.stage != ReviewSettings.Stage.INTERVIEW:
        raise ScoringError(_("Interviews are scored once the call is at its interview stage."))
    if is_conflicted(assignment.reviewer, assignment.application):
        raise ScoringError(_("You declared a conflict of interest with this application: you cannot review it."))


def _check_scores(criteria: dict[int, Criterion], scores: dict[int, int], recommendation: str) -> None:
    for criterion_id, value in scores.items():
        criterion = criteria.get(criterion_id)
        if criterion is None:
            raise ScoringError(_("This criterion is not part of this call's rubric."))
        if not criterion.scale_min <= value <= criterion.scale_max:
            raise ScoringError(
                _("The score for “%(criterion)s” must be between %(min)s and %(max)s.")
                % {"criterion": criterion.name, "min": criterion.scale_min, "max": criterion.scale_max}
            )
    if recommendation and recommendation not in Review.Recommendation.values:
        raise ScoringError(_("Choose yes, maybe or no."))


def _check_complete(criteria: dict[int, Criterion], scores: dict[int, int], recommendation: str) -> None:
    """What submitting needs on top of a draft: every counted criterion scored, and a recommendation."""
    missing = [c.name for c in criteria.values() if not c.informational and c.pk not in scores]
    if missing:
        raise ScoringError(_("Score every criterion before submitting: %(names)s.") % {"names": ", ".join(missing)})
    if not recommendation:
        raise ScoringError(_("Give a recommendation (yes, maybe or no) before submitting."))


def _scores_write(review: Review, criteria: dict[int, Criterion], scores: dict[int, int]) -> None:
    review.scores.exclude(criterion_id__in=scores).delete()
    # One upsert for the whole rubric (unique per review and criterion), not a savepoint, read and write each.
    CriterionScore.objects.bulk_create(
        [
            CriterionScore(
                review=review,
                criterion=criteria[criterion_id],
                score=value,
                scale_min=criteria[criterion_id].scale_min,
                scale_max=criteria[criterion_id].scale_max,
            )
            for criterion_id, value in scores.items()
        ],
        update_conflicts=True,
        unique_fields=["review", "criterion"],
        update_fields=["score", "scale_min", "scale_max"],
    )


def _record_change(assignment: ReviewerAssignment, review: Review, before: dict, by) -> None:
    after = scores_snapshot(review)
    if after == before:
        return
    note = "" if by.pk == assignment.reviewer_id else f"corrected by a superuser for reviewer #{assignment.reviewer_id}"
    audit_record(actor=by, action="scoring.review_save", obj=review, before=before, after=after, note=note)


@recorded_by
def review_save(
    *, assignment: ReviewerAssignment, scores: dict[int, int], comment: str, recommendation: str, submit: bool, by
) -> Review:
    """Save a draft, or submit: every counted criterion scored within its scale and a recommendation given.

    A submitted review stays editable until decisions are published (for its reviewer, until the review deadline
    and until they are shown the others' scores: `review_lock_reason`); every change is kept in the history.
    Only its reviewer writes it, or a superuser correcting it (`may_write_review`): a manager does not score in
    another reviewer's name."""
    if not may_write_review(by, assignment):
        raise ReviewNotYours(not_your_review_message())
    with transaction.atomic():
        # The call first (the lock order of every scoring change), so decisions cannot be published meanwhile.
        lock_calls([assignment.call_id])
        assignment = (
            ReviewerAssignment.objects.select_for_update(of=("self",))
            .select_related("call__review_settings", "application__applicant", "reviewer")
            .get(pk=assignment.pk)
        )
        _check_reviewable(assignment)
        criteria = {c.pk: c for c in Criterion.objects.filter(call=assignment.call, stage=assignment.stage)}
        _check_scores(criteria, scores, recommendation)
        review, _created = Review.objects.get_or_create(assignment=assignment)
        locked = review_lock_reason(assignment=assignment, review=review, by=by)
        if locked:
            raise ScoringError(locked)
        before = scores_snapshot(review)
        submitted = submit or review.status == Review.Status.SUBMITTED
        if submitted:
            _check_complete(criteria, scores, recommendation)
        _scores_write(review, criteria, scores)
        review.comment, review.recommendation, review.updated_at = comment, recommendation, timezone.now()
        if submitted and review.status != Review.Status.SUBMITTED:
            review.status, review.submitted_at = Review.Status.SUBMITTED, review.updated_at
        review.save()
        review_points_refresh(review=review)
        _record_change(assignment, review, before, by)
    return review


POINTS_SQL = """
UPDATE {review} r SET points = sp.points
FROM (
    SELECT s.review_id,
           100.0 * SUM(c.weight::float8 * (s.score - s.scale_min) / (s.scale_max - s.scale_min))
                 / NULLIF(SUM(c.weight::float8), 0) AS points
    FROM {score} s
    JOIN {criterion} c ON c.id = s.criterion_id AND NOT c.informational
    WHERE s.review_id IN (SELECT r2.id FROM {review} r2 JOIN {assignment} a ON a.id = r2.assignment_id WHERE {where})
    GROUP BY s.review_id
) sp
WHERE r.id = sp.review_id
"""


def review_points_refresh(*, call: Call | None = None, review: Review | None = None) -> None:
    """Recompute the weighted points of one review, or of all a call's reviews after its rubric changed.

    Points: each counted criterion's score placed on 0–1 within its scale, weighted, averaged, times 100."""
    where, params = ("r2.id = %s", [review.pk]) if review is not None else ("a.call_id = %s", [call.pk])
    tables = {
        "review": Review._meta.db_table,
        "score": CriterionScore._meta.db_table,
        "criterion": Criterion._meta.db_table,
        "assignment": ReviewerAssignment._meta.db_table,
    }
    with connection.cursor() as cursor:
        # A review whose scores are all gone (or all informational) has no points.
        cursor.execute(
            f"UPDATE {tables['review']} SET points = NULL WHERE id IN "
            f"(SELECT r2.id FROM {tables['review']} r2 JOIN {tables['assignment']} a ON a.id = r2.assignment_id "
            f"WHERE {where})",
            params,
        )
        cursor.execute(POINTS_SQL.format(where=where, **tables), params)


def review_reminders_sweep(*, now: datetime.datetime | None = None) -> int:
    """Claim the 3-day and 1-day reminders now due for reviewers with unfinished reviews; enqueue only our claims."""
    now = now or timezone.now()
    claims = []
    rows = (
        ReviewerAssignment.objects.filter(
            call__review_settings__review_deadline__gt=now,
            call__review_settings__review_deadline__lte=now + REMINDER_THRESHOLDS[0][1],
            call__review_settings__stage__in=[ReviewSettings.Stage.SCORING, ReviewSettings.Stage.INTERVIEW],
            # The review deadline is the written reviews'.
            stage=ReviewStage.WRITTEN,
        )
        .exclude(review__status=Review.Status.SUBMITTED)
        .values_list("call_id", "reviewer_id", "call__review_settings__review_deadline", "call__cohort__program_id")
        .distinct()
    )
    for call_id, reviewer_id, deadline, program_id in rows:
        # Only the nearest threshold already passed: a reviewer assigned the day before gets the 1-day one only.
        due = [name for name, before in REMINDER_THRESHOLDS if deadline - now <= before][-1]
        claims.append(Claim(REMINDER_KIND, call_id, reviewer_id, due, program_id))
    with transaction.atomic():
        claimed = notifications_claim(claims=claims)
        notifications_enqueue(notification_ids=claimed)
    return len(claimed)
