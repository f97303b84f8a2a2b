"""Who reviews what: a reviewer assigned by hand, in bulk or automatically (k per eligible application, balanced),
never to their own application nor one they declared a conflict with."""

from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils.translation import gettext as _

from applications.models import Application, Call
from applications.scoring import selectors
from applications.scoring.models import ReviewerAssignment, ReviewStage
from applications.scoring.services import ScoringError, is_conflicted, is_own, lock_calls
from incubator.audit import audit_record
from incubator.history import recorded_by
from incubator.notifications import Claim, notifications_claim, notifications_enqueue

ASSIGNED_KIND = "scoring.assigned"


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
        lock_calls([application.call_id])
        application = (
            Application.objects.select_for_update(of=("self",))
            .select_related("applicant", "call__cohort__program")
            .get(pk=application.pk)
        )
        _check_assignable(reviewer, application)
        existing = ReviewerAssignment.objects.filter(
            application=application, reviewer=reviewer, stage=ReviewStage.WRITTEN
        ).first()
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
        lock_calls(a.call_id for a in applications)
        for application in applications:
            try:
                with transaction.atomic():
                    application = (
                        Application.objects.select_for_update(of=("self",))
                        .select_related("call__cohort__program")
                        .get(pk=application.pk)
                    )
                    _check_assignable(reviewer, application)
                    written = ReviewerAssignment.objects.filter(stage=ReviewStage.WRITTEN)
                    if not written.filter(application=application, reviewer=reviewer).exists():
                        assigned.append(_assign(application, reviewer, by))
            except ScoringError as error:
                refusals.append(f"{application.full_name}: {error.message}")
        _notify_assigned(assigned)
    return len(assigned), refusals


def _current_load(call: Call, reviewers) -> tuple[dict[int, set[int]], dict[int, int]]:
    """Who already reviews each application of the call, and how many of its applications each reviewer has."""
    existing: dict[int, set[int]] = {}
    written = ReviewerAssignment.objects.filter(call=call, stage=ReviewStage.WRITTEN)
    for application_id, reviewer_id in written.values_list("application_id", "reviewer_id"):
        existing.setdefault(application_id, set()).add(reviewer_id)
    load = {r.pk: 0 for r in reviewers}
    for reviewer_id, count in written.filter(reviewer__in=reviewers).values_list("reviewer_id").annotate(n=Count("pk")):
        load[reviewer_id] = count
    return existing, load


def _balanced_plan(call: Call, reviewers, k: int, by) -> list[ReviewerAssignment]:
    """Greedy by load: each application (fewest reviewers first) takes the least-loaded allowed reviewers."""
    eligible = (
        Application.objects.filter(call=call, status__in=selectors.RANKED_STATUSES)
        .filter(Q(eligibility_override="eligible") | Q(eligibility_override="", eligibility="eligible"))
        .order_by("submitted_at", "pk")
    )
    existing, load = _current_load(call, reviewers)
    conflicts = selectors.conflicted_application_ids(call, reviewers=reviewers)
    by_id = {r.pk: r for r in reviewers}
    planned = []
    for application in sorted(eligible, key=lambda a: len(existing.get(a.pk, ()))):
        have = existing.get(application.pk, set())
        allowed = [
            pk
            for pk in load
            if pk not in have and pk != application.applicant_id and application.pk not in conflicts.get(pk, ())
        ]
        for reviewer_id in sorted(allowed, key=lambda pk: (load[pk], pk))[: max(0, k - len(have))]:
            planned.append(
                ReviewerAssignment(call=call, application=application, reviewer=by_id[reviewer_id], assigned_by=by)
            )
            load[reviewer_id] += 1
    return planned


def assignments_auto(*, call: Call, by) -> int:
    """k reviewers per eligible application from the call's reviewers, load balanced, never conflicted or own,
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
        created = _balanced_plan(call, reviewers, k, by)
        try:
            with transaction.atomic():
                ReviewerAssignment.objects.bulk_create(created)
        except IntegrityError:
            # Only a writer that skipped the call lock can get here.
            raise ScoringError(_("This reviewer is already assigned to this application.")) from None
        audit_record(actor=by, action="scoring.assign_auto", obj=call, after={"assignments": len(created), "k": k})
        _notify_assigned(created)
    return len(created)
