"""Every key page on a phone (390×844), in the five languages, signed in as each demo person (issue 19): no page
wider than the screen, no control covered by another element where it is tapped.

All the problems of one person's pages are reported together, so one run names everything left to fix."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from applications.models import Application
from applications.scoring.models import Review, ReviewerAssignment
from cohorts.models import Membership
from mentoring.models import Session
from tests.e2e.phone import PHONE, in_view, layout_problems
from tests.e2e.test_accessibility import open_call, signed_in
from workspaces import periods
from workspaces.models import Resource, Space

LANGUAGES = ("en", "he", "ar", "fr", "pl")


def sweep(browser, base, email, paths, photographed=None):
    """Each path in each language; `photographed` names the paths whose Arabic page `make screenshots` keeps."""
    photographed = photographed or {}
    context = browser.new_context(**PHONE)
    try:
        page = context.new_page()
        if email:
            signed_in(page, base, email)
        found = []
        for path in paths:
            for language in LANGUAGES:
                url = f"{base}{'' if language == 'en' else '/' + language}{path}"
                response = page.goto(url)
                assert response.status == 200, f"{url}: {response.status}"
                assert page.get_attribute("html", "lang") == language, url
                found += [f"{path} ({language}): {problem}" for problem in layout_problems(page)]
                if path in photographed and language == "ar":
                    photographed[path](page)
        assert not found, "\n".join(found)
    finally:
        context.close()


def test_public_and_applicant_pages_fit_a_phone(seeded_demo, live_server, browser):
    call = open_call()
    sweep(browser, live_server.url, None, ["/", "/calls/", f"/calls/{call.slug}/", "/accounts/login/",
                                           "/accounts/signup/"])  # fmt: skip
    application = Application.objects.filter(applicant__email="applicant@example.org").order_by("pk").first()
    sweep(browser, live_server.url, "applicant@example.org", [
        f"/calls/{call.slug}/apply/", "/applications/", f"/applications/{application.pk}/", "/profile/",
    ])  # fmt: skip


def test_reviewer_and_manager_pages_fit_a_phone(seeded_demo, live_server, browser, screenshot):
    assignment = (
        ReviewerAssignment.objects.filter(reviewer__email="reviewer@example.org")
        .exclude(review__status=Review.Status.SUBMITTED)
        .order_by("pk")
        .first()
    )
    sweep(browser, live_server.url, "reviewer@example.org", ["/review/", f"/review/{assignment.pk}/"])
    call = Application.objects.filter(status=Application.Status.SUBMITTED).order_by("-pk").first().call
    member = Membership.objects.filter(cohort__slug="bizup-2026").order_by("pk").first()
    sweep(browser, live_server.url, "manager@example.org", [
        "/", f"/review/calls/{call.slug}/ranking/", f"/review/calls/{call.slug}/selection/",
        "/cohorts/bizup-2026/dashboard/", "/cohorts/programs/bizup/roles/", "/mentoring/report/?program=bizup",
        "/workspaces/bizmax/reports/", "/programs/bizup/webhooks/", "/programs/bizup/webhooks/new/",
        "/profile/api-tokens/", f"/cohorts/bizup-2026/members/{member.pk}/status/",
    ], {"/cohorts/bizup-2026/dashboard/": lambda page: screenshot(page, "phone-dashboard-ar", full_page=False)},
    )  # fmt: skip


def test_participant_and_mentor_pages_fit_a_phone(seeded_demo, live_server, browser):
    sweep(browser, live_server.url, "participant@example.org", [
        "/", "/cohorts/makerspace-2026/", "/cohorts/makerspace-2026/board/", "/cohorts/makerspace-2026/profile/",
        "/workspaces/pracownia-jezuicka/", "/workspaces/pracownia-jezuicka/recurring/", "/workspaces/bookings/",
        "/workspaces/statement/", "/mentoring/",
    ])  # fmt: skip
    session = Session.objects.filter(facilitators__email="mentor@example.org").order_by("-pk").first()
    sweep(browser, live_server.url, "mentor@example.org", [
        "/mentoring/", "/mentoring/log/", "/mentoring/profile/", f"/mentoring/sessions/{session.pk}/",
        "/mentoring/availability/",
    ])  # fmt: skip


@pytest.mark.calendar("jerusalem-month-end")
def test_a_booking_on_a_phone_is_answered_where_the_slot_was_tapped(seeded_demo, live_server, browser, screenshot):
    """In Arabic, on the hub's week grid: the first column and the days stay in view however the grid is scrolled,
    and the outcome of a tap shows under the slot, on the screen, and in the live region."""
    space = Space.objects.get(slug="bizmax")
    monday = periods.week_start(space, periods.space_today(space)) + datetime.timedelta(days=14)
    desk = space.resources.filter(unit=Resource.Unit.DAY).order_by("-name").first()
    member = Membership.objects.filter(cohort__slug="bizup-2026", status="active").order_by("pk").first().person
    context = browser.new_context(**PHONE)
    try:
        page = context.new_page()
        signed_in(page, live_server.url, member.email)
        page.goto(f"{live_server.url}/ar/workspaces/bizmax/?week={monday}")
        grid = page.locator(".grid-scroll").first
        grid.evaluate("box => box.scrollTo({left: -box.scrollWidth, top: box.scrollHeight, behavior: 'instant'})")
        box, name, day = (
            page.locator(selector).bounding_box()
            for selector in (".grid-scroll >> nth=0", "[data-testid=week-grid] tbody th >> nth=-1",
                             "[data-testid=week-grid] thead th >> nth=-1")
        )  # fmt: skip
        assert box["x"] - 1 <= name["x"] and name["x"] + name["width"] <= box["x"] + box["width"] + 1, "names gone"
        assert abs(day["y"] - box["y"]) < 2, "the days scrolled away"

        free = page.locator(f"[data-testid=week-grid] [id^='slot-{desk.pk}-'][data-state=free]").last
        tapped = page.locator(f"#{free.get_attribute('id')}")
        tapped.scroll_into_view_if_needed()
        tapped.get_by_role("button").click()
        expect(tapped).to_have_attribute("data-state", "mine")
        feedback = page.get_by_test_id("slot-feedback")
        expect(feedback).to_have_class(re.compile("alert-success"))
        expect(feedback).to_contain_text(desk.name)
        assert in_view(page, "[data-testid=slot-feedback]")
        screenshot(page, "phone-grid-ar", full_page=False)
        expect(page.get_by_test_id("grid-status")).to_have_text(feedback.inner_text())
        assert layout_problems(page) == []
    finally:
        context.close()


def test_every_control_of_the_review_page_can_be_reached_on_a_laptop(seeded_demo, live_server, browser):
    """At 1366×900 the scoring panel is taller than the screen: the other reviewers' card once slid over its
    buttons, and "save draft" could not be clicked at any scroll position."""
    assignment = (
        ReviewerAssignment.objects.filter(reviewer__email="reviewer@example.org")
        .exclude(review__status=Review.Status.SUBMITTED)
        .order_by("pk")
        .first()
    )
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    try:
        page = context.new_page()
        signed_in(page, live_server.url, "reviewer@example.org")
        for language in ("fr", "ar"):
            page.goto(f"{live_server.url}/{language}/review/{assignment.pk}/")
            assert layout_problems(page) == [], language
    finally:
        context.close()
