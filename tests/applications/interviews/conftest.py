import datetime

import pytest
import time_machine
from django.utils import translation

from tests.applications.interviews.factories import interview_call, manager

# A Monday morning in Casablanca: the panel's next weekday mornings are bookable from Tuesday 08:00 UTC on.
NOW = datetime.datetime(2026, 12, 7, 8, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def call(db):
    return interview_call()


@pytest.fixture
def maya(call):
    return manager(call.cohort.program, name="Maya Manager")


@pytest.fixture
def other_manager(db):
    return manager(interview_call(slug="elsewhere").cohort.program, name="Otto Elsewhere")
