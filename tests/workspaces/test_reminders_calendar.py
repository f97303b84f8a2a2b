import datetime
import re

import pytest
from icalendar import Calendar

from incubator.models import Notification
from tests.factories import CohortFactory
from tests.workspaces.factories import bizmax_setup, make_space, participant
from workspaces import services, tasks
from workspaces.calendar import booking_events

D = datetime.datetime


@pytest.fixture
def booked(db, frozen):
    cohort, space, desk, plan = bizmax_setup()
    person = participant(cohort, preferred_language="en")
    booking = services.booking_create(resource=desk, starts=D(2026, 6, 2, 8), ends=D(2026, 6, 2, 18), by=person)
    return booking, person


def test_the_reminder_goes_once_the_day_before(booked, frozen, mailoutbox, django_capture_on_commit_callbacks):
    booking, person = booked
    frozen.move_to(D(2026, 5, 31, 12, tzinfo=datetime.UTC))
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.workspaces_reminders_sweep() == 0
    frozen.move_to(D(2026, 6, 1, 6, tzinfo=datetime.UTC))  # 23 hours before
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            tasks.workspaces_reminders_sweep()
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == [person.email]
    assert "Tomorrow: Desk 1" in message.subject
    assert "08:00–18:00 (Asia/Jerusalem)" in message.body
    assert Notification.objects.get().status == Notification.Status.SENT


@pytest.mark.parametrize(("language", "subject"), [("en", "Today at 08:00: Desk 1"), ("fr", "Aujourd’hui à 08:00"),
                                                   ("ar", "اليوم على الساعة 08:00")])  # fmt: skip
def test_a_booking_made_the_same_day_is_reminded_as_today(
    db, frozen, mailoutbox, django_capture_on_commit_callbacks, language, subject
):
    """Before, a reminder sent in the morning for a booking that afternoon said "Tomorrow"."""
    cohort, space, desk, plan = bizmax_setup()
    person = participant(cohort, preferred_language=language)
    frozen.move_to(D(2026, 6, 2, 3, tzinfo=datetime.UTC))  # 06:00 in Jerusalem, the day's desk booked at 08:00
    services.booking_create(resource=desk, starts=D(2026, 6, 2, 8), ends=D(2026, 6, 2, 18), by=person)
    with django_capture_on_commit_callbacks(execute=True):
        tasks.workspaces_reminders_sweep()
    [message] = mailoutbox
    assert subject in message.subject and "Tomorrow" not in message.subject


def test_a_cancelled_booking_gets_no_reminder(booked, frozen, mailoutbox, django_capture_on_commit_callbacks):
    booking, person = booked
    services.booking_cancel(booking=booking, by=person)
    frozen.move_to(D(2026, 6, 1, 6, tzinfo=datetime.UTC))
    with django_capture_on_commit_callbacks(execute=True):
        tasks.workspaces_reminders_sweep()
    assert mailoutbox == []


def test_the_no_show_task_releases(booked, frozen):
    booking, person = booked
    frozen.move_to(D(2026, 6, 2, 7, tzinfo=datetime.UTC))
    assert tasks.workspaces_release_no_shows() == 1


def test_bookings_as_calendar_events(booked):
    booking, person = booked
    events = booking_events(person)
    assert len(events) == 1
    calendar = Calendar()
    for event in events:
        calendar.add_component(event)
    parsed = Calendar.from_ical(calendar.to_ical())
    event = next(iter(parsed.walk("VEVENT")))
    assert event.decoded("dtstart") == D(2026, 6, 2, 5, tzinfo=datetime.UTC)
    assert event.decoded("dtend") == D(2026, 6, 2, 15, tzinfo=datetime.UTC)
    assert str(event["summary"]) == "Desk 1 — Bizmax"
    services.booking_cancel(booking=booking, by=person)
    assert booking_events(person) == []


def test_bookings_are_in_the_persons_private_calendar_feed(client, booked):
    from incubator.calendar_feed import calendar_token_for

    booking, person = booked
    response = client.get(f"/calendar/{calendar_token_for(person).token}.ics")
    assert response.status_code == 200
    parsed = Calendar.from_ical(response.content)
    uids = {str(event["uid"]) for event in parsed.walk("VEVENT")}
    assert f"workspaces-booking-{booking.pk}@" in " ".join(uids)


def _remind(frozen, django_capture_on_commit_callbacks):
    frozen.move_to(D(2026, 6, 1, 6, tzinfo=datetime.UTC))
    with django_capture_on_commit_callbacks(execute=True):
        tasks.workspaces_reminders_sweep()


def test_the_reminder_is_filed_under_the_bookings_program(world, frozen, django_capture_on_commit_callbacks):
    cohort, space, desk, person = world
    services.booking_create(resource=desk, starts=D(2026, 6, 2, 8), ends=D(2026, 6, 2, 18), by=person)
    _remind(frozen, django_capture_on_commit_callbacks)
    assert Notification.objects.get().program_id == cohort.program_id


def test_without_a_plan_the_reminder_is_filed_under_the_bookers_program(db, frozen, django_capture_on_commit_callbacks):
    cohort = CohortFactory(program__time_zone="Asia/Jerusalem")
    space = make_space([cohort.program], week_starts_on=6)
    desk = space.resources.create(name="Desk", unit="day", price="80.00")
    person = participant(cohort)
    services.booking_create(resource=desk, starts=D(2026, 6, 2, 8), ends=D(2026, 6, 2, 18), by=person)
    _remind(frozen, django_capture_on_commit_callbacks)
    assert Notification.objects.get().program_id == cohort.program_id


def test_the_reminders_links_are_absolute_and_in_the_recipients_language(
    world, frozen, mailoutbox, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://portal.example.org"
    cohort, space, desk, person = world
    services.booking_create(resource=desk, starts=D(2026, 6, 2, 8), ends=D(2026, 6, 2, 18), by=person)
    _remind(frozen, django_capture_on_commit_callbacks)
    links = re.findall(r"https?://\S+", mailoutbox[0].body)
    assert len(links) == 2
    assert all(link.startswith("https://portal.example.org/fr/") for link in links)
