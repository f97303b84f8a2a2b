import pytest
from django.utils import translation

from tests.applications.scoring.factories import manager, reviewer, scoring_call


@pytest.fixture
def call(db):
    return scoring_call()


@pytest.fixture
def rita(db):
    return reviewer(name="Rita Reviewer")


@pytest.fixture
def omar(db):
    return reviewer(name="Omar Other")


@pytest.fixture
def maya(db):
    return manager(name="Maya Manager")


@pytest.fixture(autouse=True)
def _english():
    """Messages are asserted in English, whatever language an earlier test's request left active."""
    with translation.override("en"):
        yield
