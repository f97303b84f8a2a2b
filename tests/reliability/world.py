"""State for the reliability tests, built through the services inside a stack's database (tests/reliability/stack.py).

Run as `python -m tests.reliability.world <command> '<json arguments>'` with the stack's environment; prints one
line of JSON. Django is set up before anything imports pytest, so the settings are the production ones the
stack's servers run with (not the test ones)."""

import datetime
import json
import sys

import django
import factory

django.setup()

from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: E402
from django.contrib.sessions.backends.db import SessionStore  # noqa: E402
from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.utils import timezone  # noqa: E402

from applications.models import Application, ApplicationVersion, Question  # noqa: E402
from applications.services import (  # noqa: E402
    REMINDER_KIND,
    DraftData,
    application_file_attach,
    application_save_draft,
    application_start,
)
from incubator import delivery  # noqa: E402
from incubator.models import Notification  # noqa: E402
from tests.applications.factories import PDF_BYTES, make_call, program_with_regions, question  # noqa: E402
from tests.factories import CohortFactory, UserFactory  # noqa: E402
from workspaces.models import Booking  # noqa: E402
from workspaces.periods import space_today  # noqa: E402

COMMANDS = {}
# People who never sign in with a password: hashing one the production way costs a quarter of a second each, and the
# factory hashes even a given value unless it is forced ("!" is Django's unusable password).
NO_PASSWORD = factory.Transformer.Force("!")


def command(function):
    COMMANDS[function.__name__] = function
    return function


def session_of(user) -> str:
    """A signed-in session, as `login()` makes it."""
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return session.session_key


def complete(application: Application) -> None:
    """Every required answer and the required file, as tests/applications/conftest.py's `fill` gives them."""
    call = application.call
    data = DraftData(
        standard={
            "full_name": application.applicant.name,
            "date_of_birth": datetime.date(2000, 5, 1),
            "region": call.cohort.program.regions.get(name="North"),
            "phone": "+212 600 000 000",
            "email": application.applicant.email,
        },
        answers={
            str(question(call, 1).pk): "Gnaoua Lab",
            str(question(call, 2).pk): "Music for all",
            str(question(call, 3).pk): "yes",
        },
    )
    application_save_draft(application=application, data=data, by=application.applicant)
    application_file_attach(
        application=application,
        question=call.questions.get(kind=Question.Kind.FILE),
        upload=SimpleUploadedFile("deck.pdf", PDF_BYTES, content_type="application/pdf"),
        content_type="application/pdf",
        by=application.applicant,
    )


@command
def drafts_closing_soon(*, slug: str, count: int, email_prefix: str):
    """`count` drafts of a call closing in 20 hours: each is due its one-day reminder."""
    call = make_call(slug=slug, closes_at=timezone.now() + datetime.timedelta(hours=20))
    applicants = [UserFactory(email=f"{email_prefix}{n}@example.org", password=NO_PASSWORD) for n in range(count)]
    applications = [application_start(call=call, applicant=applicant) for applicant in applicants]
    return {"applications": [a.pk for a in applications], "sessions": [session_of(a) for a in applicants]}


@command
def reminder_ledger(*, slug: str):
    """Per reminder of the call: its ledger status, attempts and Message-ID."""
    rows = Notification.objects.filter(kind=REMINDER_KIND, object_id__in=Application.objects.filter(call__slug=slug))
    return {
        str(row.pk): {"status": row.status, "attempts": row.attempts, "message_id": delivery.message_id(row)}
        for row in rows
    }


@command
def retry_sweep_later(*, minutes: int):
    """Beat's retry sweep as it runs `minutes` from now: rows a dead worker left `sending`, or claimed rows whose
    task the broker lost, are sent again."""
    import time_machine

    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=minutes), tick=True):
        return {"settled": delivery.notifications_retry_pending()}


@command
def submitters(*, slug: str, count: int, closes_in_seconds: float):
    """`count` applicants with complete drafts of a call closing `closes_in_seconds` from now; their sessions."""
    call = make_call(slug=slug, closes_at=timezone.now() + datetime.timedelta(days=1))
    sessions = []
    for n in range(count):
        applicant = UserFactory(email=f"{slug}-{n}@example.org", password=NO_PASSWORD)
        application = application_start(call=call, applicant=applicant)
        complete(application)
        sessions.append(session_of(applicant))
    # The deadline is set last, so that building the drafts does not eat into the time before it.
    call.closes_at = timezone.now() + datetime.timedelta(seconds=closes_in_seconds)
    call.save(update_fields=["closes_at"])
    return {"sessions": sessions, "closes_at": call.closes_at.timestamp()}


@command
def submissions(*, slug: str):
    return {
        "submitted": Application.objects.filter(call__slug=slug, status=Application.Status.SUBMITTED).count(),
        "versions": ApplicationVersion.objects.filter(application__call__slug=slug).count(),
        "drafts": Application.objects.filter(call__slug=slug, status=Application.Status.DRAFT).count(),
    }


@command
def applicant_with_call(*, slug: str):
    """An applicant who can sign in (email and demo password) and an open call with a file question."""
    from demo.users import DEMO_PASSWORD

    program_with_regions()
    call = make_call(slug=slug)
    applicant = UserFactory(email=f"{slug}@example.org")
    file_question = call.questions.get(kind=Question.Kind.FILE)
    return {"email": applicant.email, "password": DEMO_PASSWORD, "file_field": f"q_{file_question.pk}"}


@command
def application_files(*, slug: str):
    return {
        "files": [
            {"application": f.application_id, "file": f.pk}
            for application in Application.objects.filter(call__slug=slug)
            for f in application.files.all()
        ]
    }


@command
def desk_race(*, count: int):
    """One desk, one day, `count` participants who may book it; their sessions and the slot they click."""
    from tests.workspaces.factories import make_plan, make_resource, make_space, participant

    cohort = CohortFactory(program__time_zone="Asia/Jerusalem", ends_on=datetime.date(2099, 1, 1))
    space = make_space([cohort.program], slug="race", weekdays=range(7), weekly_limit=100)
    day = space_today(space) + datetime.timedelta(days=2)
    desk = make_resource(space, "Desk 1")
    make_plan(cohort, space)
    people = [participant(cohort, password=NO_PASSWORD) for _ in range(count)]
    return {
        "sessions": [session_of(person) for person in people],
        "slot": f"{desk.pk}|{day}T08:00|{day}T18:00",
        "desk": desk.pk,
    }


@command
def bookings(*, desk: int):
    return {"bookings": Booking.objects.filter(resource_id=desk).count()}


@command
def ledger_counts(*, kind: str = REMINDER_KIND):
    rows = Notification.objects.filter(kind=kind).values("status").annotate(n=Count("pk"))
    return {row["status"]: row["n"] for row in rows}


if __name__ == "__main__":
    name, arguments = sys.argv[1], json.loads(sys.argv[2])
    print(json.dumps(COMMANDS[name](**arguments)))
