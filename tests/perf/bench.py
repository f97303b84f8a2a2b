"""`make bench`: every key page under concurrent load, against the trivial page's ceiling, on a country-sized program.

1. `seed_scale` fills (or reuses) the `bench` database on the same PostgreSQL server: never the demo data.
2. collectstatic, then gunicorn serves that database as in production (DEBUG off, README.md's production line:
   3 workers of 8 threads each, 127.0.0.1 only,
   a SECRET_KEY made for this run, static files from WhiteNoise) with settings.BENCH on: each response counts
   its SQL queries in an X-Queries header, and /bench/ceiling/ answers a constant.
3. Per page of tests/perf/pages.py, as the role that uses it: warm-up, the first load's transferred bytes and
   requests (page plus its static files, compressed as a browser asks), then locust headless with a fixed
   number of users sending requests back to back, bounded in requests and time.
4. The deadline-day test: 200 applicants autosaving every few seconds, each submitting once in the last minute;
   then the database is checked: every submission recorded, every last autosave kept.
5. The table is printed and written into docs/performance.md (between its `make bench` markers; bench_report.py).

Run: `make bench` (or `.venv/bin/python -m tests.perf.bench --help`). Only loopback addresses are contacted."""

import argparse
import gzip
import http.client
import json
import os
import re
import secrets
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import brotli

from tests.perf.bench_report import DOC, machine, report, write_doc

BASE_DIR = Path(__file__).resolve().parent.parent.parent
PYTHON = sys.executable
BIN = Path(PYTHON).parent


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-name", default="bench")
    parser.add_argument("--users", type=int, default=4, help="simulated people at once, per page")
    parser.add_argument("--duration", type=int, default=12, help="seconds of load per page")
    parser.add_argument("--max-requests", type=int, default=2500, help="requests per page at most")
    parser.add_argument("--deadline-users", type=int, default=200)
    parser.add_argument("--deadline-duration", type=int, default=90, help="seconds; submissions in the last 60")
    # README.md's production line (`--workers 3 --worker-class gthread --threads 8`): a slow request holds one thread,
    # not a whole worker, as on a real server.
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--no-doc", action="store_true", help="print the table only")
    parser.add_argument("seed_args", nargs="*", help="passed to seed_scale, e.g. --applications=2000")
    return parser.parse_args()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def bench_database_url(name: str) -> str:
    """The portal's database URL with another database name: the same server, embedded or DATABASE_URL's."""
    url = os.environ.get("DATABASE_URL")
    if not url:
        from incubator.embedded import postgres_url

        url = postgres_url(Path(os.environ.get("INCUBATOR_DATA_DIR", BASE_DIR / ".data")))
    return urlsplit(url)._replace(path=f"/{name}").geturl()


def bench_redis_url() -> str:
    """Database 2 of the portal's Redis: the bench's queued emails never reach a development worker."""
    url = os.environ.get("REDIS_URL")
    if not url:
        from incubator.embedded import redis_url

        url = redis_url(Path(os.environ.get("INCUBATOR_DATA_DIR", BASE_DIR / ".data")))
    parts = urlsplit(url)
    if parts.scheme == "unix":
        return f"unix://{parts.path}?db=2"
    return parts._replace(path="/2").geturl()


def run(command: list[str], env: dict | None = None) -> None:
    subprocess.run(command, cwd=BASE_DIR, env=env, check=True)


class Server:
    """gunicorn as in production, on a free loopback port; stopped by its own pid."""

    def __init__(self, env: dict, workers: int, threads: int):
        self.port = free_port()
        self.log = tempfile.NamedTemporaryFile("w", prefix="bench-gunicorn-", suffix=".log", delete=False)  # noqa: SIM115
        self.process = subprocess.Popen(
            [
                *(str(BIN / "gunicorn"), "incubator.wsgi", "--bind", f"127.0.0.1:{self.port}"),
                *("--workers", str(workers), "--worker-class", "gthread", "--threads", str(threads)),
            ],
            cwd=BASE_DIR,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 60
        while True:
            try:
                status, _headers, _body = self.get("/healthz/")
                if status == 200:
                    return
            except OSError:
                pass
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"gunicorn did not start; see {self.log.name}")
            time.sleep(0.3)

    def get(self, path: str, headers: dict | None = None):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        connection.request("GET", path, headers=headers or {})
        response = connection.getresponse()
        body = response.read()
        connection.close()
        return response.status, response.getheaders(), body

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=30)
        self.log.close()


def decoded(headers, body: bytes) -> str:
    encoding = {k.lower(): v for k, v in headers}.get("content-encoding", "")
    if encoding == "br":
        body = brotli.decompress(body)
    elif encoding == "gzip":
        body = gzip.decompress(body)
    return body.decode("utf-8", "replace")


