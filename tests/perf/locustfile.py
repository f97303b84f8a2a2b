"""Locust users for `make bench`, run headless by tests/perf/bench.py, one run per page (never imports Django).

BENCH_PLAN names a JSON plan written by bench.py, BENCH_OUT where to write what locust's own statistics leave
out (queries per request, unexpected statuses, and for the deadline-day test what each applicant last saved).
`PageVisitor` repeats one page's requests; `DeadlineApplicant` autosaves every few seconds and submits once,
in the last minute. Both stop by themselves: after `max_requests`, or when the run time given to locust ends."""

import itertools
import json
import os
import random
import time
from collections import Counter
from urllib.parse import quote_plus

from locust import FastHttpUser, between, constant, events, task
from locust.exception import StopUser

with open(os.environ["BENCH_PLAN"]) as plan_file:
    PLAN = json.load(plan_file)
SLOTS = itertools.count()
# A page's pool of requests, each sent once by whichever simulated person comes next (tests/perf/pages.py).
POOL = iter(PLAN.get("pool", []))
SEEN = {"queries": Counter(), "statuses": Counter(), "unexpected": [], "saved": {}, "submitted": {}, "requests": 0}


def _headers(slot: dict, extra: dict | None = None) -> dict:
    return {"Accept-Encoding": "gzip, deflate, br", **slot["headers"], **(extra or {})}


def _note(response, expected: int, name: str) -> bool:
    SEEN["requests"] += 1
    SEEN["statuses"][response.status_code] += 1
    if "X-Queries" in response.headers:
        SEEN["queries"][int(response.headers["X-Queries"])] += 1
    if response.status_code != expected:
        if len(SEEN["unexpected"]) < 20:
            SEEN["unexpected"].append(f"{name}: {response.status_code} (expected {expected})")
        response.failure(f"status {response.status_code}, expected {expected}")
        return False
    response.success()
    return True


class PageVisitor(FastHttpUser):
    """One page, requested back to back (no think time): a fixed number of people at once."""

    abstract = PLAN["kind"] != "page"
    wait_time = constant(0)

    def on_start(self):
        self.slot = PLAN["slots"][next(SLOTS) % len(PLAN["slots"])]
        self.requests = POOL if PLAN.get("pool") else itertools.cycle(self.slot["requests"])

    @task
    def visit(self):
        spec = next(self.requests, None)
        if SEEN["requests"] >= PLAN["max_requests"] or spec is None:
            self.environment.runner.quit()
            raise StopUser
        with self.client.request(
            spec["method"],
            spec["path"],
            data=spec.get("body"),
            headers=_headers(self.slot, spec["headers"]),
            name=PLAN["name"],
            allow_redirects=False,
            catch_response=True,
        ) as response:
            _note(response, spec["status"], PLAN["name"])


class DeadlineApplicant(FastHttpUser):
    """An applicant on deadline day: changes a field every few seconds (an autosave each time), then submits
    once, at a moment drawn in the last minute of the run."""

    abstract = PLAN["kind"] != "deadline"
    wait_time = between(PLAN.get("autosave_every", [3, 6])[0], PLAN.get("autosave_every", [3, 6])[1])

    def on_start(self):
        self.slot = PLAN["slots"][next(SLOTS) % len(PLAN["slots"])]
        self.started = time.monotonic()
        self.submit_after = random.uniform(PLAN["submit_window"][0], PLAN["submit_window"][1])
        self.typed = 0

    @task
    def work(self):
        key = self.slot["key"]
        if key in SEEN["submitted"]:
            raise StopUser
        if time.monotonic() - self.started >= self.submit_after and key in SEEN["saved"]:
            with self.client.post(
                self.slot["submit"],
                headers=_headers(self.slot, {"Content-Type": "application/x-www-form-urlencoded"}),
                data="",
                name="deadline: submit",
                allow_redirects=False,
                catch_response=True,
            ) as response:
                # Submitted: on to the application's page; refused: back to the preview, with the reasons.
                ok = _note(response, 302, "deadline: submit") and "/applications/" in response.headers.get(
                    "Location", ""
                )
                if not ok:
                    response.failure(f"submit refused: {response.headers.get('Location')}")
                SEEN["submitted"][key] = ok
            raise StopUser
        self.typed += 1
        typed = f"{key}: change {self.typed}"
        body = self.slot["autosave_body"].replace("__TYPED__", quote_plus(typed))
        with self.client.post(
            self.slot["autosave"],
            data=body,
            headers=_headers(self.slot, {"HX-Request": "true", "Content-Type": "application/x-www-form-urlencoded"}),
            name="deadline: autosave",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if _note(response, 200, "deadline: autosave"):
                SEEN["saved"][key] = typed


@events.quitting.add_listener
def _write(environment, **_kwargs):
    stats = {}
    for entry in [*environment.stats.entries.values(), environment.stats.total]:
        stats[entry.name] = {
            "requests": entry.num_requests,
            "failures": entry.num_failures,
            "rps": entry.total_rps,
            "median_ms": entry.get_response_time_percentile(0.5),
            "p95_ms": entry.get_response_time_percentile(0.95),
            "max_ms": entry.max_response_time,
        }
    with open(os.environ["BENCH_OUT"], "w") as out:
        json.dump(
            {
                **{k: v for k, v in SEEN.items() if k not in ("queries", "statuses")},
                "queries": dict(SEEN["queries"]),
                "statuses": dict(SEEN["statuses"]),
                "stats": stats,
            },
            out,
        )
