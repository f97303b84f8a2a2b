"""The private calendar feed: parses with icalendar, right UTC instants on both sides of daylight-saving
changes, an unguessable address that a reset replaces."""

import datetime
import re

import icalendar
import pytest
import time_machine
from django.urls import reverse

from incubator.calendar_feed import calendar_token_for, calendar_token_reset
from mentoring import services
from tests.factories import CohortFactory, ProgramFactory, UserFactory, accept
from tests.mentoring.test_reminders import schedule

pytestmark = pytest.mark.calendar

UTC = datetime.UTC
# Local 10:00 on both sides of each change, and the UTC instant it is (checked against the tz database by hand).
CASES = {
    "Asia/Jerusalem": [
        ("2026-03-26", "08:00"), ("2026-03-29", "07:00"), ("2026-10-24", "07:00"), ("2026-10-26", "08:00"),
    ],
    # Morocco leaves UTC+1 for UTC+0 during Ramadan (15 February – 22 March 2026).
    "Africa/Casablanca": [
        ("2026-02-13", "09:00"), ("2026-02-16", "10:00"), ("2026-03-20", "10:00"), ("2026-03-23", "09:00"),
    ],
    "Europe/Warsaw": [
        ("2026-03-28", "09:00"), ("2026-03-30", "08:00"), ("2026-10-24", "08:00"), ("2026-10-26", "09:00"),
    ],
}  # fmt: skip


def feed(client, user) -> icalendar.Calendar:
    response = client.get(reverse("calendar_feed", args=[calendar_token_for(user).token]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    return icalendar.Calendar.from_ical(response.content)


@time_machine.travel(datetime.datetime(2026, 1, 5, 12, 0, tzinfo=UTC), tick=False)
def test_feed_has_the_right_utc_instants_across_daylight_saving_changes(client, db):
    mentor, participant = UserFactory(name="Meir Mentor"), UserFactory(name="Pia Participant")
    for zone, cases in CASES.items():
        program = ProgramFactory(time_zone=zone)
        accept(CohortFactory(program=program), participant)
        program.mentors.add(mentor)
        kind = services.session_kinds_ensure(program)[1]  # a group kind
        client.force_login(mentor)
        for day, _utc in cases:
            # Typed the way a mentor types it: a date and a local time in the program's zone.
            response = client.post(
                reverse("mentoring:session_schedule") + f"?program={program.slug}",
                {"kind": kind.pk, "participants": [participant.pk], "date": day, "time": "10:00", "minutes": 60,
                 "title": f"{zone} {day}", "program": program.slug},
            )  # fmt: skip
            assert response.status_code == 302, response.content.decode()[:2000]
    for person in (mentor, participant):
        events = {str(event["SUMMARY"]).split(": ", 1)[1]: event for event in feed(client, person).walk("VEVENT")}
        assert len(events) == 12
        for zone, cases in CASES.items():
            for day, utc in cases:
                event = events[f"{zone} {day}"]
                assert event.decoded("DTSTART") == datetime.datetime.fromisoformat(f"{day}T{utc}+00:00")
                assert event.decoded("DTEND") - event.decoded("DTSTART") == datetime.timedelta(hours=1)


def test_another_persons_token_shows_only_their_sessions_and_a_reset_token_stops_working(client, db):
    alice, bob = UserFactory(), UserFactory()
    program = ProgramFactory()
    accept(CohortFactory(program=program), alice)
    program.mentors.add(bob)
    start = datetime.datetime(2030, 1, 1, 9, tzinfo=UTC)
    services.session_schedule(
        program=program, kind=services.session_kinds_ensure(program)[1], starts_at=start,
        ends_at=start + datetime.timedelta(hours=1), participants=[alice], by=bob, title="Alice and Bob", notify=False,
    )  # fmt: skip
    outsider = UserFactory()
    assert len(feed(client, alice).walk("VEVENT")) == 1
    assert len(feed(client, bob).walk("VEVENT")) == 1
    assert feed(client, outsider).walk("VEVENT") == []
    old = calendar_token_for(alice).token
    assert len(old) >= 40
    assert calendar_token_for(bob).token != old
    assert client.get(reverse("calendar_feed", args=[old])).status_code == 200
    calendar_token_reset(by=alice)
    assert client.get(reverse("calendar_feed", args=[old])).status_code == 404
    assert client.get(reverse("calendar_feed", args=["not-a-token"])).status_code == 404
    new = calendar_token_for(alice).token
    assert client.get(reverse("calendar_feed", args=[new])).status_code == 200


def test_profile_shows_the_address_and_resets_it(client, db):
    person = UserFactory()
    client.force_login(person)
    old = calendar_token_for(person).token
    page = client.get(reverse("profile_edit")).content.decode()
    assert f"/calendar/{old}.ics" in page
    # One tap to subscribe in a calendar app, on the same private address.
    assert re.search(rf'href="webcal://[^"/]+/calendar/{old}\.ics" data-testid="feed-subscribe"', page)
    assert 'data-testid="feed-copy"' in page
    assert client.get(reverse("calendar_reset")).status_code == 405
    assert client.post(reverse("calendar_reset")).status_code == 302
    assert calendar_token_for(person).token != old
    assert f"/calendar/{old}.ics" not in client.get(reverse("profile_edit")).content.decode()


@pytest.mark.parametrize("method", ["REQUEST", "CANCEL"])
def test_invitation_files_parse(method, db):
    from mentoring.ics import session_ics

    program = ProgramFactory()
    participant = accept(CohortFactory(program=program), UserFactory()).person
    mentor = UserFactory()
    program.mentors.add(mentor)
    kind = services.session_kinds_ensure(program)[1]
    start = datetime.datetime(2030, 1, 1, 9, tzinfo=UTC)
    session, _ = services.session_schedule(
        program=program, kind=kind, starts_at=start, ends_at=start + datetime.timedelta(hours=1),
        participants=[participant], by=mentor, notify=False,
    )  # fmt: skip
    ics = session_ics(session, method=method, recipient_email=participant.email, language="en")
    calendar = icalendar.Calendar.from_ical(ics)
    assert calendar["METHOD"] == method
    [event] = calendar.walk("VEVENT")
    assert str(event["UID"]) == session.uid


def test_a_mentor_removed_from_the_program_loses_its_sessions_from_the_feed(program, kinds, mentor, mentee):
    from mentoring.ics import calendar_source

    session = schedule(program, kinds, mentor, [mentee], kind="individual")
    assert [event["uid"] for event in calendar_source(mentor)] == [session.uid]
    program.mentors.remove(mentor)
    # The feed loads its person afresh on every request (the access ids are cached on the object).
    assert list(calendar_source(type(mentor).objects.get(pk=mentor.pk))) == []
    # The invited participant keeps the session.
    assert [event["uid"] for event in calendar_source(mentee)] == [session.uid]
