"""Every page with three personas: the owner, another applicant, and an outsider (anonymous or not allowed)."""

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from applications.models import Criterion
from applications.services import application_start
from applications.submission import application_submit
from incubator.roles import PROGRAM_MANAGER
from tests.applications.conftest import fill
from tests.applications.factories import add_rules, make_call, program_with_regions
from tests.factories import program_manager


@pytest.fixture
def submitted(draft, applicant):
    application_submit(application=draft, by=applicant)
    return draft


def login_url_for(url):
    return f"{reverse('account_login')}?next={url}"


def test_call_list_shows_open_upcoming_and_closed_to_anyone(client, call):
    html = client.get(reverse("applications:calls")).content.decode()
    assert call.title in html and 'data-testid="calls-open"' in html


def test_call_page_shows_criteria_eligibility_deadline_zone_and_countdown(client, call):
    add_rules(call)
    # The criteria on the page are the rubric the reviewers score: one list, with its descriptions.
    Criterion.objects.create(call=call, position=1, name="Viability", description="Can it pay for itself?")
    Criterion.objects.create(call=call, position=2, name="Impact")
    html = client.get(reverse("applications:call", args=[call.slug])).content.decode()
    assert "Viability" in html and "Impact" in html and "Can it pay for itself?" in html
    assert "Aged 18 to 29" in html and "North, South" in html
    assert "(Africa/Casablanca)" in html and "closes in" in html


def test_unknown_call_is_404(client, db):
    assert client.get(reverse("applications:call", args=["nope"])).status_code == 404


@pytest.mark.parametrize("name", ["apply", "preview", "submit"])
def test_anonymous_is_sent_to_sign_in_for_the_form(client, call, name):
    url = reverse(f"applications:{name}", args=[call.slug])
    response = client.post(url) if name == "submit" else client.get(url)
    assert response.status_code == 302 and response.url == login_url_for(url)


def test_owner_sees_the_form_with_the_draft(client, draft, applicant):
    client.force_login(applicant)
    html = client.get(reverse("applications:apply", args=[draft.call.slug])).content.decode()
    assert 'value="Gnaoua Lab"' in html and "deck.pdf" in html


def test_other_applicant_gets_an_empty_form_of_their_own(client, draft, other_applicant):
    client.force_login(other_applicant)
    html = client.get(reverse("applications:apply", args=[draft.call.slug])).content.decode()
    assert "Gnaoua Lab" not in html and "deck.pdf" not in html


def test_other_applicant_cannot_preview_or_submit_what_they_do_not_have(client, draft, other_applicant):
    client.force_login(other_applicant)
    assert client.get(reverse("applications:preview", args=[draft.call.slug])).status_code == 404
    assert client.post(reverse("applications:submit", args=[draft.call.slug])).status_code == 404


def test_submit_view_submits_and_redirects_to_the_status(
    client, draft, applicant, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(applicant)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("applications:submit", args=[draft.call.slug]))
    assert response.url == reverse("applications:detail", args=[draft.pk])
    draft.refresh_from_db()
    assert draft.status == "submitted"
    assert len(mailoutbox) == 1


def test_submit_view_with_missing_answers_keeps_the_draft_and_explains(client, call, applicant):
    application = fill(application_start(call=call, applicant=applicant), file=False)
    client.force_login(applicant)
    response = client.post(reverse("applications:submit", args=[call.slug]), follow=True)
    html = response.content.decode()
    assert "Some required information is missing." in html and "Presentation" in html
    application.refresh_from_db()
    assert application.status == "draft"


def test_application_list_shows_only_own_applications(client, submitted, applicant, other_applicant):
    client.force_login(applicant)
    html = client.get(reverse("applications:list")).content.decode()
    assert f'data-testid="application-{submitted.pk}"' in html
    client.force_login(other_applicant)
    html = client.get(reverse("applications:list")).content.decode()
    assert f'data-testid="application-{submitted.pk}"' not in html


def test_application_list_needs_sign_in(client, db):
    url = reverse("applications:list")
    assert client.get(url).url == login_url_for(url)


def test_detail_for_owner_shows_status_timeline_and_eligibility(client, submitted, applicant):
    client.force_login(applicant)
    html = client.get(reverse("applications:detail", args=[submitted.pk])).content.decode()
    assert 'data-testid="status"' in html and "Submitted" in html and "Draft started" in html
    assert 'data-testid="eligibility"' in html


