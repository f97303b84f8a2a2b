"""`make bench` in miniature, so it cannot rot: `seed_scale` with tiny sizes into the test database, then every page
of tests/perf/pages.py requested once as its role, at two sizes: each answers as the bench expects, with the same
number of queries at both sizes. Never a time."""

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from demo.scale import Sizes
from incubator.views import bench_ceiling
from tests.perf import split
from tests.perf.pages import PAGES, cast, targets

SMALL = Sizes(
    applications=12,
    reviewers=4,
    participants=8,
    cohorts=2,
    mentors=2,
    deadline_applicants=3,
    sessions=40,
    resources=6,
    checkin_ventures=3,
    checkin_months=4,
)
LARGER = Sizes(
    applications=60,
    reviewers=9,
    participants=30,
    cohorts=3,
    mentors=6,
    deadline_applicants=5,
    sessions=90,
    resources=14,
    checkin_ventures=9,
    checkin_months=7,
)


def seeded_counts(client, sizes: Sizes) -> dict[str, int]:
    """Seed `sizes` in a savepoint, request each page once, note its queries, and roll the seeding back."""
    counts = {}
    with transaction.atomic():
        options = {name.replace("_", "-"): value for name, value in sizes.as_dict().items()}
        call_command(
            "seed_scale",
            f"--database-name={connection.settings_dict['NAME']}",
            *[f"--{name}={value}" for name, value in options.items()],
            verbosity=0,
        )
        t = targets()
        people = cast(1)
        for page in PAGES:
            if page.kind == "ceiling":
                continue  # routed only under BENCH: see test_the_ceiling_is_a_constant_and_off_by_default
            user = people[page.role][0]
            client.force_login(user)
            request = page.build(t, user, 1)
            with CaptureQueriesContext(connection) as queries:
                if request.method == "GET":
                    response = client.get(request.path, headers=request.headers)
                else:
                    response = client.post(request.path, request.data, headers=request.headers)
            assert response.status_code == request.status, (page.name, response.status_code)
            counts[page.name] = len(queries)
        transaction.set_rollback(True)
    return counts


def test_every_bench_page_answers_with_the_same_queries_at_two_sizes(client, db):
    small = seeded_counts(client, SMALL)
    larger = seeded_counts(client, LARGER)
    assert small == larger
    assert set(small) == {page.name for page in PAGES if page.kind != "ceiling"}


def test_seed_scale_makes_what_it_says(db):
    # Sessions and bookings small too: at their defaults (20,000 and 200 resources' worth) this took three minutes;
    # the next test checks them.
    call_command("seed_scale", f"--database-name={connection.settings_dict['NAME']}", "--applications=20",
                 "--participants=10", "--cohorts=2", "--mentors=3", "--reviewers=5", "--deadline-applicants=4",
                 "--sessions=20", "--resources=10", "--checkin-ventures=4", "--checkin-months=3",
                 verbosity=0)  # fmt: skip
    from applications.models import Application
    from applications.scoring.models import Review, ScoreSummary
    from cohorts.models import CheckIn, Cohort, Membership
    from demo.scale.applications import CALL_SLUG, DEADLINE_CALL_SLUG
    from demo.scale.checkins import OUTCOMES_COHORT_SLUG

    assert Application.objects.filter(call__slug=CALL_SLUG, status="submitted").count() == 20
    assert Application.objects.filter(call__slug=DEADLINE_CALL_SLUG, status="draft").count() == 4
    # Every twentieth application is ineligible and not reviewed; the others get 3 reviews of 4 scores.
    assert Review.objects.filter(status="submitted").count() == 19 * 3
    assert all(review.scores.count() == 4 for review in Review.objects.all()[:5])
    assert ScoreSummary.objects.filter(call__slug=CALL_SLUG, ranked=True, review_count=3).count() == 19
    assert Membership.objects.count() == 10 + 4  # the participants, and the outcomes cohort's four founders
    # the two asked for, and the outcomes cohort whose 4 ventures answer 3 months (one in eleven skipped)
    assert Cohort.objects.filter(program__slug="scale").count() == 3
    assert CheckIn.objects.filter(venture__cohort__slug=OUTCOMES_COHORT_SLUG).count() == 12
    assert Cohort.mentors.through.objects.count() == 3
    # `make profile` splits each read page's time on these rows (the ceiling is routed only under BENCH).
    reads = [page.name for page in PAGES if page.kind in ("read", "export")]
    costs = split.page_costs(reads, repeat=1)
    assert [name for name, _, _ in costs] == reads
    assert all(total > clock.sql > 0 and clock.template >= clock.sql_in_template for _, total, clock in costs)


def test_seed_scale_mentoring_and_bookings(db):
    call_command("seed_scale", f"--database-name={connection.settings_dict['NAME']}", "--applications=5",
                 "--participants=20", "--cohorts=2", "--mentors=4", "--reviewers=3", "--deadline-applicants=2",
                 "--sessions=100", "--resources=20", "--checkin-ventures=4", "--checkin-months=3",
                 verbosity=0)  # fmt: skip
    from django.db.models import Count, Sum

    from demo.scale.workspaces import MONTHLY_CAP
    from mentoring.models import Assignment, Attendance, Session
    from workspaces.models import Booking, LedgerLine, Resource

    assert Session.objects.count() == 100
    assert Session.facilitators.through.objects.count() == 100
    assert Assignment.objects.count() == 20
    # Every session has attendance: one mentee, or ten people at a group training; held ones are marked.
    assert not Session.objects.annotate(n=Count("attendances")).filter(n=0).exists()
    assert not Attendance.objects.filter(session__status="held", status="invited").exists()
    assert Resource.objects.filter(space__slug="scale-hub").count() == 20
    # A ledger line per booking that adds up, and no participant subsidised past the cap in any month.
    assert LedgerLine.objects.count() == Booking.objects.count() > 20 * 300
    over_cap = (
        LedgerLine.objects.values("person", "month")
        .annotate(units=Sum("subsidised_units"))
        .filter(units__gt=MONTHLY_CAP)
    )
    assert not over_cap.exists()


def test_seed_scale_refuses_the_portals_own_database(db):
    from django.core.management.base import CommandError

    from demo.management.commands.seed_scale import portal_database_name

    with pytest.raises(CommandError, match="portal's own database"):
        call_command("seed_scale", f"--database-name={portal_database_name()}", verbosity=0)


def test_the_ceiling_is_a_constant_and_off_by_default(client, user):
    assert client.get("/bench/ceiling/").status_code == 404
    request = RequestFactory().get("/bench/ceiling/")
    request.user = user
    response = bench_ceiling(request)
    assert (response.status_code, response.content) == (200, b"ok")
