"""Selection scoring's refusals, its lock order, and conflicts of interest. The other changes of scoring are in
`assignments` (who reviews what), `reviews` (scores and their points), `decisions` and `setup`: each locked,
checked, audited, with mail claimed in the ledger on commit."""

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from applications.models import Application, Call
from applications.scoring.models import (
    ConflictOfInterest,
    Review,
    ReviewerAssignment,
)
from incubator.audit import audit_record
from incubator.errors import ServiceError


class ScoringError(ServiceError):
    """A refusal a person can read."""


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


def lock_calls(call_ids: Iterable[int]) -> None:
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
        lock_calls(affected.values_list("call_id", flat=True))
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
                before |= scores_snapshot(review) | {"points": review.points}
            after = {"withdrawn": "conflict of interest", "conflict": conflict.pk}
            audit_record(actor=by, action="scoring.assignment_withdraw", obj=assignment, before=before, after=after)
            assignment.delete()  # the review and its scores go with it (cascade)
    return conflict


def scores_snapshot(review: Review) -> dict:
    return {
        "status": review.status,
        "recommendation": review.recommendation,
        "comment": review.comment,
        "scores": {str(s.criterion_id): s.score for s in review.scores.all()},
    }
