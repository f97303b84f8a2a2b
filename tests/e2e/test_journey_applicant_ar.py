"""Journey of an applicant, in Arabic, on a phone: Amina signs in, finds Kawalis' open call, completes her draft
(a phone number, a file), is told that her website address is malformed and corrects it, previews, submits, reads
the confirmation and finds the application in "my applications"."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from applications.models import Application, Call
from tests.applications.factories import PDF_BYTES
from tests.e2e.axe import assert_accessible
from tests.e2e.journeys import PHONE, open_page, sign_in

EMAIL = "applicant@example.org"


@pytest.fixture
def phone(browser):
    page = open_page(browser, locale="ar-MA", device=PHONE)
    yield page
    page.context.close()


def autosaved(page, action):
    """Do `action` and wait until the form's autosave (and any queued behind it) has answered."""
    with page.expect_response(lambda r: r.request.method == "POST" and "/apply/" in r.url):
        action()
    expect(page.locator(".htmx-request")).to_have_count(0)
    page.wait_for_selector("#save-status [data-testid=saved]")


def type_and_leave(page, selector, value):
    page.locator(selector).fill(value)
    page.locator("h1").tap()  # leaving the field fires its change event


@pytest.mark.calendar("casablanca-dst")
def test_applicant_applies_from_a_phone_in_arabic(seeded_demo, live_server, phone, screenshot):
    base = live_server.url
    call = Call.objects.get(slug="kawalis-third-cohort")
    q = {question.position: f"q_{question.pk}" for question in call.questions.all()}
    sign_in(phone, base, EMAIL)
    assert phone.get_attribute("html", "lang") == "ar"  # the account's language
    assert phone.get_attribute("html", "dir") == "rtl"

    # The calls, from the menu; then the call's page with its four criteria.
    phone.locator(".navbar-toggler").tap()
    phone.locator("[data-testid=nav-calls]").tap()
    phone.locator(f"[data-testid=call-{call.slug}] a").first.tap()
    phone.wait_for_selector("[data-testid=criteria]")
    expect(phone.locator("[data-testid=criteria] li")).to_have_count(4)
    assert_accessible(phone)
    phone.locator("[data-testid=apply]").tap()
    phone.wait_for_selector("[data-testid=application-form]")
    # The seeded draft kept the project's name she typed last week.
    assert phone.input_value(f"input[name={q[1]}]")
    assert_accessible(phone)

    autosaved(phone, lambda: type_and_leave(phone, "input[name=date_of_birth]", "2001-06-15"))
    autosaved(phone, lambda: phone.select_option("select[name=region]", label="Souss-Massa"))
    autosaved(phone, lambda: type_and_leave(phone, "input[name=phone]", "+212 612 345 678"))
    autosaved(phone, lambda: type_and_leave(phone, f"input[name={q[1]}]", "مختبر كناوة"))
    autosaved(
        phone,
        lambda: type_and_leave(phone, f"textarea[name={q[2]}]", "ورشات موسيقية للشباب في أكادير والقرى المجاورة"),
    )
    autosaved(phone, lambda: phone.locator(f"input[name={q[3]}][value='الموسيقى']").tap())
    autosaved(phone, lambda: phone.locator(f"input[name={q[4]}][value='جمعية أو تعاونية']").tap())
    autosaved(phone, lambda: type_and_leave(phone, f"textarea[name={q[5]}]", "نحتاج إلى مواكبة في التسويق"))
    pdf = {"name": "عرض-المشروع.pdf", "mimeType": "application/pdf", "buffer": PDF_BYTES}
    file_question = q[7].removeprefix("q_")
    autosaved(phone, lambda: phone.set_input_files(f"input[name={q[7]}]", files=[pdf]))
    expect(phone.locator(f"[data-testid=file-{file_question}]")).to_contain_text("عرض-المشروع.pdf")

    # A website typed without its scheme: kept as typed, marked beside its field, and counted.
    autosaved(phone, lambda: type_and_leave(phone, f"input[name={q[6]}]", "gnaoua lab"))
    error = phone.locator(f"#div_id_{q[6]} [data-testid=field-error]")
    expect(error).not_to_be_empty()
    expect(phone.locator("#save-status [data-testid=to-correct]")).to_be_visible()
    assert phone.get_attribute(f"input[name={q[6]}]", "aria-invalid") == "true"
    website = phone.locator(f"#div_id_{q[6]}")
    website.evaluate("block => window.scrollTo(0, block.getBoundingClientRect().top + window.scrollY - 250)")
    expect(website).to_be_in_viewport()
    screenshot(phone, "journey-applicant-error-ar", full_page=False)
    assert_accessible(phone)
    autosaved(phone, lambda: type_and_leave(phone, f"input[name={q[6]}]", "https://gnaoua-lab.ma"))
    expect(error).to_be_empty()
    expect(phone.locator("#save-status [data-testid=to-correct]")).to_have_count(0)

    phone.locator("[data-testid=preview]").tap()
    phone.wait_for_selector("[data-testid=answers]")
    expect(phone.locator("[data-testid=missing]")).to_have_count(0)
    expect(phone.locator("[data-testid=answers]")).to_contain_text("مختبر كناوة")
    screenshot(phone, "journey-applicant-preview-ar", full_page=False)
    assert_accessible(phone)
    phone.locator("[data-testid=submit]").tap()
    phone.wait_for_selector("[data-testid=status]")
    application = Application.objects.get(call=call, applicant__email=EMAIL)
    assert application.status == Application.Status.SUBMITTED
    assert application.phone == "+212 612 345 678"
    assert application.files.get().original_name == "عرض-المشروع.pdf"
    [confirmation] = [m for m in mail.outbox if m.to == [EMAIL]]
    assert "مختبر كناوة" in confirmation.body
    screenshot(phone, "journey-applicant-submitted-ar", full_page=False)
    assert_accessible(phone)

    # "My applications", reached from the menu.
    phone.locator(".navbar-toggler").tap()
    phone.locator("[data-testid=nav-applications]").tap()
    phone.wait_for_url(f"{base}/ar/applications/")
    row = phone.locator(f"[data-testid=application-{application.pk}]")
    expect(row).to_contain_text(call.title)
    expect(row.locator("[data-testid=status]")).to_have_class(re.compile(r"\bstatus-submitted\b"))
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(phone, "journey-applicant-my-applications-ar", full_page=False)
    assert_accessible(phone)
