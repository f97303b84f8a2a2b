"""The HTML emails as a mail client shows them: laid out in one readable column at phone and desktop widths,
mirrored for Arabic, fetching nothing from anywhere, with no serious or critical axe finding."""

import pytest
import time_machine
from allauth.account.models import EmailAddress
from django.core.cache import cache
from django.test import Client

from incubator.delivery import notification_message
from incubator.models import Notification
from mentoring.services import INVITATION
from tests.e2e.axe import assert_accessible
from tests.factories import UserFactory
from tests.incubator.email_world import NOW, build_world

KINDS = ["applications.submitted", INVITATION]


# Transactional, as every browser test: Playwright's greenlets may reach the database on a connection of their own,
# which a test wrapped in one transaction would neither see nor roll back.
@pytest.fixture
def world(transactional_db):
    with time_machine.travel(NOW, tick=False):
        build_world()


@pytest.mark.parametrize("language", ["en", "ar"])
@pytest.mark.parametrize("width", [375, 800])
def test_an_email_reads_in_one_column_in_its_direction(world, page, screenshot, language, width):
    emails = {}
    for kind in KINDS:
        row = Notification.objects.select_related("recipient").filter(kind=kind).order_by("pk").first()
        row.recipient.preferred_language = language
        message = notification_message(row)
        emails[kind] = next(content for content, mimetype in message.alternatives if mimetype == "text/html")
    page.set_viewport_size({"width": width, "height": 900})
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    for kind, html in emails.items():
        page.set_content(html)
        heading = page.locator("h1")
        assert heading.evaluate("element => getComputedStyle(element).direction") == (
            "rtl" if language == "ar" else "ltr"
        )
        assert heading.evaluate("element => getComputedStyle(element).textAlign") == (
            "right" if language == "ar" else "left"
        )
        button = page.locator("td[style*='background-color:#0b5ed7'] a")
        box, card = button.bounding_box(), heading.bounding_box()
        # The button starts where the text starts: at the right edge of the column in Arabic, the left in English.
        if language == "ar":
            assert abs((box["x"] + box["width"]) - (card["x"] + card["width"])) < 2
        else:
            assert abs(box["x"] - card["x"]) < 2
        assert page.evaluate("document.documentElement.scrollWidth") <= width, "no sideways scrolling"
        assert_accessible(page)
        screenshot(page, f"email-{kind.replace('.', '-')}-{language}-{width}")
    assert [url for url in requests if not url.startswith(("about:", "data:"))] == []


def test_the_password_reset_email_reads_right_to_left_in_arabic(transactional_db, page, screenshot, mailoutbox):
    cache.clear()  # the reset form's rate limit
    person = UserFactory(email="amina@example.org", preferred_language="ar")
    EmailAddress.objects.get_or_create(user=person, email=person.email, defaults={"verified": True, "primary": True})
    Client().post("/accounts/password/reset/", {"email": person.email})
    [message] = mailoutbox
    page.set_viewport_size({"width": 375, "height": 900})
    page.set_content(next(content for content, mimetype in message.alternatives if mimetype == "text/html"))
    assert page.locator("h1").evaluate("element => getComputedStyle(element).direction") == "rtl"
    assert "/ar/accounts/password/reset/key/" in page.locator("a").first.get_attribute("href")
    assert_accessible(page)
    screenshot(page, "email-password-reset-ar-375")
