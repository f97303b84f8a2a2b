"""Real faults injected into a production-shaped stack (tests/reliability/stack.py): a Celery worker killed with
SIGKILL mid-sweep, Redis stopped, PostgreSQL restarted under load, and 100 submissions in a deadline's last second.

The tests share one stack and run in the order written; each leaves it healthy for the next."""

import threading
import time
from collections import Counter
from pathlib import Path

import pytest

from tests.reliability.stack import Stack, wait_for

pytestmark = pytest.mark.slow

SWEEP = "applications.tasks.applications_reminders_sweep"
# A worker holds at most this many reminders when killed: one running and one prefetched per pool process.
WORKER_CONCURRENCY = 2
IN_FLIGHT_AT_MOST = 2 * WORKER_CONCURRENCY


@pytest.fixture(scope="module")
def stack(migrated_schema):
    # 100 threads per server: every one of the deadline's 100 requests is taken in as it arrives.
    with Stack(
        web=1, workers=1, web_workers=2, web_threads=50, worker_concurrency=WORKER_CONCURRENCY, schema=migrated_schema
    ) as stack:
        yield stack
        print(f"\n{stack.summary()}")


def mails_to(stack, prefix: str):
    return [mail for mail in stack.smtp.received() if mail.to.startswith(prefix)]


def test_worker_killed_mid_sweep_every_reminder_claimed_once_and_delivered(stack):
    """README: claimed exactly once, delivered at least once, a duplicate only for a send a dead worker left
    unfinished, and then with the same Message-ID."""
    count = 40
    stack.world("drafts_closing_soon", slug="kill", count=count, email_prefix="kill")
    stack.smtp.delay = 0.25  # a slow mail server: the sweep's sends are still under way when the worker dies
    stack.send_task(SWEEP)
    wait_for(lambda: len(mails_to(stack, "kill")) >= 5, "the first reminders to leave")
    stack.workers[0].kill()
    stack.faults += 1
    delivered_before_kill = len(mails_to(stack, "kill"))
    assert delivered_before_kill < count, "the sweep had finished before the kill: nothing was tested"

    stack.smtp.delay = 0
    replacement = stack.add_worker()
    wait_for(replacement.ready, "the new worker")
    # The new worker takes the tasks still queued; only the killed worker's own (at most IN_FLIGHT_AT_MOST)
    # stay unacknowledged, their rows `sending` or `pending`.
    wait_for(
        lambda: (
            sum(r["status"] == "sent" for r in stack.world("reminder_ledger", slug="kill").values())
            >= count - IN_FLIGHT_AT_MOST
        ),
        "the new worker to deliver the queued reminders",
    )
    # Beat's retry sweep, once NOTIFICATION_SENDING_TIMEOUT (15 minutes) is over, sends those again.
    stack.world("retry_sweep_later", minutes=16)

    ledger = stack.world("reminder_ledger", slug="kill")
    assert len(ledger) == count  # claimed exactly once per draft
    assert {row["status"] for row in ledger.values()} == {"sent"}
    arrived = Counter(mail.message_id for mail in mails_to(stack, "kill"))
    expected_ids = {row["message_id"] for row in ledger.values()}
    assert set(arrived) == expected_ids  # every reminder delivered, nothing else
    attempts = {row["message_id"]: row["attempts"] for row in ledger.values()}
    duplicated = {message_id for message_id, n in arrived.items() if n > 1}
    # A second copy only of a send the dead worker had under way, with the same Message-ID, never more copies
    # than attempts; the new worker and the retry sweep never sent one row twice.
    assert all(arrived[message_id] <= attempts[message_id] for message_id in arrived)
    assert len({m for m, n in attempts.items() if n > 1}) <= IN_FLIGHT_AT_MOST
    assert len(duplicated) <= IN_FLIGHT_AT_MOST
    print(f"\nworker kill: {count} reminders, {delivered_before_kill} delivered before the kill, "
          f"{sum(arrived.values())} messages received, {len(duplicated)} duplicated (same Message-ID)")  # fmt: skip


