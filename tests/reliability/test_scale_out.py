"""Two gunicorn servers, two Celery workers and one beat against one PostgreSQL, one Redis and one media dir:
sessions and uploads valid on both servers, a booking race split across them won once, reminders swept by both
workers at once sent once."""

import secrets
import threading

import pytest

from tests.applications.factories import PDF_BYTES
from tests.reliability.stack import Stack, multipart, wait_for

pytestmark = pytest.mark.slow

SWEEP = "applications.tasks.applications_reminders_sweep"


@pytest.fixture(scope="module")
def stack(migrated_schema):
    with Stack(web=2, workers=2, beat=True, web_threads=25, schema=migrated_schema) as stack:
        yield stack
        print(f"\n{stack.summary()}")


def sign_in(web, email: str, password: str) -> str:
    response = web.post("/accounts/login/", {"login": email, "password": password})
    assert response.status == 302, response.text[:1000]
    return response.cookies()["sessionid"]


def test_session_and_upload_made_on_one_server_are_valid_on_the_other(stack):
    a, b = stack.webs
    person = stack.world("applicant_with_call", slug="scale")
    session = sign_in(a, person["email"], person["password"])
    # The signed-in session browsing both servers at once, from several threads.
    statuses = []

    def browse(web):
        for path in ("/applications/", "/calls/", "/calls/scale/", "/profile/") * 5:
            response = web.get(path, session=session)
            statuses.append((web.name, path, response.status, 'action="/accounts/logout/"' in response.text))

    threads = [threading.Thread(target=browse, args=(web,)) for web in (a, b, a, b)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(statuses) == 80
    assert {(name, status, signed_in) for name, _, status, signed_in in statuses} == {
        ("web1", 200, True),
        ("web2", 200, True),
    }

    content = PDF_BYTES + b"%" + secrets.token_hex(2000).encode() + b"\n"
    body, content_type = multipart({person["file_field"]: ("deck.pdf", content, "application/pdf")})
    # The form's autosave (htmx) with the file chosen: saved as typed, the other answers still to come.
    saved = a.request(
        "POST",
        "/calls/scale/apply/",
        session=session,
        body=body,
        headers={"Content-Type": content_type, "HX-Request": "true"},
    )
    assert saved.status == 200, saved.text[:1000]
    assert 'data-testid="saved"' in saved.text
    [stored] = stack.world("application_files", slug="scale")["files"]
    download = b.get(f"/applications/{stored['application']}/files/{stored['file']}/", session=session)
    assert download.status == 200
    assert download.body == content
    assert download.header("Content-Disposition").startswith("attachment")


def test_booking_race_split_across_both_servers_is_won_once(stack):
    count = 24
    race = stack.world("desk_race", count=count)
    go = threading.Barrier(count)
    answers = []
    lock = threading.Lock()

    def book(web, session):
        go.wait()
        response = web.post("/workspaces/book/", {"slot": race["slot"]}, session=session)
        with lock:
            answers.append((web.name, response.status, response.text))

    threads = [
        threading.Thread(target=book, args=(stack.webs[n % 2], session)) for n, session in enumerate(race["sessions"])
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(status for _, status, _ in answers) == [303] + [409] * (count - 1)
    assert {name for name, _, _ in answers} == {"web1", "web2"}
    for _, status, body in answers:
        if status == 409:
            assert "Just taken: someone else booked Desk 1 for this time a moment ago." in body
    assert stack.world("bookings", desk=race["desk"]) == {"bookings": 1}


def succeeded(workers, task: str) -> int:
    """How many runs of `task` these workers' logs report finished."""
    return sum(
        f"{task}[" in line and " succeeded " in line
        for worker in workers
        for line in worker.log_path.read_text(errors="replace").splitlines()
    )


def test_reminders_swept_by_both_workers_at_once_are_sent_once(stack):
    count, sweeps = 30, 6
    stack.world("drafts_closing_soon", slug="both", count=count, email_prefix="both")
    assert "beat: Starting" in (stack.logs / "beat.log").read_text()
    # Beat's sweeps, and more of them at once than beat would ever send, taken by both workers.
    stack.send_task(SWEEP, count=sweeps)
    wait_for(lambda: succeeded(stack.workers, SWEEP) >= sweeps, "every sweep to finish")
    wait_for(
        lambda: succeeded(stack.workers, "incubator.tasks.notification_deliver") >= count, "every delivery to finish"
    )

    mails = [mail for mail in stack.smtp.received() if mail.to.startswith("both")]
    assert len(mails) == count
    assert len({mail.message_id for mail in mails}) == count
    assert len({mail.to for mail in mails}) == count
    per_worker = {worker.name: succeeded([worker], SWEEP) for worker in stack.workers}
    print(f"\nsweeps run per worker: {per_worker}; {len(mails)} reminders received")
    ledger = stack.world("ledger_counts")
    assert ledger.get("sent", 0) >= count and set(ledger) == {"sent"}
