import datetime

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import CohortFactory, UserFactory
from tests.workspaces.factories import bizmax_setup, make_plan, make_resource, make_space, manager_of, participant
from workspaces import services
from workspaces.models import Induction, Space


@pytest.fixture
def two_programs(db, frozen):
    cohort, space, desk, plan = bizmax_setup()
    other_cohort = CohortFactory()
    other_space = make_space([other_cohort.program], slug="elsewhere")
    other_desk = make_resource(other_space, "Secret desk")
    make_plan(other_cohort, other_space)
    services.booking_create(
        resource=other_desk,
        starts=datetime.datetime(2026, 6, 2, 8),
        ends=datetime.datetime(2026, 6, 2, 18),
        by=participant(other_cohort, name="Hidden Participant"),
    )
    return cohort, space, desk, other_space, other_desk


@pytest.mark.parametrize("model", ["space", "resource", "booking", "subsidyplan", "induction"])
def test_a_manager_sees_nothing_of_another_program_in_the_admin(client, two_programs, model):
    cohort, space, desk, other_space, other_desk = two_programs
    client.force_login(manager_of(cohort.program))
    page = client.get(reverse(f"admin:workspaces_{model}_changelist")).content.decode()
    assert "Secret desk" not in page and "Elsewhere" not in page and "Hidden Participant" not in page


def test_other_programs_rows_cannot_be_opened_or_changed(client, two_programs):
    cohort, space, desk, other_space, other_desk = two_programs
    client.force_login(manager_of(cohort.program))
    assert client.get(reverse("admin:workspaces_space_change", args=[other_space.pk])).status_code in (302, 403, 404)
    assert client.get(reverse("admin:workspaces_resource_change", args=[other_desk.pk])).status_code in (302, 403, 404)
    response = client.post(reverse("admin:workspaces_resource_delete", args=[other_desk.pk]), {"post": "yes"})
    assert response.status_code in (302, 403, 404)
    other_desk.refresh_from_db()
    assert client.get(reverse("admin:workspaces_resource_change", args=[desk.pk])).status_code == 200
    form = client.get(reverse("admin:workspaces_resource_add")).content.decode()
    assert "Elsewhere" not in form and space.name in form


def test_the_admin_records_inductions_through_the_service(client, two_programs):
    cohort, space, desk, other_space, other_desk = two_programs
    manager = manager_of(cohort.program)
    person = participant(cohort)
    client.force_login(manager)
    response = client.post(
        reverse("admin:workspaces_induction_add"),
        {"space": space.pk, "person": person.pk, "induction_type": "Laser cutter", "inducted_on": "2026-05-01"},
    )
    assert response.status_code == 302
    induction = Induction.objects.get()
    assert induction.recorded_by == manager
    refused = client.post(
        reverse("admin:workspaces_induction_add"),
        {"space": other_space.pk, "person": person.pk, "induction_type": "Laser cutter", "inducted_on": "2026-05-01"},
    )
    assert refused.status_code == 200 and Induction.objects.count() == 1


def test_a_shared_space_keeps_the_other_programs_when_a_manager_saves_it(client, two_programs):
    cohort, space, desk, other_space, other_desk = two_programs
    third = CohortFactory().program
    space.programs.add(third)
    client.force_login(manager_of(cohort.program))
    url = reverse("admin:workspaces_space_change", args=[space.pk])
    data = {
        "name": "Renamed", "slug": space.slug, "address": "", "time_zone": space.time_zone, "currency": space.currency,
        "programs": [cohort.program.pk], "week_starts_on": 6, "booking_horizon_days": 30, "weekly_limit": 5,
        "free_cancellation_hours": 24, "check_in_minutes": 60,
        "opening_hours-TOTAL_FORMS": 0, "opening_hours-INITIAL_FORMS": 0,
        "closed_dates-TOTAL_FORMS": 0, "closed_dates-INITIAL_FORMS": 0,
    }  # fmt: skip
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert set(Space.objects.get(pk=space.pk).programs.all()) == {cohort.program, third}


@pytest.mark.django_db
def test_trainer_choices_hold_only_the_managers_own_program_staff(client):
    """Regression (permission matrix): the space form listed every account as a possible trainer, so a manager of
    one program read the names and emails of another program's applicants and participants."""
    cohort = CohortFactory()
    someone_elses = participant(cohort, name="Pia Elsewhere")
    other_program = CohortFactory().program
    other_manager = manager_of(other_program, name="Otto Othermanager")
    mentor = UserFactory(name="Mo Mentor")
    other_program.mentors.add(mentor)
    client.force_login(other_manager)

    page = client.get(reverse("admin:workspaces_space_add")).content.decode()

    assert "Pia Elsewhere" not in page and someone_elses.email not in page
    assert "Mo Mentor" in page and "Otto Othermanager" in page


@pytest.mark.django_db
def test_a_manager_saving_a_space_keeps_trainers_they_cannot_see():
    cohort = CohortFactory()
    elsewhere = CohortFactory()
    space = make_space([cohort.program, elsewhere.program], slug="shared")
    trainer = participant(elsewhere, name="Tara Trainer")  # a person of the other program, out of the manager's sight
    space.trainers.add(trainer)
    manager = manager_of(cohort.program, name="Maya Manager")
    client = Client()
    client.force_login(manager)
    url = reverse("admin:workspaces_space_change", args=[space.pk])
    form = client.get(url).context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None}
    data.update(programs=[cohort.program.pk], trainers=[], slug=space.slug, name=space.name, time_zone="Asia/Jerusalem")
    for prefix in ("opening_hours", "closed_dates"):
        data.update({f"{prefix}-TOTAL_FORMS": 0, f"{prefix}-INITIAL_FORMS": 0})
    response = client.post(url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    assert list(space.trainers.all()) == [trainer]


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


@pytest.mark.parametrize("claimed", ["201", "9" * 20])
def test_a_forged_form_count_is_refused_without_building_a_thousand_forms(client, two_programs, claimed):
    """Django builds up to 1,000 inline forms when the management form claims more; ours refuse past 200."""
    cohort, space, desk, other_space, other_desk = two_programs
    client.force_login(manager_of(cohort.program))
    data = {
        "name": space.name, "slug": space.slug, "address": "", "time_zone": space.time_zone,
        "currency": space.currency, "programs": [cohort.program.pk], "week_starts_on": 6, "booking_horizon_days": 30,
        "weekly_limit": 5, "free_cancellation_hours": 24, "check_in_minutes": 60,
        "opening_hours-TOTAL_FORMS": claimed, "opening_hours-INITIAL_FORMS": 0,
        "closed_dates-TOTAL_FORMS": 0, "closed_dates-INITIAL_FORMS": 0,
    }  # fmt: skip
    response = client.post(reverse("admin:workspaces_space_change", args=[space.pk]), data)
    assert response.status_code == 200
    formset = next(f for f in response.context["inline_admin_formsets"] if f.formset.prefix == "opening_hours")
    assert len(formset.formset.forms) <= 200
    assert not formset.formset.forms  # refused before any of its forms is built
    assert "Please submit at most 200 forms." in response.content.decode()


def test_every_admin_inline_is_bounded():
    from django.contrib import admin

    from incubator.admin_site import BoundedInlineMixin

    inlines = {inline for model_admin in admin.site._registry.values() for inline in model_admin.inlines}
    assert inlines and all(issubclass(inline, BoundedInlineMixin) for inline in inlines), inlines
