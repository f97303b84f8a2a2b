"""What of selection the audit history shows (incubator/history.py): review settings and the rubric,
reviews and their scores, and decisions."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from applications.scoring.models import ReviewStage
from incubator.history import Kind, register_kind, sentence


def _applicant(application) -> str:
    return str(application.full_name or application.applicant)


def _settings(event) -> str:
    return sentence(_("Review settings of %(call)s"), call=event.call.title)


def _criterion(event) -> str:
    return sentence(_("Criterion “%(name)s” of %(call)s"), name=event.name, call=event.call.title)


def _review(event) -> str:
    assignment = event.assignment
    return sentence(
        _("Interview scores by %(reviewer)s of %(applicant)s")
        if assignment.stage == ReviewStage.INTERVIEW
        else _("Review by %(reviewer)s of %(applicant)s"),
        reviewer=assignment.reviewer,
        applicant=_applicant(assignment.application),
    )


def _score(event) -> str:
    assignment = event.review.assignment
    return sentence(
        _("Interview score for “%(criterion)s” by %(reviewer)s of %(applicant)s")
        if assignment.stage == ReviewStage.INTERVIEW
        else _("Score for “%(criterion)s” by %(reviewer)s of %(applicant)s"),
        criterion=event.criterion.name,
        reviewer=assignment.reviewer,
        applicant=_applicant(assignment.application),
    )


def _decision(event) -> str:
    return sentence(_("Decision on %(applicant)s"), applicant=_applicant(event.application))


def register() -> None:
    for kind in (
        Kind(
            key="review_settings",
            label=gettext_lazy("Review settings"),
            model="applications.ReviewSettingsEvent",
            program_path="call__cohort__program",
            describe=_settings,
            related=("call",),
            ignored=("call",),
        ),
        Kind(
            key="criterion",
            label=gettext_lazy("Rubric"),
            model="applications.CriterionEvent",
            program_path="call__cohort__program",
            describe=_criterion,
            related=("call",),
            ignored=("call",),
        ),
        Kind(
            key="review",
            label=gettext_lazy("Reviews"),
            model="applications.ReviewEvent",
            program_path="assignment__call__cohort__program",
            describe=_review,
            related=("assignment__reviewer", "assignment__application__applicant"),
            people=("assignment__reviewer", "assignment__application__applicant"),
            application_path="assignment__application",
            words=("comment",),
            hidden=("comment",),
            ignored=("assignment",),
        ),
        Kind(
            key="score",
            label=gettext_lazy("Scores"),
            model="applications.CriterionScoreEvent",
            program_path="review__assignment__call__cohort__program",
            describe=_score,
            related=("criterion", "review__assignment__reviewer", "review__assignment__application__applicant"),
            application_path="review__assignment__application",
            ignored=("review", "criterion", "scale_min", "scale_max"),
        ),
        Kind(
            key="decision",
            label=gettext_lazy("Decisions"),
            model="applications.DecisionEvent",
            program_path="call__cohort__program",
            describe=_decision,
            related=("application__applicant", "decided_by"),
            people=("application__applicant",),
            application_path="application",
            words=("reason",),
            ignored=("application", "call"),
        ),
    ):
        register_kind(kind)
