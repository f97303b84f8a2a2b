"""Office hours: a participant books a mentor's free slot in two taps (a session of kind office hours with its
invitation), sees and cancels it within the mentor's window; taken slots answer 409, the other refusals 400 with
the reason; outsiders get 404."""

import datetime

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from cohorts.models import Availability, AvailabilityException, AvailabilityWindow
from mentoring import office_hours, services
from mentoring.models import Session, TimeClaim

# Monday 7 December 2026, 10:00 in Jerusalem. The mentor's window: Mondays 10:00–12:00 Jerusalem (08:00–10:00 UTC).
NOW = datetime.datetime(2026, 12, 7, 8, 0, tzinfo=datetime.UTC)
MONDAY = datetime.datetime(2026, 12, 14, 8, 0, tzinfo=datetime.UTC)  # 10:00 Jerusalem, 09:00 Warsaw


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def availability(program, mentor):
    hours = Availability.objects.create(
        program=program, owner=mentor, purpose=Availability.Purpose.OFFICE_HOURS, time_zone="Asia/Jerusalem",
        slot_minutes=30, notice_hours=24, horizon_days=15, cancel_hours=24, place="BizMax, room 2",
    )  # fmt: skip
    AvailabilityWindow.objects.create(availability=hours, weekday=0, starts=datetime.time(10), ends=datetime.time(12))
    return hours


def slots_url(availability):
    return reverse("mentoring:office_hours_slots", args=[availability.pk])


def book_url(availability):
    return reverse("mentoring:office_hour_book", args=[availability.pk])


def book(client, availability, at):
    return client.post(book_url(availability), {"at": at.isoformat()})


def test_a_participant_sees_the_free_slots_in_her_own_zone_named_grouped_by_day(client, availability, participant):
    participant.time_zone = "Europe/Warsaw"
    participant.save(update_fields=["time_zone"])
    client.force_login(participant)
    response = client.get(slots_url(availability))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Europe/Warsaw" in page and "Meir Mentor" in page
    # Two Mondays within the 15-day horizon, four 30-minute slots each, from 09:00 Warsaw.
    assert page.count('data-testid="slot"') == 8
    assert "14 Dec 2026" in page and "21 Dec 2026" in page
    assert ">09:00<" in page and ">10:30<" in page and ">11:00<" not in page


def test_the_list_names_the_programs_mentors_with_office_hours(client, availability, participant, other_mentor):
    client.force_login(participant)
    page = client.get(reverse("mentoring:office_hours")).content.decode()
    assert "Meir Mentor" in page and "Olek Othermentor" not in page
    assert slots_url(availability) in page
    assert reverse("mentoring:office_hours") in client.get(reverse("mentoring:home")).content.decode()


def test_two_taps_book_an_office_hour_with_its_invitation(
    client, availability, mentor, participant, django_capture_on_commit_callbacks
):
    """Any active participant books, not only the mentor's mentees."""
    client.force_login(participant)
    confirmation = client.get(book_url(availability), {"at": MONDAY.isoformat()})
    assert confirmation.status_code == 200
    assert "BizMax, room 2" in confirmation.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = book(client, availability, MONDAY)
    session = Session.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "mentoring:session_detail", args=[session.pk]
    )
    assert (session.kind.code, session.kind.counts_as, session.status) == ("office-hours", "individual", "scheduled")
    assert (session.starts_at, session.ends_at) == (MONDAY, MONDAY + datetime.timedelta(minutes=30))
    assert list(session.facilitators.all()) == [mentor] and session.place == "BizMax, room 2"
    assert list(session.attendances.values_list("person", flat=True)) == [participant.pk]
    assert sorted(m.to[0] for m in mail.outbox) == sorted([mentor.email, participant.email])
    assert all(m.attachments for m in mail.outbox)  # the .ics
    page = client.get(slots_url(availability)).content.decode()
    assert page.count('data-testid="slot"') == 7 and page.count('data-testid="office-hour"') == 1


