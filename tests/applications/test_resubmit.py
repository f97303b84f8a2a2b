"""Changing a submitted application (calls that allow it): a save is a resubmission, all or nothing.

The live row is what managers, reviewers and the CSV read, so it changes only together with a new
version, re-evaluated eligibility, an audit entry and one confirmation email for that version."""

import datetime

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from applications.models import Application, ApplicationFile
from applications.services import (
    ApplicationError,
    DraftData,
    application_file_attach,
    application_save_draft,
    application_start,
)
from applications.submission import application_resubmit, application_submit
from incubator import delivery
from incubator.models import Notification
from tests.applications.conftest import fill
from tests.applications.factories import PDF_BYTES, add_rules, make_call, question
from tests.applications.test_form import form_data
from tests.audit_trail import action, actions

CLOSES_AT = datetime.datetime(2030, 3, 31, 21, 59, 59, tzinfo=datetime.UTC)


@pytest.fixture
def editable_call(db):
    with time_machine.travel(CLOSES_AT - datetime.timedelta(days=5), tick=False):
        return make_call(
            editable_after_submit=True, closes_at=CLOSES_AT, opens_at=CLOSES_AT - datetime.timedelta(days=20)
        )


def before_deadline(delta=datetime.timedelta(days=2)):
    return time_machine.travel(CLOSES_AT - delta, tick=False)


@pytest.fixture
def submitted(editable_call, applicant, django_capture_on_commit_callbacks):
    """Submitted from the North region; with rules allowing only the South, so it is ineligible."""
    add_rules(editable_call, ages=None, regions=("South",), answer=None)
    with before_deadline(), django_capture_on_commit_callbacks(execute=True):
        application = fill(application_start(call=editable_call, applicant=applicant))
        application_submit(application=application, by=applicant)
    application.refresh_from_db()
    assert application.eligibility == "ineligible"
    return application


def snapshot(application: Application) -> dict:
    """Everything of the live record that the staff read."""
    application.refresh_from_db()
    return {
        "fields": (application.full_name, application.phone, application.region_id, application.date_of_birth),
        "answers": application.answers,
        "status": (application.status, application.submitted_at, application.updated_at),
        "eligibility": (application.eligibility, application.eligibility_reasons),
        "team": list(application.team_members.values_list("name", "email", "role")),
        "files": list(application.files.values_list("pk", "original_name", "file")),
        "versions": list(application.versions.values_list("number", flat=True)),
        "audit": len(actions(object_id=application.pk)),
        "ledger": Notification.objects.count(),
    }


def new_pdf(name="new-deck.pdf"):
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


# The service


def test_resubmit_with_a_missing_required_answer_is_refused_and_changes_nothing(
    submitted, applicant, editable_call, mailoutbox, settings, django_capture_on_commit_callbacks
):
    before = snapshot(submitted)
    stored_files = sorted(p.name for p in (settings.MEDIA_ROOT).rglob("*") if p.is_file())
    changes = DraftData(
        standard={"phone": "+212 699 999 999", "region": editable_call.cohort.program.regions.get(name="South")},
        answers={str(question(editable_call, 1).pk): ""},  # the project name, required, emptied
        team=[{"name": "Someone New", "email": "new@example.org", "role": "cook"}],
    )
    uploads = {question(editable_call, 5): (new_pdf(), "application/pdf")}
    with (
        before_deadline(datetime.timedelta(days=1)),
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(ApplicationError) as refused,
    ):
        application_resubmit(application=submitted, data=changes, uploads=uploads, by=applicant)
    assert refused.value.problems == ["Project name"]
    assert snapshot(submitted) == before
    # Not even the bytes of the refused upload were stored.
    assert sorted(p.name for p in settings.MEDIA_ROOT.rglob("*") if p.is_file()) == stored_files
    assert len(mailoutbox) == 1  # only the first confirmation


def test_resubmit_with_a_date_of_birth_in_the_future_is_refused(submitted, applicant):
    before = snapshot(submitted)
    changes = DraftData(standard={"date_of_birth": CLOSES_AT.date() + datetime.timedelta(days=3)})
    with before_deadline(), pytest.raises(ApplicationError) as refused:
        application_resubmit(application=submitted, data=changes, by=applicant)
    assert any("future" in problem for problem in refused.value.problems)
    assert snapshot(submitted) == before


