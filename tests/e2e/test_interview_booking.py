"""A Kawalis applicant shortlisted for an interview books it on her phone, in French: the private link from her
email asks her to sign in, brings her back, shows the panel's free times in her zone by day, and books one after
a confirmation."""

import datetime
from zoneinfo import ZoneInfo

from playwright.sync_api import expect

from applications.interviews.models import Interview
from applications.interviews.services import interview_plan_save, interviews_shortlist
from applications.models import Call
from applications.scoring.models import ReviewSettings
from incubator.models import User
from tests.e2e.axe import assert_accessible
from tests.e2e.journeys import PHONE, open_page
from tests.e2e.phone import layout_problems

EMAIL = "applicant.k3r.02@example.org"  # a French-speaking applicant of the demo's open Kawalis call


def _shortlist() -> Interview:
    """The Kawalis manager sets up the panel (every day 09:00–17:00 in Casablanca) and shortlists her."""
    call = Call.objects.select_related("cohort__program").get(slug="kawalis-third-cohort")
    ReviewSettings.objects.filter(call=call).update(has_interview=True)
    karima = User.objects.get(email="manager.kawalis@example.org")
    interview_plan_save(
        call=call,
        panel=[karima],
        settings={
            "time_zone": "Africa/Casablanca",
            "slot_minutes": 45,
            "notice_hours": 24,
            "horizon_days": 14,
            "cancel_hours": 24,
            "place": "Kawalis, Fès",
            "online_link": "https://meet.example.org/kawalis",
            "active": True,
        },
        windows=[{"weekday": day, "starts": datetime.time(9), "ends": datetime.time(17)} for day in range(7)],
        exceptions=[],
        by=karima,
    )
    application = call.applications.get(applicant__email=EMAIL)
    (interview,) = interviews_shortlist(call=call, applications=[application], by=karima)
    return interview


def test_a_shortlisted_applicant_books_her_interview_in_french_on_a_phone(seeded_demo, live_server, browser):
    base = live_server.url
    interview = _shortlist()
    page = open_page(browser, locale="fr-FR", device=PHONE)
    try:
        # The link of her invitation email, signed out: sign in first, then straight back to it.
        page.goto(f"{base}/fr/interview/{interview.token}/")
        page.wait_for_selector("input[name=login]")
        page.fill("input[name=login]", EMAIL)
        page.fill("input[name=password]", "demo-pass-2026")
        page.click("button[type=submit]")
        page.wait_for_selector("[data-testid=slot]")
        assert page.get_attribute("html", "lang") == "fr"
        expect(page.locator("h1")).to_have_text("Votre entretien")
        expect(page.get_by_text("Africa/Casablanca").first).to_be_visible()
        assert layout_problems(page) == []
        assert_accessible(page)

        first = page.locator("[data-testid=slot]").first
        chosen = first.inner_text()
        first.click()
        page.wait_for_selector("[data-testid=confirm]")
        expect(page.locator("[data-testid=confirm]")).to_contain_text(chosen)
        assert layout_problems(page) == []
        page.locator("[data-testid=confirm-book]").click()
        page.wait_for_selector("[data-testid=booked]")
        expect(page.locator("[data-testid=booked]")).to_contain_text(chosen)
        expect(page.locator("[data-testid=ics]")).to_be_visible()
        assert layout_problems(page) == []
        assert_accessible(page)

        interview.refresh_from_db()
        assert interview.status == "booked"
        assert 9 <= interview.starts_at.astimezone(ZoneInfo("Africa/Casablanca")).hour < 17
    finally:
        page.context.close()
