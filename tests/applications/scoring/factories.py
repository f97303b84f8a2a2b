"""Scoring scenarios built through the services, as the pages and the admin would build them."""

import datetime

from applications.models import Application, Call
from applications.scoring.assignments import assignment_create
from applications.scoring.models import Criterion, ReviewerAssignment, ReviewSettings, ReviewStage
from applications.scoring.reviews import review_save
from applications.services import DraftData, application_save_draft, application_start
from applications.submission import application_submit
from incubator.roles import PROGRAM_MANAGER, REVIEWER
from tests.applications.factories import make_call, program_with_regions
from tests.factories import UserFactory, grant

REGIONS = ("North", "South", "East", "West")


def scoring_call(*, slug="scored", seats=4, regions=REGIONS, **settings) -> Call:
    """An open call without questions (so applications are quick to submit), a 4-criterion rubric on 1–5."""
    program = program_with_regions(slug=f"{slug}-program", regions=regions)
    call = make_call(slug=slug, program=program, questions=False)
    call.seats = seats
    call.save(update_fields=["seats"])
    ReviewSettings.objects.create(call=call, stage=ReviewSettings.Stage.SCORING, **settings)
    Criterion.objects.bulk_create(
        [
            Criterion(call=call, position=1, name="Economic viability", weight=2),
            Criterion(call=call, position=2, name="Expected positive impact", weight=1),
            Criterion(call=call, position=3, name="Strength of the team", weight=1),
            Criterion(call=call, position=4, name="Urgency of the need for support", weight=1),
            Criterion(call=call, position=5, name="Artistic quality", weight=1, informational=True),
        ]
    )
    return call


def submitted(call: Call, *, region="North", name=None, team=None, applicant=None) -> Application:
    applicant = applicant or UserFactory(name=name or "Applicant")
    application = application_start(call=call, applicant=applicant)
    data = DraftData(
        standard={
            "full_name": name or applicant.name,
            "date_of_birth": datetime.date(2000, 1, 1),
            "region": call.cohort.program.regions.get(name=region),
            "phone": "+212 600 000 000",
            "email": applicant.email,
        },
        team=team or [],
    )
    application_save_draft(application=application, data=data, by=applicant)
    application_submit(application=application, by=applicant)
    application.refresh_from_db()
    return application


def reviewer(program=None, **kwargs):
    """A reviewer, listed on `program` when given."""
    person = UserFactory(roles=[REVIEWER], **kwargs)
    return grant(program, person, "reviewer") if program is not None else person


def manager(program=None, **kwargs):
    """A program manager (group and staff), listed on `program` when given."""
    person = UserFactory(roles=[PROGRAM_MANAGER], is_staff=True, **kwargs)
    return grant(program, person, "manager") if program is not None else person


def criteria(call: Call, stage=ReviewStage.WRITTEN) -> list[Criterion]:
    return list(call.criteria_set.filter(informational=False, stage=stage).order_by("position"))


def score(application: Application, who, values, recommendation="yes", submit=True, comment="") -> ReviewerAssignment:
    """Assign `who` (if not yet) and record their review; `values` is one score for every counted criterion,
    or a single number used for all of them."""
    assignment = ReviewerAssignment.objects.filter(
        application=application, reviewer=who, stage=ReviewStage.WRITTEN
    ).first()
    if assignment is None:
        grant(application.call.cohort.program, who, "reviewer")  # only the program's reviewers are assigned
        assignment = assignment_create(application=application, reviewer=who, by=None)
    counted = criteria(application.call)
    values = [values] * len(counted) if isinstance(values, int) else values
    review_save(
        assignment=assignment,
        scores={c.pk: v for c, v in zip(counted, values, strict=True)},
        comment=comment,
        recommendation=recommendation,
        submit=submit,
        by=who,
    )
    return assignment
