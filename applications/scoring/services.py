"""Every state change of selection scoring: locked, checked, audited, mail claimed in the ledger on commit."""

import datetime
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, connection, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from applications.models import Application, Call
from applications.scoring import selectors
from applications.scoring.models import (
    ConflictOfInterest,
    Criterion,
    CriterionScore,
    Review,
    ReviewerAssignment,
    ReviewSettings,
)
from incubator.audit import audit_record
from incubator.history import recorded_by
from incubator.notifications import Claim, notifications_claim, notifications_enqueue
from incubator.when import format_when

ASSIGNED_KIND = "scoring.assigned"
REMINDER_KIND = "scoring.review_reminder"
# Reviewers with unfinished reviews hear from us this long before the review deadline, once each.
REMINDER_THRESHOLDS = [("3d", datetime.timedelta(days=3)), ("1d", datetime.timedelta(days=1))]


class ScoringError(Exception):
    """A refusal a person can read."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class ReviewNotYours(ScoringError, PermissionDenied):
    """Someone other than the review's reviewer (or a superuser) tried to write its scores: refused, and a 403 where
    nobody catches it as a `ScoringError`."""


def may_write_review(user, assignment: ReviewerAssignment) -> bool:
    """A review's scores are its reviewer's. A superuser may correct them (audited as theirs, `review_save`); a
    manager who wants to score is assigned as a reviewer and writes her own review."""
    return user is not None and user.is_active and (user.pk == assignment.reviewer_id or user.is_superuser)


def not_your_review_message() -> str:
    return _("Only the reviewer writes the scores of their review. To score, be assigned as a reviewer yourself.")


def _application_emails(application: Application) -> set[str]:
    emails = {application.email.lower(), application.applicant.email.lower()}
    emails |= {m.email.lower() for m in application.team_members.all() if m.email}
    emails.discard("")
    return emails


def is_own(reviewer, application: Application) -> bool:
    """The reviewer's own application, or their team's: their email is the application's, applicant's or a member's."""
    return application.applicant_id == reviewer.pk or (reviewer.email or "").lower() in _application_emails(application)


def is_conflicted(reviewer, application: Application) -> bool:
    """Declared against this application or the applicant's or a team member's email, or implicit (`is_own`)."""
    emails = _application_emails(application)
    if is_own(reviewer, application):
        return True
    # Declared emails are stored lower-cased by `conflict_declare`.
    return ConflictOfInterest.objects.filter(
        Q(application=application) | Q(email__in=emails), reviewer=reviewer
    ).exists()


def _lock_calls(call_ids: Iterable[int]) -> None:
    """Lock call rows, always in id order: every assignment and review change locks its call first."""
    ids = sorted(set(call_ids))
    if ids:
        list(Call.objects.select_for_update().filter(pk__in=ids).order_by("pk").values_list("pk", flat=True))


def conflict_declare(
    *, reviewer, application: Application | None = None, email: str = "", reason: str = "", by=None
) -> ConflictOfInterest:
    """A reviewer (or a manager for them) declares a conflict; every assignment it touches is withdrawn with its
    review, draft or submitted, so the review no longer counts; the before state stays in the history."""
    if application is None and not email.strip():
        raise ScoringError(_("Name the application or the person's email address."))
    by = by or reviewer
    email = email.strip().lower()
    touched = Q(pk__in=[])
    if application is not None:
        touched |= Q(application=application)
    if email:
        touched |= (
            Q(application__email__iexact=email)
            | Q(application__applicant__email__iexact=email)
            | Q(application__team_members__email__iexact=email)
        )
    with transaction.atomic():
        affected = ReviewerAssignment.objects.filter(touched, reviewer=reviewer)
        _lock_calls(affected.values_list("call_id", flat=True))
        conflict = ConflictOfInterest.objects.create(
            reviewer=reviewer, application=application, email=email, reason=reason
        )
        audit_record(actor=by, action="scoring.conflict_declare", obj=conflict, note=reason)
        withdrawn = list(
            ReviewerAssignment.objects.select_for_update(of=("self",))
            .filter(pk__in=affected.values("pk"))
            .select_related("application")
            .order_by("pk")
        )
        for assignment in withdrawn:
            review = Review.objects.filter(assignment=assignment).prefetch_related("scores").first()
            before = {"reviewer": reviewer.pk, "assignment": assignment.pk}
            if review is not None:
                before |= _scores_snapshot(review) | {"points": review.points}
            after = {"withdrawn": "conflict of interest", "conflict": conflict.pk}
            audit_record(actor=by, action="scoring.assignment_withdraw", obj=assignment, before=before, after=after)
            assignment.delete()  # the review and its scores go with it (cascade)
    return conflict


