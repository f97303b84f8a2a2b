"""Right-to-left pages in Arabic and Hebrew, looked at in a real browser: a table (the cohort dashboard's members),
the charts above it, and the booking grid; screenshots of each."""

import pytest
from playwright.sync_api import expect

from incubator.models import User


def box(locator):
    return locator.bounding_box()


@pytest.mark.parametrize("language", ["ar", "he"])
def test_tables_charts_and_the_booking_grid_run_right_to_left(
    seeded_demo, live_server, page, sign_in, screenshot, language
):
    User.objects.filter(email__in=["manager@example.org", "participant@example.org"]).update(
        preferred_language=language
    )
    sign_in(page, "manager@example.org")
    page.goto(f"{live_server.url}/{language}/cohorts/kawalis-2/dashboard/")
    assert page.get_attribute("html", "dir") == "rtl"
    expect(page.locator("canvas")).to_have_count(4)
    headers = page.locator("[data-testid=members-table] thead th")
    # The table's first column stands on the right.
    assert box(headers.first)["x"] > box(headers.last)["x"]
    # A Latin name in an Arabic or Hebrew page keeps its own direction.
    assert page.locator(
        "[data-testid=members-table] tbody td bdi, [data-testid=members-table] tbody [dir=auto]"
    ).count()
    screenshot(page, f"rtl-dashboard-{language}")

    page.goto(f"{live_server.url}/{language}/accounts/logout/")
    page.locator("form button[type=submit]").last.click()
    sign_in(page, "participant@example.org")
    page.goto(f"{live_server.url}/{language}/workspaces/")
    page.locator("main a[href*='/workspaces/']").filter(has_text="BizMax").first.click()
    grid = page.locator("table").first
    expect(grid).to_be_visible()
    columns = grid.locator("thead th")
    assert box(columns.first)["x"] > box(columns.last)["x"]  # resources on the right, days running leftwards
    screenshot(page, f"rtl-booking-grid-{language}")
