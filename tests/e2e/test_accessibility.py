"""axe-core on every key page, in English and Arabic (and a few at phone size), on the demo data.

Each test signs in one demo person and walks their pages; every page is checked in both languages and all the
violations are reported together, so one run names everything left to fix.
"""

from datetime import timedelta

from django.conf import settings
from django.test import Client
from django.utils import timezone

from applications.models import Application, Call
from applications.scoring.models import Review, ReviewerAssignment
from cohorts.models import Program
from demo.users import demo_user
from incubator.models import User
from mentoring.models import Session
from tests.e2e.axe import axe_in_every_page, axe_violations, describe
from workspaces.models import Space

PHONE = {"width": 390, "height": 844}


class Checker:
    """Opens pages as one person and keeps every serious or critical violation found, per page and language."""

    def __init__(self, page, base, screenshot=None, *, person=None):
        self.page, self.base, self.screenshot, self.found = page, base, screenshot, []
        self.person = person
        axe_in_every_page(page.context)

    def check(self, path: str, *, languages=("en", "ar"), expect_status=200, prepare=None, shot="") -> None:
        for language in languages:
            url = f"{self.base}{'' if language == 'en' else '/' + language}{path}"
            response = self.page.goto(url)
            assert response.status == expect_status, f"{url}: {response.status}"
            assert self.page.get_attribute("html", "lang") == language, url
            assert not self.person or "/login/" not in self.page.url, f"{url}: not signed in as {self.person}"
            if prepare:
                prepare(self.page)
            if shot and self.screenshot:
                self.screenshot(self.page, f"a11y-{shot}-{language}")
            violations = axe_violations(self.page)
            if violations:
                self.found.append(f"{self.page.url} ({language}):\n{describe(violations)}")

    def assert_clean(self):
        assert not self.found, "\n\n".join(self.found)


def signed_in(page, base, email, screenshot=None) -> Checker:
    """The person's session and the English language cookie put in the browser, as signing in through the form and
    choosing English in the menu leave them: these tests check pages, not the sign-in (tests/e2e/test_home_roles.py
    signs every demo role in through the form)."""
    client = Client()
    client.force_login(User.objects.get(email=email))
    cookies = {settings.SESSION_COOKIE_NAME: client.cookies[settings.SESSION_COOKIE_NAME].value}
    cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page.context.add_cookies([{"name": name, "value": value, "url": base} for name, value in cookies.items()])
    return Checker(page, base, screenshot, person=email)


def open_call() -> Call:
    now = timezone.now()
    return Call.objects.filter(opens_at__lte=now, closes_at__gt=now).order_by("closes_at").first()


def test_public_pages(seeded_demo, live_server, page, screenshot):
    checker = Checker(page, live_server.url, screenshot)
    call = open_call()
    checker.check("/", shot="home")
    checker.check("/calls/")
    checker.check(f"/calls/{call.slug}/")
    checker.check("/accounts/login/")
    checker.check("/accounts/signup/")
    checker.check("/no-such-page/", expect_status=404)
    checker.assert_clean()


def test_public_pages_on_a_phone(seeded_demo, live_server, browser):
    context = browser.new_context(viewport=PHONE, is_mobile=True)
    try:
        checker = Checker(context.new_page(), live_server.url)
        checker.check("/")
        checker.check("/calls/")
        checker.check("/accounts/login/")
        checker.assert_clean()
    finally:
        context.close()


def show_form_errors(page):
    page.fill("input[name=email]", "not an address")
    with page.expect_navigation():
        page.click("[data-testid=preview]")
    # The error is announced (an alert), links to its field, and the field names it.
    summary = page.get_by_test_id("form-errors")
    assert summary.get_attribute("role") == "alert"
    field = page.locator("input[name=email]")
    field_id = field.get_attribute("id")
    assert summary.locator(f"a[href='#{field_id}'], a[href='#div_{field_id}']").count() == 1
    assert field.get_attribute("aria-invalid") == "true"
    error_ids = (field.get_attribute("aria-describedby") or "").split()
    assert any(page.locator(f"#{error_id}.invalid-feedback").count() for error_id in error_ids), error_ids


