"""A program manager makes an API token on a phone in French, copies it once, a tool reads the API with it, and the
manager revokes it; the page in Arabic reads right to left."""

import json
import urllib.error
import urllib.request

from playwright.sync_api import expect

from tests.e2e.phone import PHONE, layout_problems
from tests.e2e.test_accessibility import signed_in


def api_status(base, token, path="/api/v1/programs/"):
    request = urllib.request.Request(f"{base}{path}", headers={"Authorization": f"Bearer {token}"})
    try:
        with urllib.request.urlopen(request) as response:
            return response.status, json.load(response)
    except urllib.error.HTTPError as error:
        return error.code, json.load(error)


def test_a_manager_makes_uses_and_revokes_a_token_on_a_phone(seeded_demo, live_server, browser, screenshot):
    context = browser.new_context(**PHONE)
    try:
        page = context.new_page()
        signed_in(page, live_server.url, "manager@example.org")
        page.goto(f"{live_server.url}/fr/profile/api-tokens/")
        page.fill("input[name=name]", "Tableur du bailleur")
        page.locator("input[name=programs]").first.check()
        page.check("input[name=scopes][value='cohorts:read']")
        page.select_option("select[name=lifetime]", "30")
        page.click("button[type=submit].btn-primary")
        shown = page.locator("[data-testid=new-token] input")
        expect(shown).to_be_visible()
        assert not layout_problems(page)
        token = shown.input_value()
        assert token.startswith("inc_")

        status, body = api_status(live_server.url, token)
        assert status == 200 and body["results"]
        status, body = api_status(live_server.url, token, "/api/v1/calls/")
        assert status == 403 and "applications:read" in body["detail"]

        page.reload()
        expect(page.locator("[data-testid=new-token]")).to_have_count(0)
        expect(page.locator("[data-testid=token-row]").first).to_contain_text("Tableur du bailleur")

        page.goto(f"{live_server.url}/ar/profile/api-tokens/")
        assert page.get_attribute("html", "dir") == "rtl"
        assert not layout_problems(page)
        screenshot(page, "api-tokens-ar-phone")
        page.once("dialog", lambda dialog: dialog.accept())
        page.locator("[data-testid=token-row] button.btn-outline-danger").first.click()
        expect(page.locator("[data-testid=token-row] .badge.text-bg-secondary")).to_have_count(1)
        assert api_status(live_server.url, token)[0] == 401
    finally:
        context.close()
