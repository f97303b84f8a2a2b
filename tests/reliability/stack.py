"""An isolated production-shaped stack for the fault and scale-out tests.

Its own embedded PostgreSQL and Redis in a temporary data dir (never the suite's test database), holding the suite's
migrated schema (restored from its dump, tests/databases.py) or, without one, migrated by `manage.py migrate`; N
gunicorn servers with DEBUG off and the production settings; N Celery workers and optionally one beat; one shared
MEDIA_ROOT; and an SMTP sink that records every message with its Message-ID. `with Stack(...) as stack:` tears
everything down (processes, servers, temporary files) even on failure.

State is built by `stack.world(...)`: tests/reliability/world.py run as a subprocess against the stack's
database, calling the portal's services as the other tests do."""

import contextlib
import fcntl
import hashlib
import http.client
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

from incubator import embedded
from tests.reliability.smtp import SmtpSink

BASE_DIR = Path(__file__).resolve().parent.parent.parent
BIN = Path(sys.executable).parent
# Generous: the machine running the suite may be loaded by other work.
READY_TIMEOUT = 180
POSTGRES_CONNECTIONS = 300


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(predicate, what: str, timeout: float = READY_TIMEOUT, interval: float = 0.2):
    """Poll until `predicate()` is truthy; fail naming `what` after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(interval)


class Response:
    def __init__(self, status: int, headers: list[tuple[str, str]], body: bytes):
        self.status, self.headers, self.body = status, headers, body

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")

    def header(self, name: str) -> str | None:
        return next((v for k, v in self.headers if k.lower() == name.lower()), None)

    def cookies(self) -> dict[str, str]:
        found = {}
        for key, value in self.headers:
            if key.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                found[name.strip()] = rest.split(";", 1)[0]
        return found


class Web:
    """One gunicorn server (DEBUG off, gthread workers), on its own free loopback port."""

    def __init__(self, name: str, env: dict, log_dir: Path, workers: int, threads: int):
        self.name = name
        self.requests = 0
        self._count_lock = threading.Lock()
        self.port = free_port()
        self.log_path = log_dir / f"{name}.log"
        self.process = _spawn(
            [
                str(BIN / "gunicorn"),
                "incubator.wsgi",
                "--bind", f"127.0.0.1:{self.port}",
                "--workers", str(workers),
                "--worker-class", "gthread",
                "--threads", str(threads),
                "--timeout", "120",
            ],
            env,
            self.log_path,
        )  # fmt: skip

    def request(self, method: str, path: str, *, session: str = "", body: bytes | None = None, headers=None):
        csrf = "abcdefghijklmnopqrstuvwxyz012345"
        all_headers = {"Cookie": f"csrftoken={csrf}; django_language=en", "X-CSRFToken": csrf, **(headers or {})}
        if session:
            all_headers["Cookie"] += f"; sessionid={session}"
        with self._count_lock:
            self.requests += 1
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        try:
            connection.request(method, path, body=body, headers=all_headers)
            response = connection.getresponse()
            return Response(response.status, response.getheaders(), response.read())
        finally:
            connection.close()

    def get(self, path: str, *, session: str = "") -> Response:
        return self.request("GET", path, session=session)

    def post(self, path: str, data: dict, *, session: str = "") -> Response:
        body = urlencode(data, doseq=True).encode()
        return self.request(
            "POST", path, session=session, body=body, headers={"Content-Type": "application/x-www-form-urlencoded"}
        )

    def answers(self) -> bool:
        try:
            return self.get("/healthz/").status in (200, 503)
        except OSError:
            return False

    def stop(self) -> None:
        _end(self.process)


def multipart(fields: dict[str, tuple[str, bytes, str]]) -> tuple[bytes, str]:
    """A multipart/form-data body of files (name: (filename, content, content type)) and its Content-Type."""
    boundary = secrets.token_hex(16)
    parts = []
    for name, (filename, content, content_type) in fields.items():
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
            f"Content-Type: {content_type}\r\n\r\n".encode()
            + content
            + b"\r\n"
        )
    return b"".join(parts) + f"--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


def _spawn(command: list[str], env: dict, log_path: Path) -> subprocess.Popen:
    """In a session of its own, so that stopping it (or kill -9 in a fault test) reaches its children too."""
    log = open(log_path, "ab")  # noqa: SIM115 - closed by the child's exit; the parent keeps no handle
    try:
        return subprocess.Popen(
            command, cwd=BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
    finally:
        log.close()


def _end(*processes: subprocess.Popen, sig=signal.SIGTERM, timeout: float = 30) -> None:
    """Signal every process group first, then wait: they shut down side by side, not one after the other."""
    running = [process for process in processes if process.poll() is None]
    for process in running:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, sig)
    for process in running:
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=timeout)


class Worker:
    """A Celery worker (prefork); ready when its log says so."""

    def __init__(self, name: str, env: dict, log_dir: Path, concurrency: int):
        self.name = name
        self.log_path = log_dir / f"{name}.log"
        self.process = _spawn(
            [
                str(BIN / "celery"), "-A", "incubator", "worker", "-l", "info",
                "--pool", "prefork", "--concurrency", str(concurrency), "-n", f"{name}@%h",
                "--without-gossip", "--without-mingle",
            ],
            env,
            self.log_path,
        )  # fmt: skip

    def ready(self) -> bool:
        if self.process.poll() is not None:
            raise AssertionError(
                f"worker {self.name} exited; see {self.log_path}:\n{self.log_path.read_text()[-3000:]}"
            )
        return " ready." in self.log_path.read_text(errors="replace")

    def kill(self) -> None:
        """kill -9 the worker and its pool processes at once: no warm shutdown, no acknowledgement."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=60)


