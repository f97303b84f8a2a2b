"""With a bucket named in the environment, uploads go to S3-compatible object storage through django-storages.

The settings are probed in a subprocess; then the whole path runs against a local S3 server (moto's, started on a
free port): a file uploaded through one web process lands in the bucket, private, and is read back through another
web process only by the permission-checking view."""

import contextlib
import http.client
import json
import os
import secrets
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import boto3
import pytest
from django.conf import settings
from django.db import connection
from django.test import Client

from applications.models import ApplicationFile, Question
from incubator import embedded
from tests.applications.factories import PDF_BYTES, make_call
from tests.factories import UserFactory
from tests.reliability.stack import Web, free_port, multipart, wait_for

BUCKET = "portal-uploads"
REGION = "us-east-1"
CREDENTIALS = {"AWS_ACCESS_KEY_ID": "portal-test", "AWS_SECRET_ACCESS_KEY": "portal-test-secret"}

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


def status_of(url: str) -> int | None:
    """The status of a plain GET, with no credentials of any kind; None while nothing listens."""
    parts = urlsplit(url)
    http_connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    try:
        http_connection.request("GET", parts.path)
        return http_connection.getresponse().status
    except OSError:
        return None
    finally:
        http_connection.close()


class S3Server:
    """moto's S3 server on a free loopback port. Not waited for here: the web processes start meanwhile."""

    def __init__(self, log_path: Path):
        port = free_port()
        self.endpoint = f"http://127.0.0.1:{port}"
        self.log_path = log_path
        with open(log_path, "wb") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
                stdout=log,
                stderr=subprocess.STDOUT,
            )

    def create_bucket(self) -> None:
        """The portal's bucket, created without an ACL: private, as a new bucket is on S3."""
        wait_for(
            lambda: self.process.poll() is None and status_of(self.endpoint) == 200,
            f"the S3 server to answer (log in {self.log_path})",
            timeout=60,
        )
        s3_client(self.endpoint).create_bucket(Bucket=BUCKET)

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)


@pytest.fixture
def s3_server(tmp_path):
    server = S3Server(tmp_path / "s3.log")
    yield server
    server.stop()


def s3_client(endpoint: str):
    return boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name=REGION,
        aws_access_key_id=CREDENTIALS["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
    )


def suite_database_url() -> str:
    """The suite's test database (migrated already, and committed to by a transactional test), for other processes."""
    configured = os.environ.get("DATABASE_URL") or embedded.postgres_url(settings.DATA_DIR)
    return urlunsplit(urlsplit(configured)._replace(path=f"/{connection.settings_dict['NAME']}"))


def web_environment(endpoint: str, media_root: Path) -> dict:
    return {
        **{k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "DJANGO_SETTINGS", "AWS_"))},
        "DJANGO_SETTINGS_MODULE": "incubator.settings",
        "DEBUG": "0",
        # Static files unhashed, as in development: production's hashed names need a collectstatic (half a minute)
        # and nothing here depends on them; the storage settings are the same either way.
        "LOCAL": "1",
        # The sessions this test signs in with are signed with its key.
        "SECRET_KEY": settings.SECRET_KEY,
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": suite_database_url(),
        "REDIS_URL": settings.REDIS_URL,
        "MEDIA_ROOT": str(media_root),
        "AWS_STORAGE_BUCKET_NAME": BUCKET,
        "AWS_S3_ENDPOINT_URL": endpoint,
        "AWS_S3_REGION_NAME": REGION,
        **CREDENTIALS,
        "LOG_LEVEL": "WARNING",
    }


def session_of(user) -> str:
    client = Client()
    client.force_login(user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


@contextlib.contextmanager
def two_web_processes(environment: dict, log_dir: Path):
    webs = [Web(name, environment, log_dir, workers=1, threads=4) for name in ("web1", "web2")]
    try:
        for web in webs:
            wait_for(web.answers, f"{web.name} to serve (log in {web.log_path})", timeout=120)
        yield webs
    finally:
        for web in webs:
            web.stop()


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_an_upload_through_one_web_process_is_private_in_the_bucket_and_served_by_another(
    s3_server, tmp_path, outsider
):
    call = make_call(slug="s3")
    applicant = UserFactory()
    field = f"q_{call.questions.get(kind=Question.Kind.FILE).pk}"
    media_root = tmp_path / "media"
    media_root.mkdir()
    content = PDF_BYTES + b"%" + secrets.token_hex(1000).encode() + b"\n"
    body, content_type = multipart({field: ("deck.pdf", content, "application/pdf")})

    with two_web_processes(web_environment(s3_server.endpoint, media_root), tmp_path) as (upload_web, download_web):
        s3_server.create_bucket()
        # The form's autosave (htmx) with the file chosen.
        saved = upload_web.request(
            "POST",
            f"/calls/{call.slug}/apply/",
            session=session_of(applicant),
            body=body,
            headers={"Content-Type": content_type, "HX-Request": "true"},
        )
        assert saved.status == 200, saved.text[:1000]
        assert 'data-testid="saved"' in saved.text
        stored = ApplicationFile.objects.get(application__applicant=applicant)

        # In the bucket, owner-only, refused to anyone without credentials; nothing on the web machine's disk.
        s3 = s3_client(s3_server.endpoint)
        assert s3.get_object(Bucket=BUCKET, Key=stored.file.name)["Body"].read() == content
        grants = s3.get_object_acl(Bucket=BUCKET, Key=stored.file.name)["Grants"]
        assert [(grant["Grantee"]["Type"], grant["Permission"]) for grant in grants] == [
            ("CanonicalUser", "FULL_CONTROL")
        ]
        assert status_of(f"{s3_server.endpoint}/{BUCKET}/{stored.file.name}") == 403
        assert list(media_root.iterdir()) == []

        # Read back through the other process, only by the view that checks who asks.
        path = f"/applications/{stored.application_id}/files/{stored.pk}/"
        download = download_web.get(path, session=session_of(applicant))
        assert download.status == 200
        assert download.body == content
        assert download.header("Content-Disposition").startswith("attachment")
        assert download_web.get(path, session=session_of(outsider)).status == 404
        anonymous = download_web.get(path)
        assert anonymous.status == 302
        assert anonymous.header("Location").startswith("/accounts/login/")
