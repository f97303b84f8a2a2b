"""What every endpoint shares: tokens (401), scopes (403), programs (404), problem documents, pages and the
parameters every list takes."""

import datetime
from unittest import mock

import pytest
import time_machine
from django.utils import timezone

from applications.models import Call
from cohorts.models import Cohort
from incubator.api.auth import TokenRateThrottle
from incubator.api.tokens import api_token_revoke
from tests.api.clients import api_client, token_for
from tests.factories import CohortFactory, ProgramFactory, UserFactory, program_manager

pytestmark = pytest.mark.django_db


def mock_rate(rate):
    return mock.patch.object(TokenRateThrottle, "THROTTLE_RATES", {"token": rate})


@pytest.fixture
def world():
    program, other = ProgramFactory(), ProgramFactory()
    cohort, other_cohort = CohortFactory(program=program), CohortFactory(program=other)
    manager = program_manager(program)
    return program, other, cohort, other_cohort, manager


def test_no_token_is_401_with_a_problem_document(world):
    response = api_client().get("/api/v1/programs/")
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert response.json()["status"] == 401


@pytest.mark.parametrize("text", ["nonsense", "inc_abc", "inc_000000000000_wrong"])
def test_unknown_token_is_401(world, text):
    assert api_client(text=text).get("/api/v1/programs/").status_code == 401


def test_expired_and_revoked_tokens_are_401(world):
    program, _, _, _, manager = world
    token, text = token_for(manager, [program])
    client = api_client(text=text)
    assert client.get("/api/v1/programs/").status_code == 200
    api_token_revoke(token=token, by=manager)
    assert client.get("/api/v1/programs/").status_code == 401
    _, text2 = token_for(manager, [program], days=30)
    with time_machine.travel(timezone.now() + datetime.timedelta(days=30, seconds=1)):
        assert api_client(text=text2).get("/api/v1/programs/").status_code == 401


def test_an_inactive_person_s_token_is_401(world):
    program, _, _, _, manager = world
    client = api_client(manager, [program])
    manager.is_active = False
    manager.save(update_fields=["is_active"])
    assert client.get("/api/v1/programs/").status_code == 401


def test_a_token_without_the_area_s_scope_is_403(world):
    program, _, _, _, manager = world
    client = api_client(manager, [program], scopes=["applications:read"])
    response = client.get("/api/v1/cohorts/")
    assert response.status_code == 403
    assert "cohorts" in response.json()["detail"]


def test_another_program_s_rows_are_not_listed_and_are_404(world):
    program, other, cohort, other_cohort, manager = world
    client = api_client(manager, [program])
    assert [row["id"] for row in client.get("/api/v1/cohorts/").json()["results"]] == [cohort.pk]
    assert client.get(f"/api/v1/cohorts/{other_cohort.pk}/").status_code == 404


def test_a_token_reaches_only_the_programs_it_names(world):
    program, other, cohort, other_cohort, manager = world
    from tests.factories import grant

    grant(other, manager, "manager")
    client = api_client(manager, [program])
    assert client.get(f"/api/v1/cohorts/{other_cohort.pk}/").status_code == 404


def test_a_manager_who_lost_the_program_loses_it_through_the_token_too(world):
    program, _, cohort, _, manager = world
    client = api_client(manager, [program])
    program.managers.remove(manager)
    assert client.get(f"/api/v1/cohorts/{cohort.pk}/").status_code == 404


@pytest.mark.parametrize(
    "query",
    ["?colour=red", "?page_size=0", "?page_size=100000", "?page_size=x", "?updated_since=yesterday", "?expand=secrets"],
)
def test_odd_parameters_are_400_problems(world, query):
    program, _, _, _, manager = world
    response = api_client(manager, [program]).get(f"/api/v1/cohorts/{query}")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["errors"]


def test_updated_since_lists_what_changed(world):
    program, _, cohort, _, manager = world
    later = CohortFactory(program=program)
    client = api_client(manager, [program])
    since = timezone.now().isoformat()
    assert client.get("/api/v1/cohorts/", {"updated_since": since}).json()["results"] == []
    cohort.name = "Renamed"
    cohort.save()
    ids = [row["id"] for row in client.get("/api/v1/cohorts/", {"updated_since": since}).json()["results"]]
    assert ids == [cohort.pk]
    assert later.pk not in ids


def test_cursor_pages_walk_every_row_once(world):
    program, _, cohort, _, manager = world
    cohorts = [cohort] + [CohortFactory(program=program) for _ in range(4)]
    client = api_client(manager, [program])
    seen, url = [], "/api/v1/cohorts/?page_size=2"
    while url:
        page = client.get(url).json()
        seen += [row["id"] for row in page["results"]]
        url = page["next"]
    assert sorted(seen) == sorted(c.pk for c in cohorts)


def test_expand_replaces_the_id_with_the_object(world):
    program, _, cohort, _, manager = world
    client = api_client(manager, [program])
    plain = client.get(f"/api/v1/cohorts/{cohort.pk}/").json()
    assert plain["program"] == program.pk
    expanded = client.get(f"/api/v1/cohorts/{cohort.pk}/?expand=program").json()
    assert expanded["program"]["slug"] == program.slug


def test_a_member_reads_only_their_cohort(world):
    program, _, cohort, _, _ = world
    from tests.factories import accept

    person = UserFactory()
    accept(cohort, person)
    CohortFactory(program=program)
    client = api_client(person, [program])
    assert [row["id"] for row in client.get("/api/v1/cohorts/").json()["results"]] == [cohort.pk]


def test_the_schema_and_reference_are_public():
    schema = api_client().get("/api/v1/schema/")
    assert schema.status_code == 200
    assert b"openapi" in schema.content
    reference = api_client().get("/api/v1/reference/")
    assert reference.status_code == 200
    # Swagger UI from our own static files: nothing from a CDN.
    assert b"/static/vendor/swagger-ui/swagger-ui-bundle.js" in reference.content
    assert b"unpkg" not in reference.content and b"jsdelivr" not in reference.content


def test_past_the_budget_the_answer_is_429_with_retry_after(world, settings):
    program, _, _, _, manager = world
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    client = api_client(manager, [program])
    with mock_rate("3/minute"):
        statuses = [client.get("/api/v1/programs/").status_code for _ in range(4)]
        refused = client.get("/api/v1/programs/")
    assert statuses == [200, 200, 200, 429]
    assert int(refused["Retry-After"]) > 0
    assert refused["Content-Type"] == "application/problem+json"


@pytest.mark.parametrize("rows", [1, 500])
def test_lists_run_a_fixed_number_of_queries(world, django_assert_num_queries, rows):
    program, _, cohort, _, manager = world
    Cohort.objects.bulk_create([Cohort(program=program, name=f"C{n}", slug=f"bulk-{n}") for n in range(rows - 1)])
    Call.objects.bulk_create(
        [
            Call(
                cohort=cohort,
                slug=f"call-{n}",
                title=f"Call {n}",
                opens_at=timezone.now(),
                closes_at=timezone.now() + datetime.timedelta(days=9),
            )
            for n in range(rows)
        ]
    )
    client = api_client(manager, [program])
    client.get("/api/v1/programs/")  # the token's first use is written once; later ones within a minute are not
    # The token with its person and programs; which of them the person holds a role in and manages; the page; the
    # expanded objects.
    for url in ("/api/v1/cohorts/?expand=program", "/api/v1/calls/?expand=cohort"):
        with django_assert_num_queries(4):
            assert client.get(url).status_code == 200
