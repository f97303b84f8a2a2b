"""A small world for the personal-data tests, built through the services and pages as people would build it."""

import datetime
import io
import json
import zipfile

from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from applications.models import Application, Call, Question
from applications.scoring.decisions import decisions_publish, decisions_record
from applications.scoring.models import Criterion, ReviewSettings
from applications.services import DraftData, application_file_attach, application_save_draft, application_start
from applications.submission import application_submit
from cohorts import services as cohort_services
from cohorts.models import Membership
from tests.applications.factories import PDF_BYTES, make_call, program_with_regions, question
from tests.applications.scoring.factories import manager, reviewer, score
from tests.cohorts.conftest import PNG
from tests.factories import UserFactory, invited_member


def scored_call(slug: str, **program) -> Call:
    """An open call with questions (a file one too), a two-criterion rubric, in scoring."""
    call = make_call(slug=slug, program=program_with_regions(slug=f"{slug}-program", **program))
    ReviewSettings.objects.create(call=call, stage=ReviewSettings.Stage.SCORING)
    Criterion.objects.create(call=call, position=1, name="Viability", weight=2)
    Criterion.objects.create(call=call, position=2, name="Impact", weight=1)
    return call


def apply(call: Call, person, *, project: str, partner: str, file_bytes: bytes = PDF_BYTES) -> Application:
    application = application_start(call=call, applicant=person)
    data = DraftData(
        standard={
            "full_name": person.name,
            "date_of_birth": datetime.date(1999, 4, 2),
            "region": call.cohort.program.regions.get(name="North"),
            "phone": "+212 611 222 333",
            "email": person.email,
        },
        answers={
            str(question(call, 1).pk): project,
            str(question(call, 2).pk): f"{project} described",
            str(question(call, 3).pk): "yes",
        },
        team=[{"name": partner, "email": f"{partner.split()[0].lower()}@example.org", "role": "designer"}],
    )
    application_save_draft(application=application, data=data, by=person)
    application_file_attach(
        application=application,
        question=call.questions.get(kind=Question.Kind.FILE),
        upload=SimpleUploadedFile(f"{project}.pdf", file_bytes, content_type="application/pdf"),
        content_type="application/pdf",
        by=person,
    )
    application_submit(application=application, by=person)
    application.refresh_from_db()
    return application


def profile_with_photo(person, cohort, headline: str) -> None:
    """The person fills their member profile on the cohort's page, photo included."""
    client = Client()
    client.force_login(person)
    response = client.post(
        reverse("cohorts:profile_edit", args=[cohort.slug]),
        {
            "headline": headline,
            "field": "crafts",
            "skills": "weaving",
            "languages": "Arabic",
            "contact_email": person.email,
            "contact_phone": "+212 600 000 001",
            "contact_consent": "on",
            "photo": SimpleUploadedFile("me.png", PNG, content_type="image/png"),
        },
    )
    assert response.status_code == 302, response.content[:500]


class World:
    """Amina and Bilal apply to one call; Amina is accepted and Bilal rejected; both reviewed by Rita."""

    def __init__(self):
        self.call = scored_call("pd")
        self.cohort = self.call.cohort
        self.program = self.cohort.program
        self.manager = manager(name="Maya Manager")
        self.program.managers.add(self.manager)
        self.rita = reviewer(name="Rita Reviewer")
        self.amina = UserFactory(name="Amina Owner", email="amina@example.org")
        self.bilal = UserFactory(name="Bilal Other", email="bilal@example.org")
        self.amina_app = apply(self.call, self.amina, project="Gnaoua Lab", partner="Sara Partner")
        self.bilal_app = apply(
            self.call, self.bilal, project="Bilal Bikes", partner="Karim Friend", file_bytes=PDF_BYTES + b"%b"
        )
        score(self.amina_app, self.rita, 5, comment="Amina is a strong weaver")
        score(self.bilal_app, self.rita, 2, comment="Bilal lacks a plan")
        decisions_record(applications=[self.amina_app], outcome="accept", by=self.manager)
        decisions_record(applications=[self.bilal_app], outcome="reject", by=self.manager)
        decisions_publish(call=self.call, by=self.manager)
        self.membership = Membership.objects.get(person=self.amina, cohort=self.cohort)
        # A second member, so that the board has someone else's words.
        self.carla = UserFactory(name="Carla Colleague", email="carla@example.org")
        invited_member(self.cohort, self.carla, by=self.manager)
        profile_with_photo(self.amina, self.cohort, "Weaver from the Rif")
        profile_with_photo(self.carla, self.cohort, "Carla's headline")
        self.post = cohort_services.post_create(
            cohort=self.cohort, author=self.amina, kind="need", title="Amina needs a loom", body="A big one"
        )
        self.carla_answer = cohort_services.answer_create(post=self.post, author=self.carla, body="Carla has a loom")
        self.carla_post = cohort_services.post_create(
            cohort=self.cohort, author=self.carla, kind="offer", title="Carla offers a kiln"
        )
        self.amina_answer = cohort_services.answer_create(
            post=self.carla_post, author=self.amina, body="Amina wants it"
        )
        self.initiative = cohort_services.initiative_create(
            cohort=self.cohort, by=self.amina, team=[self.carla], title="Shared catalogue", what="A catalogue"
        )
        cohort_services.initiative_progress_add(
            initiative=self.initiative,
            by=self.amina,
            on=datetime.date(2026, 2, 1),
            text="Photographed ten pieces",
            status="running",
            next_step="Print",
        )


def stored_files_of(application: Application) -> list[str]:
    return list(application.files.values_list("file", flat=True))


def exists(name: str) -> bool:
    return default_storage.exists(name)


def unzip(archive: bytes) -> tuple[dict, dict[str, bytes]]:
    """A personal-data download's data.json, read, and its other files by name."""
    with zipfile.ZipFile(io.BytesIO(archive)) as opened:
        files = {name: opened.read(name) for name in opened.namelist()}
    return json.loads(files.pop("data.json")), files
