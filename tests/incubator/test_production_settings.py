"""Production settings pass Django's deployment checklist with warnings treated as failures; DEBUG is off unless
`make run` asks for it."""

import json
import os
import secrets
import subprocess
import sys

from django.conf import settings

PROBE = """
import json, django
django.setup()
from django.conf import settings
print(json.dumps({
    "DEBUG": settings.DEBUG,
    "LOCAL": settings.LOCAL,
    "secret": bool(settings.SECRET_KEY),
    "email": settings.EMAIL_BACKEND,
    "ssl_redirect": getattr(settings, "SECURE_SSL_REDIRECT", False),
    "hosts": settings.ALLOWED_HOSTS,
}))
"""


def _settings_in(env: dict) -> dict:
    result = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=settings.BASE_DIR,
        env={"PATH": os.environ["PATH"], "DJANGO_SETTINGS_MODULE": "incubator.settings", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_settings_pass_check_deploy():
    # The browser tests' conftest sets DJANGO_ALLOW_ASYNC_UNSAFE for this process; production never has it.
    env = {
        **{key: value for key, value in os.environ.items() if key not in {"DJANGO_ALLOW_ASYNC_UNSAFE", "DEBUG"}},
        # Production sets DATABASE_URL, which turns LOCAL off; this run uses the embedded servers, so says so.
        "LOCAL": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "portal.example.org",
        "CSRF_TRUSTED_ORIGINS": "https://portal.example.org",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_debug_is_off_on_a_fresh_machine_with_no_environment():
    """No variables at all (a newcomer's shell): no debug pages, yet the embedded services' defaults still let it
    run (a development key, mail on the console, plain HTTP on localhost)."""
    fresh = _settings_in({"INCUBATOR_DATA_DIR": str(settings.DATA_DIR)})
    assert fresh["DEBUG"] is False
    assert fresh["LOCAL"] is True and fresh["secret"] and not fresh["ssl_redirect"]
    assert fresh["email"].endswith("console.EmailBackend") and "localhost" in fresh["hosts"]


def test_debug_is_off_in_production_and_on_only_when_asked():
    urls = {"DATABASE_URL": "postgres://portal@db.invalid/portal", "REDIS_URL": "redis://redis.invalid:6379/0"}
    production = _settings_in({**urls, "SECRET_KEY": "x" * 60, "ALLOWED_HOSTS": "portal.example.org"})
    assert production["DEBUG"] is False and production["LOCAL"] is False and production["ssl_redirect"]
    asked = _settings_in({**urls, "DEBUG": "1"})
    assert asked["DEBUG"] is True and asked["LOCAL"] is True


def _make_dry_run(*args) -> str:
    env = {key: value for key, value in os.environ.items() if key != "DEBUG"}
    result = subprocess.run(
        ["make", "--no-print-directory", "-n", *args], cwd=settings.BASE_DIR, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_make_does_not_turn_debug_on_for_tests_only_for_run():
    makefile = (settings.BASE_DIR / "Makefile").read_text()
    assert "export DEBUG" not in makefile and "DEBUG ?=" not in makefile
    assert "DEBUG=1 .venv/bin/python manage.py rundev" in _make_dry_run("run")
    assert "DEBUG=0 .venv/bin/python manage.py rundev" in _make_dry_run("run", "DEBUG=0")
    rundev = (settings.BASE_DIR / "incubator/management/commands/rundev.py").read_text()
    assert '"DEBUG": os.environ.get("DEBUG") or "1"' in rundev


NOT_FOUND_PROBE = """
import django
django.setup()
from django.test import Client
response = Client().get("/no-such-page/", HTTP_HOST="localhost")
page = response.content.decode()
print(response.status_code, "URLconf" in page or "healthz/" in page, 'data-testid="error-page"' in page)
"""


def test_a_404_with_the_default_settings_does_not_list_the_urlconf():
    """Outside pytest (which turns DEBUG off by itself), a fresh machine's settings: the portal's own 404 page,
    never Django's technical one that lists every URL pattern."""
    result = subprocess.run(
        [sys.executable, "-c", NOT_FOUND_PROBE],
        cwd=settings.BASE_DIR,
        env={
            "PATH": os.environ["PATH"],
            "DJANGO_SETTINGS_MODULE": "incubator.settings",
            "INCUBATOR_DATA_DIR": str(settings.DATA_DIR),
        },
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[-3:] == ["404", "False", "True"], result.stdout
