"""An anonymised review shows no contact answers and files under a neutral name; without anonymity both are shown."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from applications.models import Question
from applications.scoring.assignments import assignment_create
from applications.scoring.models import ReviewSettings
from applications.services import (
    DraftData,
    application_file_attach,
    application_save_draft,
    application_start,
)
from applications.submission import application_submit
from tests.applications.conftest import fill
from tests.applications.factories import PDF_BYTES, make_call
from tests.factories import UserFactory, grant


@pytest.fixture
def anonymous_file(db, rita):
    call = make_call(slug="anonymous-files")
    ReviewSettings.objects.create(call=call, stage=ReviewSettings.Stage.SCORING, anonymised=True)
    email_q = Question.objects.create(call=call, position=8, label="Contact email", kind=Question.Kind.EMAIL)
    phone_q = Question.objects.create(call=call, position=9, label="Numer kontaktowy", kind=Question.Kind.PHONE)
    # A contact question in Hebrew ("mobile of a parent"), a short text marked as a contact detail by the manager:
    # no label is read, in any language.
    hebrew_q = Question.objects.create(
        call=call, position=10, label="נייד של הורה", kind=Question.Kind.SHORT_TEXT, is_contact=True
    )
    applicant = UserFactory()
    application = fill(application_start(call=call, applicant=applicant), file=False)
    application_save_draft(
        application=application,
        data=DraftData(
            answers={
                str(email_q.pk): "secret@example.org",
                str(phone_q.pk): "+212 611 111 111",
                str(hebrew_q.pk): "054-777-8888",
            }
        ),
        by=applicant,
    )
    upload = SimpleUploadedFile("Amina-Owner-CV.pdf", PDF_BYTES, content_type="application/pdf")
    stored = application_file_attach(
        application=application,
        question=call.questions.get(kind=Question.Kind.FILE),
        upload=upload,
        content_type="application/pdf",
        by=applicant,
    )
    application_submit(application=application, by=applicant)
    grant(call.cohort.program, rita, "reviewer")
    return assignment_create(application=application, reviewer=rita, by=None), stored


def test_an_anonymised_review_hides_email_and_phone_answers_and_the_file_name(client, anonymous_file, rita):
    assignment, stored = anonymous_file
    client.force_login(rita)
    page = client.get(reverse("scoring:review", args=[assignment.pk])).content.decode()
    for secret in ("secret@example.org", "+212 611 111 111", "054-777-8888", "נייד של הורה", "Amina-Owner-CV"):
        assert secret not in page
    for standard in ("Amina Owner", "amina@example.org", "+212 600 000 000", "Sara Partner"):
        assert standard not in page  # the standard contact fields (name, email, phone) and team members' names
    neutral = f"application-{stored.application_id}-{stored.question_id}.pdf"
    assert neutral in page and "Gnaoua Lab" in page  # other answers are still shown
    response = client.get(reverse("scoring:file", args=[assignment.pk, stored.pk]))
    assert neutral in response["Content-Disposition"] and "Amina" not in response["Content-Disposition"]


def test_without_anonymity_the_file_keeps_its_name_and_contacts_are_shown(client, anonymous_file, rita):
    assignment, stored = anonymous_file
    ReviewSettings.objects.filter(call=assignment.call).update(anonymised=False)
    client.force_login(rita)
    page = client.get(reverse("scoring:review", args=[assignment.pk])).content.decode()
    assert "secret@example.org" in page and "Amina-Owner-CV.pdf" in page
    assert "054-777-8888" in page and "+212 611 111 111" in page
    response = client.get(reverse("scoring:file", args=[assignment.pk, stored.pk]))
    assert "Amina-Owner-CV.pdf" in response["Content-Disposition"]
