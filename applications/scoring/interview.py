"""The interview stage's scoring: the panel assigned to the shortlisted applications (interview assignments, scored
on the call's interview rubric with the same review engine), and the weight of the interview in the final ranking
(`final.final_ranking`)."""

from collections.abc import Iterable

from django.db import transaction
from django.utils.translation import gettext as _

from applications.models import Application, Call
from applications.scoring import selectors
from applications.scoring.models import ReviewerAssignment, ReviewSettings, ReviewStage
from applications.scoring.services import ScoringError, lock_calls
from incubator.audit import audit_record
from incubator.history import recorded_by

WEIGHT_MIN, WEIGHT_MAX = 1, 99


def _interview_settings(call: Call) -> ReviewSettings:
    review_settings = ReviewSettings.objects.select_for_update().filter(call=call).first()
    if review_settings is None or not review_settings.has_interview:
        raise ScoringError(_("This call has no interview stage: turn it on in the call's review settings first."))
    return review_settings


def _check_panel(call: Call, review_settings: ReviewSettings, panel: list) -> None:
    """Panel members are the call's reviewers or its program's managers."""
    program_id = call.cohort.program_id
    allowed = set(review_settings.reviewers.filter(reviewed_programs=program_id).values_list("pk", flat=True))
    allowed |= set(call.cohort.program.managers.values_list("pk", flat=True))
    if not panel:
        raise ScoringError(_("Choose the members of the interview panel."))
    for member in panel:
        if member.pk not in allowed:
            raise ScoringError(
                _("%(person)s is neither a reviewer of this call nor a manager of its program.") % {"person": member}
            )


@recorded_by
def interview_panel_assign(
    *, call: Call, panel: list, applications: Iterable[Application], by
) -> tuple[int, list[str]]:
    """Assign each panel member to interview each of the applications (interview assignments, scored once the
    call is at its interview stage). A member's own or conflicted application is left out and reported; pairs
    already assigned stay as they are. Returns (how many assigned, what was left out and why)."""
    panel = list(panel)
    with transaction.atomic():
        lock_calls([call.pk])
        call = Call.objects.select_related("cohort__program").get(pk=call.pk)
        if call.decisions_published_at is not None:
            raise ScoringError(_("Decisions for this call are already published."))
        review_settings = _interview_settings(call)
        _check_panel(call, review_settings, panel)
        wanted = {application.pk for application in applications}
        chosen = list(
            Application.objects.select_for_update(of=("self",)).filter(pk__in=wanted, call=call).order_by("pk")
        )
        if len(chosen) != len(wanted):
            raise ScoringError(_("Only applications to this call are interviewed by its panel."))
        for application in chosen:
            if application.status not in selectors.RANKED_STATUSES:
                raise ScoringError(
                    _("%(name)s has not submitted an application.") % {"name": application.full_name or application}
                )
        conflicts = selectors.conflicted_application_ids(call, reviewers=panel)
        existing = set(
            ReviewerAssignment.objects.filter(
                call=call, stage=ReviewStage.INTERVIEW, application__in=chosen
            ).values_list("application_id", "reviewer_id")
        )
        created, refusals = [], []
        for application in chosen:
            for member in panel:
                if application.pk in conflicts.get(member.pk, ()) or application.applicant_id == member.pk:
                    refusals.append(
                        _("%(person)s does not interview %(name)s: a conflict of interest.")
                        % {"person": member, "name": application.full_name or application}
                    )
                elif (application.pk, member.pk) not in existing:
                    created.append(
                        ReviewerAssignment(
                            call=call,
                            application=application,
                            reviewer=member,
                            stage=ReviewStage.INTERVIEW,
                            assigned_by=by,
                        )
                    )
        ReviewerAssignment.objects.bulk_create(created)
        audit_record(
            actor=by,
            action="scoring.interview_panel_assign",
            obj=call,
            after={
                "panel": sorted(member.pk for member in panel),
                "applications": sorted(wanted),
                "assigned": len(created),
                "left_out": len(refusals),
            },
        )
    return len(created), refusals


@recorded_by
def interview_weight_set(*, call: Call, weight: int, by) -> ReviewSettings:
    """The interview's share of the final score, in percent (1–99); the written review counts for the rest."""
    if not isinstance(weight, int) or not WEIGHT_MIN <= weight <= WEIGHT_MAX:
        raise ScoringError(
            _("The interview's weight is a whole percentage from %(min)s to %(max)s.")
            % {"min": WEIGHT_MIN, "max": WEIGHT_MAX}
        )
    with transaction.atomic():
        lock_calls([call.pk])
        review_settings = _interview_settings(call)
        before = review_settings.interview_weight
        if before != weight:
            review_settings.interview_weight = weight
            review_settings.save(update_fields=["interview_weight"])
            audit_record(
                actor=by,
                action="scoring.interview_weight_set",
                obj=call,
                before={"interview_weight": before},
                after={"interview_weight": weight},
            )
    return review_settings