def test_redis_down_pages_work_healthz_names_redis_and_reminders_go_out_after(stack):
    web = stack.webs[0]
    [before] = stack.world("drafts_closing_soon", slug="redis-before", count=1, email_prefix="rb")["sessions"]
    stack.stop_redis()
    try:
        # A draft that comes due while Redis is down.
        due = stack.world("drafts_closing_soon", slug="redis", count=1, email_prefix="redisdown")
        [application], [session] = due["applications"], due["sessions"]
        assert web.get("/calls/", session=before).status == 200
        assert web.get(f"/applications/{application}/", session=session).status == 200
        health = web.get("/healthz/")
        assert health.status == 503
        assert '"redis": "down"' in health.text and '"database": "up"' in health.text
    finally:
        stack.start_redis()
    wait_for(lambda: web.get("/healthz/").status == 200, "healthz to recover")
    stack.send_task(SWEEP)  # beat's next sweep
    wait_for(lambda: mails_to(stack, "redisdown"), "the reminder due during the outage")
    [mail] = mails_to(stack, "redisdown")
    assert "not submitted yet" in mail.subject


def gunicorn_workers(stack) -> set[int]:
    master = stack.webs[0].process.pid
    return {int(pid) for pid in Path(f"/proc/{master}/task/{master}/children").read_text().split()}


def test_postgres_restart_under_load_styled_errors_then_recovery_without_restart(stack):
    web = stack.webs[0]
    [session] = stack.world("drafts_closing_soon", slug="pg", count=1, email_prefix="pg")["sessions"]
    workers_before = gunicorn_workers(stack)
    results: list[tuple[int, str]] = []
    lock = threading.Lock()
    stop = threading.Event()

    def hammer(path):
        while not stop.is_set():
            try:
                response = web.get(path, session=session)
                entry = (response.status, response.text)
            except OSError as error:
                entry = (0, repr(error))
            with lock:
                results.append(entry)

    paths = ["/calls/", "/calls/pg/", "/applications/"] * 2
    threads = [threading.Thread(target=hammer, args=(path,)) for path in paths]
    for thread in threads:
        thread.start()
    try:
        wait_for(lambda: sum(s == 200 for s, _ in results) >= 20, "pages to load before the outage")
        stack.stop_postgres()
        outage_start = len(results)
        wait_for(lambda: sum(s >= 500 for s, _ in results[outage_start:]) >= 10, "requests during the outage")
        stack.start_postgres()
        recovered = len(results)
        wait_for(lambda: sum(s == 200 for s, _ in results[recovered:]) >= 30, "pages to load again")
    finally:
        stop.set()
        for thread in threads:
            thread.join()

    failures = [(status, body) for status, body in results if status != 200]
    assert failures
    for status, body in failures:
        assert status == 500, (status, body[:500])
        assert 'data-testid="error-page"' in body
        assert "Traceback" not in body and "OperationalError" not in body
    # The same gunicorn processes serve again: no worker was restarted to reconnect.
    assert stack.webs[0].process.poll() is None
    assert gunicorn_workers(stack) == workers_before
    assert all(status == 200 for status, _ in results[-12:])
    print(f"\npostgres restart: {len(results)} requests, {len(failures)} styled 500s during the outage")


def test_hundred_submissions_in_the_deadlines_last_second_are_all_saved(stack):
    web = stack.webs[0]
    count = 100
    world = stack.world("submitters", slug="deadline", count=count, closes_in_seconds=6)
    sessions, closes_at = world["sessions"], world["closes_at"]
    assert time.time() < closes_at - 2, "building the drafts took longer than the time left before the deadline"
    answers: list[tuple[int, str]] = []
    lock = threading.Lock()
    go = threading.Barrier(count + 1)

    def submit(session):
        go.wait()
        response = web.request(
            "POST", "/calls/deadline/apply/submit/", session=session, body=b"", headers={"Content-Length": "0"}
        )
        with lock:
            answers.append((response.status, response.header("Location") or ""))

    threads = [threading.Thread(target=submit, args=(session,)) for session in sessions]
    for thread in threads:
        thread.start()
    # Released together in the deadline's final second.
    time.sleep(max(0.0, closes_at - 0.9 - time.time()))
    go.wait()
    for thread in threads:
        thread.join()

    outcomes = Counter("saved" if location.startswith("/applications/") else location for _, location in answers)
    assert Counter(status for status, _ in answers) == {302: count}
    assert outcomes == {"saved": count}
    assert stack.world("submissions", slug="deadline") == {"submitted": count, "versions": count, "drafts": 0}
    # One confirmation each, none twice.
    wait_for(lambda: len(mails_to(stack, "deadline-")) >= count, "the confirmations")
    confirmations = mails_to(stack, "deadline-")
    assert len(confirmations) == len({mail.message_id for mail in confirmations}) == len({m.to for m in confirmations})
    print(f"\ndeadline: {count} submissions in the last second, all saved")