def _check_assignable(reviewer, application: Application) -> None:
    # Reviewers work for a program: only those listed on the call's program judge its applications.
    if not application.call.cohort.program.reviewers.filter(pk=reviewer.pk).exists():
        raise ScoringError(
            _("%(reviewer)s is not a reviewer of this program: a manager of the program adds them first.")
            % {"reviewer": reviewer}
        )
    if is_own(reviewer, application):
        raise ScoringError(_("Nobody reviews their own application."))
    if application.status not in selectors.RANKED_STATUSES:
        raise ScoringError(_("Only submitted applications are reviewed."))
    if is_conflicted(reviewer, application):
        raise ScoringError(
            _("%(reviewer)s declared a conflict of interest with this application.") % {"reviewer": reviewer}
        )


def _assign(application: Application, reviewer, by) -> ReviewerAssignment:
    try:
        with transaction.atomic():
            assignment = ReviewerAssignment.objects.create(
                call_id=application.call_id, application=application, reviewer=reviewer, assigned_by=by
            )
    except IntegrityError:
        # Only a writer that skipped the call lock can get here: the pair is assigned already.
        raise ScoringError(_("This reviewer is already assigned to this application.")) from None
    audit_record(actor=by, action="scoring.assign", obj=assignment, after={"reviewer": reviewer.pk})
    return assignment


def _notify_assigned(assignments: list[ReviewerAssignment]) -> None:
    """One email per reviewer and batch (keyed by the first assignment of the batch), not one per application."""
    first: dict[int, ReviewerAssignment] = {}
    for assignment in assignments:
        first.setdefault(assignment.reviewer_id, assignment)
    programs = (
        dict(Call.objects.filter(pk__in={a.call_id for a in first.values()}).values_list("pk", "cohort__program_id"))
        if first
        else {}
    )
    claimed = notifications_claim(
        claims=[Claim(ASSIGNED_KIND, a.pk, a.reviewer_id, program_id=programs[a.call_id]) for a in first.values()]
    )
    notifications_enqueue(notification_ids=claimed)


@recorded_by
def assignment_create(*, application: Application, reviewer, by) -> ReviewerAssignment:
    """A manager assigns one reviewer by hand; refused for their own or a conflicted application."""
    with transaction.atomic():
        _lock_calls([application.call_id])
        application = (
            Application.objects.select_for_update(of=("self",))
            .select_related("applicant", "call__cohort__program")
            .get(pk=application.pk)
        )
        _check_assignable(reviewer, application)
        existing = ReviewerAssignment.objects.filter(application=application, reviewer=reviewer).first()
        if existing is not None:
            return existing
        assignment = _assign(application, reviewer, by)
        _notify_assigned([assignment])
    return assignment


def assignments_bulk_create(*, applications: Iterable[Application], reviewer, by) -> tuple[int, list[str]]:
    """Assign one reviewer to many applications; returns (how many assigned, refusals)."""
    assigned, refusals = [], []
    applications = list(applications)
    with transaction.atomic():
        _lock_calls(a.call_id for a in applications)
        for application in applications:
            try:
                with transaction.atomic():
                    application = (
                        Application.objects.select_for_update(of=("self",))
                        .select_related("call__cohort__program")
                        .get(pk=application.pk)
                    )
                    _check_assignable(reviewer, application)
                    if not ReviewerAssignment.objects.filter(application=application, reviewer=reviewer).exists():
                        assigned.append(_assign(application, reviewer, by))
            except ScoringError as error:
                refusals.append(f"{application.full_name}: {error.message}")
        _notify_assigned(assigned)
    return len(assigned), refusals


