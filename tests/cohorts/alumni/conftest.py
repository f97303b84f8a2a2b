"""A Kawalis-like cohort that ended on 31 May 2025 in Jerusalem's time zone: its alumni survey opens on 31 May 2026
at 09:00 there (06:00 UTC), and closes a year later. Two members with ventures, a manager, and a clock in June."""

import datetime

import pytest
import time_machine

from cohorts.alumni_survey import alumni_survey_answer
from cohorts.checkins import metric_set_create
from tests.factories import CohortFactory, ProgramFactory, UserFactory, accept, program_manager

ENDED = datetime.date(2025, 5, 31)
OPENS = datetime.datetime(2026, 5, 31, 6, 0, tzinfo=datetime.UTC)
NOW = datetime.datetime(2026, 6, 10, 10, 0, tzinfo=datetime.UTC)
ACTIVE = {"venture": "active", "jobs": "2.5", "revenue_band": "50k_250k", "helped_most": "mentoring", "comment": ""}


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def cohort(db):
    program = ProgramFactory(name="Kawalis", slug="kawalis", time_zone="Asia/Jerusalem")
    metric_set_create(program=program, currency="MAD", by=None)
    return CohortFactory(
        program=program, name="Kawalis 2", slug="kawalis-2", starts_on=datetime.date(2024, 6, 1), ends_on=ENDED
    )


@pytest.fixture
def member(cohort):
    person = UserFactory(name="Salma Member", email="salma@example.org", preferred_language="fr")
    return accept(cohort, person, venture_name="Atelier Salma").person


@pytest.fixture
def membership(member, cohort):
    return member.memberships.get(cohort=cohort)


@pytest.fixture
def manager(cohort):
    return program_manager(cohort.program, name="Mona Manager")


def answer(membership, **typed):
    """The member's answer, sent while the survey is open."""
    return alumni_survey_answer(
        membership=membership, typed={**ACTIVE, **typed}, by=membership.person, language="en", now=NOW
    )
