"""The mentor's office-hours page: gates, saving the rules, the free slots around their sessions, bad input."""

import datetime

import pytest
import time_machine
from django.forms.models import model_to_dict
from django.urls import reverse

from cohorts.availability_services import availability_save
from cohorts.models import Availability
from incubator.history import recorded_actions
from mentoring import services
from tests.factories import ProgramFactory
from tests.i18n.test_round_trip import page_form

URL = reverse("mentoring:availability")
# Monday 4 January 2027, 08:00 in Jerusalem (UTC+2).
NOW = datetime.datetime(2027, 1, 4, 6, tzinfo=datetime.UTC)


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=False):
        yield


def form_data(*, windows=(), exceptions=(), **settings):
    data = {
        "time_zone": "Asia/Jerusalem",
        "slot_minutes": "30",
        "notice_hours": "24",
        "horizon_days": "28",
        "cancel_hours": "24",
        "place": "Room 2",
        "online_link": "",
        "active": "on",
        "window-TOTAL_FORMS": str(len(windows)),
        "window-INITIAL_FORMS": "0",
        "exception-TOTAL_FORMS": str(len(exceptions)),
        "exception-INITIAL_FORMS": "0",
        **settings,
    }
    for number, (weekday, starts, ends) in enumerate(windows):
        data.update(
            {f"window-{number}-weekday": weekday, f"window-{number}-starts": starts, f"window-{number}-ends": ends}
        )
    for number, (on, kind, starts, ends) in enumerate(exceptions):
        data.update(
            {
                f"exception-{number}-on": on,
                f"exception-{number}-kind": kind,
                f"exception-{number}-starts": starts,
                f"exception-{number}-ends": ends,
            }
        )
    return data


def office_hours(program, mentor, **settings):
    """Tuesdays 10:00-12:00 in Jerusalem, by the service the page calls."""
    return availability_save(
        availability=None,
        program=program,
        owner=mentor,
        purpose="office_hours",
        settings={
            "time_zone": "Asia/Jerusalem",
            "slot_minutes": 60,
            "notice_hours": 24,
            "horizon_days": 28,
            "cancel_hours": 24,
            "place": "",
            "online_link": "",
            "active": True,
            **settings,
        },
        windows=[{"weekday": 1, "starts": datetime.time(10), "ends": datetime.time(12)}],
        exceptions=[],
        by=mentor,
    )


def test_the_mentor_saves_weekly_hours_and_a_day_off(client, clock, program, mentor):
    client.force_login(mentor)
    assert client.get(URL).status_code == 200
    response = client.post(
        URL + f"?program={program.slug}",
        form_data(
            windows=[("1", "10:00", "12:00"), ("1", "14:00", "15:00"), ("3", "09:00", "10:30")],
            exceptions=[("2027-01-12", "closed_day", "", ""), ("2027-01-07", "open", "18:00", "19:00")],
        ),
    )
    assert response.status_code == 302 and response["Location"] == URL + f"?program={program.slug}"
    availability = Availability.objects.get()
    assert (availability.program, availability.owner, availability.purpose) == (program, mentor, "office_hours")
    assert availability.place == "Room 2" and availability.slot_minutes == 30
    assert [str(w) for w in availability.windows.all()] == [
        "Tuesday 10:00–12:00",
        "Tuesday 14:00–15:00",
        "Thursday 09:00–10:30",
    ]
    assert [(e.on.isoformat(), e.closed, e.starts) for e in availability.exceptions.all()] == [
        ("2027-01-07", False, datetime.time(18)),
        ("2027-01-12", True, None),
    ]
    [action] = recorded_actions(action="availability.save")
    assert action["by"] == mentor.pk and action["before"] is None and len(action["after"]["windows"]) == 3


def test_saving_again_replaces_the_rules_and_keeps_one_availability(client, clock, program, mentor):
    office_hours(program, mentor)
    client.force_login(mentor)
    response = client.post(URL, form_data(windows=[("4", "08:00", "09:00")]))
    assert response.status_code == 302
    availability = Availability.objects.get()
    assert [str(w) for w in availability.windows.all()] == ["Friday 08:00–09:00"]


