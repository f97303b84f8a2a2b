"""Which language a page is in: the browser on a first visit, then the person's choice, on every address."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext

from applications.services import application_start
from applications.submission import application_submit
from incubator.language import absolute_url, translate_path
from incubator.models import User
from tests.applications.conftest import fill
from tests.applications.factories import make_call


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()


@pytest.fixture
def call(db):
    return make_call(slug="kawalis")


@pytest.mark.parametrize("path", ["/", "/calls/", "/calls/kawalis/"])
def test_a_first_visit_follows_the_browsers_language(call, path):
    response = Client(HTTP_ACCEPT_LANGUAGE="ar-MA,ar;q=0.9,fr;q=0.8").get(path)
    assert response.status_code == 302 and response.url == f"/ar{path}"
    assert "Accept-Language" in response["Vary"]


def test_an_english_browser_stays_on_english_addresses_without_a_redirect(call):
    assert Client(HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9").get("/calls/").status_code == 200
    assert Client().get("/calls/").status_code == 200


def test_the_saved_choice_beats_the_browser_and_prefixed_addresses_are_never_redirected(call):
    browser = Client(HTTP_ACCEPT_LANGUAGE="ar")
    browser.cookies["django_language"] = "he"
    assert browser.get("/calls/?page=2").url == "/he/calls/?page=2"
    # The address names its language: no redirect, whatever the cookie (so no loop).
    response = browser.get("/he/calls/")
    assert response.status_code == 200 and 'lang="he"' in response.content.decode()
    assert browser.get("/fr/calls/").status_code == 200
    browser.cookies["django_language"] = "en"
    assert browser.get("/calls/").status_code == 200  # English chosen: the English address is right


def test_a_signed_in_persons_language_applies_without_a_cookie(call, user):
    user.preferred_language = "fr"
    user.save()
    browser = Client()
    browser.force_login(user)
    assert browser.get("/calls/").url == "/fr/calls/"


def test_posts_and_addresses_outside_the_translated_pages_are_not_redirected(call):
    browser = Client(HTTP_ACCEPT_LANGUAGE="ar")
    assert browser.get("/healthz/").status_code in (200, 503)
    assert browser.post("/calls/kawalis/apply/").status_code == 302  # to sign in, not to /ar/
    assert "/accounts/login/" in browser.post("/calls/kawalis/apply/").url


def test_the_switcher_keeps_the_page_from_any_language_to_any_other(call):
    browser = Client(HTTP_ACCEPT_LANGUAGE="ar")
    page = "/ar/calls/kawalis/"
    for language, expected in [("he", "/he/calls/kawalis/"), ("en", "/calls/kawalis/"), ("fr", "/fr/calls/kawalis/")]:
        response = browser.post(reverse("set_language"), {"language": language, "next": page})
        assert response.status_code == 302 and response.url == expected
        assert browser.cookies["django_language"].value == language
        page = expected
    # Back on an English address after choosing English: it stays English despite the Arabic browser.
    browser.post(reverse("set_language"), {"language": "en", "next": page})
    assert browser.get("/calls/kawalis/").status_code == 200


def test_the_switcher_saves_a_signed_in_persons_language_and_refuses_other_sites(call, user):
    browser = Client()
    browser.force_login(user)
    browser.post(reverse("set_language"), {"language": "pl", "next": "/he/calls/"})
    user.refresh_from_db()
    assert user.preferred_language == "pl"
    response = browser.post(reverse("set_language"), {"language": "fr", "next": "https://evil.example/"})
    assert response.url == "/fr/"
    response = browser.post(reverse("set_language"), {"language": "xx", "next": "/calls/"})
    assert response.url == "/calls/"
    user.refresh_from_db()
    assert user.preferred_language == "fr"


def test_signing_in_from_a_hebrew_page_says_it_switched_to_the_saved_language(call, user, password):
    user.preferred_language = "pl"
    user.save()
    browser = Client()
    response = browser.post("/he/accounts/login/", {"login": user.email, "password": password}, follow=True)
    assert response.redirect_chain[-1][0] == "/pl/"
    html = response.content.decode()
    assert 'lang="pl"' in html
    with translation.override("pl"):  # the message, in Polish, names the language it switched to
        expected = gettext(
            "The portal is now in %(language)s, the language saved in your account. "
            "Choose another one from the language menu; it is saved for next time."
        )
    assert escape(expected % {"language": "polski"}) in html
    assert html.count('role="alert"') >= 2  # allauth's own "signed in" and ours, both on the Polish page
    assert browser.cookies["django_language"].value == "pl"


def test_signing_in_keeps_the_page_asked_for_in_the_saved_language(call, user, password):
    user.preferred_language = "he"
    user.save()
    response = Client().post(
        "/he/accounts/login/", {"login": user.email, "password": password, "next": "/he/calls/kawalis/"}
    )
    assert response.url == "/he/calls/kawalis/"


def test_absolute_url_carries_the_language(call, settings):
    settings.SITE_URL = "https://portal.example.org"
    assert absolute_url("applications:call", "ar", args=["kawalis"]) == "https://portal.example.org/ar/calls/kawalis/"
    assert absolute_url("applications:call", "en", args=["kawalis"]) == "https://portal.example.org/calls/kawalis/"
    assert absolute_url("/he/calls/kawalis/", "fr") == "https://portal.example.org/fr/calls/kawalis/"
    assert translate_path("/ar/calls/?page=2", "he") == "/he/calls/?page=2"


def test_every_link_in_an_email_carries_the_recipients_language(call, django_capture_on_commit_callbacks, mailoutbox):
    applicant = User.objects.create_user(email="amina@example.org", name="Amina", preferred_language="ar")
    with django_capture_on_commit_callbacks(execute=True):
        application = fill(application_start(call=call, applicant=applicant))
        application_submit(application=application, by=applicant)
    links = re.findall(r"https?://\S+", mailoutbox[-1].body)
    assert links and all("/ar/" in link for link in links)


def test_a_call_page_links_its_programs_language(call):
    call.cohort.program.language = "ar"
    call.cohort.program.save()
    html = Client().get("/calls/kawalis/").content.decode()
    assert 'href="/ar/calls/kawalis/"' in html and "العربيّة" in html


def test_account_emails_are_in_the_recipients_language_with_their_links(user, mailoutbox):
    user.preferred_language = "pl"
    user.save()
    EmailAddress.objects.get_or_create(user=user, email=user.email, defaults={"verified": True, "primary": True})
    Client().post("/he/accounts/password/reset/", {"email": user.email})
    assert "/pl/accounts/password/reset/key/" in mailoutbox[-1].body
