"""The world of the workspaces endpoints' tests: a program's space with a desk and a subsidy plan, a participant's
booking in it, another participant, the program's manager, an outsider, and another program with its manager and
space."""

import datetime

import pytest
import time_machine

from tests.api.clients import api_client
from tests.factories import CohortFactory, UserFactory
from tests.workspaces.factories import make_plan, make_resource, make_space, manager_of, participant
from workspaces import services

# Monday 1 June 2026, 09:00 in Jerusalem: the space opens Sunday to Thursday, 08:00 to 18:00.
NOW = datetime.datetime(2026, 6, 1, 6, 0, tzinfo=datetime.UTC)
TUESDAY = datetime.date(2026, 6, 2)


def day_of(day: datetime.date) -> dict:
    return {"starts": f"{day}T08:00", "ends": f"{day}T18:00"}


def book(resource, person, day=TUESDAY):
    return services.booking_create(
        resource=resource,
        starts=datetime.datetime.combine(day, datetime.time(8)),
        ends=datetime.datetime.combine(day, datetime.time(18)),
        by=person,
    )


class World:
    def __init__(self):
        self.cohort = CohortFactory(program__time_zone="Asia/Jerusalem")
        self.program = self.cohort.program
        self.space = make_space([self.program], week_starts_on=6)
        self.desk = make_resource(self.space)
        self.plan = make_plan(self.cohort, self.space)
        self.person = participant(self.cohort)
        self.other_person = participant(self.cohort)
        self.manager = manager_of(self.program)
        self.outsider = UserFactory()
        self.other_cohort = CohortFactory()
        self.other_program = self.other_cohort.program
        self.other_manager = manager_of(self.other_program)
        self.other_space = make_space([self.other_program], slug="elsewhere", time_zone="Europe/Warsaw", currency="PLN")
        self.booking = book(self.desk, self.person)
        self.line = self.booking.ledger_lines.get()

    def client(self, person, scopes=None, programs=None):
        return api_client(person, programs or [self.program, self.other_program], scopes)


@pytest.fixture(name="world")
def world_fixture():
    with time_machine.travel(NOW, tick=False):
        yield World()


def ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return sorted(row["id"] for row in response.json()["results"])
