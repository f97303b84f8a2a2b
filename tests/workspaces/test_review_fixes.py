"""Found reading workspaces as an attacker after the parallel merge: the ledger's program, email links, and the
person's data (download and erasure)."""

import datetime
import io
import json
import re
import zipfile

import pytest
from django.urls import reverse

from incubator.models import Notification
from incubator.personal_data import account_erase, personal_data_export
from tests.factories import CohortFactory, UserFactory
from tests.workspaces.factories import bizmax_setup, make_space, manager_of, participant
from workspaces import services, tasks
from workspaces.models import Booking, Induction, LedgerLine

D = datetime.datetime


@pytest.fixture
def world(db, frozen):
    cohort, space, desk, plan = bizmax_setup()
    person = participant(cohort, preferred_language="fr")
    return cohort, space, desk, person


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


def _data(user) -> dict:
    with zipfile.ZipFile(io.BytesIO(personal_data_export(user=user))) as opened:
        return json.loads(opened.read("data.json"))


def test_the_download_holds_bookings_statements_and_inductions(world):
    cohort, space, desk, person = world
    trainer = UserFactory()
    space.trainers.add(trainer)
    services.induction_record(
        space=space, person=person, induction_type="laser", inducted_on=datetime.date(2026, 5, 1), by=trainer
    )
    booking = services.booking_create(resource=desk, starts=D(2026, 6, 2, 8), ends=D(2026, 6, 2, 18), by=person)
    part = _data(person)["workspaces"]
    assert [b["id"] for b in part["bookings"]] == [booking.pk]
    assert part["bookings"][0]["resource"] == "Desk 1"
    assert [line["booking_id"] for line in part["statements"]] == [booking.pk]
    assert part["inductions"][0]["induction_type"] == "laser"
    # Someone else's download holds none of it.
    assert _data(participant(cohort))["workspaces"] == {"bookings": [], "statements": [], "inductions": []}


def test_erasure_frees_future_desks_keeps_the_ledger_and_forgets_inductions(world):
    cohort, space, desk, person = world
    trainer = UserFactory()
    space.trainers.add(trainer)
    services.induction_record(
        space=space, person=person, induction_type="laser", inducted_on=datetime.date(2026, 5, 1), by=trainer
    )
    booking = services.booking_create(resource=desk, starts=D(2026, 6, 9, 8), ends=D(2026, 6, 9, 18), by=person)
    subsidy_before = sum(line.subsidy for line in LedgerLine.objects.filter(booking=booking))
    assert subsidy_before > 0
    account_erase(user=person, by=person)
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CANCELLED
    # Lines are only added: the booking's charge and its reversal both stay, summing to nothing.
    assert LedgerLine.objects.filter(booking=booking).count() == 2
    assert sum(line.subsidy for line in LedgerLine.objects.filter(booking=booking)) == 0
    assert not Induction.objects.filter(person=person).exists()
    # The desk can be booked by someone else.
    other = participant(cohort)
    services.booking_create(resource=desk, starts=D(2026, 6, 9, 8), ends=D(2026, 6, 9, 18), by=other)


def test_the_space_admin_lists_no_other_programs_people_as_trainers(client, db, frozen):
    cohort, space, desk, plan = bizmax_setup()
    other_cohort = CohortFactory()
    hidden = participant(other_cohort, name="Hidden Elsewhere", email="hidden@example.org")
    space.trainers.add(hidden)
    manager = manager_of(cohort.program)
    client.force_login(manager)
    page = client.get(reverse("admin:workspaces_space_change", args=[space.pk])).content.decode()
    assert "Hidden Elsewhere" not in page and "hidden@example.org" not in page
    # Saving the space keeps the trainer the manager cannot see.
    data = {
        "name": space.name, "slug": space.slug, "address": space.address, "time_zone": space.time_zone,
        "currency": space.currency, "programs": [cohort.program.pk], "trainers": [],
    }  # fmt: skip
    form = client.get(reverse("admin:workspaces_space_change", args=[space.pk])).context["adminform"].form
    data = {**{name: form.initial.get(name, "") for name in form.fields}, **data}
    data = {key: value for key, value in data.items() if value is not None}
    for prefix in ("opening_hours", "closed_dates"):
        data.update({f"{prefix}-TOTAL_FORMS": 0, f"{prefix}-INITIAL_FORMS": 0})
    response = client.post(reverse("admin:workspaces_space_change", args=[space.pk]), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert list(space.trainers.all()) == [hidden]


def test_the_induction_admin_refuses_a_person_of_another_program(client, db, frozen):
    cohort, space, desk, plan = bizmax_setup()
    outsider = participant(CohortFactory())
    client.force_login(manager_of(cohort.program))
    response = client.post(
        reverse("admin:workspaces_induction_add"),
        {"space": space.pk, "person": outsider.pk, "induction_type": "Laser cutter", "inducted_on": "2026-05-01"},
    )
    assert response.status_code == 200  # the form again, with the choice refused
    assert not Induction.objects.exists()


def test_a_shared_spaces_induction_page_shows_a_manager_only_their_programs_people(client, db, frozen):
    cohort, space, desk, plan = bizmax_setup()
    other_cohort = CohortFactory()
    space.programs.add(other_cohort.program)
    theirs = participant(other_cohort, name="Bina Otherprogram", email="bina@example.org")
    mine = participant(cohort, name="Mira Mine")
    trainer = UserFactory()
    space.trainers.add(trainer)
    for person in (theirs, mine):
        services.induction_record(
            space=space, person=person, induction_type="laser", inducted_on=datetime.date(2026, 5, 1), by=trainer
        )
    url = reverse("workspaces:inductions", args=[space.slug])
    client.force_login(manager_of(cohort.program))
    page = client.get(url).content.decode()
    assert "Mira Mine" in page and "Bina Otherprogram" not in page
    response = client.post(url, {"email": "bina@example.org", "induction_type": "laser", "inducted_on": "2026-05-02"})
    assert response.status_code == 400 and "Bina" not in response.content.decode()
    assert theirs.inductions.count() == 1
    # The space's trainer works with everyone using it.
    client.force_login(trainer)
    page = client.get(url).content.decode()
    assert "Mira Mine" in page and "Bina Otherprogram" in page


def test_the_desks_qr_code_leads_to_the_sites_own_address(client, db, frozen, settings, monkeypatch):
    import segno

    from workspaces import views

    settings.SITE_URL = "https://portal.example.org"
    settings.ALLOWED_HOSTS = ["*"]
    encoded = []
    make = segno.make
    monkeypatch.setattr(views.segno, "make", lambda url, **kwargs: encoded.append(url) or make(url, **kwargs))
    cohort, space, desk, plan = bizmax_setup()
    client.force_login(manager_of(cohort.program))
    url = reverse("workspaces:resource_qr", args=[space.slug, desk.pk])
    assert client.get(url, HTTP_HOST="attacker.example").status_code == 200
    assert encoded == [f"https://portal.example.org/workspaces/check-in/{desk.pk}/"]
