"""Where a bench page's time goes: each page of tests/perf/pages.py requested through Django's test client, one at a
time, on the `bench` database that `make bench` seeds, its time split into SQL, template rendering (less the SQL the
template runs) and the rest (view, forms, middleware); then the ceiling page with each middleware left out in turn,
which prices every layer of the stack. No locust, no gunicorn: these are a request's own costs, which the bench's
throughput multiplies.

Run: `make profile` (or `.venv/bin/python -m tests.perf.split [--repeat N] [page name …]`), after `make bench` has
seeded the database once. Prints Markdown tables for docs/performance.md."""

import argparse
import os
import time
from contextlib import contextmanager
from dataclasses import dataclass

SETUP = {"BENCH": "1", "LOCAL": "1", "DJANGO_SETTINGS_MODULE": "incubator.settings"}


@dataclass
class Clock:
    """Seconds spent in SQL, in the outermost template render, and in SQL run while a template renders."""

    sql: float = 0.0
    template: float = 0.0
    sql_in_template: float = 0.0
    depth: int = 0

    def on_sql(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            spent = time.perf_counter() - started
            self.sql += spent
            if self.depth:
                self.sql_in_template += spent


@contextmanager
def clocked(clock: Clock):
    """The clock runs while SQL executes and while a template renders (nested renders count once)."""
    from django.db import connection
    from django.template.backends.django import Template

    render = Template.render

    def timed_render(template, *args, **kwargs):
        clock.depth += 1
        started = time.perf_counter()
        try:
            return render(template, *args, **kwargs)
        finally:
            clock.depth -= 1
            if not clock.depth:
                clock.template += time.perf_counter() - started

    Template.render = timed_render
    try:
        with connection.execute_wrapper(clock.on_sql):
            yield
    finally:
        Template.render = render


def _send(client, request):
    if request.method == "GET":
        return client.get(request.path, headers=request.headers)
    return client.post(request.path, request.data, headers=request.headers)


def page_costs(names: list[str], repeat: int) -> list[tuple[str, float, Clock]]:
    """(page, milliseconds per request, its clock) for each read page of the bench (a POST changes the data)."""
    from django.test import Client

    from tests.perf.pages import PAGES, cast, targets

    t, people = targets(), cast(1)
    costs = []
    for page in PAGES:
        if page.kind == "write" or (names and page.name not in names):
            continue
        user = people[page.role][0]
        client = Client()
        client.force_login(user)
        request = page.build(t, user, 0)
        _send(client, request)  # a first request fills the caches every later one finds
        clock = Clock()
        with clocked(clock):
            started = time.perf_counter()
            for _ in range(repeat):
                response = _send(client, request)
            spent = time.perf_counter() - started
        assert response.status_code == request.status, (page.name, response.status_code)
        costs.append((page.name, spent * 1000 / repeat, clock))
    return costs


def middleware_costs(repeat: int) -> list[tuple[str, float | None]]:
    """What each middleware adds to the ceiling page: its time with the whole stack less its time without that one;
    None for a layer the others cannot run without (sessions under authentication)."""
    from django.conf import settings
    from django.test import Client, override_settings

    from tests.perf.pages import cast

    manager = cast(1)["manager"][0]

    def ceiling(middleware) -> float:
        with override_settings(MIDDLEWARE=middleware):
            client = Client()
            client.force_login(manager)
            client.get("/bench/ceiling/")
            started = time.perf_counter()
            for _ in range(repeat):
                client.get("/bench/ceiling/")
            return (time.perf_counter() - started) * 1000 / repeat

    whole = ceiling(settings.MIDDLEWARE)
    costs = [("the whole stack", whole)]
    for layer in settings.MIDDLEWARE:
        try:
            costs.append((layer, whole - ceiling([m for m in settings.MIDDLEWARE if m != layer])))
        except Exception:  # noqa: BLE001 - a later layer needs this one: its cost is not separable
            costs.append((layer, None))
    return costs


def report(names: list[str], repeat: int) -> str:
    lines = ["| page | per request | SQL | template | view, forms, middleware |", "| --- | ---: | ---: | ---: | ---: |"]
    for name, total, clock in page_costs(names, repeat):
        sql = clock.sql * 1000 / repeat
        template = (clock.template - clock.sql_in_template) * 1000 / repeat
        rest = total - sql - template
        lines.append(f"| {name} | {total:.1f} ms | {sql:.1f} ms | {template:.1f} ms | {rest:.1f} ms |")
    lines += ["", "| middleware (ceiling page) | cost |", "| --- | ---: |"]
    lines += [
        f"| `{layer}` | {'needed by a later layer' if cost is None else f'{cost:.2f} ms'} |"
        for layer, cost in middleware_costs(repeat * 10)
    ]
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pages", nargs="*", help="page names as in tests/perf/pages.py (all by default)")
    parser.add_argument("--repeat", type=int, default=15, help="requests per page")
    parser.add_argument("--database-name", default="bench")
    args = parser.parse_args()

    from tests.perf.bench import bench_database_url

    os.environ.update(SETUP, DATABASE_URL=bench_database_url(args.database_name))
    import django

    django.setup()
    from django.conf import settings

    settings.ALLOWED_HOSTS = ["testserver"]
    _drafts_again(args.database_name)
    print(report(args.pages, args.repeat))


def _drafts_again(database_name: str) -> None:
    """The deadline-day call's drafts made anew, as `make bench` does first: its last run submitted them."""
    from django.db import connection

    from demo.management.commands.seed_scale import database_sizes
    from demo.scale import Sizes
    from tests.perf.bench import fresh_deadline_call

    with connection.cursor() as cursor:
        fresh_deadline_call(Sizes(**database_sizes(cursor, database_name)))


if __name__ == "__main__":
    main()
