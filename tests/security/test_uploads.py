"""Hostile uploads to an application: refused by content, stored under random names, served as downloads."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from applications.models import ApplicationFile
from tests.applications.factories import PDF_BYTES, PNG_BYTES, make_call, question
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.cookie)</script></svg>'
HTML = b"<!doctype html><html><script>alert(document.cookie)</script></html>"


def _zip() -> bytes:
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("bomb.txt", b"0" * 5_000_000)
    return output.getvalue()


REFUSED = {
    "svg with script": ("cv.svg", SVG),
    "svg named pdf": ("cv.pdf", SVG),
    "html named pdf": ("cv.pdf", HTML),
    "pdf named html": ("cv.html", PDF_BYTES + HTML),
    "png named pdf": ("cv.pdf", PNG_BYTES),
    "pdf with no extension": ("cv", PDF_BYTES),
    "pdf then html extension": ("cv.pdf.html", PDF_BYTES),
    "zip named pdf": ("cv.pdf", _zip()),
    "oversize": ("cv.pdf", PDF_BYTES + b"0" * (1024 * 1024 + 1)),
    "empty": ("cv.pdf", b""),
}


@pytest.fixture
def call(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return make_call()


@pytest.fixture
def applicant_client(client, db):
    client.force_login(UserFactory())
    return client


def _post(client, call, name, content):
    field = f"q_{question(call, 5).pk}"
    upload = SimpleUploadedFile(name, content, content_type="application/pdf")
    return client.post(reverse("applications:apply", args=[call.slug]), {field: upload}, HTTP_HX_REQUEST="true")


@pytest.mark.parametrize("case", list(REFUSED))
def test_hostile_uploads_are_refused_with_a_message(applicant_client, call, case):
    name, content = REFUSED[case]
    response = _post(applicant_client, call, name, content)
    assert response.status_code < 500
    assert not ApplicationFile.objects.exists()


@pytest.mark.parametrize(
    "name", ["../../etc/passwd.pdf", "..\\..\\boot.pdf", "/abs/path.pdf", "a\x00b.pdf", "x" * 300 + ".pdf"]
)
def test_traversal_names_are_stored_under_random_names_inside_media(applicant_client, call, settings, name):
    response = _post(applicant_client, call, name, PDF_BYTES)
    assert response.status_code < 500
    for stored in ApplicationFile.objects.all():
        path = (settings.MEDIA_ROOT / stored.file.name).resolve()
        assert path.is_relative_to(settings.MEDIA_ROOT.resolve())
        assert ".." not in stored.file.name and "passwd" not in stored.file.name


def test_a_pdf_polyglot_is_served_as_a_download_never_as_a_page(applicant_client, call):
    assert _post(applicant_client, call, "deck.pdf", PDF_BYTES + HTML).status_code == 200
    stored = ApplicationFile.objects.get()
    response = applicant_client.get(reverse("applications:file", args=[stored.application_id, stored.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
