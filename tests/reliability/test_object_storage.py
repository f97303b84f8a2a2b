"""With a bucket named in the environment, uploads go to S3-compatible object storage through django-storages."""

import json
import os
import subprocess
import sys

from django.conf import settings

PROBE = """
import json, django
django.setup()
from django.conf import settings
from django.core.files.storage import default_storage, storages
storage = storages["default"]
print(json.dumps({
    "backend": settings.STORAGES["default"]["BACKEND"],
    "class": f"{type(storage).__module__}.{type(storage).__qualname__}",
    "default": type(default_storage._setup() or default_storage._wrapped).__name__,
    "bucket": getattr(storage, "bucket_name", None),
    "endpoint": getattr(storage, "endpoint_url", None),
    "acl": getattr(storage, "default_acl", None),
    "querystring_auth": getattr(storage, "querystring_auth", None),
    "file_overwrite": getattr(storage, "file_overwrite", None),
}))
"""


def settings_with(extra: dict) -> dict:
    # URLs that are parsed, never connected to: nothing here reaches a network or starts a server.
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("AWS_")},
        "DJANGO_SETTINGS_MODULE": "incubator.settings",
        "DEBUG": "0",
        "SECRET_KEY": "x" * 60,
        "ALLOWED_HOSTS": "portal.example.org",
        "DATABASE_URL": "postgres://portal@db.invalid/portal",
        "REDIS_URL": "redis://redis.invalid:6379/0",
        **extra,
    }
    result = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=settings.BASE_DIR, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_a_bucket_in_the_environment_selects_private_s3_storage():
    found = settings_with(
        {
            "AWS_STORAGE_BUCKET_NAME": "portal-uploads",
            "AWS_S3_ENDPOINT_URL": "https://objects.example.org",
            "AWS_ACCESS_KEY_ID": "test-key",
            "AWS_SECRET_ACCESS_KEY": "test-secret",
        }
    )
    assert found == {
        "backend": "storages.backends.s3.S3Storage",
        "class": "storages.backends.s3.S3Storage",
        "default": "S3Storage",
        "bucket": "portal-uploads",
        "endpoint": "https://objects.example.org",
        "acl": "private",
        "querystring_auth": True,
        "file_overwrite": False,
    }


def test_without_a_bucket_uploads_stay_on_the_file_system():
    found = settings_with({})
    assert found["class"] == "django.core.files.storage.filesystem.FileSystemStorage"
    assert found["bucket"] is None
