"""Hostile input that the schema's fuzzer does not generate: cursors written by hand, odd bytes in the token (each a
4xx problem document, never a 500), and a forged X-Forwarded-For."""

import base64
from unittest import mock

import pytest

from cohorts.models import Program
from incubator.api.auth import TokenRateThrottle
from tests.api.clients import api_client, token_for
from tests.factories import CohortFactory, ProgramFactory, accept, program_manager

pytestmark = pytest.mark.django_db


def cursor(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


@pytest.fixture
def client():
    program = ProgramFactory()
    CohortFactory(program=program)
    client = api_client(program_manager(program), [program])
    client.raise_request_exception = False
    return client


@pytest.mark.parametrize("position", ["abc", "1.5", "\x00", "-", "²", "99999999999999999999999"])
def test_a_cursor_with_a_position_that_is_no_id_is_a_4xx_problem(client, position):
    response = client.get("/api/v1/cohorts/", {"cursor": cursor(f"o=0&p={position}")})
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"


@pytest.mark.parametrize("text", ["inc_\x00abc_def", "inc_abc\x00_def", "inc_abcdef012345_sec\x00ret"])
def test_a_token_with_a_nul_is_401(text):
    client = api_client(text=text)
    client.raise_request_exception = False
    response = client.get("/api/v1/programs/")
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"


def test_a_forged_x_forwarded_for_does_not_buy_a_fresh_anonymous_budget(settings):
    """The public schema costs a fraction of a second to build: a client writing a new X-Forwarded-For on each
    request must not escape the budget of its address (no proxy is trusted here: TRUSTED_PROXY_COUNT is 0)."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    client = api_client()
    with mock.patch.object(TokenRateThrottle, "THROTTLE_RATES", {"token": "2/minute"}):
        statuses = [client.get("/api/v1/schema/", HTTP_X_FORWARDED_FOR=f"203.0.113.{n}").status_code for n in range(3)]
    assert statuses == [200, 200, 429]


def test_a_token_s_last_use_is_noted_from_the_client_s_address_behind_the_trusted_proxy(settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    program = ProgramFactory()
    token, text = token_for(program_manager(program), [program])
    client = api_client(text=text)
    response = client.get("/api/v1/programs/", HTTP_X_FORWARDED_FOR="198.51.100.7, 203.0.113.9", REMOTE_ADDR="10.0.0.2")
    assert response.status_code == 200
    token.refresh_from_db()
    assert token.last_used_from == "203.0.113.9"


@pytest.mark.parametrize("body", ["[" * 100_000 + "]" * 100_000, '{"text": ' + "[" * 5_000 + "]" * 5_000 + "}"])
def test_json_nested_past_the_parser_s_depth_is_a_400_problem(client, body):
    """Python's json module gives up on deep nesting with a RecursionError, which DRF's parser lets through."""
    member = accept(CohortFactory(program=Program.objects.get()))
    response = client.generic("POST", f"/api/v1/members/{member.pk}/notes/", body, content_type="application/json")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
