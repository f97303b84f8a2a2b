"""Scoring setup through audited services: a call's stage, review settings, rubric and quotas (changed in the admin),
and a new program's own copy of the default decision emails."""

from django.db import transaction

from applications.models import Call
from applications.scoring.models import Criterion, DecisionEmailTemplate, ReviewSettings
from applications.scoring.reviews import review_points_refresh
from applications.scoring.services import lock_calls
from incubator.audit import audit_record
from incubator.history import recorded_by


def scoring_setup_snapshot(call: Call) -> dict:
    """The call's review settings, rubric and quotas as plain data, for the audit log's before and after."""
    review_settings = ReviewSettings.objects.filter(call=call).prefetch_related("reviewers").first()
    settings_data = None
    if review_settings is not None:
        settings_data = {
            "stage": review_settings.stage,
            "has_interview": review_settings.has_interview,
            "review_deadline": review_settings.review_deadline.isoformat() if review_settings.review_deadline else None,
            "reviewers": sorted(r.pk for r in review_settings.reviewers.all()),
            "reviews_per_application": review_settings.reviews_per_application,
            "others_visible": review_settings.others_visible,
            "anonymised": review_settings.anonymised,
            "normalise": review_settings.normalise,
            "disagreement_threshold": str(review_settings.disagreement_threshold),
            "interview_weight": review_settings.interview_weight,
        }
    return {
        "settings": settings_data,
        "criteria": [
            {
                "id": c.pk,
                "stage": c.stage,
                "name": c.name,
                "weight": str(c.weight),
                "scale": [c.scale_min, c.scale_max],
                "informational": c.informational,
            }
            for c in Criterion.objects.filter(call=call).order_by("pk")
        ],
        "quotas": [
            {"region": q.region_id, "minimum": q.minimum, "maximum": q.maximum}
            for q in call.quotas.order_by("region_id")
        ],
    }


@recorded_by
def scoring_setup_change(*, call: Call, change, by) -> bool:
    """Run `change` (the admin saving the call's stage, review settings, rubric and quotas) under the call's lock,
    and keep what changed in the audit log with who, when, before and after; reviews' points follow the rubric.

    Returns whether anything changed."""
    with transaction.atomic():
        lock_calls([call.pk])
        before = scoring_setup_snapshot(call)
        change()
        after = scoring_setup_snapshot(call)
        if after == before:
            return False
        if after["criteria"] != before["criteria"]:
            review_points_refresh(call=call)  # weights or scales changed: every review's points too
        changed = {key: after[key] for key in after if after[key] != before[key]}
        audit_record(
            actor=by,
            action="scoring.setup_change",
            obj=call,
            before={key: before[key] for key in changed},
            after=changed,
        )
    return True


def decision_templates_copy_defaults(*, program, by) -> int:
    """Give a program its own copy of the portal's default decision emails (those without a program), so that its
    managers word them for their applicants without touching any other program's. Returns how many were copied;
    wording the program already has is kept."""
    with transaction.atomic():
        have = set(DecisionEmailTemplate.objects.filter(program=program).values_list("language", "outcome"))
        copies = [
            DecisionEmailTemplate(
                program=program, language=t.language, outcome=t.outcome, subject=t.subject, body=t.body
            )
            for t in DecisionEmailTemplate.objects.filter(program__isnull=True).order_by("pk")
            if (t.language, t.outcome) not in have
        ]
        DecisionEmailTemplate.objects.bulk_create(copies)
        if copies:
            audit_record(
                actor=by,
                action="scoring.decision_templates_copy",
                obj=program,
                after={"copied": [[c.language, c.outcome] for c in copies]},
            )
    return len(copies)


def decision_templates_for_new_program(sender, *, program, by, **kwargs) -> None:
    """A program added in the admin starts with its own copy of the default decision emails (cohorts.signals)."""
    decision_templates_copy_defaults(program=program, by=by)
