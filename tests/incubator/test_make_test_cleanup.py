"""`make test` stops the embedded servers it started and leaves running those that were already up."""

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from django.conf import settings

from incubator import embedded


def _environment(data_dir: Path) -> dict:
    outer_run = {"DATABASE_URL", "REDIS_URL", "TEST_RUN_ID", "PYTEST_XDIST_WORKER"}
    env = {key: value for key, value in os.environ.items() if key not in outer_run}
    env["INCUBATOR_DATA_DIR"] = str(data_dir)
    return env


def test_make_test_stops_what_it_started_and_keeps_what_was_running():
    data_dir = Path(tempfile.mkdtemp(prefix="make-test-", dir=settings.DATA_DIR))
    try:
        embedded.redis_url(data_dir)  # as if `make run` were serving beside the tests
        result = subprocess.run(
            [
                "make",
                "--no-print-directory",
                "test",
                "TEST_WORKERS=0",
                "LINT=",
                "PYTEST_ARGS=tests/incubator/test_bounds.py -q -p no:randomly",
            ],
            cwd=settings.BASE_DIR,
            env=_environment(data_dir),
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
        assert "stopped the embedded postgres this run started" in result.stdout
        assert embedded.running(data_dir) == ["redis"]
    finally:
        embedded.stop_all(data_dir)
        shutil.rmtree(data_dir, ignore_errors=True)


def test_stop_except_keeps_the_named_servers():
    data_dir = Path(tempfile.mkdtemp(prefix="stop-except-", dir=settings.DATA_DIR))
    try:
        embedded.redis_url(data_dir)
        embedded.postgres_url(data_dir)
        assert sorted(embedded.running(data_dir)) == ["postgres", "redis"]
        assert embedded.stop_all(data_dir, keep=frozenset({"postgres"})) == ["redis"]
        assert embedded.running(data_dir) == ["postgres"]
    finally:
        embedded.stop_all(data_dir)
        shutil.rmtree(data_dir, ignore_errors=True)
