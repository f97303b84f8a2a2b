"""The Kawalis manager reaches the second-cohort call's ranking, selection and decisions from the site's home in two
clicks each (home → program home → page), at a desk and on a 390 px phone in Arabic, with no page wider than the
screen and no accessibility violation on the program home."""

import pytest
from playwright.sync_api import expect

from demo.users import DEMO_PASSWORD
from tests.e2e.axe import assert_accessible
from tests.e2e.journeys import DESKTOP, PHONE, open_page, sign_in

EMAIL = "manager.kawalis@example.org"
CALL = "kawalis-second-cohort"
PAGES = (("call-ranking", "/review/calls/kawalis-second-cohort/ranking/"),
         ("call-selection", "/review/calls/kawalis-second-cohort/selection/"),
         ("call-decisions", "/review/calls/kawalis-second-cohort/decisions/"))  # fmt: skip


def _no_sideways_scroll(page, width):
    assert page.evaluate("document.documentElement.scrollWidth") <= width, page.url


@pytest.mark.parametrize(
    ("language", "device", "width"), [("fr", DESKTOP, 1280), ("ar", PHONE, 390)], ids=["desktop-fr", "phone-ar"]
)
def test_two_clicks_from_home_to_the_call_s_ranking_selection_and_decisions(
    seeded_demo, live_server, browser, screenshot, language, device, width
):
    base = live_server.url
    page = open_page(browser, locale=language, device=device)
    try:
        sign_in(page, base, EMAIL, DEMO_PASSWORD)
        home = f"{base}/" if language == "en" else f"{base}/{language}/"
        for testid, path in PAGES:
            page.goto(home)
            _no_sideways_scroll(page, width)
            page.locator("[data-testid=program-home-link]").first.click()  # click 1
            page.wait_for_selector("[data-testid=section-calls]")
            assert page.get_attribute("html", "lang") == language
            _no_sideways_scroll(page, width)
            if testid == "call-ranking":
                screenshot(page, f"program-home-{language}", full_page=True)
                assert_accessible(page)
            page.locator(f"[data-call={CALL}] [data-testid={testid}]").click()  # click 2
            page.wait_for_url(f"**{path}")
            _no_sideways_scroll(page, width)
    finally:
        page.context.close()


def test_each_needs_you_line_opens_its_page(seeded_demo, live_server, browser, screenshot):
    """What waits for the Kawalis manager (the demo's reviewer invited nine days ago and silent since) is listed on
    the program home, each line a link that opens the page where it is dealt with."""
    base = live_server.url
    page = open_page(browser, locale="en", device=DESKTOP)
    try:
        sign_in(page, base, EMAIL, DEMO_PASSWORD)
        page.locator("[data-testid=program-home-link]").first.click()
        lines = page.locator("[data-testid=needs-you] li a")
        expect(lines.first).to_be_visible()
        screenshot(page, "program-home-needs-you", full_page=True)
        links = [lines.nth(n).get_attribute("href") for n in range(lines.count())]
        for link in links:
            response = page.goto(f"{base}{link}")
            assert response.status == 200 and "/accounts/login/" not in page.url, link
        assert any("/cohorts/programs/kawalis/roles/" in link for link in links)
        expect(page.locator("[data-testid=invitation]").first).to_be_visible()  # the roles page lists it
    finally:
        page.context.close()
