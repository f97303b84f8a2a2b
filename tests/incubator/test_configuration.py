"""Bad settings give one clear line naming the setting; a second `make run` refuses politely."""

import fcntl
import os
import shutil
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from incubator import embedded

BASE_DIR = settings.BASE_DIR


def _current_database_url() -> str:
    params = connection.settings_dict
    host = params["HOST"] or params["OPTIONS"].get("host", "")
    port = f":{params['PORT']}" if params["PORT"] else ""
    if host.startswith("/"):
        return f"postgresql://{params['USER']}:{params['PASSWORD']}@/{params['NAME']}?host={host}"
    return f"postgresql://{params['USER']}:{params['PASSWORD']}@{host}{port}/{params['NAME']}"


def _manage(*args, env_overrides: dict, tmp_path) -> subprocess.CompletedProcess:
    env = {**os.environ, "INCUBATOR_DATA_DIR": str(tmp_path), "DEBUG": "1", **env_overrides}
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=120
    )


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("DATABASE_URL", "mysql://user@localhost/portal"),
        ("REDIS_URL", "http://localhost:6379"),
        ("DEBUG", "maybe"),
        ("TIME_ZONE", "Mars/Olympus"),
        ("EMAIL_PORT", "twenty-five"),
    ],
)
def test_malformed_setting_gives_one_line_naming_it(tmp_path, name, value):
    # Both URLs set, so that no embedded server is started for a process that is meant to fail.
    urls = {"DATABASE_URL": "postgres://x@localhost/x", "REDIS_URL": "redis://127.0.0.1:1/0"}
    result = _manage("check", env_overrides={**urls, name: value}, tmp_path=tmp_path)
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0
    assert f"Configuration error in {name}" in result.stderr


def test_production_needs_a_secret_key(tmp_path):
    urls = {"DATABASE_URL": "postgres://x@localhost/x", "REDIS_URL": "redis://127.0.0.1:1/0"}
    result = _manage("check", env_overrides={**urls, "DEBUG": "0", "SECRET_KEY": ""}, tmp_path=tmp_path)
    assert result.returncode == 2
    assert "Configuration error in SECRET_KEY" in result.stderr


def test_unreachable_redis_is_named_by_make_run(db, tmp_path):
    result = _manage(
        "rundev",
        env_overrides={"DATABASE_URL": _current_database_url(), "REDIS_URL": "redis://127.0.0.1:1/0"},
        tmp_path=tmp_path,
    )
    assert result.returncode == 1
    assert "REDIS_URL: cannot connect to Redis" in result.stderr
    assert "DATABASE_URL" not in result.stderr
    assert "Traceback" not in result.stderr


def test_unreachable_database_is_named_by_make_run(tmp_path):
    result = _manage(
        "rundev",
        env_overrides={"DATABASE_URL": "postgres://nobody@127.0.0.1:1/none", "REDIS_URL": settings.REDIS_URL},
        tmp_path=tmp_path,
    )
    assert result.returncode == 1
    assert "DATABASE_URL: cannot connect to PostgreSQL" in result.stderr
    assert "Traceback" not in result.stderr


def test_second_make_run_says_one_is_running(tmp_path):
    with open(tmp_path / "run.lock", "a+") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        held.write("4242")
        held.flush()
        result = _manage(
            "rundev", env_overrides={"DATABASE_URL": _current_database_url(), "REDIS_URL": settings.REDIS_URL},
            tmp_path=tmp_path,
        )  # fmt: skip
    assert result.returncode == 1
    assert "already running from this folder (pid 4242)" in result.stderr


def test_embedded_services_start_once_when_asked_concurrently():
    # Not under pytest's tmp_path: another pytest run resets /tmp/pytest-of-<user> to 0700, which locks
    # out the unprivileged user that pgserver runs PostgreSQL as when we are root.
    data_dir = Path(tempfile.mkdtemp(prefix="embedded-test-", dir=settings.DATA_DIR))
    try:
        with ThreadPoolExecutor(max_workers=2) as pool:
            redis_urls = list(pool.map(lambda _: embedded.redis_url(data_dir), range(2)))
            postgres_urls = list(pool.map(lambda _: embedded.postgres_url(data_dir), range(2)))
        assert len(set(redis_urls)) == 1
        assert len(set(postgres_urls)) == 1
        assert str(data_dir) in redis_urls[0]
        assert (data_dir / "postgres" / "PG_VERSION").exists()

        # A process killed mid-write leaves pgserver's pid list half-written; the next start copes.
        (data_dir / "postgres" / ".handle_pids.json").write_text("[12, 3")
        assert embedded.postgres_url(data_dir) == postgres_urls[0]
    finally:
        assert sorted(embedded.stop_all(data_dir)) == ["postgres", "redis"]
        shutil.rmtree(data_dir, ignore_errors=True)


def test_tests_and_make_run_can_share_a_clone(db):
    """`make test` beside `make run`: sockets instead of ports, and never the development database or broker."""
    from django.db import connection

    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
    assert connection.settings_dict["NAME"].startswith("test_incubator_")
    assert connection.settings_dict["NAME"].endswith(f"_{os.environ.get('PYTEST_XDIST_WORKER', 'master')}")
    if not os.environ.get("DATABASE_URL"):
        socket_dir = connection.settings_dict["OPTIONS"]["host"]
        assert socket_dir.startswith(str(settings.DATA_DIR)), "a unix socket dir, no port"
        assert not connection.settings_dict.get("PORT")
    if not os.environ.get("REDIS_URL"):
        assert settings.REDIS_URL.startswith(f"unix://{settings.DATA_DIR}")
    db = str(1 + int(worker.removeprefix("gw")))  # 0 is `make run`'s; each test worker has its own after it
    assert settings.REDIS_URL.endswith(f"db={db}") or settings.REDIS_URL.endswith(f"/{db}")
    assert f"virtual_host={db}" in settings.CELERY_BROKER_URL or settings.CELERY_BROKER_URL.endswith(f"/{db}")