def test_valid_resubmit_writes_a_new_version_recomputes_eligibility_and_confirms_once(
    submitted, applicant, editable_call, mailoutbox, django_capture_on_commit_callbacks
):
    south = editable_call.cohort.program.regions.get(name="South")
    changes = DraftData(
        standard={"region": south},
        answers={str(question(editable_call, 1).pk): "Gnaoua Lab 2"},
        team=[{"name": "Sara Partner", "email": "sara@example.org", "role": "lead designer"}],
    )
    uploads = {question(editable_call, 5): (new_pdf(), "application/pdf")}
    resubmitted_at = CLOSES_AT - datetime.timedelta(days=1)
    with time_machine.travel(resubmitted_at, tick=False), django_capture_on_commit_callbacks(execute=True):
        version = application_resubmit(application=submitted, data=changes, uploads=uploads, by=applicant)
    submitted.refresh_from_db()
    assert (submitted.status, submitted.submitted_at) == ("submitted", resubmitted_at)
    assert (submitted.eligibility, submitted.eligibility_reasons) == ("eligible", [])
    assert submitted.region == south and submitted.answers[str(question(editable_call, 1).pk)] == "Gnaoua Lab 2"
    assert submitted.files.get().original_name == "new-deck.pdf"
    # The first version is kept as it was sent; the second is what the live row now says.
    first, second = submitted.versions.order_by("number")
    assert (first.data["region"], first.data["answers"][0]["value"]) == ("North", "Gnaoua Lab")
    assert (second.number, second.data["region"], second.data["answers"][0]["value"]) == (2, "South", "Gnaoua Lab 2")
    assert second.data["team"][0]["role"] == "lead designer" and version == second
    assert "new-deck.pdf" in [a["value"] for a in second.data["answers"]]
    entry = action(action="application.resubmit", object_id=submitted.pk)
    assert entry.actor == applicant
    assert (entry.before["version"], entry.after["version"]) == (1, 2)
    assert (entry.before["eligibility"], entry.after["eligibility"]) == ("ineligible", "eligible")
    assert "region" in entry.note and "team" in entry.note
    # One confirmation per version, exactly once: the version number is the ledger's threshold.
    assert sorted(Notification.objects.values_list("threshold", "status")) == [("v1", "sent"), ("v2", "sent")]
    assert len(mailoutbox) == 2 and "Gnaoua Lab 2" in mailoutbox[1].body
    with time_machine.travel(CLOSES_AT, tick=False):
        assert delivery.notifications_retry_pending() == 0
    assert len(mailoutbox) == 2


def test_resubmit_at_the_last_second_is_accepted(submitted, applicant, editable_call):
    changes = DraftData(standard={"phone": "+212 600 000 001"})
    with time_machine.travel(CLOSES_AT, tick=False):
        application_resubmit(application=submitted, data=changes, by=applicant)
    assert submitted.versions.count() == 2


def test_resubmit_after_the_deadline_is_refused_and_changes_nothing(submitted, applicant, mailoutbox):
    before = snapshot(submitted)
    changes = DraftData(standard={"phone": "+212 600 000 001"})
    with (
        time_machine.travel(CLOSES_AT + datetime.timedelta(seconds=1), tick=False),
        pytest.raises(ApplicationError, match="deadline has passed"),
    ):
        application_resubmit(application=submitted, data=changes, by=applicant)
    assert snapshot(submitted) == before
    assert len(mailoutbox) == 1


def test_resubmit_needs_the_call_setting_and_the_applicant(applicant, other_applicant):
    call = make_call(editable_after_submit=False)
    application = fill(application_start(call=call, applicant=applicant))
    application_submit(application=application, by=applicant)
    changes = DraftData(standard={"phone": "1"})
    with pytest.raises(ApplicationError, match="can no longer be changed"):
        application_resubmit(application=application, data=changes, by=applicant)
    call.editable_after_submit = True
    call.save()
    with pytest.raises(ApplicationError, match="Only the applicant"):
        application_resubmit(application=application, data=changes, by=other_applicant)
    application.refresh_from_db()
    assert application.phone == "+212 600 000 000" and application.versions.count() == 1


def test_a_draft_is_not_resubmitted(editable_call, applicant):
    with before_deadline():
        application = fill(application_start(call=editable_call, applicant=applicant))
        with pytest.raises(ApplicationError, match="can no longer be changed"):
            application_resubmit(application=application, data=DraftData(), by=applicant)
    assert application.versions.count() == 0


def test_draft_saves_and_uploads_never_touch_a_submitted_application(submitted, applicant, editable_call):
    before = snapshot(submitted)
    with before_deadline(), pytest.raises(ApplicationError, match="resubmits it"):
        application_save_draft(application=submitted, data=DraftData(standard={"phone": "1"}), by=applicant)
    with before_deadline(), pytest.raises(ApplicationError, match="resubmits it"):
        application_file_attach(
            application=submitted,
            question=question(editable_call, 5),
            upload=new_pdf(),
            content_type="application/pdf",
            by=applicant,
        )
    assert snapshot(submitted) == before


def test_submitting_a_submitted_application_again_is_refused(submitted, applicant):
    with before_deadline(), pytest.raises(ApplicationError, match="already submitted"):
        application_submit(application=submitted, by=applicant)
    assert submitted.versions.count() == 1


# Through the form


@pytest.fixture
def owner_client(client, applicant):
    with before_deadline():  # signed in around the frozen times the tests use
        client.force_login(applicant)
    return client


def apply_url(call):
    return reverse("applications:apply", args=[call.slug])


