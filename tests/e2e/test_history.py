"""A program's history in Chromium, on the demo: the manager grants a role and reads it back in the history with
their name, the time in the program's zone and the filters; the page in Arabic is right-to-left (screenshots);
the other program's manager gets a 404."""

from tests.e2e.axe import assert_accessible
from tests.e2e.conftest import choose_language


def test_a_manager_reads_their_programs_history_and_nobody_elses(seeded_demo, live_server, page, sign_in, screenshot):
    sign_in(page, "manager.bizup@example.org")
    page.goto(f"{live_server.url}/cohorts/programs/bizup/roles/")
    choose_language(page, "en")  # this manager reads Hebrew; the sentences are checked in English
    page.fill("input[name=email]", "member.bizup.02@example.org")
    page.select_option("select[name=role]", "mentor")
    page.click(".form-card button[type=submit]")
    page.wait_for_selector("[data-testid=role-invitations] [data-testid=invitation]")
    # The invited member accepts; the grant is recorded in the inviting manager's name.
    page.context.clear_cookies()
    sign_in(page, "member.bizup.02@example.org")
    page.goto(f"{live_server.url}/cohorts/invitations/")
    page.click("[data-testid=invitation] [data-testid=accept]")
    page.wait_for_selector(".alert-success")
    page.context.clear_cookies()
    sign_in(page, "manager.bizup@example.org")
    page.goto(f"{live_server.url}/cohorts/programs/bizup/roles/")
    choose_language(page, "en")
    page.click("[data-testid=program-history]")
    first = page.locator("[data-testid=history-line]").first
    assert "as mentor — granted" in first.inner_text()
    assert "(Asia/Jerusalem)" in first.inner_text()
    page.select_option("select[name=kind]", "membership")
    page.click("[data-testid=history-filters] button[type=submit]")
    page.wait_for_url("**kind=membership**")
    assert page.locator("[data-testid=history-line]").count() > 0
    assert "Membership of" in page.locator("[data-testid=history-line]").first.inner_text()
    assert_accessible(page)
    screenshot(page, "program-history-en")
    choose_language(page, "ar")
    assert page.get_attribute("html", "dir") == "rtl"
    screenshot(page, "program-history-ar")

    page.context.clear_cookies()
    sign_in(page, "manager.kawalis@example.org")
    assert page.goto(f"{live_server.url}/cohorts/programs/bizup/history/").status == 404