@pytest.mark.parametrize("persona", ["other", "outsider"])
def test_another_applicants_id_in_the_url_is_404(client, submitted, other_applicant, outsider, persona):
    client.force_login(other_applicant if persona == "other" else outsider)
    file_pk = submitted.files.get().pk
    assert client.get(reverse("applications:detail", args=[submitted.pk])).status_code == 404
    assert client.post(reverse("applications:withdraw", args=[submitted.pk])).status_code == 404
    assert client.get(reverse("applications:file", args=[submitted.pk, file_pk])).status_code == 404
    submitted.refresh_from_db()
    assert submitted.status == "submitted"


def test_anonymous_cannot_reach_an_application_or_its_files(client, submitted):
    for url in [
        reverse("applications:detail", args=[submitted.pk]),
        reverse("applications:file", args=[submitted.pk, submitted.files.get().pk]),
    ]:
        response = client.get(url)
        assert response.status_code == 302 and response.url == login_url_for(url)


def test_file_is_served_to_the_owner_and_to_program_managers_only(client, submitted, applicant):
    stored = submitted.files.get()
    url = reverse("applications:file", args=[submitted.pk, stored.pk])
    client.force_login(applicant)
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert response["Content-Disposition"] == 'attachment; filename="deck.pdf"'
    client.force_login(program_manager(submitted.call.cohort.program, roles=[PROGRAM_MANAGER]))
    assert client.get(url).status_code == 200
    # A manager of another program, in the same group and staff, gets nothing.
    client.force_login(program_manager(program_with_regions(slug="elsewhere"), roles=[PROGRAM_MANAGER]))
    assert client.get(url).status_code == 404
    assert client.get(reverse("applications:detail", args=[submitted.pk])).status_code == 404


def test_file_id_of_another_application_is_404(client, submitted, other_applicant, call):
    other = fill(application_start(call=call, applicant=other_applicant))
    client.force_login(other_applicant)
    # Their own application id with someone else's file id.
    assert client.get(reverse("applications:file", args=[other.pk, submitted.files.get().pk])).status_code == 404


def test_owner_withdraws(client, submitted, applicant):
    client.force_login(applicant)
    client.post(reverse("applications:withdraw", args=[submitted.pk]))
    submitted.refresh_from_db()
    assert submitted.status == "withdrawn"


def test_manager_reads_but_cannot_withdraw(client, submitted):
    client.force_login(program_manager(submitted.call.cohort.program, roles=[PROGRAM_MANAGER]))
    assert client.get(reverse("applications:detail", args=[submitted.pk])).status_code == 200
    assert client.post(reverse("applications:withdraw", args=[submitted.pk])).status_code == 404


@pytest.mark.calendar
def test_closed_call_without_application_sends_back_to_the_call(client, applicant):
    now = timezone.now()
    closed = make_call(slug="closed", opens_at=now - datetime.timedelta(days=9), closes_at=now - datetime.timedelta(1))
    client.force_login(applicant)
    response = client.get(reverse("applications:apply", args=[closed.slug]))
    assert response.url == reverse("applications:call", args=[closed.slug])


def test_navigation_and_home_card_link_to_calls(client, call, applicant):
    client.force_login(applicant)
    html = client.get(reverse("home")).content.decode()
    assert 'data-testid="nav-calls"' in html and 'data-testid="nav-applications"' in html
    assert reverse("applications:call", args=[call.slug]) in html


def test_home_card_keeps_its_empty_state_when_no_call_is_open(client, applicant):
    client.force_login(applicant)
    html = client.get(reverse("home")).content.decode()
    assert 'data-testid="card-applicant"' in html and "No call for applications is open right now" in html


def test_submit_one_second_late_shows_a_clear_message_and_keeps_the_draft(client, applicant, settings):
    closes_at = datetime.datetime(2024, 3, 31, 22, 59, 59, tzinfo=datetime.UTC)
    with time_machine.travel(closes_at - datetime.timedelta(hours=1), tick=False):
        call = make_call(closes_at=closes_at)
        application = fill(application_start(call=call, applicant=applicant))
    client.force_login(applicant)
    with time_machine.travel(closes_at + datetime.timedelta(seconds=settings.SUBMISSION_GRACE_SECONDS + 1), tick=False):
        response = client.post(reverse("applications:submit", args=[call.slug]), follow=True)
    assert "The deadline has passed: submissions closed. Your draft is kept." in response.content.decode()
    application.refresh_from_db()
    assert application.status == "draft" and "Gnaoua Lab" in application.answers.values()
