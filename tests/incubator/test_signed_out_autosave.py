"""An autosave whose session ended, or whose token is stale, is told so in headers htmx acts on: never a sign-in page
or Django's raw error page pasted into the form."""

import json

from django.test import Client
from django.urls import reverse

from tests.applications.factories import make_call


def test_an_autosave_after_the_session_ended_is_a_401_naming_the_sign_in_page(db):
    call = make_call()
    url = reverse("applications:apply", args=[call.slug])
    response = Client().post(url, {"phone": "1"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 401 and response.content == b""
    assert response["HX-Reswap"] == "none"
    assert json.loads(response["HX-Trigger"]) == {"signedOut": {"login": f"/accounts/login/?next={url}"}}
    # A page opened without htmx still goes to the sign-in page.
    assert Client().post(url, {"phone": "1"}).status_code == 302


def test_a_stale_token_is_a_translated_page_or_an_event_for_htmx(user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    page = client.post("/fr/profile/", {"name": "x"})
    assert page.status_code == 403 and "Cette page avait expiré" in page.content.decode()
    autosave = client.post("/fr/profile/", {"name": "x"}, HTTP_HX_REQUEST="true")
    assert autosave.status_code == 403 and autosave["HX-Trigger"] == "pageExpired" and autosave.content == b""
