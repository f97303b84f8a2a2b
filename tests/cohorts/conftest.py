import datetime

import pytest

from cohorts import services
from tests.factories import CohortFactory, RegionFactory, UserFactory, accept

# A tiny valid PNG (1x1 pixel): the photo upload checks content, not names.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
    "0000000d49444154789c63382127f71f0004ba02043e571fc70000000049454e44ae426082"
)


@pytest.fixture
def cohort(db):
    cohort = CohortFactory(name="BizUP test cohort")
    RegionFactory(program=cohort.program, name="North", position=0)
    RegionFactory(program=cohort.program, name="South", position=1)
    return cohort


@pytest.fixture
def north(cohort):
    return cohort.program.regions.get(name="North")


@pytest.fixture
def other_cohort(db):
    return CohortFactory(name="Another cohort")


@pytest.fixture
def member(cohort, north):
    person = UserFactory(name="Mira Member")
    accept(cohort, person, region=north, venture_name="Mira Studio", venture_field="photography")
    return person


@pytest.fixture
def second_member(cohort):
    return accept(cohort, UserFactory(name="Sami Second")).person


@pytest.fixture
def other_member(other_cohort):
    return accept(other_cohort, UserFactory(name="Otto Other")).person


@pytest.fixture
def mentor(cohort):
    person = UserFactory(name="Meir Mentor")
    cohort.mentors.add(person)
    return person


@pytest.fixture
def manager(cohort):
    person = UserFactory(name="Mona Manager")
    cohort.program.managers.add(person)
    return person


@pytest.fixture
def post(cohort, member):
    return services.post_create(cohort=cohort, author=member, kind="need", title="Looking for a photographer")


@pytest.fixture
def initiative(cohort, member):
    return services.initiative_create(
        cohort=cohort, by=member, title="Shared catalogue", what="A catalogue of our work", status="running"
    )


@pytest.fixture
def milestone(initiative, member):
    return services.milestone_create(
        initiative=initiative, title="Collect the work", due_on=datetime.date(2026, 3, 1), by=member
    )


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Uploaded photos land in a throw-away folder, never in the development media."""
    settings.MEDIA_ROOT = tmp_path / "media"
