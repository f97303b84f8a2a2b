"""Hostile input that the schema's fuzzer does not generate: cursors written by hand and odd bytes in the token.
Each is a 4xx problem document, never a 500."""

import base64

import pytest

from tests.api.clients import api_client
from tests.factories import CohortFactory, ProgramFactory, program_manager

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
