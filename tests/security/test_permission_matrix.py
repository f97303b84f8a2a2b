"""Every URL of the project, GET and POST, as every persona: the outcome must be the one the table expects.

The URLs come from the resolver, so a new page joins the matrix by itself and fails it until it is classified
in `permission_table.EXPECTED`. The world is built once; each request runs inside a savepoint that is rolled
back, so a POST that changes state for an allowed persona leaves the world as it was for the next request."""

import os
import pprint

import pytest
import time_machine
from django.conf import settings
from django.db import transaction
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.security.matrix_world import NOW, PERSONAS, World
from tests.security.permission_table import EXPECTED, expected

LOGIN_PATHS = ("/accounts/login/", "/admin/login/")
# What a persona must never read on a page it may open: another program's people for a manager of another
# program; applicant A for applicant B and people outside the program; the mentor's private notes for everyone but
# the mentor (and the program's managers).
PROGRAM_PEOPLE = ("Amina Applicant", "Bilal Applicant", "Pia Participant", "Pia Pottery", "Seems tired")
SECRETS = {
    "other_manager": PROGRAM_PEOPLE,
    "applicant_b": ("Amina Applicant", "Seems tired"),
    "other_mentor": ("Amina Applicant", "Seems tired"),
    "other_participant": ("Amina Applicant", "Seems tired"),
    "participant": ("Amina Applicant", "Seems tired"),
}


def url_patterns(patterns=None, namespace=""):
    """(name, argument names) of every named pattern, admin ones included, the API's operations excepted."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            inner = ":".join(filter(None, [namespace, pattern.namespace]))
            yield from url_patterns(pattern.url_patterns, inner)
        # The API's operations answer to tokens, not sessions: tests/api/test_api_matrix.py runs them as every persona.
        elif isinstance(pattern, URLPattern) and pattern.name and not hasattr(pattern.callback, "actions"):
            name = f"{namespace}:{pattern.name}" if namespace else pattern.name
            yield name, tuple(sorted(pattern.pattern.regex.groupindex))


def outcome(response) -> str:
    if response.status_code in (403, 404, 405):
        return "denied"
    if response.status_code == 400:
        return "invalid"
    if response.status_code in (301, 302, 303) and any(p in response["Location"] for p in LOGIN_PATHS):
        return "login"
    if response.status_code == 302 and response["Location"] == reverse("admin:index"):
        return "denied"  # the admin's answer for an object outside the person's queryset: "doesn't exist"
    if response.status_code < 400:
        return "ok"
    return str(response.status_code)


def run_matrix():
    world = World()
    clients = {}
    for persona in PERSONAS:
        client = Client(raise_request_exception=False)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        if world.person(persona) is not None:
            client.force_login(world.person(persona))
        clients[persona] = client
    seen, problems = {}, []
    for name, keys in sorted(set(url_patterns())):
        url = reverse(name, kwargs=world.kwargs_for(name, keys))
        for method in ("GET", "POST"):
            for persona in PERSONAS:
                client = clients[persona]
                cookies = client.cookies.output()
                with transaction.atomic():
                    response = getattr(client, method.lower())(url)
                    transaction.set_rollback(True)
                # The rollback restored the session row; a logout or sign-in must not change whose requests follow.
                client.cookies.clear()
                client.cookies.load(cookies.replace("Set-Cookie: ", ""))
                got = outcome(response)
                seen.setdefault(name, {}).setdefault(method, {})[persona] = got
                # The private calendar feed answers to its secret address alone, whoever asks.
                if persona in SECRETS and got == "ok" and not response.streaming and name != "calendar_feed":
                    page = response.content.decode(errors="replace")
                    if leaked := [secret for secret in SECRETS[persona] if secret in page]:
                        problems.append(f"{method} {url} as {persona} shows {leaked}")
                if got not in ("ok", "login", "denied", "invalid"):
                    problems.append(f"{method} {url} as {persona}: {response.status_code}")
    return seen, problems


@pytest.mark.django_db
# Hundreds of sign-ins from one address, and rate-limit counters kept in Redis from earlier runs: the limits have
# their own tests, the matrix asks only who may reach what.
@override_settings(
    ACCOUNT_RATE_LIMITS=False, CACHES={"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
)
def test_every_url_as_every_persona():
    with time_machine.travel(NOW, tick=False):
        seen, problems = run_matrix()
    if os.environ.get("MATRIX_RECORD"):
        with open(os.environ["MATRIX_RECORD"], "w") as out:
            out.write(pprint.pformat(seen, width=120))
    unclassified = sorted(set(seen) - set(EXPECTED))
    assert not unclassified, f"URLs missing from tests/security/permission_table.py: {unclassified}"
    for name, methods in seen.items():
        for method, personas in methods.items():
            for persona, got in personas.items():
                want = expected(name, method, persona)
                if got != want:
                    problems.append(f"{method} {name} as {persona}: expected {want}, got {got}")
    assert not problems, "\n".join(problems)