def test_the_preview_shows_free_slots_around_the_mentors_sessions(client, clock, program, kinds, mentor, mentee):
    office_hours(program, mentor)
    # Tuesday 12 January, 10:00-11:00 in Jerusalem is taken by a session.
    starts = datetime.datetime(2027, 1, 12, 8, tzinfo=datetime.UTC)
    services.session_schedule(
        program=program, kind=kinds["individual"], starts_at=starts, ends_at=starts + datetime.timedelta(hours=1),
        participants=[mentee], title="Pricing review", by=mentor, notify=False,
    )  # fmt: skip
    mentor.time_zone = "Asia/Jerusalem"
    mentor.save(update_fields=["time_zone"])
    client.force_login(mentor)
    page = client.get(URL).content.decode()
    preview = page.split('data-testid="preview"')[1].split('data-testid="busy"')[0]
    # Tuesday the 5th has both hours; the 12th keeps 11:00 only; the 19th is beyond two weeks.
    days = preview.split('class="mb-2"')[1:]
    assert len(days) == 2
    assert "10:00–11:00" in days[0] and "11:00–12:00" in days[0]
    assert "10:00–11:00" not in days[1] and "11:00–12:00" in days[1]
    assert "Asia/Jerusalem" in preview
    assert "Pricing review" in page.split('data-testid="busy"')[1]


def test_the_preview_is_in_the_mentors_own_zone_named(client, clock, program, mentor):
    office_hours(program, mentor)
    mentor.time_zone = "Europe/Warsaw"
    mentor.save(update_fields=["time_zone"])
    client.force_login(mentor)
    preview = client.get(URL).content.decode().split('data-testid="preview"')[1]
    # 10:00 in Jerusalem is 09:00 in Warsaw in January.
    assert "09:00–10:00" in preview and "Europe/Warsaw" in preview


def test_overlapping_windows_are_refused_with_what_was_typed_kept(client, clock, program, mentor):
    client.force_login(mentor)
    response = client.post(
        URL, form_data(windows=[("0", "09:00", "11:00"), ("0", "10:30", "12:00")], place="Café Nadia")
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "Two windows on Monday overlap (09:00–11:00 and 10:30–12:00)" in page
    assert 'value="10:30"' in page and 'value="Café Nadia"' in page
    assert not Availability.objects.exists()


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"slot_minutes": "3"}, "greater than or equal to 5"),
        ({"horizon_days": "400"}, "less than or equal to 366"),
        ({"time_zone": "Mars/Olympus"}, "Select a valid choice"),
        ({"window-0-starts": "25:00"}, "Enter a valid time"),
        ({"window-0-ends": "08:00"}, "The end must be after the start."),
        ({"exception-0-kind": "open", "exception-0-starts": ""}, "Give the hours."),
        ({"exception-0-on": "2027-02-30"}, "Enter a valid date"),
        ({"window-TOTAL_FORMS": "5000"}, "Please submit at most 50 forms."),
    ],
)
def test_bad_input_is_a_400_with_a_message(client, clock, program, mentor, values, message):
    client.force_login(mentor)
    data = form_data(windows=[("0", "09:00", "11:00")], exceptions=[("2027-01-12", "closed_day", "10:00", "11:00")])
    response = client.post(URL, {**data, **values})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Availability.objects.exists()


@pytest.mark.parametrize("language", ["fr", "pl", "he", "ar"])
def test_times_and_dates_are_iso_in_every_language(client, clock, program, mentor, language):
    availability = office_hours(program, mentor)
    availability.exceptions.create(
        on=datetime.date(2027, 1, 19), closed=False, starts=datetime.time(18, 30), ends=datetime.time(19, 30)
    )
    client.force_login(mentor)
    page = client.get(f"/{language}{URL}").content.decode()
    assert f'lang="{language}"' in page
    for value in ('value="10:00"', 'value="12:00"', 'value="2027-01-19"', 'value="18:30"'):
        assert value in page


