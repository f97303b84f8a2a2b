"""A call with an interview stage, its interview rubric and its panel's scores, built through the services."""

from applications.models import Application, Call
from applications.scoring.interview import interview_panel_assign
from applications.scoring.models import Criterion, ReviewerAssignment, ReviewSettings, ReviewStage
from applications.scoring.reviews import review_save
from tests.applications.scoring.factories import criteria, scoring_call


def interview_call(*, slug="interviewed", seats=4, **settings) -> Call:
    """`scoring_call` with an interview stage (still at the written scoring stage) and a 2-criterion interview
    rubric on 1–5."""
    call = scoring_call(slug=slug, seats=seats, has_interview=True, **settings)
    Criterion.objects.bulk_create(
        [
            Criterion(call=call, stage=ReviewStage.INTERVIEW, position=1, name="Pitch", weight=1),
            Criterion(call=call, stage=ReviewStage.INTERVIEW, position=2, name="Answers to the panel", weight=1),
        ]
    )
    return call


def interview_stage(call: Call) -> None:
    ReviewSettings.objects.filter(call=call).update(stage=ReviewSettings.Stage.INTERVIEW)


def interview_score(application: Application, who, values, *, by=None, submit=True) -> ReviewerAssignment:
    """`who` on the panel of `application` (assigned by `by`, a manager, if not yet), scoring the interview;
    `values` is one score per interview criterion or one number for both."""
    assignment = ReviewerAssignment.objects.filter(
        application=application, reviewer=who, stage=ReviewStage.INTERVIEW
    ).first()
    if assignment is None:
        interview_panel_assign(call=application.call, panel=[who], applications=[application], by=by)
        assignment = ReviewerAssignment.objects.get(application=application, reviewer=who, stage=ReviewStage.INTERVIEW)
    counted = criteria(application.call, ReviewStage.INTERVIEW)
    values = [values] * len(counted) if isinstance(values, int) else values
    review_save(
        assignment=assignment,
        scores={c.pk: v for c, v in zip(counted, values, strict=True)},
        comment="",
        recommendation="yes",
        submit=submit,
        by=who,
    )
    return assignment