def test_a_slot_taken_in_between_answers_409_with_the_fresh_slots(client, availability, mentee, participant):
    client.force_login(mentee)
    assert book(client, availability, MONDAY).status_code == 302
    client.force_login(participant)
    response = book(client, availability, MONDAY)
    page = response.content.decode()
    assert response.status_code == 409
    assert "This slot was just taken" in page and page.count('data-testid="slot"') == 7
    assert Session.objects.count() == 1


def test_a_slot_over_the_mentors_own_session_is_not_offered_and_answers_409(
    client, availability, kinds, mentor, mentee, participant
):
    services.session_schedule(
        program=availability.program, kind=kinds["individual"], starts_at=MONDAY + datetime.timedelta(minutes=45),
        ends_at=MONDAY + datetime.timedelta(minutes=75), participants=[mentee], by=mentor,
    )  # fmt: skip
    client.force_login(participant)
    assert client.get(slots_url(availability)).content.decode().count('data-testid="slot"') == 6
    assert book(client, availability, MONDAY + datetime.timedelta(minutes=30)).status_code == 409


@pytest.mark.parametrize(
    ("at", "reason"),
    [
        (NOW - datetime.timedelta(days=7), "already passed"),
        (NOW + datetime.timedelta(hours=2), "too soon"),
        (MONDAY + datetime.timedelta(days=21), "too far ahead"),
        (MONDAY + datetime.timedelta(minutes=10), "not one of the available slots"),
        (MONDAY + datetime.timedelta(days=1), "not one of the available slots"),
        (MONDAY + datetime.timedelta(days=7), "closed"),
    ],
)
def test_a_slot_that_was_never_free_is_refused_with_the_reason(client, availability, participant, at, reason):
    AvailabilityException.objects.create(availability=availability, on=datetime.date(2026, 12, 21), closed=True)
    client.force_login(participant)
    response = book(client, availability, at)
    assert response.status_code == 400
    assert reason in response.content.decode()
    assert not Session.objects.exists()


@pytest.mark.parametrize("at", ["", "tomorrow", "2026-12-14T08:00:00"])
def test_a_malformed_time_is_a_400(client, availability, participant, at):
    client.force_login(participant)
    assert client.post(book_url(availability), {"at": at}).status_code == 400
    assert client.get(book_url(availability), {"at": at}).status_code == 400


def test_cancelling_in_time_frees_the_slot_and_too_late_is_refused(
    client, availability, participant, django_capture_on_commit_callbacks
):
    client.force_login(participant)
    book(client, availability, MONDAY)
    session = Session.objects.get()
    cancel = reverse("mentoring:office_hour_cancel", args=[session.pk])
    assert client.get(cancel).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(cancel).status_code == 302
    session.refresh_from_db()
    assert session.status == Session.Status.CANCELLED and not TimeClaim.objects.exists()
    assert "cancelled" in mail.outbox[-1].subject.lower() or mail.outbox[-1].attachments
    assert client.get(slots_url(availability)).content.decode().count('data-testid="slot"') == 8
    # Booked again, then too late: inside the 24 hours before it starts.
    book(client, availability, MONDAY)
    again = Session.objects.get(status=Session.Status.SCHEDULED)
    with time_machine.travel(MONDAY - datetime.timedelta(hours=23), tick=False):
        response = client.post(reverse("mentoring:office_hour_cancel", args=[again.pk]))
    assert response.status_code == 400 and "until 24 hours before" in response.content.decode()
    again.refresh_from_db()
    assert again.status == Session.Status.SCHEDULED


