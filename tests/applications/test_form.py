"""The application form through its view: autosave, uploads checked by content, and bad input."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from applications.models import Application, ApplicationFile
from applications.services import application_start
from tests.applications.factories import PDF_BYTES, PNG_BYTES, make_call, question


def form_data(call, **overrides):
    """What the browser posts: the whole form, every field present."""
    data = {
        "full_name": "Amina Owner",
        "date_of_birth": "2000-05-01",
        "region": str(call.cohort.program.regions.get(name="North").pk),
        "phone": "+212 600 000 000",
        "email": "amina@example.org",
        f"q_{question(call, 1).pk}": "Gnaoua Lab",
        f"q_{question(call, 2).pk}": "Music for all",
        f"q_{question(call, 3).pk}": "yes",
        "team-TOTAL_FORMS": "1",
        "team-INITIAL_FORMS": "0",
        "team-0-name": "Sara Partner",
        "team-0-email": "sara@example.org",
        "team-0-role": "designer",
    }
    data.update(overrides)
    return data


@pytest.fixture
def owner_client(client, applicant):
    client.force_login(applicant)
    return client


def apply_url(call):
    return reverse("applications:apply", args=[call.slug])


def test_autosave_creates_the_draft_and_answers_with_the_saved_state(owner_client, call, applicant):
    response = owner_client.post(apply_url(call), form_data(call), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="saved"' in html
    assert 'id="progress" data-testid="progress" hx-swap-oob="true"' in html
    application = Application.objects.get(call=call, applicant=applicant)
    assert application.status == "draft"
    assert application.answers[str(question(call, 1).pk)] == "Gnaoua Lab"
    assert list(application.team_members.values_list("name", flat=True)) == ["Sara Partner"]


def test_progress_counts_required_answers(owner_client, call):
    html = owner_client.post(apply_url(call), form_data(call), HTTP_HX_REQUEST="true").content.decode()
    # 5 standard fields + 4 required questions (the file is still missing)
    assert 'aria-valuenow="8"' in html and 'aria-valuemax="9"' in html


def test_draft_is_kept_between_visits(owner_client, call):
    owner_client.post(apply_url(call), form_data(call), HTTP_HX_REQUEST="true")
    html = owner_client.get(apply_url(call)).content.decode()
    assert 'value="Gnaoua Lab"' in html and 'value="Sara Partner"' in html


def test_pdf_upload_is_stored_through_the_storage_api_outside_the_web_root(owner_client, call, settings):
    upload = SimpleUploadedFile("deck.pdf", PDF_BYTES, content_type="application/pdf")
    file_field = f"q_{question(call, 5).pk}"
    response = owner_client.post(apply_url(call), form_data(call, **{file_field: upload}), HTTP_HX_REQUEST="true")
    assert 'data-testid="saved"' in response.content.decode()
    stored = ApplicationFile.objects.get()
    assert (stored.original_name, stored.content_type, stored.size) == ("deck.pdf", "application/pdf", len(PDF_BYTES))
    path = settings.MEDIA_ROOT / stored.file.name
    assert path.read_bytes() == PDF_BYTES
    assert not stored.file.name.endswith("deck.pdf")  # a random name, never the applicant's


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("big.pdf", PDF_BYTES + b"0" * (1024 * 1024), "too large"),
        ("notes.txt", b"just some text, no magic bytes at all", "not one of the accepted types"),
        (
            "program.pdf",
            b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 64,
            "not one of the accepted",
        ),
        ("photo.pdf", PNG_BYTES, "does not match its name"),
    ],
    ids=["over-size", "wrong-type", "executable-named-pdf", "content-does-not-match-name"],
)
def test_bad_uploads_get_a_clear_message_and_nothing_is_stored(owner_client, call, applicant, name, content, message):
    upload = SimpleUploadedFile(name, content)
    file_field = f"q_{question(call, 5).pk}"
    response = owner_client.post(apply_url(call), form_data(call, **{file_field: upload}), HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert message in html
    assert not ApplicationFile.objects.exists()
    # The other answers of the same post are not lost.
    assert Application.objects.get(applicant=applicant).answers[str(question(call, 1).pk)] == "Gnaoua Lab"


@pytest.mark.calendar
def test_date_of_birth_in_the_future_is_not_saved_but_the_rest_is(owner_client, call, applicant):
    # Judged in the applicant's zone, as the page shows dates to them (the test's own thread stays in UTC).
    with timezone.override(applicant.time_zone or None):
        tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    html = owner_client.post(
        apply_url(call), form_data(call, date_of_birth=tomorrow, phone="+212 611"), HTTP_HX_REQUEST="true"
    ).content.decode()
    assert "cannot be in the future" in html
    application = Application.objects.get(applicant=applicant)
    assert application.date_of_birth is None and application.phone == "+212 611"


def test_word_limit_is_enforced(owner_client, call, applicant):
    field = f"q_{question(call, 2).pk}"
    html = owner_client.post(
        apply_url(call), form_data(call, **{field: "one two three four five six"}), HTTP_HX_REQUEST="true"
    ).content.decode()
    assert "5 words" in html
    assert str(question(call, 2).pk) not in Application.objects.get(applicant=applicant).answers


def test_a_tampered_post_with_another_calls_question_saves_nothing_of_it(owner_client, call, applicant):
    other_call = make_call(slug="other-call")
    foreign = question(other_call, 1)
    owner_client.post(apply_url(call), form_data(call, **{f"q_{foreign.pk}": "injected"}), HTTP_HX_REQUEST="true")
    application = Application.objects.get(applicant=applicant)
    assert str(foreign.pk) not in application.answers
    assert "injected" not in str(application.answers)


def test_a_tampered_file_for_another_calls_question_is_not_stored(owner_client, call):
    other_call = make_call(slug="other-call")
    foreign = question(other_call, 5)
    upload = SimpleUploadedFile("deck.pdf", PDF_BYTES)
    owner_client.post(apply_url(call), form_data(call, **{f"q_{foreign.pk}": upload}), HTTP_HX_REQUEST="true")
    assert not ApplicationFile.objects.exists()


def test_without_javascript_save_and_preview_work(owner_client, call):
    response = owner_client.post(apply_url(call), form_data(call, action="preview"))
    assert response.status_code == 302 and response.url == reverse("applications:preview", args=[call.slug])
    html = owner_client.get(response.url).content.decode()
    assert "Gnaoua Lab" in html and 'data-testid="missing"' in html  # the file is still missing


def test_invalid_post_without_javascript_shows_the_errors(owner_client, call):
    response = owner_client.post(apply_url(call), form_data(call, email="not-an-email"))
    assert response.status_code == 400
    assert 'data-testid="form-errors"' in response.content.decode()


@pytest.mark.calendar
def test_form_after_the_deadline_redirects_to_the_kept_draft(owner_client, call, applicant):
    application = application_start(call=call, applicant=applicant)
    call.closes_at = timezone.now() - datetime.timedelta(seconds=1)
    call.opens_at = call.closes_at - datetime.timedelta(days=5)
    call.save()
    response = owner_client.post(apply_url(call), form_data(call), HTTP_HX_REQUEST="true")
    assert response.status_code == 302 and response.url == reverse("applications:detail", args=[application.pk])
    application.refresh_from_db()
    assert application.answers == {}


def test_invalid_team_email_is_shown_in_autosave_and_kept_as_typed(owner_client, call, applicant):
    owner_client.post(apply_url(call), form_data(call), HTTP_HX_REQUEST="true")  # Sara is saved first
    post = form_data(call, phone="+212 611", **{"team-0-email": "not-an-email", "team-0-role": "lead designer"})
    response = owner_client.post(apply_url(call), post, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="form-errors"' in html
    assert "Team member 1: Email address" in html and "Enter a valid email address" in html
    assert 'data-testid="saved"' in html and 'data-testid="to-correct"' in html
    application = Application.objects.get(applicant=applicant)
    assert application.phone == "+212 611"  # the other fields are saved
    # The team rows are kept as typed, marked to correct; the valid team saved before is not replaced by them.
    assert application.invalid_answers["team"][0] == {
        "name": "Sara Partner",
        "email": "not-an-email",
        "role": "lead designer",
    }
    assert list(application.team_members.values_list("name", "email", "role")) == [
        ("Sara Partner", "sara@example.org", "designer")
    ]
    html = owner_client.get(apply_url(call)).content.decode()
    assert 'value="not-an-email"' in html and "Enter a valid email address" in html


def test_invalid_team_email_without_javascript_shows_the_error_and_keeps_what_was_typed(owner_client, call, applicant):
    post = form_data(call, action="save", **{"team-0-email": "not-an-email", "team-0-role": "lead designer"})
    response = owner_client.post(apply_url(call), post, follow=True)
    html = response.content.decode()
    assert response.status_code == 400 and response.redirect_chain == []
    assert "Team member 1: Email address" in html and "Enter a valid email address" in html
    # The bound team rows come back as typed, with the rest of the form.
    assert 'value="not-an-email"' in html and 'value="Sara Partner"' in html and 'value="lead designer"' in html
    assert 'value="Gnaoua Lab"' in html
    assert "Your draft is saved." not in html
    assert Application.objects.get(applicant=applicant).answers[str(question(call, 1).pk)] == "Gnaoua Lab"


def test_too_many_team_rows_are_reported(owner_client, call):
    rows = {f"team-{i}-name": f"Member {i}" for i in range(11)}
    post = form_data(call, **{"team-TOTAL_FORMS": "11"}, **rows)
    html = owner_client.post(apply_url(call), post, HTTP_HX_REQUEST="true").content.decode()
    assert "Team members" in html and "at most 10" in html and 'data-testid="to-correct"' in html
