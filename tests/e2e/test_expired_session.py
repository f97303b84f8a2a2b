"""The session ends while an applicant types: the answer stays in the page (and in the browser's storage), the
sign-in page is never pasted into the form, and the answer is saved once they have signed in again in a new tab."""

from playwright.sync_api import expect

from applications.models import Application
from tests.e2e.test_apply_flow import EMAIL, autosaved, demo, fill_and_leave  # noqa: F401 - `demo` is a fixture


def test_an_answer_typed_after_the_session_ended_is_saved_after_signing_in_again(demo, live_server, page, sign_in):  # noqa: F811
    call = demo
    name_question = call.questions.get(position=1)
    sign_in(page, EMAIL)
    apply_url = f"{live_server.url}/fr/calls/{call.slug}/apply/"
    page.goto(apply_url)
    autosaved(page, lambda: fill_and_leave(page, "input[name=phone]", "+212 612 345 678"))

    page.context.clear_cookies(name="sessionid")  # the session ends (expired, or signed out in another tab)
    with page.expect_response(lambda r: r.request.method == "POST" and "/apply/" in r.url) as answer:
        fill_and_leave(page, f"input[name=q_{name_question.pk}]", "Atelier Gnaoua")
    assert answer.value.status == 401
    notice = page.get_by_test_id("signed-out")
    expect(notice).to_be_visible()
    assert "déconnecté" in notice.inner_text()
    assert page.locator("form input[name=login]").count() == 0  # no sign-in form pasted into the page
    assert page.input_value(f"input[name=q_{name_question.pk}]") == "Atelier Gnaoua"
    stored = page.evaluate(f"window.localStorage.getItem('unsaved:/fr/calls/{call.slug}/apply/')")
    assert "Atelier Gnaoua" in stored

    # Signed in again in a new tab, then back to the form: the answer is saved.
    with page.context.expect_page() as opened:
        notice.locator("a").click()
    login = opened.value
    login.fill("input[name=login]", EMAIL)
    login.fill("input[name=password]", "demo-pass-2026")
    login.click("button[type=submit]")
    login.wait_for_selector("[data-testid=application-form]")
    login.close()
    # Signing in gave a new CSRF token: the first try is refused (403, `pageExpired`), the page fetches the token and
    # sends the save again.
    with page.expect_response(lambda r: r.request.method == "POST" and "/apply/" in r.url and r.status == 200):
        page.bring_to_front()
        page.evaluate("window.dispatchEvent(new Event('focus'))")
    expect(page.get_by_test_id("signed-out")).to_be_hidden()
    application = Application.objects.get(applicant__email=EMAIL, call=call)
    assert application.answers[str(name_question.pk)] == "Atelier Gnaoua"
    assert page.evaluate(f"window.localStorage.getItem('unsaved:/fr/calls/{call.slug}/apply/')") is None
