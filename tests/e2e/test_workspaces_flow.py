"""Booking in a real browser: a BizUP participant books three desk days in the week grid, cancels one in time,
checks in and reads the statement; a makerspace member is refused the laser cutter without an induction and,
once inducted, books it by the hour. Screenshots of the grid in English and Arabic."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from playwright.sync_api import expect

from tests.factories import CohortFactory
from tests.workspaces.factories import make_plan, make_resource, make_space, manager_of, participant
from workspaces import periods, services
from workspaces.models import Booking, Resource


def first_monday_with_three_days_in_one_month(today: datetime.date) -> datetime.date:
    day = today + datetime.timedelta(days=1)
    while day.weekday() != 0 or (day + datetime.timedelta(days=2)).month != day.month:
        day += datetime.timedelta(days=1)
    return day


@pytest.fixture
def spaces(transactional_db):
    bizup = CohortFactory(name="BizUP 2026", program__time_zone="Asia/Jerusalem", ends_on=datetime.date(2099, 1, 1))
    bizmax = make_space([bizup.program], slug="bizmax", weekdays=range(7), week_starts_on=0)
    for number in range(1, 6):
        make_resource(bizmax, f"Desk {number:02d}", price="90.00")
    make_plan(bizup, bizmax, share=75, cap="12")
    maker = CohortFactory(name="Pracownia 2026", program__time_zone="Europe/Warsaw", ends_on=datetime.date(2099, 1, 1))
    workshop = make_space(
        [maker.program], slug="pracownia", time_zone="Europe/Warsaw", weekdays=range(7), week_starts_on=0,
        opens=datetime.time(10), closes=datetime.time(14),
    )  # fmt: skip
    make_resource(
        workshop, "Laser cutter", kind=Resource.Kind.MACHINE, unit=Resource.Unit.HOUR, price="40.00",
        induction_type="laser cutter", max_hours=3,
    )  # fmt: skip
    make_plan(maker, workshop, share=50, cap="20")
    return bizup, bizmax, maker, workshop


def slot(page, resource, day, hour):
    return page.locator(f"#slot-{resource.pk}-{day:%Y%m%d}{hour:02d}00")


@pytest.mark.calendar("jerusalem-dst")
def test_bizup_participant_books_cancels_checks_in_and_reads_the_statement(
    spaces, live_server, page, sign_in, screenshot
):
    bizup, bizmax, maker, workshop = spaces
    person = participant(bizup, name="Sara Levi")
    desk = bizmax.resources.get(name="Desk 01")
    monday = first_monday_with_three_days_in_one_month(periods.space_today(bizmax))
    days = [monday + datetime.timedelta(days=n) for n in range(3)]

    sign_in(page, person.email)
    page.click("[data-testid=nav-workspaces]")
    page.click("text=Bizmax")
    page.goto(f"{live_server.url}/workspaces/bizmax/?week={monday}")
    for day in days:
        cell = slot(page, desk, day, 8)
        assert cell.get_attribute("data-state") == "free"
        cell.get_by_role("button").click()
        page.wait_for_selector(f"#slot-{desk.pk}-{day:%Y%m%d}0800[data-state=mine]")
    assert "Booked: Desk 01." in page.inner_text("[data-testid=grid-status]")
    # The outcome is said under the slot tapped, and only the last one stays.
    expect(page.get_by_test_id("slot-feedback")).to_have_count(1)
    expect(slot(page, desk, days[2], 8).get_by_test_id("slot-feedback")).to_have_text("Booked: Desk 01.")
    screenshot(page, "workspaces-grid-en")

    # Cancel the third day, days ahead: free of charge.
    page.once("dialog", lambda dialog: dialog.accept())
    slot(page, desk, days[2], 8).get_by_role("link", name="Cancel my booking").click()
    page.wait_for_selector(f"#slot-{desk.pk}-{days[2]:%Y%m%d}0800[data-state=free]")
    assert "Nothing is charged" in page.inner_text("[data-testid=grid-status]")

    # Arrive on the first day and check in.
    first = Booking.objects.get(person=person, period__startswith__date=days[0])
    arrival = datetime.datetime.combine(days[0], datetime.time(7, 50), ZoneInfo("Asia/Jerusalem"))
    with time_machine.travel(arrival, tick=True):
        page.click("[data-testid=nav-my-bookings]")
        page.locator("[data-testid=booking-row]", has_text=f"{days[0]:%-d %b %Y}").get_by_test_id("check-in").click()
        page.wait_for_selector("text=Checked in: Desk 01")
    first.refresh_from_db()
    assert first.checked_in_at is not None

    page.goto(f"{live_server.url}/workspaces/statement/?month={monday:%Y-%m}")
    assert page.inner_text("[data-testid=total-units]") == "2 days"
    assert page.inner_text("[data-testid=total-list]") == "₪180.00"
    assert page.inner_text("[data-testid=total-subsidy]") == "₪135.00"
    assert page.inner_text("[data-testid=total-co-pay]") == "₪45.00"
    screenshot(page, "workspaces-statement-en")
    page.goto(f"{live_server.url}/ar/workspaces/statement/?month={monday:%Y-%m}")
    screenshot(page, "workspaces-statement-ar")

    page.goto(f"{live_server.url}/ar/workspaces/bizmax/?week={monday}")
    assert page.get_attribute("html", "dir") == "rtl"
    screenshot(page, "workspaces-grid-ar")


@pytest.mark.calendar("warsaw-dst")
def test_makerspace_member_needs_an_induction_for_the_laser_cutter(spaces, live_server, page, sign_in, screenshot):
    bizup, bizmax, maker, workshop = spaces
    person = participant(maker, name="Kasia Nowak")
    laser = workshop.resources.get()
    monday = first_monday_with_three_days_in_one_month(periods.space_today(workshop))
    url = f"{live_server.url}/workspaces/pracownia/?week={monday}&day={monday}"

    sign_in(page, person.email)
    page.goto(url)
    slot(page, laser, monday, 10).get_by_role("button").click()
    page.wait_for_selector("[data-testid=slot-feedback].alert-danger")
    refusal = page.inner_text("[data-testid=slot-feedback]")
    assert "needs a valid induction on the laser cutter" in refusal and "Ask the space's trainer" in refusal
    assert page.inner_text("[data-testid=grid-status]") == refusal
    assert slot(page, laser, monday, 10).get_attribute("data-state") == "free"
    assert not Booking.objects.exists()
    screenshot(page, "workspaces-induction-refused-en")

    services.induction_record(
        space=workshop, person=person, induction_type="Laser cutter",
        inducted_on=periods.space_today(workshop), by=manager_of(maker.program),
    )  # fmt: skip
    page.goto(url)
    slot(page, laser, monday, 11).get_by_role("button").click()
    page.wait_for_selector(f"#slot-{laser.pk}-{monday:%Y%m%d}1100[data-state=mine]")
    booking = Booking.objects.get(person=person)
    assert booking.period.upper - booking.period.lower == datetime.timedelta(hours=1)
    assert booking.ledger_lines.get().co_pay == 20
    screenshot(page, "workspaces-hours-en")


@pytest.mark.calendar("jerusalem-month-end")
def test_manager_reads_the_report(spaces, live_server, page, sign_in, screenshot):
    bizup, bizmax, maker, workshop = spaces
    monday = first_monday_with_three_days_in_one_month(periods.space_today(bizmax))
    for number, desk in enumerate(bizmax.resources.all()[:3]):
        services.booking_create(
            resource=desk,
            starts=datetime.datetime.combine(monday + datetime.timedelta(days=number), datetime.time(8)),
            ends=datetime.datetime.combine(monday + datetime.timedelta(days=number), datetime.time(18)),
            by=participant(bizup, name=f"עמית {number}"),
        )
    manager = manager_of(bizup.program)
    sign_in(page, manager.email)
    page.goto(f"{live_server.url}/workspaces/bizmax/reports/?month={monday:%Y-%m}")
    assert page.locator("[data-testid=occupancy-chart] .occupancy-bar").count() == 7
    assert "202.50" in page.inner_text("[data-testid=subsidy-table]")
    screenshot(page, "workspaces-report-en")
    page.goto(f"{live_server.url}/ar/workspaces/bizmax/reports/?month={monday:%Y-%m}")
    screenshot(page, "workspaces-report-ar")
