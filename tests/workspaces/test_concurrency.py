"""Races through real HTTP: pytest-django's live server (a thread per connection, each with its own database
connection) and several client processes, each with its own connections, all released at once."""

import datetime
import multiprocessing
import re
from decimal import Decimal
from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.utils.crypto import get_random_string

from tests.factories import CohortFactory
from tests.workspaces import http_race
from tests.workspaces.factories import make_plan, make_resource, make_space, participant
from workspaces.models import Booking, LedgerLine, SubsidyPlan
from workspaces.periods import space_today

PROCESSES = 5


def session_of(person) -> str:
    client = Client()
    client.force_login(person)
    return client.cookies["sessionid"].value


def race(live_server, jobs, path="/workspaces/book/") -> list[tuple[int, str]]:
    """Spread the jobs over PROCESSES processes, each posting to `path`; returns every (status, body)."""
    context = multiprocessing.get_context("spawn")
    ready = context.Barrier(PROCESSES)
    results = context.Queue()
    url = urlsplit(live_server.url)
    batches = [jobs[n::PROCESSES] for n in range(PROCESSES)]
    processes = [
        context.Process(target=http_race.fire, args=(url.hostname, url.port, batch, ready, results, path))
        for batch in batches
    ]
    for process in processes:
        process.start()
    answers = []
    for _ in processes:
        answers += results.get()
    for process in processes:
        process.join()
    assert all(process.exitcode == 0 for process in processes)
    return answers


def slot(resource, day):
    return {"slot": f"{resource.pk}|{day}T08:00|{day}T18:00"}


@pytest.fixture
def open_space(transactional_db):
    cohort = CohortFactory(program__time_zone="Asia/Jerusalem", ends_on=datetime.date(2099, 1, 1))
    space = make_space([cohort.program], weekdays=range(7), weekly_limit=100)
    day = space_today(space) + datetime.timedelta(days=2)
    return cohort, space, day


def test_fifty_people_click_the_same_desk_at_once(live_server, open_space):
    cohort, space, day = open_space
    desk = make_resource(space, "Desk 1")
    make_plan(cohort, space)
    people = [participant(cohort) for _ in range(50)]
    jobs = [(session_of(person), get_random_string(32), slot(desk, day)) for person in people]

    answers = race(live_server, jobs)

    statuses = sorted(status for status, _body in answers)
    assert statuses == [303] + [409] * 49
    for status, body in answers:
        if status == 409:
            assert "Just taken: someone else booked Desk 1 for this time a moment ago." in body
    assert Booking.objects.filter(resource=desk).count() == 1
    assert LedgerLine.objects.count() == 1


def test_twenty_bookings_of_one_participant_against_the_monthly_cap(live_server, open_space):
    cohort, space, day = open_space
    make_plan(cohort, space, cap="5", over_cap=SubsidyPlan.OverCap.REFUSE)
    desks = [make_resource(space, f"Desk {n:02d}") for n in range(20)]
    person = participant(cohort)
    session, csrf = session_of(person), get_random_string(32)
    jobs = [(session, csrf, slot(desk, day)) for desk in desks]

    answers = race(live_server, jobs)

    statuses = sorted(status for status, _body in answers)
    assert statuses == [303] * 5 + [400] * 15
    for status, body in answers:
        if status == 400:
            assert re.search(r"This would pass your monthly cap of 5.0 subsidised units \(5(\.0+)? used", body)
    assert Booking.objects.filter(person=person).count() == 5
    lines = LedgerLine.objects.filter(person=person)
    assert sum(line.subsidised_units for line in lines) == Decimal(5)
