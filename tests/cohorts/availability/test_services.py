"""`availability_save`, the forms' rules, and the availability admin kept to the viewer's programs."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from cohorts.availability_forms import ExceptionFormSet, WindowFormSet
from cohorts.availability_services import availability_save
from cohorts.models import Availability
from incubator.history import recorded_actions
from tests.factories import ProgramFactory, UserFactory, program_manager

T = datetime.time
SETTINGS = {
    "time_zone": "Africa/Casablanca",
    "slot_minutes": 20,
    "notice_hours": 2,
    "horizon_days": 14,
    "cancel_hours": 6,
    "place": "",
    "online_link": "",
    "active": True,
}


@pytest.fixture
def program(db):
    return ProgramFactory(time_zone="Africa/Casablanca")


@pytest.fixture
def mentor(program):
    person = UserFactory(name="Meryem Mentor")
    program.mentors.add(person)
    return person


def save(program, owner, *, availability=None, purpose="office_hours", windows=(), exceptions=(), **settings):
    return availability_save(
        availability=availability,
        program=program,
        owner=owner,
        purpose=purpose,
        settings={**SETTINGS, **settings},
        windows=list(windows),
        exceptions=list(exceptions),
        by=owner,
    )


def test_a_save_replaces_the_rules_and_records_before_and_after(program, mentor):
    first = save(program, mentor, windows=[{"weekday": 0, "starts": T(9), "ends": T(10)}])
    second = save(
        program,
        mentor,
        windows=[{"weekday": 2, "starts": T(14), "ends": T(16)}],
        exceptions=[{"on": datetime.date(2027, 2, 10), "closed": True, "starts": None, "ends": None}],
        slot_minutes=40,
    )
    assert second.pk == first.pk and Availability.objects.count() == 1
    assert list(second.windows.values_list("weekday", "starts")) == [(2, T(14))]
    assert second.exceptions.get().on == datetime.date(2027, 2, 10)
    before, after = (entry for entry in recorded_actions(action="availability.save"))
    assert before["before"] is None and before["after"]["windows"] == ["0 09:00-10:00"]
    assert after["before"]["slot_minutes"] == 20 and after["after"]["slot_minutes"] == 40
    assert after["after"]["exceptions"] == ["2027-02-10 closed"]


def test_a_panel_may_keep_several_interview_availabilities(program, mentor):
    save(program, mentor, purpose="interviews")
    save(program, mentor, purpose="interviews")
    assert Availability.objects.filter(purpose="interviews").count() == 2


def test_someone_elses_availability_or_an_unknown_zone_is_refused(program, mentor):
    theirs = save(program, UserFactory())
    with pytest.raises(ValidationError):
        save(program, mentor, availability=theirs)
    with pytest.raises(ValidationError):
        save(program, mentor, time_zone="Mars/Olympus")
    with pytest.raises(ValidationError):
        save(program, mentor, purpose="parties")
    assert not Availability.objects.filter(owner=mentor).exists()


def formset(cls, prefix, rows):
    data = {f"{prefix}-TOTAL_FORMS": str(len(rows)), f"{prefix}-INITIAL_FORMS": "0"}
    for number, row in enumerate(rows):
        data.update({f"{prefix}-{number}-{key}": value for key, value in row.items()})
    return cls(data, prefix=prefix)


def test_windows_may_touch_but_not_overlap_and_empty_rows_are_no_rows():
    touching = formset(
        WindowFormSet,
        "w",
        [
            {"weekday": "0", "starts": "09:00", "ends": "10:00"},
            {"weekday": "0", "starts": "10:00", "ends": "11:00"},
            {"weekday": "1", "starts": "09:30", "ends": "10:30"},
            {"weekday": "3", "starts": "", "ends": ""},
        ],
    )
    assert touching.is_valid() and len(touching.rows()) == 3
    overlapping = formset(
        WindowFormSet,
        "w",
        [{"weekday": "4", "starts": "09:00", "ends": "12:00"}, {"weekday": "4", "starts": "08:00", "ends": "09:30"}],
    )
    assert not overlapping.is_valid()
    assert "Two windows on Friday overlap (08:00–09:30 and 09:00–12:00)" in overlapping.non_form_errors()[0]
    half = formset(WindowFormSet, "w", [{"weekday": "4", "starts": "09:00", "ends": ""}])
    assert not half.is_valid()


def test_an_exception_row_becomes_the_rule_it_names():
    rows = formset(
        ExceptionFormSet,
        "e",
        [
            {"on": "2027-02-08", "kind": "closed_day", "starts": "09:00", "ends": ""},
            {"on": "2027-02-09", "kind": "closed_hours", "starts": "09:00", "ends": "10:00"},
            {"on": "2027-02-10", "kind": "open", "starts": "18:00", "ends": "19:00"},
            {"on": "", "kind": "open", "starts": "", "ends": ""},
        ],
    )
    assert rows.is_valid(), rows.errors
    assert rows.rows() == [
        {"on": datetime.date(2027, 2, 8), "closed": True, "starts": None, "ends": None},
        {"on": datetime.date(2027, 2, 9), "closed": True, "starts": T(9), "ends": T(10)},
        {"on": datetime.date(2027, 2, 10), "closed": False, "starts": T(18), "ends": T(19)},
    ]


def test_the_admin_shows_a_manager_their_programs_availabilities_only(client, program, mentor):
    mine = save(program, mentor, place="Mine")
    other_program = ProgramFactory()
    theirs = save(other_program, UserFactory(), place="Theirs")
    manager = program_manager(program)
    client.force_login(manager)
    listing = client.get(reverse("admin:cohorts_availability_changelist")).content.decode()
    assert "Meryem Mentor" in listing
    assert client.get(reverse("admin:cohorts_availability_change", args=[mine.pk])).status_code == 200
    assert client.get(reverse("admin:cohorts_availability_change", args=[theirs.pk])).status_code in (302, 404)
    page = client.get(reverse("admin:cohorts_availability_add")).content.decode()
    assert other_program.name not in page
