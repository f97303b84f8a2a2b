"""Journey of a participant, in Polish, at the Bydgoszcz makerspace: Piotr opens the workshop from the menu, goes
two weeks ahead on the week grid, books the 3D printer he is inducted on for an hour, and reads his monthly
statement: one more hour at the printer's list price, half of it subsidised by the programme."""

import datetime
import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from tests.e2e.axe import assert_accessible
from tests.e2e.journeys import open_page, sign_in
from workspaces import periods, selectors
from workspaces.models import Booking, Space

EMAIL = "participant@example.org"


def amount(page, testid: str) -> Decimal:
    """A figure as the page shows it in Polish (decimal comma, a space between thousands, złoty after); nothing
    charged in złoty that month yet is zero."""
    figure = page.locator(f"[data-currency=PLN] [data-testid={testid}]")
    if not figure.count():
        return Decimal(0)
    text = figure.inner_text().removesuffix("zł")
    return Decimal(text.replace("\xa0", "").replace(" ", "").replace(",", "."))


def totals(page) -> dict[str, Decimal]:
    """The workshop's totals in złoty (Piotr's desk at BizMax is charged in shekels, on a line of its own) and the
    hours used (the desk's days are totalled apart)."""
    hours = page.locator("[data-testid=units-hour]")
    units = Decimal(hours.get_attribute("data-value")) if hours.count() else Decimal(0)
    return {"units": units} | {name: amount(page, f"total-{name}") for name in ("list", "subsidy", "co-pay")}


@pytest.mark.calendar("warsaw-sunday")
def test_participant_books_a_machine_and_reads_the_statement_in_polish(seeded_demo, live_server, browser, screenshot):
    base = live_server.url
    space = Space.objects.get(slug="pracownia-jezuicka")
    printer = space.resources.get(name="3D printer")
    today = periods.space_today(space)
    # The grid opens on the workshop's next open day (Monday, on a Sunday). The Monday two weeks after that week's:
    # within the booking horizon, open from 10:00, and in a week the demo left empty.
    opens_on = selectors.next_open_day(space, today)
    day = opens_on - datetime.timedelta(days=opens_on.weekday()) + datetime.timedelta(days=14)
    slot = f"#slot-{printer.pk}-{day:%Y%m%d}1000"

    page = open_page(browser, locale="pl-PL")
    try:
        sign_in(page, base, EMAIL)
        assert page.get_attribute("html", "lang") == "pl"
        page.goto(f"{base}/pl/workspaces/statement/?month={day:%Y-%m}")
        before = totals(page)

        page.locator("[data-testid=nav-workspaces]").click()
        page.locator("[data-testid=space-list] a", has_text="Jezuicka").first.click()
        # Every resource of the workshop is booked by the hour: the week's days, then one day's hours.
        page.wait_for_selector("[data-testid=hour-grid]")
        for _week in range(2):
            page.locator("a[rel=next]").click()
            page.wait_for_selector("[data-testid=hour-grid]")
        page.locator(f"a[href*='day={day:%Y-%m-%d}']").click()
        page.wait_for_selector("[data-testid=hour-grid]")
        expect(page.locator(slot)).to_have_attribute("data-state", "free")
        page.locator(slot).get_by_role("button").click()
        expect(page.locator(slot)).to_have_attribute("data-state", "mine")
        expect(page.locator("[data-testid=grid-status]")).to_contain_text("3D printer")
        screenshot(page, "journey-participant-grid-pl")
        assert_accessible(page)

        booking = Booking.objects.get(person__email=EMAIL, resource=printer, period__startswith__date=day)
        assert booking.period.upper - booking.period.lower == datetime.timedelta(hours=1)

        page.locator("[data-testid=nav-statement]").click()
        page.wait_for_selector("[data-testid=statement-totals]")
        if day.month != today.month:  # the booking is next month's
            page.locator("a[rel=next]").click()
            page.wait_for_url(f"**month={day:%Y-%m}")
        # One hour at 15.00 zł, half of it paid by the programme (the plan's 50 %, well under its monthly cap).
        after = totals(page)
        assert after["units"] - before["units"] == Decimal("1")
        assert after["list"] - before["list"] == Decimal("15.00")
        assert after["subsidy"] - before["subsidy"] == Decimal("7.50")
        assert after["co-pay"] - before["co-pay"] == Decimal("7.50")
        assert after["list"] == after["subsidy"] + after["co-pay"]
        line = page.locator("[data-testid=statement-lines] tbody tr", has_text=f"{day.day} ").filter(
            has_text="3D printer"
        )
        expect(line.locator("td")).to_have_text(
            [
                re.compile("10:00–11:00"),
                "3D printer",
                "1 godzina",
                *(re.compile(rf"^{n}\s*zł$") for n in ("15,00", "7,50", "7,50")),
                "",
            ]
        )
        screenshot(page, "journey-participant-statement-pl", full_page=False)
        assert_accessible(page)
    finally:
        page.context.close()