def test_applicant_pages(seeded_demo, live_server, page):
    demo_user("a11y.applicant@example.org", "Aisha Accessible")
    checker = signed_in(page, live_server.url, "a11y.applicant@example.org")
    call = open_call()
    checker.check(f"/calls/{call.slug}/apply/")
    checker.check(f"/calls/{call.slug}/apply/", prepare=show_form_errors)
    checker.check(f"/calls/{call.slug}/apply/preview/")
    checker.check("/applications/")
    application = Application.objects.get(applicant__email="a11y.applicant@example.org")
    checker.check(f"/applications/{application.pk}/")
    checker.check("/profile/")
    checker.assert_clean()


def test_demo_applicant_pages_on_a_phone(seeded_demo, live_server, browser, screenshot):
    context = browser.new_context(viewport=PHONE, is_mobile=True)
    try:
        checker = signed_in(context.new_page(), live_server.url, "applicant@example.org", screenshot=screenshot)
        checker.check("/applications/", shot="my-applications-phone")
        checker.check(f"/calls/{open_call().slug}/")
        checker.assert_clean()
    finally:
        context.close()


def test_reviewer_pages(seeded_demo, live_server, page):
    checker = signed_in(page, live_server.url, "reviewer@example.org")
    checker.check("/review/")
    assignment = (
        ReviewerAssignment.objects.filter(reviewer__email="reviewer@example.org")
        .exclude(review__status=Review.Status.SUBMITTED)
        .order_by("pk")
        .first()
    )
    checker.check(f"/review/{assignment.pk}/")
    checker.assert_clean()


def test_manager_pages(seeded_demo, live_server, page, screenshot):
    checker = signed_in(page, live_server.url, "manager@example.org", screenshot=screenshot)
    application = Application.objects.filter(status=Application.Status.SUBMITTED).order_by("-pk").first()
    call = application.call
    checker.check(f"/review/calls/{call.slug}/ranking/")
    checker.check(f"/review/calls/{call.slug}/selection/", shot="selection")
    checker.check("/cohorts/bizup-2026/dashboard/")
    checker.check("/cohorts/programs/bizup/roles/")
    checker.check("/mentoring/report/?program=bizup")
    checker.check("/workspaces/bizmax/reports/")
    checker.check("/admin/")
    checker.check("/admin/applications/application/")
    checker.check(f"/admin/applications/application/{application.pk}/change/", shot="admin-change")
    checker.assert_clean()


def test_admin_change_forms_with_inlines_in_every_language(seeded_demo, live_server, page):
    """A table of inline rows labels each input by its column, for every language's screen reader (the space's form
    has two tables of rows, date and time shortcuts and a two-box list)."""
    checker = signed_in(page, live_server.url, "manager@example.org")
    languages = ("en", "ar", "he", "fr", "pl")
    checker.check(f"/admin/workspaces/space/{Space.objects.get(slug='bizmax').pk}/change/", languages=languages)
    checker.check(f"/admin/cohorts/program/{Program.objects.get(slug='bizup').pk}/change/", languages=("he",))
    checker.assert_clean()


def test_participant_pages(seeded_demo, live_server, page, screenshot):
    checker = signed_in(page, live_server.url, "participant@example.org", screenshot=screenshot)
    checker.check("/cohorts/makerspace-2026/", shot="directory")
    checker.check("/cohorts/makerspace-2026/board/")
    checker.check("/cohorts/makerspace-2026/profile/")
    monday = timezone.localdate() + timedelta(days=7 - timezone.localdate().weekday())
    checker.check(f"/workspaces/pracownia-jezuicka/?week={monday}", shot="booking-grid")
    checker.check("/workspaces/pracownia-jezuicka/recurring/")
    checker.check("/workspaces/bookings/")
    checker.check("/workspaces/statement/")
    checker.check("/mentoring/")
    checker.assert_clean()


def test_participant_pages_on_a_phone(seeded_demo, live_server, browser):
    context = browser.new_context(viewport=PHONE, is_mobile=True)
    try:
        checker = signed_in(context.new_page(), live_server.url, "participant@example.org")
        checker.check("/cohorts/makerspace-2026/")
        checker.check("/workspaces/pracownia-jezuicka/")
        checker.assert_clean()
    finally:
        context.close()


def test_mentor_pages(seeded_demo, live_server, page):
    checker = signed_in(page, live_server.url, "mentor@example.org")
    checker.check("/mentoring/")
    checker.check("/mentoring/log/")
    checker.check("/mentoring/profile/")
    session = Session.objects.filter(facilitators__email="mentor@example.org").order_by("-pk").first()
    checker.check(f"/mentoring/sessions/{session.pk}/")
    checker.assert_clean()
