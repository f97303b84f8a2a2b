"""Test databases cloned from PostgreSQL templates (`CREATE DATABASE … TEMPLATE`) instead of rebuilt.

- The migrated schema is built once per version of the code: its name carries a hash of every source file and
  migration that shapes it, so it is kept in the server between runs and rebuilt after any change. Each
  pytest-xdist worker's database is a clone of it (about half a second, against half a minute of migrations).
- The seeded demo is built once per run, not kept: its dates are relative to the day it was seeded. A test that
  starts from it (`seeded_demo`) gets a clone of it instead of seeding again (about 15 seconds each).

Cloning needs the template to have no other connection, so clones are serialised by a file lock shared by the
workers (and by other runs in the same checkout). A template is filled outside that lock, under a lock of its own:
while one worker seeds a demo, the other goes on cloning its database for the tests that need none.
"""

import datetime
import fcntl
import hashlib
import os
import re
import subprocess
import uuid
from contextlib import contextmanager, suppress
from pathlib import Path

import psycopg2
from django.conf import settings
from django.db import connections

ROOT = Path(__file__).resolve().parent.parent
# What decides the migrated schema and the rows `post_migrate` writes (content types, permissions, groups).
SCHEMA_SOURCES = ["incubator", "cohorts", "applications", "mentoring", "workspaces", "demo"]
MIGRATED_PREFIX = "tmpl_migrated_"
DEMO_PREFIX = "tmpl_demo_"
# A run's own databases: `test_<name>_<run id>_<worker>` and `tmpl_demo_<run id>…`, the run id being `<pid>x<random>`.
RUN_NAME = re.compile(r"^(?:test_|tmpl_demo_).*?(\d+)x[0-9a-f]+")


def code_hash() -> str:
    digest = hashlib.sha1()
    for package in SCHEMA_SOURCES:
        for path in sorted((ROOT / package).rglob("*.py")):
            digest.update(str(path.relative_to(ROOT)).encode())
            digest.update(path.read_bytes())
    for path in sorted(ROOT.glob("requirements*.txt")):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


@contextmanager
def _locked(name: str = "test-databases"):
    path = ROOT / ".data" / f"{name}.lock"
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _server(statement: str, params=None) -> list[tuple]:
    """One statement on the maintenance database: CREATE and DROP DATABASE cannot run inside a transaction."""
    server = connections["default"].get_connection_params()
    server.pop("cursor_factory", None)
    connection = psycopg2.connect(**{**server, "dbname": "postgres"})
    connection.autocommit = True
    try:
        with connection.cursor() as cursor:
            cursor.execute(statement, params)
            return cursor.fetchall() if cursor.description else []
    finally:
        connection.close()


def _exists(name: str) -> bool:
    return bool(_server("SELECT 1 FROM pg_database WHERE datname = %s", [name]))


