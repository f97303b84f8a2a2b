"""An applicant in the Arabic interface finds the open Kawalis call, fills the form over two visits,
uploads a PDF, submits, gets the confirmation email and sees the status."""

import io

import pytest
from django.core import mail
from playwright.sync_api import expect

from applications.models import Application, Call
from demo.applications import seed_calls
from demo.cohorts import seed_programs
from demo.users import seed_users
from tests.applications.factories import PDF_BYTES
from tests.e2e.conftest import choose_language

EMAIL = "applicant@example.org"


@pytest.fixture
def demo(transactional_db):
    out = io.StringIO()
    seed_users(out)
    seed_programs(out)
    seed_calls(out)
    return Call.objects.get(slug="kawalis-third-cohort")


def autosaved(page, action):
    """Do `action`, wait for its autosave and for any autosave queued behind it, and check it saved."""
    with page.expect_response(lambda r: r.request.method == "POST" and "/apply/" in r.url):
        action()
    expect(page.locator(".htmx-request")).to_have_count(0)
    page.wait_for_selector("#save-status [data-testid=saved]")


def fill_and_leave(page, selector, value):
    page.fill(selector, value)
    page.locator("h1").click()  # leaving the field fires its change event


def sign_out(page):
    page.click("[data-testid=user-menu]")
    page.locator("form[action*='logout'] button").click()
    page.wait_for_selector("a[href*='/accounts/login/']")


def test_arabic_applicant_applies_over_two_visits(demo, live_server, page, sign_in, screenshot):
    call = demo
    questions = {q.position: q for q in call.questions.all()}
    base = live_server.url
    sign_in(page, EMAIL)

    # Finds the open call from the list, in Arabic.
    page.goto(f"{base}/ar/calls/")
    assert page.get_attribute("html", "dir") == "rtl"
    screenshot(page, "calls-list-ar")
    page.click(f"[data-testid=call-{call.slug}] a")
    page.wait_for_selector("[data-testid=criteria]")
    assert page.locator("[data-testid=criteria] li").count() == 4
    screenshot(page, "call-detail-ar")
    page.click("[data-testid=apply]")
    page.wait_for_selector("[data-testid=application-form]")
    assert page.url.startswith(f"{base}/ar/calls/{call.slug}/apply/")

    # First visit: part of the form; every change is saved as it happens.
    autosaved(page, lambda: fill_and_leave(page, "input[name=date_of_birth]", "2001-06-15"))
    autosaved(page, lambda: page.locator("select[name=region]").select_option(index=1))
    autosaved(page, lambda: fill_and_leave(page, "input[name=phone]", "+212 612 345 678"))
    autosaved(page, lambda: fill_and_leave(page, f"input[name=q_{questions[1].pk}]", "مختبر كناوة"))
    autosaved(page, lambda: fill_and_leave(page, f"textarea[name=q_{questions[2].pk}]", "ورشات موسيقية للشباب"))
    screenshot(page, "apply-form-ar")
    sign_out(page)

    # Second visit: the draft is still there.
    sign_in(page, EMAIL)
    page.goto(f"{base}/ar/calls/{call.slug}/apply/")
    assert page.input_value(f"input[name=q_{questions[1].pk}]") == "مختبر كناوة"
    assert page.input_value("input[name=phone]") == "+212 612 345 678"
    autosaved(page, lambda: page.check(f"input[name=q_{questions[3].pk}][value='الموسيقى']"))
    autosaved(page, lambda: page.check(f"input[name=q_{questions[4].pk}][value='جمعية أو تعاونية']"))
    autosaved(page, lambda: fill_and_leave(page, f"textarea[name=q_{questions[5].pk}]", "نحتاج إلى مواكبة"))
    pdf = {"name": "presentation.pdf", "mimeType": "application/pdf", "buffer": PDF_BYTES}
    autosaved(page, lambda: page.set_input_files(f"input[name=q_{questions[7].pk}]", files=[pdf]))
    page.wait_for_selector(f"[data-testid=file-{questions[7].pk}]")
    assert "presentation.pdf" in page.inner_text(f"[data-testid=file-{questions[7].pk}]")
    screenshot(page, "apply-form-filled-ar")

    # Preview, then submit.
    page.click("[data-testid=preview]")
    page.wait_for_selector("[data-testid=answers]")
    assert page.locator("[data-testid=missing]").count() == 0
    screenshot(page, "preview-ar")
    page.click("[data-testid=submit]")
    page.wait_for_selector("[data-testid=status]")
    application = Application.objects.get(call=call, applicant__email=EMAIL)
    assert application.status == "submitted"
    assert application.files.get().original_name == "presentation.pdf"
    [confirmation] = [m for m in mail.outbox if m.to == [EMAIL]]
    assert "مختبر كناوة" in confirmation.body and "presentation.pdf" in confirmation.body
    screenshot(page, "application-detail-ar")

    page.goto(f"{base}/ar/applications/")
    assert page.get_attribute("html", "dir") == "rtl"
    status = page.locator(f"[data-testid=application-{application.pk}] [data-testid=status]")
    assert status.get_attribute("class").split()[-1] == "status-submitted"
    screenshot(page, "my-applications-ar")

    # The same pages in English, left to right, once English is chosen (the account's language is Arabic).
    choose_language(page, "en")
    for path, name in [
        ("/calls/", "calls-list-en"),
        (f"/calls/{call.slug}/", "call-detail-en"),
        ("/calls/bizup-2026/apply/", "apply-form-en"),
        ("/applications/", "my-applications-en"),
    ]:
        page.goto(f"{base}{path}")
        assert page.get_attribute("html", "dir") == "ltr"
        screenshot(page, name)


def test_the_form_works_on_a_phone(demo, live_server, browser, screenshot):
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="ar", is_mobile=True)
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("input[name=login]", EMAIL)
        page.fill("input[name=password]", "demo-pass-2026")
        page.click("button[type=submit]")
        page.wait_for_selector("[data-testid=user-menu]", state="attached")  # inside the collapsed menu
        page.goto(f"{live_server.url}/ar/calls/{demo.slug}/apply/")
        autosaved(page, lambda: fill_and_leave(page, "input[name=phone]", "+212 600 111 222"))
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        screenshot(page, "apply-form-phone-ar")
    finally:
        context.close()
