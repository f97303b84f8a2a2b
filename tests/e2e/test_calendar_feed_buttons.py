"""The profile's calendar card on a phone in Arabic: the private address is copied with one tap, and said so."""

import pytest
from playwright.sync_api import expect

from demo.users import DEMO_PASSWORD
from tests.factories import UserFactory


@pytest.mark.parametrize("language", ["ar", "pl"])
def test_the_calendar_address_is_copied_with_one_tap(transactional_db, live_server, browser, language):
    UserFactory(email="pia@example.org", name="Pia", preferred_language=language)
    context = browser.new_context(viewport={"width": 390, "height": 844})
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=login]", "pia@example.org")
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector("[data-testid=user-menu]", state="attached")  # in the folded menu on a phone
    page.goto(f"{live_server.url}/{language}/profile/")
    page.click("[data-testid=feed-copy]")
    status = page.locator("#feed-copied")
    expect(status).to_have_text({"ar": "تم النسخ.", "pl": "Skopiowano."}[language])
    assert status.get_attribute("role") == "status"
    assert page.evaluate("navigator.clipboard.readText()") == page.input_value("[data-testid=feed-url]")
    assert page.get_attribute("[data-testid=feed-subscribe]", "href").startswith("webcal://")
    context.close()