class Stack:
    def __init__(self, *, web: int = 1, workers: int = 1, beat: bool = False, smtp_delay: float = 0.0,
                 web_workers: int = 2, web_threads: int = 8, worker_concurrency: int = 2,
                 schema: Path | None = None):  # fmt: skip
        self.schema = schema
        self.web_count, self.worker_count, self.with_beat = web, workers, beat
        self.web_workers, self.web_threads, self.worker_concurrency = web_workers, web_threads, worker_concurrency
        self.smtp_delay = smtp_delay
        self.webs: list[Web] = []
        self.workers: list[Worker] = []
        self.beat: subprocess.Popen | None = None
        self.faults = 0

    def __enter__(self):
        # Short: unix socket paths must stay under about 100 characters.
        self.root = Path(tempfile.mkdtemp(prefix="rel-", dir="/tmp"))
        try:
            self._start()
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self

    def _start(self):
        self.data_dir = self.root / "data"
        self.media = self.root / "media"
        self.logs = self.root / "logs"
        for folder in (self.data_dir, self.media, self.logs):
            folder.mkdir()
        # pgserver runs PostgreSQL as an unprivileged user when we are root: it must reach the data dir.
        os.chmod(self.root, 0o755)
        os.chmod(self.data_dir, 0o777)
        self.database_url = embedded.postgres_url(self.data_dir)
        self._postgres_connections_allow(POSTGRES_CONNECTIONS)
        self.redis_url = embedded.redis_url(self.data_dir)
        self.smtp = SmtpSink(self.smtp_delay)
        self.env = {
            **{k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "DJANGO_SETTINGS"))},
            "DEBUG": "0",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            # Plain http on loopback: production keeps both on (HTTPS at the proxy).
            "SECURE_SSL_REDIRECT": "0",
            "SESSION_COOKIE_SECURE": "0",
            "DATABASE_URL": self.database_url,
            "REDIS_URL": self.redis_url,
            "INCUBATOR_DATA_DIR": str(self.data_dir),
            "MEDIA_ROOT": str(self.media),
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(self.smtp.port),
            "SITE_URL": "http://127.0.0.1",
            "TIME_ZONE": "UTC",
            "LOG_LEVEL": "WARNING",
            "DJANGO_SETTINGS_MODULE": "incubator.settings",
        }
        self._schema_load()
        _collect_static(self.env)
        for n in range(self.web_count):
            self.webs.append(Web(f"web{n + 1}", self.env, self.logs, self.web_workers, self.web_threads))
        for _ in range(self.worker_count):
            self.add_worker()
        if self.with_beat:
            self.beat = _spawn(
                [str(BIN / "celery"), "-A", "incubator", "beat", "-l", "info",
                 "-s", str(self.data_dir / "celerybeat-schedule")],
                self.env,
                self.logs / "beat.log",
            )  # fmt: skip
        for web in self.webs:
            wait_for(lambda web=web: self._alive(web.process, web.log_path) and web.answers(), f"{web.name} to serve")
        for worker in self.workers:
            wait_for(worker.ready, f"{worker.name} to be ready")

    def _postgres_connections_allow(self, count: int) -> None:
        """initdb's 100 connections are fewer than the stack's servers hold at once: each web thread keeps one
        (CONN_MAX_AGE), and the deadline test fills 100 threads while the workers and `world` connect too. The stack's
        data is thrown away with it, so it is never flushed to disk (a restart in a fault test keeps it all the same:
        only a crash of the machine would lose it)."""
        import psycopg2

        connection = psycopg2.connect(self.database_url)
        connection.autocommit = True
        with connection.cursor() as cursor:
            cursor.execute(f"ALTER SYSTEM SET max_connections = {count}")
            for setting in ("fsync", "synchronous_commit", "full_page_writes"):
                cursor.execute(f"ALTER SYSTEM SET {setting} = off")
        connection.close()
        embedded.stop_all(self.data_dir, keep=frozenset({"redis"}))
        self.start_postgres()

    def _schema_load(self) -> None:
        """Restoring the migrated schema takes seconds; `migrate` half a minute."""
        if self.schema is None:
            self.manage("migrate", "--noinput", "-v", "0")
            return
        from pgserver._commands import POSTGRES_BIN_PATH

        result = subprocess.run(
            [str(POSTGRES_BIN_PATH / "pg_restore"), "--no-owner", "--no-privileges", "--exit-on-error",
             "--single-transaction", f"--dbname={self.database_url}", str(self.schema)],
            capture_output=True, text=True,
        )  # fmt: skip
        assert result.returncode == 0, f"pg_restore failed:\n{result.stderr}"

    def _alive(self, process, log_path) -> bool:
        if process.poll() is not None:
            raise AssertionError(f"{log_path.name} exited:\n{log_path.read_text(errors='replace')[-3000:]}")
        return True

    def add_worker(self) -> Worker:
        worker = Worker(f"worker{len(self.workers) + 1}", self.env, self.logs, self.worker_concurrency)
        self.workers.append(worker)
        return worker

    def manage(self, *args: str) -> str:
        result = subprocess.run(
            [sys.executable, "manage.py", *args], cwd=BASE_DIR, env=self.env, capture_output=True, text=True
        )
        assert result.returncode == 0, f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}"
        return result.stdout

    def world(self, command: str, **arguments):
        """Run tests/reliability/world.py's `command` against this stack; returns what it prints (JSON)."""
        result = subprocess.run(
            [sys.executable, "-m", "tests.reliability.world", command, json.dumps(arguments)],
            cwd=BASE_DIR,
            env=self.env,
            capture_output=True,
            text=True,
        )
        assert result.returncode == 0, f"world {command} failed:\n{result.stdout}\n{result.stderr}"
        return json.loads(result.stdout.strip().splitlines()[-1])

    def send_task(self, name: str, count: int = 1) -> None:
        """Publish a task to the stack's broker, as beat would."""
        from celery import Celery

        from incubator.settings import celery_broker_url

        # Not the process's current app: the suite's tests that run after this one on the same worker still send
        # their tasks through the suite's own app and broker.
        app = Celery("reliability-client", broker=celery_broker_url(self.redis_url), set_as_current=False)
        try:
            for _ in range(count):
                app.send_task(name)
        finally:
            app.close()

    # Faults -----------------------------------------------------------------------------------------------

    def stop_redis(self):
        self.faults += 1
        assert embedded.stop_all(self.data_dir, keep=frozenset({"postgres"})) == ["redis"]

    def start_redis(self):
        assert embedded.redis_url(self.data_dir) == self.redis_url

    def stop_postgres(self):
        self.faults += 1
        assert embedded.stop_all(self.data_dir, keep=frozenset({"redis"})) == ["postgres"]

    def start_postgres(self):
        # In a process of its own: pgserver remembers in this one the server it started, and would not start it again.
        result = subprocess.run(
            [sys.executable, "-c", "import sys; from pathlib import Path; from incubator.embedded import postgres_url;"
             " print(postgres_url(Path(sys.argv[1])))", str(self.data_dir)],
            cwd=BASE_DIR, capture_output=True, text=True,
        )  # fmt: skip
        assert result.returncode == 0, result.stderr
        assert result.stdout.strip() == self.database_url

    def summary(self) -> str:
        """The counts the issue's note reports."""
        requests = ", ".join(f"{web.name} {web.requests}" for web in self.webs)
        return (
            f"faults injected: {self.faults}; HTTP requests: {requests}; emails received: {len(self.smtp.received())}"
        )

    def __exit__(self, *exc):
        # Nothing of the stack outlives it: no process needs a warm shutdown, and no data a checkpoint.
        processes = [*(w.process for w in self.webs), *(w.process for w in self.workers), self.beat]
        _end(*(process for process in processes if process is not None), sig=signal.SIGKILL)
        if getattr(self, "smtp", None) is not None:
            self.smtp.close()
        if getattr(self, "data_dir", None) is not None:
            with contextlib.suppress(Exception):
                embedded.stop_all(self.data_dir, postgres_mode="immediate")
        shutil.rmtree(self.root, ignore_errors=True)
        return False

    def logs_tail(self) -> str:
        return "\n".join(f"== {p.name}\n{p.read_text(errors='replace')[-2000:]}" for p in sorted(self.logs.iterdir()))


def _static_sources_hash() -> str:
    digest = hashlib.sha1()
    for path in [*sorted((BASE_DIR / "static").rglob("*")), *sorted(BASE_DIR.glob("requirements*.txt"))]:
        if path.is_file():
            digest.update(str(path.relative_to(BASE_DIR)).encode())
            digest.update(path.read_bytes())
    digest.update((BASE_DIR / "incubator" / "settings.py").read_bytes())
    return digest.hexdigest()


def _collect_static(env: dict) -> None:
    """DEBUG off serves static files through WhiteNoise's manifest, which even the 500 page needs. Collecting and
    compressing takes half a minute: once for the static files' version, whichever worker of the run asks first."""
    stamp = BASE_DIR / "staticfiles" / ".collected"
    (BASE_DIR / ".data").mkdir(exist_ok=True)
    with open(BASE_DIR / ".data" / "collectstatic.lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        version = _static_sources_hash()
        if stamp.exists() and stamp.read_text() == version:
            return
        result = subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
            cwd=BASE_DIR,
            env=env,
            capture_output=True,
            text=True,
        )
        assert result.returncode == 0, result.stderr
        stamp.write_text(version)