def first_load(server: Server, path: str, cookie: str) -> dict:
    """What a browser with an empty cache transfers for the page: the HTML and each stylesheet, script and image
    it names (headers included), compressed as the browser accepts."""
    accept = {"Cookie": cookie, "Accept-Encoding": "gzip, deflate, br"}
    status, headers, body = server.get(path, accept)
    total, requests, uncompressed = len(body) + sum(len(k) + len(v) + 4 for k, v in headers) + 17, 1, 0
    html = decoded(headers, body)
    uncompressed += len(html.encode())
    encodings, cache = {dict(headers).get("Content-Encoding", "none")}, set()
    for asset in sorted(set(re.findall(r'(?:href|src)="(/static/[^"]+)"', html))):
        _status, asset_headers, asset_body = server.get(asset, accept)
        total += len(asset_body) + sum(len(k) + len(v) + 4 for k, v in asset_headers) + 17
        requests += 1
        named = dict(asset_headers)
        uncompressed += len(decoded(asset_headers, asset_body).encode())
        cache.add(named.get("Cache-Control", "none"))
        encodings.add(named.get("Content-Encoding", "none"))
    return {
        "status": status,
        "bytes": total,
        "uncompressed": uncompressed,
        "requests": requests,
        "encodings": sorted(encodings),
        "cache": sorted(cache),
    }


