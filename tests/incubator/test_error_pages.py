"""403, 404 and 500 in the site's layout, translated, with a way back; refusals logged as one line."""

import logging

from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse
from django.utils import translation

from incubator.log_filters import RefusalWithoutTraceback


def test_404_is_in_the_layout_translated_with_a_way_back(db, settings):
    settings.DEBUG = False
    response = Client().get("/no-such-page/")
    html = response.content.decode()
    assert response.status_code == 404
    assert 'data-testid="error-page"' in html and "Page not found" in html
    assert 'href="/"' in html and "navbar" in html
    arabic = Client().get("/ar/no-such-page/")
    assert arabic.status_code == 404 and 'dir="rtl"' in arabic.content.decode()
    # An unknown English address, asked for by a Hebrew browser: the 404 is in Hebrew.
    hebrew = Client(HTTP_ACCEPT_LANGUAGE="he").get("/no-such-page/")
    assert hebrew.status_code == 404 and 'lang="he"' in hebrew.content.decode()


def test_403_is_in_the_layout(client, user, settings):
    settings.DEBUG = False
    client.force_login(user)
    response = client.get(reverse("scoring:queue"))  # not a reviewer
    html = response.content.decode()
    assert response.status_code == 403
    assert 'data-testid="error-page"' in html and "Not allowed" in html and "navbar" in html


def test_500_renders_without_a_request_or_a_database():
    with translation.override("he"):
        html = render_to_string("500.html")
    assert 'dir="rtl"' in html and 'data-testid="error-page"' in html and 'href="/"' in html


def _record(status, exc_info):
    record = logging.LogRecord("django.request", logging.WARNING, __file__, 1, "Forbidden: %s", ("/x/",), exc_info)
    record.status_code = status
    return record


def test_refusals_are_logged_as_one_line_and_server_errors_keep_their_traceback():
    try:
        raise PermissionError("refused")
    except PermissionError as error:
        exc_info = (type(error), error, error.__traceback__)
    refusal = _record(403, exc_info)
    assert RefusalWithoutTraceback().filter(refusal) and refusal.exc_info is None
    assert "\n" not in logging.Formatter().format(refusal)
    failure = _record(500, exc_info)
    assert RefusalWithoutTraceback().filter(failure) and failure.exc_info is not None


def test_the_console_handler_uses_the_refusal_filter(settings):
    assert "refusal_one_line" in settings.LOGGING["handlers"]["console"]["filters"]
