"""Mentoring sessions and attendance through the API: who reads which session (as its page decides), private notes
only for its facilitators and the program's managers, the filters, logging a held session through the service, and
a fixed number of queries per list."""

import datetime

import pytest
from django.utils import timezone

from incubator.history import recorded_actions
from incubator.models import User
from mentoring import assignments, services
from mentoring.models import Attendance, Session
from tests.api.clients import api_client
from tests.factories import CohortFactory, ProgramFactory, UserFactory, accept, grant, program_manager

pytestmark = pytest.mark.django_db

PAST = datetime.datetime(2026, 3, 10, 8, 0, tzinfo=datetime.UTC)


class World:
    def __init__(self):
        self.program, self.other_program = ProgramFactory(), ProgramFactory()
        self.cohort = CohortFactory(program=self.program)
        self.manager = program_manager(self.program)
        self.other_manager = program_manager(self.other_program)
        self.mentee = accept(self.cohort, UserFactory(name="Mira Mentee")).person
        self.participant = accept(self.cohort, UserFactory(name="Pia Participant")).person
        self.mentor = grant(self.program, UserFactory(name="Meir Mentor"), "mentor")
        self.other_mentor = grant(self.program, UserFactory(name="Olek Othermentor"), "mentor")
        assignments.assignment_create(program=self.program, mentor=self.mentor, mentee=self.mentee, by=self.manager)
        self.outsider = accept(CohortFactory(program=self.other_program)).person
        self.kinds = {kind.code: kind for kind in services.session_kinds_ensure(self.program)}
        self.session, _ = services.session_log(
            program=self.program,
            kind=self.kinds["individual"],
            starts_at=PAST,
            minutes=60,
            participants=[self.mentee],
            summary="Worked on the price list.",
            private_notes="Seems tired.",
            by=self.mentor,
        )
        self.workshop, _ = services.session_log(
            program=self.program,
            kind=self.kinds["workshop"],
            starts_at=PAST + datetime.timedelta(days=7),
            minutes=120,
            participants=[self.participant],
            summary="Pricing workshop.",
            private_notes="Half came late.",
            by=self.other_mentor,
        )

    def client(self, person, scopes=None):
        return api_client(person, [self.program, self.other_program], scopes=scopes)


@pytest.fixture
def world():
    return World()


def rows(response) -> list[dict]:
    assert response.status_code == 200, response.content
    return sorted(response.json()["results"], key=lambda row: row["id"])


def ids(response) -> list[int]:
    return [row["id"] for row in rows(response)]


# Sessions


def test_a_manager_reads_every_session_with_private_notes(world):
    listed = rows(world.client(world.manager).get("/api/v1/sessions/"))
    assert [row["id"] for row in listed] == [world.session.pk, world.workshop.pk]
    first = listed[0]
    assert first["kind"] == {"code": "individual", "name": "Individual session", "counts_as": "individual"}
    assert first["facilitators"] == [world.mentor.pk]
    assert first["participants"] == [world.mentee.pk]
    assert first["minutes"] == 60
    assert first["summary"] == "Worked on the price list."
    assert first["private_notes"] == "Seems tired."
    assert first["status"] == "held"
    assert first["changed_at"]


def test_a_mentor_reads_the_sessions_they_facilitate_with_their_notes(world):
    client = world.client(world.mentor)
    [row] = rows(client.get("/api/v1/sessions/"))
    assert (row["id"], row["private_notes"]) == (world.session.pk, "Seems tired.")
    assert client.get(f"/api/v1/sessions/{world.workshop.pk}/").status_code == 404


def test_a_mentor_removed_from_the_program_keeps_no_reach(world):
    world.program.mentors.remove(world.mentor)
    client = world.client(world.mentor)
    assert client.get("/api/v1/sessions/").json()["results"] == []
    assert client.get(f"/api/v1/sessions/{world.session.pk}/").status_code == 404


def test_a_participant_reads_their_sessions_without_private_notes(world):
    client = world.client(world.mentee)
    [row] = rows(client.get("/api/v1/sessions/"))
    assert row["id"] == world.session.pk
    assert row["summary"] == "Worked on the price list."
    assert row["private_notes"] is None
    assert "Seems tired" not in client.get(f"/api/v1/sessions/{world.session.pk}/").content.decode()
    assert client.get(f"/api/v1/sessions/{world.workshop.pk}/").status_code == 404


@pytest.mark.parametrize("persona", ["other_manager", "outsider"])
def test_another_program_s_people_read_no_session(world, persona):
    client = world.client(getattr(world, persona))
    assert client.get("/api/v1/sessions/").json()["results"] == []
    assert client.get(f"/api/v1/sessions/{world.session.pk}/").status_code == 404
    assert client.get("/api/v1/attendance/").json()["results"] == []