def session_cookies(users) -> dict[int, str]:
    """A signed-in session per person, made as `login()` makes it, plus a CSRF cookie (sent back as a header)."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    cookies = {}
    for user in users:
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        cookies[user.pk] = session.session_key
    return cookies


def slot(user, cookies, csrf) -> dict:
    return {
        "key": user.email,
        "headers": {"Cookie": f"sessionid={cookies[user.pk]}; csrftoken={csrf}", "X-CSRFToken": csrf},
    }


def encoded(request) -> dict:
    spec = {"method": request.method, "path": request.path, "headers": dict(request.headers), "status": request.status}
    if request.data is not None:
        spec["body"] = urlencode(request.data, doseq=True)
        spec["headers"]["Content-Type"] = "application/x-www-form-urlencoded"
    return spec


def locust(plan: dict, *, users: int, duration: int, spawn_rate: int) -> dict:
    with tempfile.TemporaryDirectory(prefix="bench-") as folder:
        plan_file, out_file = Path(folder) / "plan.json", Path(folder) / "out.json"
        plan_file.write_text(json.dumps(plan))
        env = {**os.environ, "BENCH_PLAN": str(plan_file), "BENCH_OUT": str(out_file)}
        subprocess.run(
            [
                str(BIN / "locust"),
                "-f", str(BASE_DIR / "tests" / "perf" / "locustfile.py"),
                "--headless", "--only-summary", "--loglevel", "WARNING",
                "-u", str(users), "-r", str(spawn_rate), "-t", f"{duration}s", "--stop-timeout", "10",
                "-H", plan["host"],
            ],
            cwd=BASE_DIR, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False,
        )  # fmt: skip
        return json.loads(out_file.read_text())


def measure_page(server, page, t, people, cookies, csrf, args) -> dict:
    from tests.perf.pages import Request

    users = people[page.role]
    slots = []
    for user in users:
        entry = slot(user, cookies, csrf)
        entry["requests"] = [encoded(page.build(t, user, n)) for n in range(page.variants)]
        slots.append(entry)
    first: Request = page.build(t, users[0], 0)
    # Warm-up: every worker renders the page (templates, connections, plans) before anything is timed.
    for entry in slots[: args.workers * 2]:
        if first.method == "GET":
            server.get(first.path, entry["headers"])
    load = None
    # An API list is read by a tool, not a browser: no first load of a page and its assets.
    if first.method == "GET" and page.kind != "export" and "Authorization" not in first.headers:
        load = first_load(server, first.path, slots[0]["headers"]["Cookie"])
    plan = {
        "kind": "page",
        "name": page.name,
        "host": f"http://127.0.0.1:{server.port}",
        "slots": slots,
        "pool": [encoded(page.build(t, users[0], n)) for n in range(min(page.pool, args.max_requests))],
        "max_requests": args.max_requests,
    }
    out = locust(plan, users=args.users, duration=args.duration, spawn_rate=args.users)
    stats = out["stats"].get(page.name) or out["stats"]["Aggregated"]
    return {
        "page": page.name,
        "role": page.role,
        "kind": page.kind,
        "path": first.path,
        "method": first.method,
        **stats,
        "queries": out["queries"],
        "unexpected": out["unexpected"],
        "first_load": load,
    }


def fresh_deadline_call(sizes) -> None:
    """The deadline-day call's drafts, made anew: the application form and autosave pages need drafts, and the
    deadline-day test submits them."""
    from django.core.management.base import OutputWrapper

    from demo.scale import Scale
    from demo.scale.applications import seed_deadline_call

    seed_deadline_call(Scale(sizes=sizes, stdout=OutputWrapper(sys.stdout)))


def deadline_day(server, sizes, args, csrf) -> dict:
    """200 applicants autosave every few seconds and submit in the last minute; then the database is checked."""
    from applications.models import Application
    from tests.perf.pages import autosave_data, cast, targets

    fresh_deadline_call(sizes)
    t = targets()
    applicants = cast(args.deadline_users)["applicant"]
    cookies = session_cookies(applicants)
    slots = []
    for user in applicants:
        entry = slot(user, cookies, csrf)
        entry["autosave"] = f"/calls/{t.deadline_call.slug}/apply/"
        entry["autosave_body"] = urlencode(autosave_data(t, user, "__TYPED__"), doseq=True)
        entry["submit"] = f"/calls/{t.deadline_call.slug}/apply/submit/"
        slots.append(entry)
    last_minute = max(args.deadline_duration - 60, 0)
    plan = {
        "kind": "deadline",
        "name": "deadline day",
        "host": f"http://127.0.0.1:{server.port}",
        "slots": slots,
        "autosave_every": [3, 6],
        "submit_window": [last_minute, args.deadline_duration - 10],
    }
    out = locust(plan, users=len(slots), duration=args.deadline_duration, spawn_rate=50)
    drafts = Application.objects.filter(call=t.deadline_call).select_related("applicant").prefetch_related("versions")
    applications = {a.applicant.email: a for a in drafts}
    long_text = next(q for q in t.deadline_questions if q.kind == "long_text")
    lost = [
        email for email, typed in out["saved"].items() if applications[email].answers.get(str(long_text.pk)) != typed
    ]
    submitted_ok = [email for email, ok in out["submitted"].items() if ok]
    recorded = [
        email
        for email in submitted_ok
        if applications[email].status == Application.Status.SUBMITTED and applications[email].versions.all()
    ]
    return {
        "applicants": len(slots),
        "stats": out["stats"],
        "unexpected": out["unexpected"],
        "submissions_sent": len(out["submitted"]),
        "submissions_ok": len(submitted_ok),
        "submissions_recorded": len(recorded),
        "never_submitted": len(slots) - len(out["submitted"]),
        "lost_autosaves": len(lost),
    }


def main():
    args = parse_args()
    started = time.monotonic()
    run([PYTHON, "manage.py", "seed_scale", f"--database-name={args.database_name}", *args.seed_args])

    secret = secrets.token_urlsafe(50)
    csrf = secrets.token_hex(16)
    env = {
        **os.environ,
        "DATABASE_URL": bench_database_url(args.database_name),
        "REDIS_URL": bench_redis_url(),
        "SECRET_KEY": secret,
        "DEBUG": "0",
        "BENCH": "1",
        "ALLOWED_HOSTS": "127.0.0.1",
        # Plain HTTP on the loopback: no TLS to redirect to.
        "SECURE_SSL_REDIRECT": "0",
        "SESSION_COOKIE_SECURE": "0",
        "LOG_LEVEL": "WARNING",
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        # Counted as in production (a cache round trip per request), but high enough for one token sending
        # thousands of requests in a few seconds: the bench measures the lists, not the budget.
        "API_RATE_LIMIT": "1000000/minute",
    }
    run([PYTHON, "manage.py", "collectstatic", "--noinput", "-v", "0"], env=env)
    os.environ.update({k: env[k] for k in ("DATABASE_URL", "REDIS_URL", "SECRET_KEY")})
    os.environ["DEBUG"] = "1"  # this process only reads and makes sessions
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "incubator.settings")
    sys.path.insert(0, str(BASE_DIR))
    import django

    django.setup()
    from django.db import connection

    from demo.management.commands.seed_scale import database_sizes
    from demo.scale import Sizes
    from tests.perf.pages import PAGES, cast, targets

    with connection.cursor() as cursor:
        sizes = database_sizes(cursor, args.database_name)
    info = machine()
    fresh_deadline_call(Sizes(**sizes))
    server = Server(env, args.workers, args.threads)
    try:
        t = targets()
        people = cast(args.users)
        cookies = session_cookies({u for group in people.values() for u in group})
        rows = []
        for page in PAGES:
            print(f"… {page.name}", flush=True)
            rows.append(measure_page(server, page, t, people, cookies, csrf, args))
        print("… deadline day", flush=True)
        deadline = deadline_day(server, Sizes(**sizes), args, csrf)
    finally:
        server.stop()
    ceiling = next(row for row in rows if row["kind"] == "ceiling")
    text = report(rows, ceiling, deadline, info, sizes, args, started)
    print(text)
    if not args.no_doc:
        write_doc(text)
        print(f"Written to {DOC.relative_to(BASE_DIR)}")
    ranking = next(row for row in rows if row["page"].startswith("ranking, first"))
    print(f"ranking median / ceiling median: {ranking['median_ms'] / max(ceiling['median_ms'], 1):.1f}×")


if __name__ == "__main__":
    main()
