import datetime

import pytest
import time_machine

from tests.workspaces.factories import bizmax_setup, participant

# Monday 1 June 2026, 09:00 in Jerusalem: bookings from Tuesday on are in the future.
NOW = datetime.datetime(2026, 6, 1, 6, 0, tzinfo=datetime.UTC)


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def world(db, frozen):
    """BizMax's space and a desk in it, and a French-speaking participant of its cohort."""
    cohort, space, desk, plan = bizmax_setup()
    person = participant(cohort, preferred_language="fr")
    return cohort, space, desk, person
