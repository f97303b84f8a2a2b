import pytest
from django.utils import translation

from tests.applications.scoring.factories import manager, reviewer, scoring_call


@pytest.fixture
def call(db):
    return scoring_call()


@pytest.fixture
def rita(call):
    return reviewer(call.cohort.program, name="Rita Reviewer")


@pytest.fixture
def omar(call):
    return reviewer(call.cohort.program, name="Omar Other")


@pytest.fixture
def maya(call):
    return manager(call.cohort.program, name="Maya Manager")


@pytest.fixture
def other_manager(db):
    """A manager of another program: in the Program manager group and staff, but not listed on the call's program."""
    return manager(scoring_call(slug="elsewhere").cohort.program, name="Otto Elsewhere")


@pytest.fixture(autouse=True)
def _english():
    """Messages are asserted in English, whatever language an earlier test's request left active."""
    with translation.override("en"):
        yield
