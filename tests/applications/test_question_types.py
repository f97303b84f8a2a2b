"""Every question type a manager can define: what the form accepts, stores and refuses."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from applications.models import Application, ApplicationFile, Question
from applications.services import application_start
from tests.applications.factories import PDF_BYTES, PNG_BYTES, make_call


@pytest.fixture
def typed_call(db):
    call = make_call(slug="typed", questions=False)
    kinds = [
        (Question.Kind.SHORT_TEXT, {}),
        (Question.Kind.LONG_TEXT, {"word_limit": 3}),
        (Question.Kind.NUMBER, {}),
        (Question.Kind.DATE, {}),
        (Question.Kind.YES_NO, {}),
        (Question.Kind.SINGLE_CHOICE, {"choices": "Music\nDesign"}),
        (Question.Kind.MULTIPLE_CHOICE, {"choices": "Music\nDesign\nCrafts"}),
        (Question.Kind.URL, {}),
        (Question.Kind.EMAIL, {}),
        (Question.Kind.PHONE, {}),
        (Question.Kind.FILE, {"allowed_file_types": "png", "max_file_size_mb": 2}),
    ]
    for position, (kind, extra) in enumerate(kinds, start=1):
        Question.objects.create(call=call, position=position, label=f"Q {kind}", kind=kind, **extra)
    return call


def post(client, call, answers):
    data = {"team-TOTAL_FORMS": "0", "team-INITIAL_FORMS": "0"}
    for question in call.questions.all():
        if question.kind in answers:
            data[f"q_{question.pk}"] = answers[question.kind]
    return client.post(reverse("applications:apply", args=[call.slug]), data, HTTP_HX_REQUEST="true")


def stored_answers(call, applicant):
    application = Application.objects.get(call=call, applicant=applicant)
    by_kind = {q.pk: q.kind for q in call.questions.all()}
    return {by_kind[int(pk)]: value for pk, value in application.answers.items()}


def test_valid_answers_of_every_type_are_stored(client, typed_call, applicant):
    client.force_login(applicant)
    response = post(
        client,
        typed_call,
        {
            "short_text": "Gnaoua Lab",
            "long_text": "three short words",
            "number": "12.50",
            "date": "2024-03-31",
            "yes_no": "no",
            "single_choice": "Design",
            "multiple_choice": ["Music", "Crafts"],
            "url": "example.org/lab",
            "email": "lab@example.org",
            "phone": "+212 (600) 000-000",
            "file": SimpleUploadedFile("logo.png", PNG_BYTES),
        },
    )
    assert 'data-testid="saved"' in response.content.decode()
    assert stored_answers(typed_call, applicant) == {
        "short_text": "Gnaoua Lab",
        "long_text": "three short words",
        "number": "12.5",
        "date": "2024-03-31",
        "yes_no": "no",
        "single_choice": "Design",
        "multiple_choice": ["Music", "Crafts"],
        "url": "https://example.org/lab",
        "email": "lab@example.org",
        "phone": "+212 (600) 000-000",
    }
    assert ApplicationFile.objects.get().content_type == "image/png"


@pytest.mark.parametrize(
    ("kind", "value"),
    [
        ("long_text", "one two three four"),
        ("number", "twelve"),
        ("date", "31/31/2024"),
        ("yes_no", "maybe"),
        ("single_choice", "Cooking"),
        ("multiple_choice", ["Music", "Cooking"]),
        ("url", "not a url"),
        ("email", "not-an-email"),
        ("phone", "call me maybe"),
        ("phone", "12 34"),
        ("phone", "+1 234 567 890 123 456 789"),
    ],
)
def test_invalid_answers_are_refused_with_a_message_and_not_stored(client, typed_call, applicant, kind, value):
    client.force_login(applicant)
    html = post(client, typed_call, {kind: value, "short_text": "kept"}).content.decode()
    assert 'data-testid="form-errors"' in html and f"Q {kind}" in html
    answers = stored_answers(typed_call, applicant)
    assert kind not in answers and answers["short_text"] == "kept"


def test_a_per_question_type_list_refuses_other_accepted_formats(client, typed_call, applicant):
    client.force_login(applicant)
    html = post(client, typed_call, {"file": SimpleUploadedFile("deck.pdf", PDF_BYTES)}).content.decode()
    assert "not one of the accepted types (PNG)" in html
    assert not ApplicationFile.objects.exists()


def test_a_new_upload_replaces_the_earlier_file(
    client, typed_call, applicant, settings, django_capture_on_commit_callbacks
):
    client.force_login(applicant)
    post(client, typed_call, {"file": SimpleUploadedFile("first.png", PNG_BYTES)})
    first = ApplicationFile.objects.get()
    first_path = settings.MEDIA_ROOT / first.file.name
    assert first_path.exists()
    application = application_start(call=typed_call, applicant=applicant)
    assert application.pk == first.application_id
    with django_capture_on_commit_callbacks(execute=True):
        post(client, typed_call, {"file": SimpleUploadedFile("second.png", PNG_BYTES)})
    assert list(ApplicationFile.objects.values_list("original_name", flat=True)) == ["second.png"]
    assert not first_path.exists()
