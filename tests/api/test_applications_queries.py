"""The applications area's lists run a fixed number of queries, for 1 row and for 500."""

import pytest
from django.utils import timezone

from applications.models import Application, ApplicationFile, TeamMember
from applications.scoring.models import (
    CriterionScore,
    Decision,
    Review,
    ReviewerAssignment,
)
from incubator.models import User
from tests.api.applications_world import World, another, ids, media_in_tmp, ranking_url, world_fixture  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_in_tmp")]


# Fixed numbers of queries, for 1 row and for 500


def more_applications(world, count: int) -> list[Application]:
    """`count` more submitted, eligible applications to the world's call, each with an answer, a team member and a
    file, written in bulk (the services would take minutes)."""
    people = User.objects.bulk_create(User(email=f"bulk{i}@example.org", name=f"Bulk {i}") for i in range(count))
    region = world.program.regions.get(name="North")
    applications = Application.objects.bulk_create(
        Application(
            call=world.call,
            applicant=person,
            status=Application.Status.SUBMITTED,
            submitted_at=timezone.now(),
            eligibility=Application.Eligibility.ELIGIBLE,
            full_name=person.name,
            region=region,
            answers={str(world.website.pk): "https://example.org"},
        )
        for person in people
    )
    TeamMember.objects.bulk_create(TeamMember(application=a, name="Partner", role="designer") for a in applications)
    ApplicationFile.objects.bulk_create(
        ApplicationFile(
            application=a,
            question=world.file.question,
            file=f"applications/{a.pk}.pdf",
            original_name="deck.pdf",
            content_type="application/pdf",
            size=10,
        )
        for a in applications
    )
    return applications


def more_reviews(world, applications) -> None:
    """A draft review by the world's reviewer of each application, with a score per criterion."""
    assignments = ReviewerAssignment.objects.bulk_create(
        ReviewerAssignment(call=world.call, application=a, reviewer=world.reviewer) for a in applications
    )
    reviews = Review.objects.bulk_create(Review(assignment=a, comment="Fine") for a in assignments)
    CriterionScore.objects.bulk_create(
        CriterionScore(review=r, criterion=c, score=3, scale_min=c.scale_min, scale_max=c.scale_max)
        for r in reviews
        for c in world.call.criteria_set.all()
    )


def measured(client, url, django_assert_num_queries, queries: int, rows: int):
    assert client.get(url).status_code == 200  # the token's last use is written once a minute: not below
    with django_assert_num_queries(queries):
        response = client.get(url)
    assert response.status_code == 200
    assert len(response.json()["results"]) == min(rows, 200)


@pytest.mark.parametrize("rows", [1, 500])
@pytest.mark.parametrize("persona", ["manager", "reviewer"])
def test_the_applications_list_runs_a_fixed_number_of_queries(world, django_assert_num_queries, rows, persona):
    more_reviews(world, more_applications(world, rows - 1))
    # The token; the person's roles in the token's programs; the page of applications (with their call, cohort,
    # review settings, region and the reviewer's assignment); their team members; their files; their calls' questions.
    url = "/api/v1/applications/?page_size=200&expand=call"
    measured(world.client(getattr(world, persona)), url, django_assert_num_queries, 6, rows)


@pytest.mark.parametrize("rows", [1, 500])
def test_the_reviews_list_runs_a_fixed_number_of_queries(world, django_assert_num_queries, rows):
    more_reviews(world, more_applications(world, rows - 1))
    # The token; the person's roles in the token's programs; the page of reviews with their assignments; their scores
    # with their criteria.
    measured(world.client(world.manager), "/api/v1/reviews/?page_size=200", django_assert_num_queries, 4, rows)


@pytest.mark.parametrize("rows", [1, 500])
def test_the_decisions_list_runs_a_fixed_number_of_queries(world, django_assert_num_queries, rows):
    applications = [world.application, *more_applications(world, rows - 1)]
    Decision.objects.bulk_create(
        Decision(application=a, call=world.call, outcome=Decision.Outcome.REJECT, decided_by=world.manager)
        for a in applications
    )
    # The token; the person's roles in the token's programs; the page of decisions with their calls and cohorts.
    url = "/api/v1/decisions/?page_size=200&expand=call"
    measured(world.client(world.manager), url, django_assert_num_queries, 3, rows)


@pytest.mark.parametrize("rows", [1, 500])
def test_the_ranking_runs_a_fixed_number_of_queries(world, django_assert_num_queries, rows):
    more_applications(world, rows - 1)
    # The token; the person's roles in the token's programs; the call with its review settings; the ranking's page.
    url = ranking_url(world.call) + "?page_size=200"
    measured(world.client(world.manager), url, django_assert_num_queries, 4, rows)
