"""A BizUP-like cohort asking monthly check-ins in shekels: Mira's studio (Mira and Sami on its team), Otto's
venture in the same cohort, a mentor and a manager. Its clock: Thursday 3 December 2026, noon in Jerusalem."""

import datetime

import pytest
import time_machine

from cohorts.checkins import metric_set_create
from cohorts.models import Metric, Venture
from cohorts.services import venture_member_add
from tests.factories import CohortFactory, ProgramFactory, UserFactory, accept

NOW = datetime.datetime(2026, 12, 3, 10, 0, tzinfo=datetime.UTC)
NOVEMBER = datetime.date(2026, 11, 1)


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def cohort(db):
    program = ProgramFactory(name="BizUP", time_zone="Asia/Jerusalem")
    return CohortFactory(program=program, name="BizUP 2026", starts_on=datetime.date(2026, 3, 1))


@pytest.fixture
def metric_set(cohort):
    return metric_set_create(program=cohort.program, currency="ILS", by=None)


@pytest.fixture
def member(cohort, metric_set):
    return accept(cohort, UserFactory(name="Mira Member", email="mira@example.org"), venture_name="Mira Studio").person


@pytest.fixture
def venture(member):
    return Venture.objects.get(name="Mira Studio")


@pytest.fixture
def teammate(cohort, venture, member):
    person = accept(cohort, UserFactory(name="Sami Second", email="sami@example.org")).person
    venture_member_add(venture=venture, email=person.email, by=member)
    return person


@pytest.fixture
def outsider_member(cohort, metric_set):
    """In the cohort, on another venture's team."""
    return accept(cohort, UserFactory(name="Otto Other"), venture_name="Otto Prints").person


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


def metric(metric_set, standard) -> Metric:
    return metric_set.metrics.get(standard=standard)


def answers(metric_set, **typed) -> dict[int, str]:
    """{metric id: text} from standard names: answers(ms, clients="3", revenue="-150")."""
    return {metric(metric_set, name).pk: text for name, text in typed.items()}


FULL = {
    "clients": "4",
    "revenue": "12500",
    "jobs": "1.5",
    "volunteers": "0",
    "funding": "0",
    "highlight": "A new client",
}
