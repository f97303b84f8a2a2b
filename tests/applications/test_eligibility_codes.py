"""Eligibility reasons are codes with parameters: each reader sees them in their own language."""

import datetime

from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse
from django.utils import translation

from applications.checks import reason_text, reasons_text
from applications.services import application_start
from applications.submission import application_submit
from tests.applications.conftest import fill
from tests.applications.factories import add_rules
from tests.factories import program_manager

AFTER = ("applications", "0006_eligibility_reason_codes")


def test_reasons_are_stored_as_codes_and_read_in_the_readers_language(client, call, applicant):
    add_rules(call)
    application = fill(application_start(call=call, applicant=applicant), dob=datetime.date(1980, 1, 1))
    with translation.override("ar"):  # submitted from an Arabic page
        application_submit(application=application, by=applicant)
    application.refresh_from_db()
    assert application.eligibility_reasons[0]["code"] == "age_range"
    assert application.eligibility_reasons[0]["params"]["low"] == 18
    english = reason_text(application.eligibility_reasons[0])
    assert "Applicants must be 18 to 29 years old" in english
    with translation.override("fr"):
        assert reason_text(application.eligibility_reasons[0]) != english

    client.force_login(program_manager(call.cohort.program))
    page = client.get(reverse("admin:applications_application_change", args=[application.pk])).content.decode()
    assert "Applicants must be 18 to 29 years old" in page
    client.force_login(applicant)
    page = client.get(reverse("applications:detail", args=[application.pk])).content.decode()
    assert "Applicants must be 18 to 29 years old" in page


def test_a_reason_kept_as_text_is_shown_as_written():
    assert reasons_text(["Raison écrite avant les codes."]) == ["Raison écrite avant les codes."]


def test_the_migration_turns_stored_sentences_into_codes(empty_database):
    executor = MigrationExecutor(connection)
    executor.migrate([("applications", "0003_scoring")])
    old = executor.loader.project_state([("applications", "0003_scoring")]).apps
    program = old.get_model("cohorts", "Program").objects.create(
        name="Kawalis", slug="kawalis", time_zone="Africa/Casablanca"
    )
    north = old.get_model("cohorts", "Region").objects.create(program=program, name="North")
    south = old.get_model("cohorts", "Region").objects.create(program=program, name="South")
    cohort = old.get_model("cohorts", "Cohort").objects.create(program=program, name="C", slug="c")
    call = old.get_model("applications", "Call").objects.create(
        cohort=cohort,
        slug="k",
        title="K",
        opens_at=datetime.datetime(2024, 1, 1, tzinfo=datetime.UTC),
        closes_at=datetime.datetime(2024, 3, 31, 22, 59, tzinfo=datetime.UTC),
    )
    rules = old.get_model("applications", "EligibilityRule").objects
    rules.create(call=call, kind="age_range", min_age=18, max_age=29)
    rules.create(call=call, kind="regions").regions.set([north])
    user = old.get_model("incubator", "User").objects.create(email="a@example.org", name="A")
    old_application = old.get_model("applications", "Application").objects.create(
        call=call,
        applicant=user,
        status="submitted",
        submitted_at=call.closes_at,
        date_of_birth=datetime.date(1980, 6, 1),
        region=south,
        eligibility="ineligible",
        eligibility_reasons=["يجب أن يكون عمر المتقدمين بين 18 و29 سنة", "يجب أن تكون منطقتك إحدى: North"],
    )

    executor.loader.build_graph()
    executor.migrate([AFTER])
    new = executor.loader.project_state([AFTER]).apps
    application = new.get_model("applications", "Application").objects.get(pk=old_application.pk)
    assert [reason["code"] for reason in application.eligibility_reasons] == ["age_range", "regions"]
    assert application.eligibility_reasons[0]["params"] == {"age": 43, "date": "2024-03-31", "low": 18, "high": 29}
    assert "Your region must be one of: North." in reasons_text(application.eligibility_reasons)
