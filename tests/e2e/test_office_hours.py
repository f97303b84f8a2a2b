"""Journey of office hours on a phone, in Hebrew: a BizUP participant opens her mentor's office hours from her
mentoring page, taps a free slot, confirms, and lands on her booked session; her mentor sees it among his upcoming
sessions and, once it has taken place, logs it like any session."""

import datetime

import time_machine
from playwright.sync_api import expect

from cohorts.models import Availability, AvailabilityWindow, Program
from mentoring.models import Assignment, Attendance, Session
from tests.e2e.axe import assert_accessible
from tests.e2e.journeys import PHONE, open_page, sign_in
from tests.e2e.phone import layout_problems

MENTOR = "mentor@example.org"


def test_a_participant_books_an_office_hour_on_a_phone_in_hebrew_and_her_mentor_logs_it(
    seeded_demo, live_server, browser, screenshot
):
    base = live_server.url
    program = Program.objects.get(slug="bizup")
    assignment = (
        Assignment.objects.filter(mentor__email=MENTOR, program=program, ended_at=None)
        .select_related("mentor", "mentee")
        .order_by("mentee__name")
        .first()
    )
    mentor, mentee = assignment.mentor, assignment.mentee
    # The demo's own hours of this mentor give way to every-day hours, so that the journey holds on any day.
    Availability.objects.filter(owner=mentor, purpose=Availability.Purpose.OFFICE_HOURS).delete()
    hours = Availability.objects.create(
        program=program, owner=mentor, purpose=Availability.Purpose.OFFICE_HOURS, time_zone="Asia/Jerusalem",
        slot_minutes=45, place="BizMax, חדר 2",
    )  # fmt: skip
    AvailabilityWindow.objects.bulk_create(
        AvailabilityWindow(availability=hours, weekday=day, starts=datetime.time(9), ends=datetime.time(17))
        for day in range(7)
    )

    page = open_page(browser, locale="he-IL", device=PHONE)
    try:
        sign_in(page, base, mentee.email)
        page.goto(f"{base}/mentoring/")
        assert page.get_attribute("html", "dir") == "rtl"
        page.locator("[data-testid=office-hours-link]").click()
        page.locator("[data-testid=offered] a", has_text=mentor.name).click()
        page.wait_for_selector("[data-testid=slots]")
        expect(page.locator("[data-testid=zone]")).to_contain_text(mentee.time_zone)
        assert layout_problems(page) == []
        assert_accessible(page)
        screenshot(page, "office-hours-slots-he", full_page=False)

        page.locator("[data-testid=slot]").first.click()  # tap 1
        expect(page.locator("[data-testid=confirmation]")).to_contain_text(mentor.name)
        assert layout_problems(page) == []
        screenshot(page, "office-hours-confirm-he", full_page=False)
        page.locator("[data-testid=confirm-booking]").click()  # tap 2

        page.wait_for_selector("[data-testid=session-title]")
        expect(page.locator(".alert-success")).to_be_visible()
        assert layout_problems(page) == []
        session = Session.objects.get(program=program, kind__code="office-hours", attendances__person=mentee)
        assert list(session.facilitators.all()) == [mentor]
        assert session.attendances.get().person == mentee and session.place == "BizMax, חדר 2"
    finally:
        page.context.close()

    page = open_page(browser, locale="he-IL", device=PHONE)
    try:
        sign_in(page, base, MENTOR)
        page.goto(f"{base}/mentoring/")
        expect(page.locator(f"[data-testid=upcoming] a[href$='/sessions/{session.pk}/']")).to_be_visible()
        with time_machine.travel(session.ends_at + datetime.timedelta(minutes=10), tick=True):
            page.goto(f"{base}/mentoring/")
            page.locator(f"[data-testid=unlogged] a[href$='/sessions/{session.pk}/']").click()
            page.locator("[data-testid=record]").click()
            page.locator("textarea[name=summary]").fill("עברנו על המחירון ועל תיק העבודות.")
            assert layout_problems(page) == []
            page.locator("button[type=submit]").last.click()
            page.wait_for_selector("[data-testid=summary]")
        expect(page.locator("[data-testid=summary]")).to_contain_text("עברנו על המחירון")
        session.refresh_from_db()
        assert session.status == Session.Status.HELD
        assert session.attendances.get().status == Attendance.Status.PRESENT
    finally:
        page.context.close()
