"""schemathesis sends generated requests to every operation of the OpenAPI schema as a manager of one program
(with a token naming both of the world's programs and every scope): no answer may be a 500, and every answer must
keep to the schema (status code, content type, body), valid requests and invalid ones alike. Bounded: a few
examples per operation, one world for all."""

import pytest
import schemathesis
import time_machine
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from incubator.wsgi import application
from tests.api.clients import token_for
from tests.security.matrix_world import NOW, World

CHECKS = [
    schemathesis.checks.not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
EXAMPLES = 12


@pytest.fixture
def wsgi_in_test_transaction():
    # In-process WSGI calls start and end with Django's request signals, which would close the test's connection
    # in the middle of its transaction; Django's own test client disconnects them the same way.
    for signal in (signals.request_started, signals.request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (signals.request_started, signals.request_finished):
        signal.connect(close_old_connections)


@pytest.mark.django_db
def test_every_operation_keeps_to_the_schema(wsgi_in_test_transaction):
    with time_machine.travel(NOW, tick=False):
        world = World()
        token = token_for(world.manager, [world.program, world.other_program])[1]
        # The in-process transport does not undo GZipMiddleware's compression.
        headers = {"Authorization": f"Bearer {token}", "Accept-Encoding": "identity"}
        schema = schemathesis.openapi.from_wsgi("/api/v1/schema/", application)
        for result in schema.get_all_operations():
            operation = result.ok()
            cases = operation.as_strategy(generation_mode=GenerationMode.POSITIVE) | operation.as_strategy(
                generation_mode=GenerationMode.NEGATIVE
            )

            @given(case=cases)
            @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
            def keeps_to_the_schema(case):
                case.call_and_validate(headers=headers, checks=CHECKS)

            keeps_to_the_schema()
