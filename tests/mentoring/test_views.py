"""The mentoring pages: gates (outsider, other mentor, manager of another program), forms, bad input."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from incubator.models import CalendarToken
from mentoring import services
from mentoring.models import ActionItem, Feedback, Session
from tests.mentoring.conftest import PAST


def url(name, *args):
    return reverse(f"mentoring:{name}", args=args)


def test_the_mentor_logs_an_individual_session_from_one_short_form(client, program, kinds, mentor, mentee):
    client.force_login(mentor)
    page = client.get(url("session_log"))
    assert page.status_code == 200 and "Mira Mentee ★" in page.content.decode()
    response = client.post(
        url("session_log"),
        {"program": program.slug, "kind": kinds["individual"].pk, "participants": [mentee.pk], "date": "2026-03-10",
         "time": "12:30", "minutes": 60, "summary": "Prices", "actions": "Call two clients\nUpdate the portfolio",
         "due_on": "2026-03-24"},
    )  # fmt: skip
    session = Session.objects.get()
    assert response.status_code == 302 and response["Location"] == url("session_detail", session.pk)
    # 12:30 in Jerusalem (UTC+2 on 10 March) is 10:30 UTC.
    assert session.starts_at == datetime.datetime(2026, 3, 10, 10, 30, tzinfo=datetime.UTC)
    assert session.attendances.get().status == "present"
    assert list(session.action_items.values_list("text", "owner")) == [
        ("Call two clients", mentee.pk),
        ("Update the portfolio", mentee.pk),
    ]


def test_a_group_log_goes_on_to_attendance(client, program, kinds, mentor, mentee, participant):
    client.force_login(mentor)
    response = client.post(
        url("session_log"),
        {"program": program.slug, "kind": kinds["workshop"].pk, "participants": [mentee.pk, participant.pk],
         "date": "2026-03-10", "time": "17:00", "minutes": 120, "summary": "Pricing workshop"},
    )  # fmt: skip
    session = Session.objects.get()
    assert response["Location"] == url("session_attendance", session.pk)
    response = client.post(
        url("session_attendance", session.pk), {f"person_{mentee.pk}": "present", f"person_{participant.pk}": "absent"}
    )
    assert response.status_code == 302
    assert dict(session.attendances.values_list("person", "status")) == {mentee.pk: "present", participant.pk: "absent"}


def test_a_refused_log_stays_filled_with_a_clear_message(client, program, kinds, mentor, participant):
    client.force_login(mentor)
    response = client.post(
        url("session_log"),
        {"program": program.slug, "kind": kinds["individual"].pk, "participants": [participant.pk],
         "date": "2026-03-10", "time": "12:30", "minutes": 480, "summary": "Kept text"},
    )  # fmt: skip
    assert response.status_code == 400
    page = response.content.decode()
    assert "only with your own mentees" in page and "Kept text" in page
    assert not Session.objects.exists()


def test_outsiders_and_other_programs_see_no_session(client, held, outsider, other_manager, other_mentor, stranger):
    for person in (outsider, other_manager, other_mentor, stranger):
        client.force_login(person)
        for name in ("session_detail", "session_record", "session_attendance", "session_move"):
            assert client.get(url(name, held.pk)).status_code == 404, (person, name)
        assert client.post(url("session_cancel", held.pk)).status_code == 404
        assert client.post(url("session_feedback", held.pk), {"rating": "1"}).status_code == 404
        assert client.post(url("action_item_done", held.action_items.get().pk), {"done": "1"}).status_code == 404
    assert not ActionItem.objects.filter(done_at__isnull=False).exists()
    assert not Feedback.objects.exists() and Session.objects.get().status == "held"
    client.logout()
    assert client.get(url("session_detail", held.pk)).status_code == 302  # to the login page


def test_the_participant_sees_the_summary_but_never_the_private_notes(client, held, mentee, mentor, manager):
    client.force_login(mentee)
    page = client.get(url("session_detail", held.pk)).content.decode()
    assert "Worked on the price list." in page and "Seems tired" not in page
    assert client.get(url("session_attendance", held.pk)).status_code == 403
    for lead in (mentor, manager):
        client.force_login(lead)
        assert "Seems tired" in client.get(url("session_detail", held.pk)).content.decode()


def test_the_participant_ticks_an_action_item_and_gives_feedback_once(client, held, mentee, mentor, manager):
    client.force_login(mentee)
    item = held.action_items.get()
    client.post(url("action_item_done", item.pk), {"done": "1", "back": "session"})
    item.refresh_from_db()
    assert item.done_at is not None
    response = client.post(url("session_feedback", held.pk), {"rating": "5", "comment": "Great", "anonymous": "on"})
    assert response.status_code == 302
    response = client.post(url("session_feedback", held.pk), {"rating": "2"}, follow=True)
    assert "already gave feedback" in response.content.decode()
    assert Feedback.objects.get().rating == 5
    # Anonymous toward the mentor, never toward the managers.
    client.force_login(mentor)
    assert "Mira Mentee</bdi> <span" not in client.get(url("session_detail", held.pk)).content.decode()
    assert "anonymous" in client.get(url("session_detail", held.pk)).content.decode()
    client.force_login(manager)
    assert "hidden from the mentor" in client.get(url("session_detail", held.pk)).content.decode()


def test_feedback_from_someone_who_did_not_attend_is_refused(client, program, kinds, mentor, mentee, participant):
    session, _ = services.session_log(
        program=program, kind=kinds["workshop"], starts_at=PAST, minutes=60, participants=[mentee, participant],
        summary="s", by=mentor,
    )  # fmt: skip
    services.attendance_mark(session=session, statuses={mentee.pk: "present", participant.pk: "absent"}, by=mentor)
    client.force_login(participant)
    assert client.post(url("session_feedback", session.pk), {"rating": "4"}).status_code == 403
    assert not Feedback.objects.exists()


def test_open_action_items_come_back_with_the_next_session_with_the_same_people(
    client, held, program, kinds, mentor, mentee
):
    with time_machine.travel(PAST + datetime.timedelta(days=1)):  # booked the day after the held session
        later, _ = services.session_schedule(
            program=program, kind=kinds["individual"], starts_at=PAST + datetime.timedelta(days=14),
            ends_at=PAST + datetime.timedelta(days=14, hours=1), participants=[mentee], by=mentor,
        )  # fmt: skip
    client.force_login(mentor)
    page = client.get(url("session_detail", later.pk)).content.decode()
    assert 'data-testid="carried"' in page and "Send the price list" in page


def test_move_and_cancel(client, program, kinds, mentor, mentee):
    start = datetime.datetime(2030, 1, 7, 8, tzinfo=datetime.UTC)
    session, _ = services.session_schedule(
        program=program, kind=kinds["individual"], starts_at=start, ends_at=start + datetime.timedelta(hours=1),
        participants=[mentee], by=mentor,
    )  # fmt: skip
    client.force_login(mentor)
    assert client.get(url("session_move", session.pk)).status_code == 200
    response = client.post(url("session_move", session.pk), {"date": "2030-01-08", "time": "11:00", "minutes": 60})
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.starts_at == datetime.datetime(2030, 1, 8, 9, tzinfo=datetime.UTC) and session.sequence == 1
    bad = client.post(url("session_move", session.pk), {"date": "2030-01-08", "time": "11:00", "minutes": 30 * 60})
    assert bad.status_code == 400
    client.force_login(mentee)
    assert client.post(url("session_cancel", session.pk)).status_code == 403
    client.force_login(mentor)
    client.post(url("session_cancel", session.pk))
    session.refresh_from_db()
    assert session.status == "cancelled"


def test_home_lists_mentees_and_sessions_in_a_fixed_number_of_queries(
    client, program, kinds, mentor, mentee, second_mentee, django_assert_num_queries
):
    def add(count, offset=0):
        for i in range(offset, offset + count):
            services.session_log(
                program=program, kind=kinds["individual"], starts_at=PAST - datetime.timedelta(days=i), minutes=60,
                participants=[mentee], summary="s", by=mentor,
            )  # fmt: skip
            start = datetime.datetime(2030, 1, 1, tzinfo=datetime.UTC) + datetime.timedelta(days=i)
            services.session_schedule(
                program=program, kind=kinds["workshop"], starts_at=start, ends_at=start + datetime.timedelta(hours=1),
                participants=[mentee, second_mentee], by=mentor, notify=False,
            )  # fmt: skip

    client.force_login(mentor)
    add(1)
    client.get(url("home"))
    # session, user, managed program ids, mentored program ids, programs led, mentees, upcoming sessions, their
    # attendances, unlogged sessions (none here, so no attendance prefetch), hours this month, the mentor's
    # profile (hour budget), the person's mentors, their sessions,
    # their open action items, the calendar address, role groups (nav)
    with django_assert_num_queries(16) as first:
        assert client.get(url("home")).status_code == 200
    add(20, offset=1)
    with django_assert_num_queries(len(first.captured_queries)):
        assert client.get(url("home")).status_code == 200


@pytest.mark.parametrize("name", ["session_log", "session_schedule"])
def test_people_who_lead_no_program_cannot_log(client, outsider, stranger, name):
    for person in (outsider, stranger):
        client.force_login(person)
        assert client.get(url(name)).status_code == 404


def test_a_mentor_cannot_open_another_programs_form(client, program, mentor, other_program, other_manager, mentee):
    client.force_login(mentor)
    assert client.get(url("session_log") + f"?program={other_program.slug}").status_code == 404
    client.force_login(other_manager)
    for name in ("session_log", "session_schedule"):
        assert client.get(url(name) + f"?program={program.slug}").status_code == 404
        assert client.post(url(name), {"program": program.slug, "participants": [mentee.pk]}).status_code == 404
    assert not Session.objects.exists()


def test_home_shows_outsiders_nothing_of_anyone(client, held, outsider, other_manager):
    for person in (outsider, other_manager):
        client.force_login(person)
        page = client.get(url("home")).content.decode()
        assert "Mira Mentee" not in page and "Worked on the price list" not in page


def test_the_calendar_address_is_offered_to_those_with_sessions_only(client, held, mentee, outsider):
    client.force_login(mentee)
    page = client.get(url("home")).content.decode()
    token = CalendarToken.objects.get(user=mentee).token
    assert f'href="webcal://testserver/calendar/{token}.ics"' in page and 'data-testid="feed-copy"' in page
    client.force_login(outsider)
    assert 'data-testid="calendar-card"' not in client.get(url("home")).content.decode()
    assert not CalendarToken.objects.filter(user=outsider).exists()


def test_participant_profile_keeps_demographics_with_consent(client, mentee):
    client.force_login(mentee)
    response = client.post(url("profile"), {"which": "participant", "p-gender": "woman", "p-birth_year": "1999",
                                            "p-consent": "on"})  # fmt: skip
    assert response.status_code == 302
    assert mentee.participant_profile.consent and mentee.participant_profile.birth_year == 1999
    assert client.post(url("profile"), {"which": "participant", "p-birth_year": "12"}).status_code == 400
    assert client.post(url("profile"), {"which": "mentor"}).status_code == 404


def test_mentor_profile(client, mentor):
    client.force_login(mentor)
    response = client.post(url("profile"), {"which": "mentor", "m-expertise": ["photography"], "m-languages": ["he"],
                                            "m-capacity_mentees": "3", "m-capacity_hours": "6"})  # fmt: skip
    assert response.status_code == 302
    assert mentor.mentor_profile.expertise == ["photography"]


def test_an_overlap_within_a_tour_is_a_warning_naming_the_time_and_zone(
    client, program, kinds, mentor, mentee, second_mentee
):
    tour, _ = services.session_log(
        program=program, kind=kinds["tour"], starts_at=PAST - datetime.timedelta(hours=6), minutes=24 * 60,
        participants=[mentee, second_mentee], summary="s", by=mentor,
    )  # fmt: skip
    services.session_log(
        program=program, kind=kinds["visit"], starts_at=PAST, minutes=60, participants=[mentee], summary="s",
        by=mentor, series=tour,
    )  # fmt: skip
    client.force_login(mentor)
    response = client.post(
        url("session_log"),
        {"program": program.slug, "kind": kinds["workshop"].pk, "participants": [second_mentee.pk],
         "date": "2026-03-10", "time": "10:30", "minutes": 60, "summary": "Second", "series": tour.pk},
        follow=True,
    )  # fmt: skip
    assert Session.objects.count() == 3
    assert "overlaps with another session of yours (Visit or meeting, 10 Mar 2026, 10:00 Asia/Jerusalem)" in (
        response.content.decode()
    )


def test_an_overlap_outside_a_tour_is_refused_naming_who_is_busy(client, program, kinds, mentor, mentee, second_mentee):
    services.session_log(
        program=program, kind=kinds["individual"], starts_at=PAST, minutes=60, participants=[mentee], summary="s",
        by=mentor, title="Pricing",
    )  # fmt: skip
    client.force_login(mentor)
    response = client.post(
        url("session_log"),
        {"program": program.slug, "kind": kinds["individual"].pk, "participants": [second_mentee.pk],
         "date": "2026-03-10", "time": "10:30", "minutes": 60, "summary": "Second"},
    )  # fmt: skip
    assert response.status_code == 400
    assert "Meir Mentor already has “Pricing” at that time" in response.content.decode()
    assert 'value="10:30"' in response.content.decode() and Session.objects.count() == 1


def test_a_participant_cannot_tick_another_participants_action_item(
    client, program, kinds, mentor, mentee, second_mentee
):
    session, _ = services.session_log(
        program=program, kind=kinds["workshop"], starts_at=PAST, minutes=60, participants=[mentee, second_mentee],
        summary="s", by=mentor,
        action_items=[services.ActionItemInput(text="Mira's task", owner=mentee), services.ActionItemInput(text="All")],
    )  # fmt: skip
    theirs = session.action_items.get(owner=mentee)
    shared = session.action_items.get(owner=None)
    client.force_login(second_mentee)
    response = client.post(reverse("mentoring:action_item_done", args=[theirs.pk]), {"done": "1"})
    assert response.status_code == 403
    theirs.refresh_from_db()
    assert theirs.done_at is None
    # Their own shared items and the owner's own stay theirs to tick.
    client.post(reverse("mentoring:action_item_done", args=[shared.pk]), {"done": "1"})
    client.force_login(mentee)
    client.post(reverse("mentoring:action_item_done", args=[theirs.pk]), {"done": "1"})
    assert ActionItem.objects.filter(done_at__isnull=False).count() == 2


@pytest.mark.parametrize("language", ["en", "fr", "ar"])
def test_scheduling_at_a_passed_time_is_refused_with_the_form_kept(client, program, kinds, mentor, mentee, language):
    """Before, a session in the past was scheduled and its invitations sent."""
    with time_machine.travel(datetime.datetime(2026, 12, 7, 10, 0, tzinfo=datetime.UTC), tick=False):
        client.force_login(mentor)
        data = {
            "program": program.slug,
            "kind": kinds["individual"].pk,
            "participants": [mentee.pk],
            "date": "2026-12-07",
            "time": "11:30",
            "minutes": 60,
            "title": "Pricing",
        }  # 11:30 in Jerusalem: 09:30 UTC
        prefix = "" if language == "en" else f"/{language}"
        response = client.post(prefix + url("session_schedule"), data)
        page = response.content.decode()
        assert response.status_code == 400
        assert {"en": "already passed", "fr": "déjà passé", "ar": "لقد مضى هذا الموعد"}[language] in page
        assert 'value="2026-12-07"' in page and 'value="11:30"' in page and 'value="Pricing"' in page
        assert not Session.objects.exists()


def test_the_list_says_who_an_individual_session_may_be_with_and_names_the_others(
    client, program, kinds, mentor, mentee, participant
):
    client.force_login(mentor)
    assert "an individual session is with them only" in client.get(url("session_log")).content.decode()
    response = client.post(
        url("session_log"),
        {"program": program.slug, "kind": kinds["individual"].pk, "participants": [mentee.pk, participant.pk],
         "date": "2026-03-10", "time": "12:30", "minutes": 60, "summary": "Kept text"},
    )  # fmt: skip
    assert response.status_code == 400
    errors = response.context["form"].errors["participants"]
    assert errors == [f"An individual session is only with your own mentees (★). Not your mentees: {participant.name}."]
    assert not Session.objects.exists()


def test_a_manager_may_hold_an_individual_session_with_anyone_and_reads_no_such_rule(client, program, manager):
    client.force_login(manager)
    assert "an individual session is with them only" not in client.get(url("session_log")).content.decode()
