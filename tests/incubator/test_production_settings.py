"""Production settings pass Django's deployment checklist with warnings treated as failures."""

import os
import secrets
import subprocess
import sys

from django.conf import settings


def test_production_settings_pass_check_deploy():
    # The browser tests' conftest sets DJANGO_ALLOW_ASYNC_UNSAFE for this process; production never has it.
    env = {
        **{key: value for key, value in os.environ.items() if key != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DEBUG": "0",
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
