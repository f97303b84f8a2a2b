import io

import pytest

from demo.users import DEMO_USERS, seed_users
from tests.e2e.conftest import choose_language

ROLE_CARD = {
    "manager@example.org": "card-manager",
    "reviewer@example.org": "card-reviewer",
    "mentor@example.org": "card-mentor",
    "participant@example.org": "card-participant",
    "applicant@example.org": "card-applicant",
    # The per-program managers (manager.bizup@ ...) are managers too.
}


@pytest.fixture
def demo_people(transactional_db):
    seed_users(stdout=io.StringIO())


def test_each_demo_role_signs_in_and_sees_home_in_english_and_arabic(demo_people, live_server, browser, screenshot):
    """One browser context per person, in one test (folded from one test per person: see README.md)."""
    for email in [row[0] for row in DEMO_USERS]:
        context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US")
        try:
            _home_in_english_and_arabic(context.new_page(), live_server.url, email, screenshot)
        finally:
            context.close()


def _home_in_english_and_arabic(page, base, email, screenshot):
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", "demo-pass-2026")
    page.click("button[type=submit]")
    page.wait_for_selector("[data-testid=user-menu]")
    role = email.split("@")[0]
    choose_language(page, "en")  # signed in, the site is in the account's language
    card = ROLE_CARD.get(email, "card-manager")

    page.goto(f"{base}/")
    assert page.get_attribute("html", "dir") == "ltr", email
    assert page.locator(f"[data-testid={card}]").is_visible(), email
    assert page.evaluate("getComputedStyle(document.querySelector('nav')).backgroundImage") != "none"
    screenshot(page, f"home-{role}-en")

    page.goto(f"{base}/ar/")
    assert page.get_attribute("html", "dir") == "rtl"
    assert page.get_attribute("html", "lang") == "ar"
    assert page.locator("link[href*='bootstrap.rtl.min.css']").count() == 1
    assert page.locator(f"[data-testid={card}]").is_visible(), email
    screenshot(page, f"home-{role}-ar")


def test_language_switcher_changes_the_page_language(transactional_db, live_server, page):
    page.goto(f"{live_server.url}/")
    page.select_option("#language-select", "he")
    page.wait_for_url(f"{live_server.url}/he/")
    assert page.get_attribute("html", "dir") == "rtl"