def test_sessions_filter_by_kind_and_start(world):
    client = world.client(world.manager)
    assert ids(client.get("/api/v1/sessions/", {"kind": "workshop"})) == [world.workshop.pk]
    after = (PAST + datetime.timedelta(days=1)).isoformat()
    assert ids(client.get("/api/v1/sessions/", {"starts_after": after})) == [world.workshop.pk]
    assert ids(client.get("/api/v1/sessions/", {"starts_before": after})) == [world.session.pk]
    assert ids(client.get("/api/v1/sessions/", {"starts_after": PAST.isoformat()})) == [
        world.session.pk,
        world.workshop.pk,
    ]


@pytest.mark.parametrize(
    "query",
    [
        "?kind=" + "x" * 33,
        "?starts_after=soon",
        "?starts_before=2026-13-01",
        "?starts_before=0048-05-05T02:38:05.5-20:13",
        "?starts_after=0001-01-01T00:00:00%2B14:00",
        "?starts_after=9999-12-31T23:59:59-14:00",
        "?updated_since=0048-05-05T02:38:05.5-20:13",
        "?x=1",
    ],
)
def test_odd_session_filters_are_400(world, query):
    response = world.client(world.manager).get(f"/api/v1/sessions/{query}")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"


def test_sessions_without_the_scope_are_403(world):
    client = world.client(world.manager, scopes=["cohorts:read"])
    assert client.get("/api/v1/sessions/").status_code == 403
    assert client.get("/api/v1/attendance/").status_code == 403


# Attendance


def test_attendance_follows_the_sessions(world):
    mine = Attendance.objects.get(session=world.session)
    theirs = Attendance.objects.get(session=world.workshop)
    assert ids(world.client(world.manager).get("/api/v1/attendance/")) == sorted([mine.pk, theirs.pk])
    assert ids(world.client(world.mentor).get("/api/v1/attendance/")) == [mine.pk]
    [row] = rows(world.client(world.mentee).get("/api/v1/attendance/"))
    assert (row["session"], row["person"], row["person_name"], row["status"]) == (
        world.session.pk,
        world.mentee.pk,
        "Mira Mentee",
        "present",
    )
    assert world.client(world.mentee).get(f"/api/v1/attendance/{theirs.pk}/").status_code == 404


def test_attendance_filters_by_session_and_expands_it_without_private_notes_for_participants(world):
    client = world.client(world.mentee)
    [row] = rows(client.get("/api/v1/attendance/", {"session": world.session.pk, "expand": "session"}))
    assert row["session"]["id"] == world.session.pk
    assert row["session"]["private_notes"] is None
    assert row["session"]["participants"] == [world.mentee.pk]
    assert client.get("/api/v1/attendance/", {"session": world.workshop.pk}).json()["results"] == []
    expanded = world.client(world.mentor).get("/api/v1/attendance/", {"expand": "session"}).json()["results"]
    assert expanded[0]["session"]["private_notes"] == "Seems tired."


# Logging a session


def log_body(world, **changes) -> dict:
    return {
        "program": world.program.pk,
        "kind": "individual",
        "starts_at": "2026-05-04T08:00:00Z",
        "minutes": 45,
        "participants": [world.mentee.pk],
        "summary": "Went through the catalogue.",
        "private_notes": "Ready for the fair.",
        **changes,
    }


def test_a_mentor_logs_a_session_with_their_mentee(world):
    response = world.client(world.mentor).post("/api/v1/sessions/", log_body(world), format="json")
    assert response.status_code == 201, response.content
    session = Session.objects.get(pk=response.json()["id"])
    assert (session.status, session.kind.code, session.summary) == ("held", "individual", "Went through the catalogue.")
    assert session.ends_at - session.starts_at == datetime.timedelta(minutes=45)
    assert list(session.facilitators.all()) == [world.mentor]
    assert list(session.attendances.values_list("person_id", "status")) == [(world.mentee.pk, "present")]
    body = response.json()
    assert (body["private_notes"], body["participants"], body["minutes"]) == (
        "Ready for the fair.",
        [world.mentee.pk],
        45,
    )
    [action] = recorded_actions(action="session.log", object_ids=[session.pk])
    assert action["by"] == world.mentor.pk


def test_a_session_over_one_the_mentor_already_logged_is_refused_with_400_naming_it(world):
    body = log_body(world, starts_at=(PAST + datetime.timedelta(minutes=30)).isoformat())
    response = world.client(world.mentor).post("/api/v1/sessions/", body, format="json")
    assert response.status_code == 400, response.content
    assert "already has “Individual session 2026-03-10” at that time" in str(response.json()["errors"])
    assert Session.objects.count() == 2