def test_the_mentor_sees_the_booking_and_logs_it_as_any_session(client, availability, mentor, participant):
    client.force_login(participant)
    book(client, availability, MONDAY)
    session = Session.objects.get()
    client.force_login(mentor)
    assert (
        reverse("mentoring:session_detail", args=[session.pk]) in client.get(reverse("mentoring:home")).content.decode()
    )
    with time_machine.travel(MONDAY + datetime.timedelta(hours=1), tick=False):
        services.session_record(
            session=session, summary="Priced the catalogue", statuses={participant.pk: "present"}, by=mentor
        )
    session.refresh_from_db()
    assert session.status == Session.Status.HELD


@pytest.mark.parametrize("persona", ["stranger", "outsider", "other_manager", "manager", "anonymous"])
def test_outsiders_get_404_or_the_sign_in_page(client, availability, participant, persona, request):
    client.force_login(participant)
    book(client, availability, MONDAY)
    session = Session.objects.get()
    client.logout()
    if persona != "anonymous":
        client.force_login(request.getfixturevalue(persona))
    listing = client.get(reverse("mentoring:office_hours"))
    # A participant of another program has a list of their own, without this mentor; the others have none.
    assert listing.status_code == {"stranger": 200, "anonymous": 302}.get(persona, 404)
    assert "Meir Mentor" not in listing.content.decode()
    urls = [
        slots_url(availability),
        f"{book_url(availability)}?at={MONDAY.isoformat()}",
        reverse("mentoring:office_hour_cancel", args=[session.pk]),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == (302 if persona == "anonymous" else 404), url
    assert book(client, availability, MONDAY + datetime.timedelta(minutes=30)).status_code in (302, 404)
    assert client.post(reverse("mentoring:office_hour_cancel", args=[session.pk])).status_code in (302, 404)
    assert Session.objects.filter(status="scheduled").count() == 1


def test_office_hours_of_a_mentor_who_left_the_program_or_stopped_taking_bookings_are_gone(
    client, availability, program, mentor, participant
):
    client.force_login(participant)
    availability.active = False
    availability.save(update_fields=["active"])
    assert client.get(slots_url(availability)).status_code == 404
    availability.active = True
    availability.save(update_fields=["active"])
    program.mentors.remove(mentor)
    assert client.get(slots_url(availability)).status_code == 404
    assert "Meir Mentor" not in client.get(reverse("mentoring:office_hours")).content.decode()


def test_a_participant_booking_and_cancelling_in_a_loop_is_stopped_before_flooding_the_mentor(
    client, availability, participant
):
    client.force_login(participant)
    for _ in range(10):
        book(client, availability, MONDAY)
        session = Session.objects.get(status=Session.Status.SCHEDULED)
        client.post(reverse("mentoring:office_hour_cancel", args=[session.pk]))
    response = book(client, availability, MONDAY)
    assert response.status_code == 429 and not Session.objects.filter(status=Session.Status.SCHEDULED).exists()


def test_the_office_hours_kind_is_created_once_and_counted_as_individual(program):
    first = office_hours.office_hours_kind(program)
    assert office_hours.office_hours_kind(program) == first
    assert (first.code, first.counts_as) == ("office-hours", "individual")


@pytest.mark.parametrize("sessions", [1, 30])
def test_the_slots_page_runs_a_fixed_number_of_queries(
    client, availability, kinds, mentor, mentee, participant, sessions, django_assert_num_queries
):
    """The mentor's sessions are read as one list of busy periods, however many there are."""
    for i in range(sessions):
        start = MONDAY + datetime.timedelta(days=1, hours=2 * i)
        services.session_schedule(
            program=availability.program, kind=kinds["individual"], starts_at=start,
            ends_at=start + datetime.timedelta(hours=1), participants=[mentee], by=mentor, notify=False,
        )  # fmt: skip
    client.force_login(participant)
    # session, user, the availability (with its owner, program, the participant's programs and the mentor's
    # listing), its windows, its exceptions, the busy periods, the participant's office hours with this mentor,
    # their facilitators (none booked yet: no query), role groups (nav)
    with django_assert_num_queries(8):
        assert client.get(slots_url(availability)).status_code == 200