def _drop_others(prefix: str, keep: str) -> None:
    """Drop the databases named `prefix…`, except those named `keep…`."""
    for (name,) in _server("SELECT datname FROM pg_database WHERE datname LIKE %s", [prefix + "%"]):
        if not (keep and name.startswith(keep)):
            _server(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _drop_abandoned() -> None:
    """Drop the worker databases and demo templates of runs whose process is gone (killed before their end): their
    names carry the run's id, `<pid>x<random>`, and another run still going keeps its own."""
    for (name,) in _server("SELECT datname FROM pg_database WHERE datname ~ %s", [RUN_NAME.pattern]):
        if not _alive(int(RUN_NAME.search(name).group(1))):
            _server(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _point_at(name: str) -> None:
    connections.close_all()
    settings.DATABASES["default"]["NAME"] = name
    connections["default"].settings_dict["NAME"] = name


def _clone(template: str, name: str) -> None:
    connections.close_all()
    _server(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    _server(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')


def _build_once(name: str, *, template: str, fill) -> None:
    """Unless it exists, fill a scratch copy of `template` and rename it `name`: a run killed half-way leaves no
    template that looks finished. Whoever asks for it meanwhile waits on its own lock, not on the shared one."""
    with _locked(f"build-{name}"):
        if _exists(name):
            return
        scratch = f"{name}_building"
        home = settings.DATABASES["default"]["NAME"]
        with _locked():
            _clone(template, scratch)
        _point_at(scratch)
        try:
            fill()
        finally:
            _point_at(home)
        with _locked():
            _server(f'ALTER DATABASE "{scratch}" RENAME TO "{name}"')


def _migrate() -> None:
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False, skip_checks=True)  # the lint step ran them


def _seed_demo() -> None:
    import io

    from django.core.management import call_command

    call_command("seed_demo", stdout=io.StringIO())


def migrated_template() -> str:
    """Never called under the shared lock: building takes it."""
    name = MIGRATED_PREFIX + code_hash()
    if not _exists(name):
        with _locked():
            _drop_others(MIGRATED_PREFIX, keep=name)
        _build_once(name, template="template0", fill=_migrate)
    return name


def migrated_dump() -> Path | None:
    """The migrated template as a pg_dump archive, for a server of another process (tests/reliability/stack.py): made
    once per version of the code. None when this pg_dump cannot read the suite's server (a newer PostgreSQL)."""
    from pgserver._commands import POSTGRES_BIN_PATH

    template = migrated_template()
    with _locked():
        path = ROOT / ".data" / f"{template}.dump"
        if not path.exists():
            for old in path.parent.glob(f"{MIGRATED_PREFIX}*.dump"):
                old.unlink()
            params = connections["default"].get_connection_params()
            env = {
                **os.environ,
                "PGHOST": str(params.get("host") or ""),
                "PGPORT": str(params.get("port") or ""),
                "PGUSER": str(params.get("user") or ""),
                "PGPASSWORD": str(params.get("password") or ""),
            }
            scratch = path.with_suffix(".partial")
            command = [str(POSTGRES_BIN_PATH / "pg_dump"), "--format=custom", f"--file={scratch}", template]
            if subprocess.run(command, env=env, capture_output=True).returncode != 0:
                return None
            scratch.rename(path)
    return path


@contextmanager
def scratch_database(*, empty: bool = False):
    """A throwaway database for one migration test, dropped afterwards: nothing has to be migrated forward again for
    the tests that run next on the worker. A clone of the migrated schema to migrate backwards, or `empty` to migrate
    forward from nothing to an early state (cheaper than unapplying every later migration)."""
    home = settings.DATABASES["default"]["NAME"]
    name = f"{home}_scratch"
    template = "template0" if empty else migrated_template()
    with _locked():
        _clone(template, name)
    _point_at(name)
    try:
        yield
    finally:
        _point_at(home)
        _server(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def run_id_new() -> str:
    """Names this run's databases, so that two runs in one checkout (two terminals) never share one."""
    return f"{os.getpid()}x{uuid.uuid4().hex[:6]}"


def worker_database_create(run_id: str, worker_id: str) -> str:
    """Point Django at this worker's own clone of the migrated schema."""
    name = f"test_{settings.DATABASES['default']['NAME']}_{run_id}_{worker_id}"
    with _locked():
        _drop_abandoned()
    template = migrated_template()
    with _locked():
        _clone(template, name)
    _point_at(name)
    return name


def worker_database_reset() -> None:
    """The worker's database as the migrated template is, after a test that committed its rows: a clone takes a
    tenth of a second, where Django's flush truncates every table and re-runs post_migrate in half a second."""
    from django.contrib.contenttypes.models import ContentType

    template = migrated_template()
    with _locked():
        _clone(template, settings.DATABASES["default"]["NAME"])
    ContentType.objects.clear_cache()


def worker_database_drop(name: str) -> None:
    connections.close_all()
    _server(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def demo_load(run_id: str, *, at: datetime.datetime | None = None) -> None:
    """Replace the worker's database by a clone of this run's seeded demo (seeding it first if no worker has); a
    calendar scenario's demo is seeded at its own instant, `at`."""
    from django.contrib.contenttypes.models import ContentType

    name = DEMO_PREFIX + run_id + (f"_{int(at.timestamp())}" if at else "")
    worker = settings.DATABASES["default"]["NAME"]
    _build_once(name, template=migrated_template(), fill=_seed_demo)
    with _locked():
        _clone(name, worker)
    # Content type ids cached in this process may come from a database the test's flush rebuilt.
    ContentType.objects.clear_cache()


def demo_drop(run_id: str) -> None:
    """At the end of the run; a run killed before it leaves templates the next run drops (`_drop_abandoned`)."""
    with _locked(), suppress(psycopg2.Error):
        _drop_others(DEMO_PREFIX + run_id, keep="")
