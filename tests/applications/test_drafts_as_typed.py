"""A draft keeps exactly what was typed, valid or not; only submitting needs every answer valid."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from applications.models import Application, Question
from applications.services import ApplicationError, application_file_attach
from applications.submission import application_submit
from tests.applications.factories import PDF_BYTES, question
from tests.applications.test_form import apply_url, form_data

TOO_LONG = "one two three four five six seven"  # the question allows 5 words


@pytest.fixture
def url_question(call):
    return Question.objects.create(call=call, position=6, label="Website", kind=Question.Kind.URL, required=False)


@pytest.fixture
def owner_client(client, applicant):
    client.force_login(applicant)
    return client


def typed_wrong(call, url_question):
    return form_data(call, **{f"q_{question(call, 2).pk}": TOO_LONG, f"q_{url_question.pk}": "not a web address"})


def test_an_over_limit_answer_and_a_malformed_url_survive_a_reload_with_their_errors(
    owner_client, call, applicant, url_question
):
    response = owner_client.post(apply_url(call), typed_wrong(call, url_question), HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert 'data-testid="saved"' in html and "2 answers to correct before submitting" in html
    # The autosave hands each field its errors, for the page to put beside the field.
    assert 'id="field-errors-data"' in html and "Please keep to 5 words (now 7)." in html

    application = Application.objects.get(applicant=applicant)
    describe = question(call, 2)
    assert application.invalid_answers == {f"q_{describe.pk}": TOO_LONG, f"q_{url_question.pk}": "not a web address"}
    assert str(describe.pk) not in application.answers
    assert application.answers[str(question(call, 1).pk)] == "Gnaoua Lab"  # the valid ones are saved as values

    page = owner_client.get(apply_url(call)).content.decode()
    assert TOO_LONG in page and 'value="not a web address"' in page
    # Each error sits in its field's block, not only in the summary.
    block = page[page.index(f'id="div_id_q_{describe.pk}"') :]
    assert block.index("Please keep to 5 words (now 7).") < block.index("</textarea>") + 400
    assert "Enter a valid URL." in page


def test_the_invalid_answers_block_only_the_submit_and_the_preview_links_to_them(
    owner_client, call, applicant, url_question
):
    owner_client.post(apply_url(call), typed_wrong(call, url_question), HTTP_HX_REQUEST="true")
    application = Application.objects.get(applicant=applicant)
    application_file_attach(
        application=application,
        question=call.questions.get(kind=Question.Kind.FILE),
        upload=SimpleUploadedFile("deck.pdf", PDF_BYTES),
        content_type="application/pdf",
        by=applicant,
    )
    preview = owner_client.get(reverse("applications:preview", args=[call.slug])).content.decode()
    assert 'data-testid="invalid"' in preview and 'data-testid="submit"' not in preview
    assert f'{apply_url(call)}#div_id_q_{url_question.pk}"' in preview

    with pytest.raises(ApplicationError) as refused:
        application_submit(application=application, by=applicant)
    assert any("“Website”: this answer is not valid yet" in problem for problem in refused.value.problems)
    response = owner_client.post(reverse("applications:submit", args=[call.slug]), follow=True)
    assert "this answer is not valid yet" in response.content.decode()
    application.refresh_from_db()
    assert application.status == Application.Status.DRAFT

    # Corrected: the marks go, the values are saved, and it can be submitted.
    fixed = form_data(call, **{f"q_{url_question.pk}": "kawalis.ma"})
    owner_client.post(apply_url(call), fixed, HTTP_HX_REQUEST="true")
    application.refresh_from_db()
    assert application.invalid_answers == {}
    assert application.answers[str(url_question.pk)] == "https://kawalis.ma"
    application_submit(application=application, by=applicant)


def test_the_preview_links_each_missing_answer_to_its_field(owner_client, call):
    owner_client.post(apply_url(call), form_data(call, phone=""), HTTP_HX_REQUEST="true")
    preview = owner_client.get(reverse("applications:preview", args=[call.slug])).content.decode()
    assert f'href="{apply_url(call)}#div_id_phone"' in preview
    presentation = call.questions.get(kind=Question.Kind.FILE)
    assert f'href="{apply_url(call)}#div_id_q_{presentation.pk}"' in preview


def test_word_limited_answers_carry_their_limit_for_the_live_counter(owner_client, call):
    page = owner_client.get(apply_url(call)).content.decode()
    assert 'data-word-limit="5"' in page and "js/application_form.js" in page
    assert "hx-trigger=\"change, input[target.type!='file'] delay:1500ms\"" in page


def test_the_summary_shows_each_answer_kept_as_typed_instead_of_a_dash(owner_client, call, applicant, url_question):
    data = typed_wrong(call, url_question)
    data["date_of_birth"] = "31/02/1999"
    owner_client.post(apply_url(call), data, HTTP_HX_REQUEST="true")
    path = reverse("applications:preview", args=[call.slug])
    for language, words in (("fr", "tel que saisi : pas encore valide"), ("ar", "كما كُتب: غير صالح بعد")):
        preview = owner_client.get(f"/{language}{path}").content.decode()
        kept = preview.count('data-testid="kept-as-typed"')
        assert kept == 3, (language, kept)  # the date of birth, the over-long answer, the malformed address
        assert "<bdi>not a web address</bdi>" in preview and "<bdi>31/02/1999</bdi>" in preview
        assert words in preview
