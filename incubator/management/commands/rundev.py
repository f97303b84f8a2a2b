import fcntl
import os
import signal
import subprocess
import sys
import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from incubator.embedded import stop_all
from incubator.services_check import services_problems


def _interrupt(signum, frame):
    raise KeyboardInterrupt


class Command(BaseCommand):
    help = "Migrate, load demo data, then serve web + Celery worker + beat together; Ctrl-C stops them all."

    def add_arguments(self, parser):
        parser.add_argument("--addr", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument("--port", default=os.environ.get("PORT", "8000"))

    def handle(self, *args, addr, port, **options):
        lock = self._take_run_lock()
        problems = services_problems()
        if problems:
            raise CommandError("; ".join(problems))
        call_command("migrate", interactive=False, verbosity=0)
        call_command("seed_demo")
        python = sys.executable
        commands = [
            # --insecure: the static files are served with DEBUG off too (`make run DEBUG=0` shows the portal's own
            # error pages, styled); the development server only, never production's gunicorn.
            [python, "manage.py", "runserver", "--insecure", f"{addr}:{port}"],
            [python, "-m", "celery", "-A", "incubator", "worker", "-l", "info", "-c", "2"],
            [
                python,
                "-m",
                "celery",
                "-A",
                "incubator",
                "beat",
                "-l",
                "info",
                "-s",
                settings.CELERY_BEAT_SCHEDULE_FILENAME,
            ],
        ]
        # Each child leads its own process group, so stopping it also stops what it forked
        # (runserver's autoreloader runs the server in a grandchild).
        # The development server shows Django's debug pages unless DEBUG=0 was asked for: the settings default DEBUG
        # to off everywhere else (tests, production, a bare `manage.py runserver`).
        web_env = {**os.environ, "DEBUG": os.environ.get("DEBUG") or "1"}
        children = [
            subprocess.Popen(command, start_new_session=True, env=web_env if index == 0 else None)
            for index, command in enumerate(commands)
        ]
        self.stdout.write(
            self.style.SUCCESS(f"Serving http://{addr}:{port}/ with a Celery worker and beat. Ctrl-C stops all.")
        )
        # Set both explicitly: a shell that starts us in the background leaves SIGINT ignored.
        signal.signal(signal.SIGINT, _interrupt)
        signal.signal(signal.SIGTERM, _interrupt)
        try:
            while all(child.poll() is None for child in children):
                time.sleep(0.5)
            self.stderr.write("A process stopped on its own; stopping the others.")
        except KeyboardInterrupt:
            pass
        finally:
            self._stop(children)
            lock.close()

    def _take_run_lock(self):
        settings.DATA_DIR.mkdir(parents=True, exist_ok=True)
        lock = open(settings.DATA_DIR / "run.lock", "a+")  # noqa: SIM115 - held open while serving
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            lock.seek(0)
            raise CommandError(
                f"make run is already running from this folder (pid {lock.read().strip() or '?'}); "
                "stop it with Ctrl-C in its terminal, or use that one."
            ) from None
        lock.truncate(0)
        lock.write(str(os.getpid()))
        lock.flush()
        return lock

    def _stop(self, children):
        # Shutting down already: a second Ctrl-C or TERM must not cut it short and leave orphans behind.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        for child in children:
            if child.poll() is None:
                os.killpg(child.pid, signal.SIGTERM)
        deadline = time.monotonic() + 15
        for child in children:
            try:
                child.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                os.killpg(child.pid, signal.SIGKILL)
        if not os.environ.get("DATABASE_URL") or not os.environ.get("REDIS_URL"):
            stopped = stop_all(settings.DATA_DIR)
            self.stdout.write(f"Stopped web, worker, beat and the embedded {' and '.join(stopped) or 'services'}.")