def test_a_manager_logs_a_group_session_with_anyone_active(world):
    body = log_body(world, kind="workshop", participants=[world.mentee.pk, world.participant.pk], private_notes="")
    response = world.client(world.manager).post("/api/v1/sessions/", body, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["participants"] == sorted([world.mentee.pk, world.participant.pk])


def test_another_mentor_may_not_log_an_individual_session_with_someone_else_s_mentee(world):
    response = world.client(world.other_mentor).post("/api/v1/sessions/", log_body(world), format="json")
    assert response.status_code == 403
    assert response["Content-Type"] == "application/problem+json"
    assert Session.objects.count() == 2


@pytest.mark.parametrize("persona", ["mentee", "other_manager", "outsider"])
def test_people_who_lead_no_sessions_of_the_program_may_not_log_one(world, persona):
    response = world.client(getattr(world, persona)).post("/api/v1/sessions/", log_body(world), format="json")
    assert response.status_code == 403
    assert Session.objects.count() == 2


def test_a_program_the_token_does_not_name_is_refused(world):
    client = api_client(world.mentor, [world.other_program])
    assert client.post("/api/v1/sessions/", log_body(world), format="json").status_code == 403


def test_a_read_token_may_not_log(world):
    client = world.client(world.mentor, scopes=["mentoring:read"])
    assert client.post("/api/v1/sessions/", log_body(world), format="json").status_code == 403
    assert Session.objects.count() == 2


@pytest.mark.parametrize(
    "changes",
    [
        {"starts_at": "2199-07-01T08:00:00Z"},  # to come: scheduled, not logged
        {"starts_at": "0001-01-01T00:00:00+05:00"},
        {"starts_at": "yesterday"},
        {"minutes": 0},
        {"minutes": 60 * 24 * 15},
        {"minutes": 600},  # longer than an individual session may be
        {"kind": "tour"},  # a series is scheduled, its activities logged
        {"kind": "no-such-kind"},
        {"participants": []},
        {"participants": [2**63]},
        {"participants": ["x"]},
        {"summary": ""},
        {"summary": "a\x00b"},
        {"program": "one"},
    ],
)
def test_odd_or_refused_logs_are_400(world, changes):
    response = world.client(world.mentor).post("/api/v1/sessions/", log_body(world, **changes), format="json")
    assert response.status_code == 400, response.content
    assert response["Content-Type"] == "application/problem+json"
    assert Session.objects.count() == 2


def test_a_participant_who_is_no_active_member_is_400(world):
    body = log_body(world, kind="workshop", participants=[world.outsider.pk])
    response = world.client(world.mentor).post("/api/v1/sessions/", body, format="json")
    assert response.status_code == 400
    assert "participants" in response.json()["errors"]


# The same number of queries for one row and for 500


def many_sessions(world, count):
    people = User.objects.bulk_create(User(email=f"many{n}@example.org", name=f"Many {n}") for n in range(count))
    sessions = Session.objects.bulk_create(
        Session(
            program=world.program,
            kind=world.kinds["workshop"],
            starts_at=PAST - datetime.timedelta(hours=n + 1),
            ends_at=PAST - datetime.timedelta(hours=n),
            status=Session.Status.HELD,
            logged_at=PAST,
            summary=f"Session {n}",
        )
        for n in range(count)
    )
    Session.facilitators.through.objects.bulk_create(
        Session.facilitators.through(session=session, user=world.mentor) for session in sessions
    )
    Attendance.objects.bulk_create(
        Attendance(session=session, person=person) for session, person in zip(sessions, people, strict=True)
    )


@pytest.mark.parametrize(
    ("url", "queries"),
    [
        # token; the token's programs with the person's roles in them; the programs the person mentors in; the
        # page, with each session's kind, facilitators and participants
        ("/api/v1/sessions/?page_size=200", 4),
        # as above, then the sessions expanded (with their kinds and people)
        ("/api/v1/attendance/?page_size=200&expand=session", 5),
    ],
)
@pytest.mark.parametrize("persona", ["manager", "mentor"])
@pytest.mark.parametrize("count", [1, 500])
def test_lists_run_a_fixed_number_of_queries(world, django_assert_num_queries, url, queries, persona, count):
    many_sessions(world, count)
    client = world.client(getattr(world, persona))
    client.get("/api/v1/programs/")  # the token's first use is written down; later uses within a minute are not
    with django_assert_num_queries(queries):
        response = client.get(url)
    assert len(response.json()["results"]) >= min(count, 200)


def test_updated_since_lists_the_changed_attendance(world):
    client = world.client(world.manager)
    since = timezone.now().isoformat()
    services.attendance_mark(session=world.workshop, statuses={world.participant.pk: "absent"}, by=world.manager)
    changed = ids(client.get("/api/v1/attendance/", {"updated_since": since}))
    sessions = ids(client.get("/api/v1/sessions/", {"updated_since": since}))
    assert changed == [Attendance.objects.get(session=world.workshop).pk]
    assert sessions == []