def test_a_mentor_of_two_programs_picks_one(client, clock, program, mentor):
    second = ProgramFactory(name="Zeta program", slug="zz-second")
    second.mentors.add(mentor)
    office_hours(second, mentor, place="Second desk")
    client.force_login(mentor)
    assert "Second desk" not in client.get(URL).content.decode()
    page = client.get(URL, {"program": "zz-second"}).content.decode()
    assert "Second desk" in page and 'id="program-switch"' in page
    client.post(URL + "?program=zz-second", form_data(windows=[("2", "09:00", "10:00")]))
    assert Availability.objects.get(program=second).windows.get().weekday == 2
    assert not Availability.objects.filter(program=program).exists()


def test_outsiders_get_nothing(client, clock, program, mentor, outsider, manager, other_program, other_manager):
    office_hours(program, mentor, place="Secret room")
    assert client.get(URL)["Location"].startswith(reverse("account_login"))
    for person in (outsider, manager, other_manager):
        client.force_login(person)
        assert client.get(URL).status_code == 404
        assert client.post(URL, form_data(windows=[("0", "09:00", "10:00")])).status_code == 404
    other_mentor = other_manager
    other_program.mentors.add(other_mentor)
    client.force_login(other_mentor)
    assert client.get(URL, {"program": program.slug}).status_code == 404
    assert client.post(URL + f"?program={program.slug}", form_data()).status_code == 404
    assert "Secret room" not in client.get(URL).content.decode()
    assert Availability.objects.count() == 1


def test_the_mentors_home_links_the_page(client, mentor, mentee):
    client.force_login(mentor)
    assert URL in client.get(reverse("mentoring:home")).content.decode()
    client.force_login(mentee)
    assert URL not in client.get(reverse("mentoring:home")).content.decode()


def test_the_page_reads_only_the_next_two_weeks_sessions(
    client, clock, program, kinds, mentor, mentee, django_assert_num_queries
):
    office_hours(program, mentor)

    def add_past(count, first=0):  # one session a day: a mentor holds no two at once (time claims)
        for day in range(first, first + count):
            services.session_log(
                program=program, kind=kinds["individual"], starts_at=NOW - datetime.timedelta(days=day + 1),
                minutes=60, participants=[mentee], summary="s", by=mentor,
            )  # fmt: skip

    add_past(1)
    client.force_login(mentor)
    # session, user, the ids of the programs mentored, those programs, the mentor's availability, its windows, its
    # exceptions, the sessions of the next two weeks (with program and kind), the user's groups (the menu)
    with django_assert_num_queries(9):
        assert client.get(URL).status_code == 200
    add_past(40, first=1)
    with django_assert_num_queries(9):
        assert client.get(URL).status_code == 200


@pytest.mark.parametrize("language", ["en", "fr", "pl", "he", "ar"])
def test_the_page_posted_back_as_shown_keeps_every_rule(client, clock, program, mentor, language):
    availability = office_hours(program, mentor, place="Salle 2", online_link="https://meet.example.org/m")
    availability.exceptions.create(on=datetime.date(2027, 1, 19), closed=True)
    availability.exceptions.create(
        on=datetime.date(2027, 1, 21), closed=True, starts=datetime.time(10, 30), ends=datetime.time(11, 15)
    )
    availability.exceptions.create(
        on=datetime.date(2027, 1, 22), closed=False, starts=datetime.time(18, 30), ends=datetime.time(19, 30)
    )

    def stored():
        saved = Availability.objects.get()
        return (
            model_to_dict(saved, exclude=["id"]),
            list(saved.windows.values_list("weekday", "starts", "ends")),
            list(saved.exceptions.values_list("on", "closed", "starts", "ends")),
        )

    before = stored()
    client.force_login(mentor)
    url = f"/{language}{URL}" if language != "en" else URL
    posted = page_form(client.get(url).content.decode(), "slot_minutes")
    assert client.post(url + f"?program={program.slug}", posted).status_code == 302
    assert stored() == before
