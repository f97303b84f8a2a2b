"""Journey of a mentor, in Hebrew: Miriam opens the mentoring page from the menu, logs yesterday's individual
session with one of her BizUP mentees (a summary and an action item, in Hebrew), reads the logged session, and
finds it on her mentoring page: the mentee's last session is now yesterday's."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from cohorts.models import Program
from mentoring.models import Assignment, Attendance, Session, SessionKind
from tests.e2e.axe import assert_accessible
from tests.e2e.journeys import open_page, sign_in

EMAIL = "mentor@example.org"


@pytest.mark.calendar("jerusalem-month-end")
def test_mentor_logs_a_session_in_hebrew(seeded_demo, live_server, browser, screenshot):
    base = live_server.url
    program = Program.objects.get(slug="bizup")
    # A mentee not seen in the last two days, so that the page's "last session" visibly moves to yesterday.
    recent = Attendance.objects.filter(
        status=Attendance.Status.PRESENT,
        session__status=Session.Status.HELD,
        session__starts_at__gte=timezone.now() - datetime.timedelta(days=2),
    ).values("person")
    mentee = (
        Assignment.objects.filter(mentor__email=EMAIL, program=program, ended_at=None)
        .exclude(mentee__in=recent)
        .select_related("mentee")
        .order_by("mentee__name")
        .first()
        .mentee
    )
    individual = SessionKind.objects.get(program=program, code="individual")
    yesterday = timezone.localtime(timezone.now(), ZoneInfo(program.time_zone)).date() - datetime.timedelta(days=1)
    page = open_page(browser, locale="he-IL")
    try:
        sign_in(page, base, EMAIL)
        assert page.get_attribute("html", "dir") == "rtl"
        page.locator("[data-testid=nav-mentoring]").click()
        page.wait_for_selector("[data-testid=mentees]")
        mentee_row = page.locator("[data-testid=mentees] li", has_text=mentee.name)
        before = mentee_row.inner_text()
        screenshot(page, "journey-mentor-home-he", full_page=False)
        assert_accessible(page)

        page.locator("[data-testid=log-session]").click()
        page.wait_for_selector("[data-testid=save-log]")
        page.select_option("select[name=kind]", label=individual.name)
        page.locator(f"input[name=participants][value='{mentee.pk}']").check()
        page.locator("input[name=date]").fill(yesterday.isoformat())
        page.locator("input[name=time]").fill("10:30")
        page.select_option("select[name=minutes]", "60")
        page.locator("textarea[name=summary]").fill("תמחור העבודות ובניית תיק עבודות לקראת הפגישה עם הלקוח.")
        page.locator("textarea[name=actions]").fill("לשלוח מחירון מעודכן לשני לקוחות")
        page.evaluate("window.scrollTo(0, 0)")  # typing scrolled the form; the picture shows it from its top
        screenshot(page, "journey-mentor-log-he", full_page=False)
        assert_accessible(page)
        page.locator("[data-testid=save-log]").click()

        page.wait_for_selector("[data-testid=summary]")
        expect(page.locator("[data-testid=summary]")).to_contain_text("תמחור העבודות")
        expect(page.locator("[data-testid=actions]")).to_contain_text("לשלוח מחירון מעודכן")
        expect(page.locator("[data-testid=attendance]")).to_contain_text(mentee.name)
        screenshot(page, "journey-mentor-session-he", full_page=False)
        assert_accessible(page)
        session = Session.objects.get(program=program, summary__startswith="תמחור העבודות")
        assert session.status == Session.Status.HELD and session.kind == individual
        assert session.attendances.get().person == mentee
        assert session.attendances.get().status == Attendance.Status.PRESENT
        local_start = timezone.localtime(session.starts_at, ZoneInfo(program.time_zone))
        assert (local_start.date(), local_start.time()) == (yesterday, datetime.time(10, 30))

        # Back on the mentoring page, the mentee's last session is yesterday's.
        page.locator("[data-testid=nav-mentoring]").click()
        page.wait_for_selector("[data-testid=mentees]")
        expect(mentee_row).not_to_have_text(before)
        screenshot(page, "journey-mentor-after-he", full_page=False)
        assert_accessible(page)
    finally:
        page.context.close()
