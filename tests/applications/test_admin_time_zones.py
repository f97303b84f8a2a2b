"""The call admin shows and reads times in the program's zone, whoever edits it: an unchanged save changes nothing."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from applications.models import EligibilityRule
from applications.scoring.assignments import assignment_create
from applications.scoring.decisions import decisions_record
from applications.scoring.models import Criterion, ReviewSettings
from applications.services import application_start
from applications.submission import application_submit
from tests.applications.conftest import fill
from tests.applications.factories import make_call
from tests.factories import UserFactory, grant, program_manager
from tests.html_forms import form_data

CASABLANCA = ZoneInfo("Africa/Casablanca")


@pytest.fixture
def kawalis(db):
    call = make_call(
        slug="kawalis",
        opens_at=datetime.datetime(2026, 11, 1, 9, 0, tzinfo=CASABLANCA),
        closes_at=datetime.datetime(2026, 12, 30, 23, 59, 59, tzinfo=CASABLANCA),
    )
    EligibilityRule.objects.create(call=call, kind=EligibilityRule.Kind.AGE_RANGE, min_age=18, max_age=29)
    ReviewSettings.objects.create(call=call, review_deadline=datetime.datetime(2027, 1, 20, 18, 0, tzinfo=CASABLANCA))
    Criterion.objects.create(call=call, position=1, name="Viability", weight=2, scale_min=1, scale_max=5)
    return call


@pytest.mark.parametrize("manager_zone", ["Europe/Warsaw", "Asia/Jerusalem", "America/New_York", "Africa/Casablanca"])
def test_an_unchanged_save_of_the_real_admin_form_leaves_every_time_unchanged(client, kawalis, manager_zone):
    client.force_login(program_manager(kawalis.cohort.program, time_zone=manager_zone))
    url = reverse("admin:applications_call_change", args=[kawalis.pk])
    page = client.get(url)
    html = page.content.decode()
    # Shown as the public page shows it, with the zone named beside the field.
    assert 'value="2026-12-30"' in html and 'value="23:59:59"' in html
    assert "Africa/Casablanca" in html

    data = form_data(html, "call_form")
    data["_save"] = ["Save"]
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]

    kawalis.refresh_from_db()
    assert kawalis.closes_at == datetime.datetime(2026, 12, 30, 23, 59, 59, tzinfo=CASABLANCA)
    assert kawalis.opens_at == datetime.datetime(2026, 11, 1, 9, 0, tzinfo=CASABLANCA)
    assert ReviewSettings.objects.get(call=kawalis).review_deadline == datetime.datetime(
        2027, 1, 20, 18, 0, tzinfo=CASABLANCA
    )


def test_a_typed_review_deadline_is_read_in_the_programs_zone(client, kawalis):
    client.force_login(program_manager(kawalis.cohort.program, time_zone="Asia/Jerusalem"))
    url = reverse("admin:applications_call_change", args=[kawalis.pk])
    data = form_data(client.get(url).content.decode(), "call_form")
    data["review_settings-0-review_deadline_0"] = ["2027-02-01"]
    data["review_settings-0-review_deadline_1"] = ["12:00:00"]
    assert client.post(url, data).status_code == 302
    deadline = ReviewSettings.objects.get(call=kawalis).review_deadline
    assert deadline == datetime.datetime(2027, 2, 1, 12, 0, tzinfo=CASABLANCA)


def test_call_list_shows_times_in_the_programs_zone_with_its_name(client, kawalis):
    client.force_login(program_manager(kawalis.cohort.program, time_zone="Asia/Jerusalem"))
    html = client.get(reverse("admin:applications_call_changelist")).content.decode()
    assert "(Africa/Casablanca)" in html
    assert "30 Dec 2026, 23:59 (Africa/Casablanca)" in html


def test_scoring_history_reads_as_sentences_in_the_readers_zone(client, kawalis, applicant):
    manager = program_manager(kawalis.cohort.program, time_zone="Europe/Warsaw", name="Maya Manager")
    application = fill(application_start(call=kawalis, applicant=applicant))
    application_submit(application=application, by=applicant)
    application.refresh_from_db()
    decisions_record(applications=[application], outcome="accept", by=manager)
    decisions_record(applications=[application], outcome="waitlist", by=manager)
    client.force_login(manager)
    html = client.get(reverse("admin:applications_application_change", args=[application.pk])).content.decode()
    assert "Decision: accept → waitlist" in html
    assert "Maya Manager" in html and "(Europe/Warsaw)" in html
    assert "{&quot;outcome&quot;" not in html and '{"outcome"' not in html


@pytest.mark.parametrize("rows", [1, 5])
def test_the_lists_with_program_times_run_a_fixed_number_of_queries(
    client, kawalis, applicant, rows, django_assert_num_queries
):
    for n in range(rows - 1):
        make_call(slug=f"more-{n}")
    people = [applicant] + [UserFactory() for _ in range(rows - 1)]
    for person in people:
        application_submit(application=fill(application_start(call=kawalis, applicant=person)), by=person)
    client.force_login(program_manager(kawalis.cohort.program, time_zone="Asia/Jerusalem"))
    calls_url = reverse("admin:applications_call_changelist")
    applications_url = reverse("admin:applications_application_changelist")
    client.get(calls_url)
    # session, user, the user's permissions (user's, groups'), the programs for the filter, the count, the total
    # count, the calls with cohort and program (their times in the program's zone: no query per row), role names,
    # the programs the manager manages
    with django_assert_num_queries(10):
        assert client.get(calls_url).status_code == 200
    client.get(applications_url)
    # the same kinds of queries for the applications, with the call and region filters' choices
    with django_assert_num_queries(11):
        assert client.get(applications_url).status_code == 200


def test_assignment_and_history_lists_name_their_zones(client, kawalis, applicant):
    manager = program_manager(kawalis.cohort.program, time_zone="Europe/Warsaw")
    application = fill(application_start(call=kawalis, applicant=applicant))
    application_submit(application=application, by=applicant)
    application.refresh_from_db()
    decisions_record(applications=[application], outcome="accept", by=manager)
    assignment_create(
        application=application, reviewer=grant(kawalis.cohort.program, UserFactory(), "reviewer"), by=manager
    )
    client.force_login(manager)
    assignments = client.get(reverse("admin:applications_reviewerassignment_changelist")).content.decode()
    assert "(Africa/Casablanca)" in assignments
    history = client.get(reverse("admin:applications_application_change", args=[application.pk])).content.decode()
    assert "(Europe/Warsaw)" in history
    decisions = client.get(reverse("admin:applications_decision_changelist")).content.decode()
    assert "(Africa/Casablanca)" in decisions