def assignments_auto(*, call: Call, by) -> int:
    """k reviewers per eligible application from the call's reviewers, load balanced, never conflicted or own.

    Greedy by load: each application (fewest reviewers first) takes the least-loaded allowed reviewers,
    counting what everyone already has on this call. Returns how many assignments were made."""
    with transaction.atomic():
        call = Call.objects.select_for_update(of=("self",)).select_related("cohort").get(pk=call.pk)
        review_settings = selectors.settings_for(call)
        # The call's chosen reviewers who are (still) reviewers of its program.
        reviewers = (
            list(review_settings.reviewers.filter(reviewed_programs=call.cohort.program_id))
            if review_settings.pk
            else []
        )
        if not reviewers:
            raise ScoringError(_("Choose the call's reviewers in its review settings first."))
        k = review_settings.reviews_per_application
        eligible = (
            Application.objects.filter(call=call, status__in=selectors.RANKED_STATUSES)
            .filter(Q(eligibility_override="eligible") | Q(eligibility_override="", eligibility="eligible"))
            .order_by("submitted_at", "pk")
        )
        existing: dict[int, set[int]] = {}
        for application_id, reviewer_id in ReviewerAssignment.objects.filter(call=call).values_list(
            "application_id", "reviewer_id"
        ):
            existing.setdefault(application_id, set()).add(reviewer_id)
        load = {r.pk: 0 for r in reviewers}
        for reviewer_id, count in (
            ReviewerAssignment.objects.filter(call=call, reviewer__in=reviewers)
            .values_list("reviewer_id")
            .annotate(n=Count("pk"))
        ):
            load[reviewer_id] = count
        conflicts = selectors.conflicted_application_ids(call, reviewers=reviewers)
        by_id = {r.pk: r for r in reviewers}
        created = []
        for application in sorted(eligible, key=lambda a: len(existing.get(a.pk, ()))):
            have = existing.get(application.pk, set())
            allowed = [
                pk
                for pk in load
                if pk not in have and pk != application.applicant_id and application.pk not in conflicts.get(pk, ())
            ]
            for reviewer_id in sorted(allowed, key=lambda pk: (load[pk], pk))[: max(0, k - len(have))]:
                created.append(
                    ReviewerAssignment(call=call, application=application, reviewer=by_id[reviewer_id], assigned_by=by)
                )
                load[reviewer_id] += 1
        try:
            with transaction.atomic():
                ReviewerAssignment.objects.bulk_create(created)
        except IntegrityError:
            # Only a writer that skipped the call lock can get here.
            raise ScoringError(_("This reviewer is already assigned to this application.")) from None
        audit_record(actor=by, action="scoring.assign_auto", obj=call, after={"assignments": len(created), "k": k})
        _notify_assigned(created)
    return len(created)


def _scores_snapshot(review: Review) -> dict:
    return {
        "status": review.status,
        "recommendation": review.recommendation,
        "comment": review.comment,
        "scores": {str(s.criterion_id): s.score for s in review.scores.all()},
    }


def review_lock_reason(*, assignment: ReviewerAssignment, review: Review | None, by, now=None) -> str:
    """Why the reviewer may no longer change their submitted review, or "" while they may.

    A submitted review stays editable for its reviewer until the review deadline, unless they have been shown
    the other reviewers' scores after submitting (`others_seen_at`): otherwise a throwaway review would unlock the
    others' scores, to be rewritten after reading them. Managers may still correct a review in the admin."""
    if review is None or review.status != Review.Status.SUBMITTED or getattr(by, "pk", None) != assignment.reviewer_id:
        return ""
    review_settings = selectors.settings_for(assignment.call)
    deadline = review_settings.review_deadline
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
        _lock_calls([assignment.call_id])
        assignment = (
            ReviewerAssignment.objects.select_for_update(of=("self",))
            .select_related("call__review_settings", "application__applicant", "reviewer")
            .get(pk=assignment.pk)
        )
        call = assignment.call
        if call.decisions_published_at is not None:
            raise ScoringError(_("Decisions are published: reviews can no longer change."))
        if not selectors.settings_for(call).accepts_reviews:
            raise ScoringError(_("This call is not at a reviewing stage."))
        if is_conflicted(assignment.reviewer, assignment.application):
            raise ScoringError(_("You declared a conflict of interest with this application: you cannot review it."))
        criteria = {c.pk: c for c in Criterion.objects.filter(call=call)}
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
        review, _created = Review.objects.get_or_create(assignment=assignment)
        locked = review_lock_reason(assignment=assignment, review=review, by=by)
        if locked:
            raise ScoringError(locked)
        before = _scores_snapshot(review)
        submitted = submit or review.status == Review.Status.SUBMITTED
        if submitted:
            missing = [c.name for c in criteria.values() if not c.informational and c.pk not in scores]
            if missing:
                raise ScoringError(
                    _("Score every criterion before submitting: %(names)s.") % {"names": ", ".join(missing)}
                )
            if not recommendation:
                raise ScoringError(_("Give a recommendation (yes, maybe or no) before submitting."))
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
        now = timezone.now()
        review.comment = comment
        review.recommendation = recommendation
        review.updated_at = now
        if submitted and review.status != Review.Status.SUBMITTED:
            review.status = Review.Status.SUBMITTED
            review.submitted_at = now
        review.save()
        review_points_refresh(review=review)
        after = _scores_snapshot(review)
        if after != before:
            note = (
                ""
                if by.pk == assignment.reviewer_id
                else f"corrected by a superuser for reviewer #{assignment.reviewer_id}"
            )
            audit_record(actor=by, action="scoring.review_save", obj=review, before=before, after=after, note=note)
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
