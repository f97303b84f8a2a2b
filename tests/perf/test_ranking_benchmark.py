"""Benchmark: the first ranking page of a call with 10,000 applications × 3 reviews × 4 criteria.

Run with `make bench` (not part of `make test`). Prints the median of several timed runs of the selector
alone and of the whole page (selector + template render through the test client). No wall-clock asserts:
results go into docs/performance.md by hand."""

import datetime
import os
import platform
import statistics
import time

import pytest
from django.contrib.auth.hashers import make_password
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from applications.models import Application
from applications.scoring.models import CriterionScore, Review, ReviewerAssignment
from applications.scoring.reviews import review_points_refresh
from applications.scoring.selectors import ranking
from incubator.models import User
from tests.applications.scoring.factories import REGIONS, criteria, manager, reviewer, scoring_call

pytestmark = pytest.mark.perf

APPLICATIONS = 10_000
REVIEWERS = 30  # 1,000 reviews each
RUNS = 9
BATCH = 5_000


def build(call):
    password = make_password("x")
    users = User.objects.bulk_create(
        [User(email=f"bench{n}@example.org", name=f"Bench {n:05d}", password=password) for n in range(APPLICATIONS)],
        batch_size=BATCH,
    )
    regions = list(call.cohort.program.regions.all())
    now = timezone.now()
    applications = Application.objects.bulk_create(
        [
            Application(
                call=call,
                applicant=user,
                status=Application.Status.SUBMITTED,
                full_name=user.name,
                region=regions[n % len(regions)],
                email=user.email,
                eligibility=Application.Eligibility.ELIGIBLE,
                submitted_at=now - datetime.timedelta(minutes=n),
            )
            for n, user in enumerate(users)
        ],
        batch_size=BATCH,
    )
    panel = [reviewer(name=f"Reviewer {n}") for n in range(REVIEWERS)]
    assignments = ReviewerAssignment.objects.bulk_create(
        [
            ReviewerAssignment(call=call, application=application, reviewer=panel[(n + k * 7) % REVIEWERS])
            for n, application in enumerate(applications)
            for k in range(3)
        ],
        batch_size=BATCH,
    )
    reviews = Review.objects.bulk_create(
        [
            Review(assignment=a, status="submitted", recommendation=("yes", "maybe", "no")[n % 3], submitted_at=now)
            for n, a in enumerate(assignments)
        ],
        batch_size=BATCH,
    )
    rubric = criteria(call)
    CriterionScore.objects.bulk_create(
        [
            CriterionScore(review=r, criterion=c, score=1 + (n * 7 + i * 3) % 5, scale_min=1, scale_max=5)
            for n, r in enumerate(reviews)
            for i, c in enumerate(rubric)
        ],
        batch_size=BATCH,
    )
    review_points_refresh(call=call)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # as autovacuum would have done on a database that grew to this size


def timed(function) -> list[float]:
    function()  # warm caches (templates, plans)
    runs = []
    for _ in range(RUNS):
        started = time.perf_counter()
        function()
        runs.append((time.perf_counter() - started) * 1000)
    return runs


def test_first_ranking_page_with_10000_applications(client, db):
    call = scoring_call(slug="bench", seats=24, regions=REGIONS)
    started = time.perf_counter()
    build(call)
    built = time.perf_counter() - started
    client.force_login(manager(call.cohort.program))
    url = reverse("scoring:ranking", args=[call.slug])

    selector = timed(lambda: ranking(call, limit=50))
    page = timed(lambda: client.get(url))
    normalised_call = call
    normalised_call.review_settings.normalise = True
    normalised_call.review_settings.save()
    normalised = timed(lambda: client.get(url))
    assert client.get(url).content.decode().count('data-testid="rank-row"') == 50

    print(
        f"\nmachine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
        f"PostgreSQL {connection.pg_version // 10000}, Python {platform.python_version()}"
        f"\ndata: {APPLICATIONS} applications, {APPLICATIONS * 3} reviews, {APPLICATIONS * 12} scores "
        f"(built in {built:.1f} s)"
    )
    for label, runs in [("selector (first 50 rows)", selector), ("page", page), ("page, normalised", normalised)]:
        print(
            f"{label}: median {statistics.median(runs):.0f} ms, min {min(runs):.0f} ms, max {max(runs):.0f} ms "
            f"over {RUNS} runs"
        )
