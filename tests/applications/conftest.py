import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from applications.models import Application, Question
from applications.services import DraftData, application_file_attach, application_save_draft, application_start
from tests.applications.factories import PDF_BYTES, make_call, question
from tests.factories import UserFactory


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def call(db):
    return make_call()


@pytest.fixture
def applicant(db):
    return UserFactory(name="Amina Owner", preferred_language="ar", time_zone="Africa/Casablanca")


@pytest.fixture
def other_applicant(db):
    return UserFactory(name="Bilal Other")


def fill(application: Application, *, by=None, dob=datetime.date(2000, 5, 1), region="North", file=True, **answers):
    """Complete every required answer through the services, as the form would."""
    call = application.call
    data = DraftData(
        standard={
            "full_name": "Amina Owner",
            "date_of_birth": dob,
            "region": call.cohort.program.regions.get(name=region),
            "phone": "+212 600 000 000",
            "email": "amina@example.org",
        },
        answers={
            str(question(call, 1).pk): answers.get("name", "Gnaoua Lab"),
            str(question(call, 2).pk): answers.get("describe", "Music for all"),
            str(question(call, 3).pk): answers.get("based", "yes"),
        },
        team=[{"name": "Sara Partner", "email": "sara@example.org", "role": "designer"}],
    )
    application_save_draft(application=application, data=data, by=by or application.applicant)
    if file:
        upload = SimpleUploadedFile("deck.pdf", PDF_BYTES, content_type="application/pdf")
        file_question = call.questions.get(kind=Question.Kind.FILE)
        application_file_attach(
            application=application,
            question=file_question,
            upload=upload,
            content_type="application/pdf",
            by=application.applicant,
        )
    application.refresh_from_db()
    return application


@pytest.fixture
def draft(call, applicant):
    return fill(application_start(call=call, applicant=applicant))
