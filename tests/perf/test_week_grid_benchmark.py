"""Benchmark: the week grid of a space with 200 resources (190 desks by the day, 10 machines by the hour) and a
year of bookings (about 55,000 desk days and 11,000 machine hours).

Run with `make bench` (not part of `make test`). Prints the median of several timed runs of the selector alone
and of the whole page (gate + selector + template, through the test client). No wall-clock asserts: results go
into docs/performance.md by hand."""

import datetime
import os
import platform
import statistics
import time
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.hashers import make_password
from django.db import connection
from django.db.backends.postgresql.psycopg_any import DateTimeTZRange
from django.urls import reverse

from incubator.models import User
from tests.factories import CohortFactory, accept
from tests.workspaces.factories import make_space
from workspaces.models import Booking, Resource
from workspaces.periods import space_today, week_start
from workspaces.selectors import week_grid

pytestmark = pytest.mark.perf

DESKS = 190
MACHINES = 10
PEOPLE = 60
DAYS = 365
RUNS = 9
BATCH = 5_000


def build(space, viewer):
    zone = ZoneInfo(space.time_zone)
    password = make_password("x")
    people = [viewer] + User.objects.bulk_create(
        [User(email=f"bench{n}@example.org", name=f"Bench {n:03d}", password=password) for n in range(1, PEOPLE)]
    )
    resources = Resource.objects.bulk_create(
        [Resource(space=space, name=f"Desk {n:03d}", price=90, position=n) for n in range(DESKS)]
        + [
            Resource(space=space, name=f"Machine {n:02d}", unit=Resource.Unit.HOUR, price=30, position=DESKS + n)
            for n in range(MACHINES)
        ]
    )
    first = space_today(space) - datetime.timedelta(days=DAYS // 2)
    bookings = []
    for offset in range(DAYS):
        day = first + datetime.timedelta(days=offset)
        if day.weekday() in (4, 5):  # Friday and Saturday: closed
            continue
        opens = datetime.datetime.combine(day, datetime.time(8), zone)
        for n, resource in enumerate(resources):
            person = people[(n + offset) % PEOPLE]
            if resource.unit == Resource.Unit.DAY:
                if (n + offset) % 10 < 7:  # 70 % of desk days taken
                    closes = datetime.datetime.combine(day, datetime.time(18), zone)
                    bookings.append(
                        Booking(resource=resource, person=person, period=DateTimeTZRange(opens, closes), units=1)
                    )
            else:
                for hour in range(0, 10, 2):
                    start = opens + datetime.timedelta(hours=hour)
                    bookings.append(
                        Booking(resource=resource, person=person, units=1,
                                period=DateTimeTZRange(start, start + datetime.timedelta(hours=1)))
                    )  # fmt: skip
    Booking.objects.bulk_create(bookings, batch_size=BATCH)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return len(bookings)


def timed(function) -> list[float]:
    function()  # warm caches (templates, plans)
    runs = []
    for _ in range(RUNS):
        started = time.perf_counter()
        function()
        runs.append((time.perf_counter() - started) * 1000)
    return runs


def test_week_grid_with_200_resources_and_a_year_of_bookings(client, db):
    cohort = CohortFactory(program__time_zone="Asia/Jerusalem", ends_on=datetime.date(2099, 1, 1))
    space = make_space([cohort.program], slug="bench", week_starts_on=6)
    viewer = accept(cohort).person
    started = time.perf_counter()
    total = build(space, viewer)
    built = time.perf_counter() - started
    client.force_login(viewer)
    # Next week: its free slots are buttons, its taken ones text (this week's past days would be the cheap case).
    first_day = week_start(space, space_today(space) + datetime.timedelta(days=7))
    url = reverse("workspaces:space", args=[space.slug])

    selector = timed(lambda: week_grid(space, viewer, first_day=first_day, hours_day=first_day))
    page = timed(lambda: client.get(url, {"week": first_day.isoformat(), "day": first_day.isoformat()}))
    body = client.get(url, {"week": first_day.isoformat(), "day": first_day.isoformat()}).content.decode()
    assert body.count('data-testid="grid-row"') == DESKS
    assert body.count('data-testid="hour-row"') == MACHINES
    assert 'data-state="free"' in body and 'data-state="taken"' in body and 'data-state="mine"' in body

    print(
        f"\nmachine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
        f"PostgreSQL {connection.pg_version // 10000}, Python {platform.python_version()}"
        f"\ndata: {DESKS + MACHINES} resources, {total} bookings over {DAYS} days (built in {built:.1f} s)"
    )
    for label, runs in [("selector (week grid)", selector), ("page", page)]:
        print(
            f"{label}: median {statistics.median(runs):.0f} ms, min {min(runs):.0f} ms, max {max(runs):.0f} ms "
            f"over {RUNS} runs"
        )