def test_edit_form_of_a_submitted_application_offers_save_changes_instead_of_autosave(
    owner_client, submitted, editable_call
):
    with before_deadline():
        html = owner_client.get(apply_url(editable_call)).content.decode()
    assert 'data-testid="resubmit"' in html and 'data-testid="resubmit-notice"' in html
    assert "replace the submitted answers" in html
    assert "hx-post" not in html and 'data-testid="preview"' not in html


def test_edit_with_a_missing_required_answer_is_refused_with_the_errors_and_nothing_changed(
    owner_client, submitted, editable_call, mailoutbox
):
    before = snapshot(submitted)
    post = form_data(
        editable_call,
        action="resubmit",
        phone="+212 677 777 777",
        **{f"q_{question(editable_call, 1).pk}": ""},
    )
    with before_deadline():
        response = owner_client.post(apply_url(editable_call), post)
    assert response.status_code == 400
    html = response.content.decode()
    assert 'data-testid="form-errors"' in html and "Project name" in html
    assert "your submitted application is unchanged" in html
    assert 'value="+212 677 777 777"' in html  # what was typed comes back
    assert snapshot(submitted) == before
    assert len(mailoutbox) == 1


def test_edit_with_an_invalid_value_is_refused_and_nothing_changed(owner_client, submitted, editable_call):
    before = snapshot(submitted)
    post = form_data(editable_call, action="resubmit", phone="+212 677 777 777", **{"team-0-email": "nope"})
    with before_deadline():
        response = owner_client.post(apply_url(editable_call), post)
    assert response.status_code == 400
    assert "Team member 1" in response.content.decode()
    assert snapshot(submitted) == before


def test_valid_edit_resubmits_with_a_new_version_and_recomputed_eligibility(
    owner_client, submitted, editable_call, mailoutbox, django_capture_on_commit_callbacks
):
    south = editable_call.cohort.program.regions.get(name="South")
    post = form_data(editable_call, action="resubmit", region=str(south.pk))
    with before_deadline(), django_capture_on_commit_callbacks(execute=True):
        response = owner_client.post(apply_url(editable_call), post)
    assert response.status_code == 302
    assert response.url == reverse("applications:detail", args=[submitted.pk])
    submitted.refresh_from_db()
    assert (submitted.status, submitted.eligibility, submitted.region) == ("submitted", "eligible", south)
    assert list(submitted.versions.values_list("number", flat=True)) == [1, 2]
    assert submitted.files.get().original_name == "deck.pdf"  # the file not chosen again is kept
    assert len(mailoutbox) == 2


def test_edit_after_the_deadline_is_refused(owner_client, submitted, editable_call, mailoutbox):
    before = snapshot(submitted)
    post = form_data(editable_call, action="resubmit", phone="+212 677 777 777")
    with time_machine.travel(CLOSES_AT + datetime.timedelta(seconds=1), tick=False):
        response = owner_client.post(apply_url(editable_call), post, follow=True)
    assert response.redirect_chain == [(reverse("applications:detail", args=[submitted.pk]), 302)]
    assert "your changes were not saved" in response.content.decode()
    assert snapshot(submitted) == before
    assert len(mailoutbox) == 1


def test_an_autosave_to_a_submitted_application_saves_nothing_and_says_so(owner_client, submitted, editable_call):
    before = snapshot(submitted)
    post = form_data(editable_call, phone="+212 677 777 777")
    with before_deadline():
        response = owner_client.post(apply_url(editable_call), post, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="not-saved"' in html and 'data-testid="saved"' not in html
    assert snapshot(submitted) == before


def test_a_plain_save_of_a_submitted_application_changes_nothing(owner_client, submitted, editable_call):
    before = snapshot(submitted)
    with before_deadline():
        response = owner_client.post(apply_url(editable_call), form_data(editable_call, action="save", phone="1"))
    assert response.status_code == 400
    assert "Save changes" in response.content.decode()
    assert snapshot(submitted) == before


def test_adding_a_team_row_to_a_submitted_application_saves_nothing(owner_client, submitted, editable_call):
    before = snapshot(submitted)
    post = form_data(editable_call, action="add_member", phone="+212 677 777 777")
    with before_deadline():
        response = owner_client.post(apply_url(editable_call), post)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'name="team-TOTAL_FORMS" value="2"' in html and 'name="team-1-name"' in html
    assert 'value="+212 677 777 777"' in html
    assert snapshot(submitted) == before


def test_an_upload_with_a_refused_edit_is_not_stored(owner_client, submitted, editable_call):
    before = snapshot(submitted)
    post = form_data(
        editable_call,
        action="resubmit",
        **{f"q_{question(editable_call, 1).pk}": "", f"q_{question(editable_call, 5).pk}": new_pdf()},
    )
    with before_deadline():
        assert owner_client.post(apply_url(editable_call), post).status_code == 400
    assert snapshot(submitted) == before
    assert ApplicationFile.objects.get().original_name == "deck.pdf"


def test_the_preview_of_a_submitted_application_has_no_submit_button(owner_client, submitted, editable_call):
    with before_deadline():
        html = owner_client.get(reverse("applications:preview", args=[editable_call.slug])).content.decode()
    assert 'data-testid="submit"' not in html
