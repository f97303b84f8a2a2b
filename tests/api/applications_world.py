"""The world of the applications area's API tests (tests/api/test_applications*.py)."""

import pytest

from applications.models import Question
from applications.scoring.models import (
    Criterion,
    ReviewSettings,
)
from applications.services import DraftData, application_save_draft, application_start
from applications.submission import application_submit
from tests.api.clients import api_client
from tests.applications.conftest import fill
from tests.applications.factories import make_call, program_with_regions
from tests.applications.scoring.factories import manager, reviewer, score
from tests.factories import UserFactory


@pytest.fixture
def media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


class World:
    """A call with questions (one a contact detail, one a file), a submitted application with a file and a team
    member, its program's manager, a reviewer with a draft review of it and an unassigned one, and another program
    with its own manager and call."""

    def __init__(self, *, anonymised=False):
        self.call = make_call(slug="api-call")
        self.program = self.call.cohort.program
        self.website = Question.objects.create(
            call=self.call, position=6, label="Website", kind=Question.Kind.URL, required=False, is_contact=True
        )
        ReviewSettings.objects.create(call=self.call, stage=ReviewSettings.Stage.SCORING, anonymised=anonymised)
        Criterion.objects.create(call=self.call, position=2, name="Impact", weight=1)
        Criterion.objects.create(call=self.call, position=1, name="Viability", weight=2)
        self.manager = manager(self.program, name="Maya Manager")
        self.applicant = UserFactory(name="Amina Owner")
        self.application = fill(application_start(call=self.call, applicant=self.applicant))
        website = DraftData(answers={str(self.website.pk): "https://amina.example.org"}, valid={"website"})
        application_save_draft(application=self.application, data=website, by=self.applicant)
        application_submit(application=self.application, by=self.applicant)
        self.application.refresh_from_db()
        self.file = self.application.files.get()
        self.reviewer = reviewer(self.program, name="Rita Reviewer")
        self.unassigned = reviewer(self.program, name="Ruth Unassigned")
        self.assignment = score(self.application, self.reviewer, [4, 3], submit=False, comment="Promising")
        self.other_applicant = UserFactory(name="Bilal Other")
        self.other_program = program_with_regions(slug="other-program")
        self.other_call = make_call(slug="other-call", program=self.other_program, questions=False)
        self.other_manager = manager(self.other_program, name="Otto Other")

    def client(self, person, scopes=None):
        return api_client(person, [self.program, self.other_program], scopes=scopes)


@pytest.fixture(name="world")
def world_fixture():
    return World()


def another(world, region="North"):
    """One more submitted application to the world's call."""
    person = UserFactory()
    application = fill(application_start(call=world.call, applicant=person), region=region)
    application_submit(application=application, by=person)
    return application


def ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


def ranking_url(call) -> str:
    return f"/api/v1/calls/{call.pk}/ranking/"
