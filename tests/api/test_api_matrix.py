"""Every API operation of the OpenAPI schema as every persona of the permission matrix, each with a token naming
both of the world's programs and every scope: the outcome must be the one tests/api/matrix_<area>.py expects, and
no answer may carry what the pages keep from that persona.

The operations come from the schema, so a new endpoint joins the matrix by itself and fails it until classified.
Each request runs inside a savepoint that is rolled back, so a write leaves the world as it was."""

import pytest
import time_machine
from django.db import transaction
from django.test import override_settings
from drf_spectacular.generators import SchemaGenerator

from tests.api import matrix_applications, matrix_checkins, matrix_cohorts, matrix_mentoring, matrix_workspaces
from tests.api.clients import EVERY_SCOPE, api_client, token_for
from tests.security.matrix_world import NOW, PERSONAS, World
from tests.security.test_permission_matrix import SECRETS

EXPECTED = {
    **matrix_applications.EXPECTED,
    **matrix_cohorts.EXPECTED,
    **matrix_mentoring.EXPECTED,
    **matrix_workspaces.EXPECTED,
    **matrix_checkins.EXPECTED,
}


def operations():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            yield operation["operationId"], method.upper(), path


def outcome(response) -> str:
    if response.status_code == 401:
        return "unauthorised"
    if response.status_code in (403, 404):
        return "denied"
    if response.status_code < 300:
        return "ok"
    return str(response.status_code)


def expected(operation_id: str, persona: str) -> str:
    if persona == "anonymous":
        return "unauthorised"
    return "ok" if persona in EXPECTED[operation_id]["ok"] else "denied"


@pytest.mark.django_db
@override_settings(CACHES={"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}})
def test_every_api_operation_as_every_persona():
    with time_machine.travel(NOW, tick=False):
        world = World()
        programs = [world.program, world.other_program]
        clients = {
            persona: api_client(text=None if persona == "anonymous" else token_for(person, programs, EVERY_SCOPE)[1])
            for persona in PERSONAS
            for person in [world.person(persona)]
        }
        found = sorted(operations())
        unclassified = sorted(name for name, _, _ in found if name not in EXPECTED)
        assert not unclassified, f"API operations missing from tests/api/matrix_<area>.py: {unclassified}"
        problems = []
        for name, method, path in found:
            row = EXPECTED[name]
            url = path.format(**{key: getattr(world, attribute).pk for key, attribute in row.get("args", {}).items()})
            # A body naming the world's objects is a function of the world (their ids are known only now).
            payload = row["body"](world) if callable(row.get("body")) else row.get("body")
            for persona in PERSONAS:
                with transaction.atomic():
                    response = getattr(clients[persona], method.lower())(url, payload, format="json")
                    transaction.set_rollback(True)
                got, want = outcome(response), expected(name, persona)
                if got != want:
                    problems.append(f"{method} {url} as {persona}: expected {want}, got {got} {response.content[:200]}")
                if got == "ok" and persona in SECRETS:
                    body = response.content.decode()
                    if leaked := [secret for secret in SECRETS[persona] if secret in body]:
                        problems.append(f"{method} {url} as {persona} shows {leaked}")
    assert not problems, "\n".join(problems)
