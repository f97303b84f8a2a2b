"""What the first users hit, in Chromium: the language follows the browser and the person, the switcher keeps the
page, a draft keeps what was typed, a reviewer fixes a submitted review, and the error and ranking pages."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from applications.models import Application, Question
from applications.scoring.assignments import assignment_create
from applications.scoring.models import Criterion, Review, ReviewerAssignment, ReviewSettings
from applications.services import DraftData, application_save_draft, application_start
from applications.submission import application_submit
from tests.applications.factories import make_call
from tests.applications.scoring.factories import manager, reviewer, score, scoring_call, submitted
from tests.e2e.conftest import choose_language
from tests.factories import UserFactory

LANGUAGES = ("en", "ar", "he")
ARABIC_PROJECT = "مختبر كناوة للموسيقى"
ARABIC_ANSWER = "نريد أن نفتح ورشة لتعليم الشباب في فاس صناعة الآلات الموسيقية التقليدية، ونبيعها عبر الإنترنت."


def prefix(language: str) -> str:
    return "" if language == "en" else f"/{language}"


@pytest.fixture
def open_call(transactional_db):
    call = make_call(slug="kawalis-open")
    Question.objects.create(call=call, position=6, label="Website", kind=Question.Kind.URL, required=False)
    return call


def test_an_arabic_browser_sees_arabic_and_the_switcher_keeps_the_call(open_call, live_server, browser, screenshot):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="ar-MA")
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{live_server.url}/calls/")
    assert page.url == f"{live_server.url}/ar/calls/"
    assert page.get_attribute("html", "dir") == "rtl" and page.get_attribute("html", "lang") == "ar"

    page.goto(f"{live_server.url}/ar/calls/{open_call.slug}/")
    for language, path in [("he", "/he/"), ("en", "/")]:
        with page.expect_navigation():
            page.select_option("#language-select", language)
        assert page.url == f"{live_server.url}{path}calls/{open_call.slug}/"
        assert page.get_attribute("html", "lang") == language
        assert page.locator("h1").inner_text() == open_call.title
    # English chosen: an English address stays English although the browser asks for Arabic.
    page.goto(f"{live_server.url}/calls/")
    assert page.url == f"{live_server.url}/calls/" and page.get_attribute("html", "dir") == "ltr"
    context.close()


def test_a_hebrew_sign_in_stays_hebrew_or_says_it_switched(transactional_db, live_server, page):
    UserFactory(email="noa@example.org", name="Noa Hebrew", preferred_language="he")
    UserFactory(email="piotr@example.org", name="Piotr Polish", preferred_language="pl")

    def sign_in_from_hebrew(email):
        page.goto(f"{live_server.url}/he/accounts/login/")
        assert page.get_attribute("html", "lang") == "he"
        page.fill("input[name=login]", email)
        page.fill("input[name=password]", "demo-pass-2026")
        page.click("button[type=submit]")
        page.wait_for_selector("[data-testid=user-menu]")

    sign_in_from_hebrew("noa@example.org")
    assert page.get_attribute("html", "lang") == "he" and page.url == f"{live_server.url}/he/"
    assert "polski" not in page.locator(".messages").inner_text()
    page.click("[data-testid=user-menu]")
    page.locator("form[action*='logout'] button").click()

    sign_in_from_hebrew("piotr@example.org")
    assert page.get_attribute("html", "lang") == "pl" and page.url == f"{live_server.url}/pl/"
    assert "polski" in page.locator(".messages").inner_text()  # it says it switched, and to what


def test_an_over_limit_answer_and_a_malformed_url_survive_a_reload(open_call, live_server, page, sign_in, screenshot):
    UserFactory(email="amina@example.org", name="Amina Applicant")
    sign_in(page, "amina@example.org")
    describe = open_call.questions.get(position=2)  # at most 5 words
    website = open_call.questions.get(position=6)
    page.goto(f"{live_server.url}/calls/{open_call.slug}/apply/")

    # Typing, then pausing: saved without leaving the field.
    area = page.locator(f"#id_q_{describe.pk}")
    with page.expect_response(lambda r: r.request.method == "POST" and "/apply/" in r.url):
        area.press_sequentially("one two three four five six seven", delay=20)
    page.wait_for_selector("#save-status [data-testid=saved]")
    assert "7 / 5" in page.locator(f"#id_q_{describe.pk}-word-count").inner_text()
    assert area.evaluate("el => document.activeElement === el")  # the typing was not interrupted
    error = page.locator(f"#div_id_q_{describe.pk} [data-testid=field-error]")
    assert "Please keep to 5 words (now 7)." in error.inner_text()
    assert error.get_attribute("aria-live") == "polite"
    assert error.get_attribute("id") in area.get_attribute("aria-describedby")

    with page.expect_response(lambda r: r.request.method == "POST" and "/apply/" in r.url):
        page.fill(f"#id_q_{website.pk}", "not a web address")
        page.locator("h1").click()
    # The pause in typing may send one more autosave after the change did: wait for the answer, not a moment.
    expect(page.locator(f"#div_id_q_{website.pk} [data-testid=field-error]")).to_contain_text("Enter a valid URL.")
    assert ":" in page.locator("#save-status").inner_text()  # "Saved at HH:MM:SS"
    screenshot(page, "draft-errors-en")

    page.reload()
    assert page.input_value(f"#id_q_{describe.pk}") == "one two three four five six seven"
    assert page.input_value(f"#id_q_{website.pk}") == "not a web address"
    assert "Please keep to 5 words (now 7)." in page.locator(f"#div_id_q_{describe.pk}").inner_text()
    assert "Enter a valid URL." in page.locator(f"#div_id_q_{website.pk}").inner_text()

    page.goto(f"{live_server.url}/calls/{open_call.slug}/apply/preview/")
    assert page.locator("[data-testid=submit]").count() == 0
    page.locator("[data-testid=invalid] a", has_text="Website").click()
    assert page.url.endswith(f"/apply/#div_id_q_{website.pk}")
    application = Application.objects.get(applicant__email="amina@example.org")
    assert application.status == "draft" and set(application.invalid_answers) == {
        f"q_{describe.pk}",
        f"q_{website.pk}",
    }

    # The page came with its errors; after the next autosave no field is described by an error that is gone.
    page.goto(f"{live_server.url}/calls/{open_call.slug}/apply/")
    with page.expect_response(lambda r: r.request.method == "POST" and "/apply/" in r.url):
        page.fill(f"#id_q_{describe.pk}", "one two three")
        page.locator("h1").click()
    expect(page.locator(f"#div_id_q_{describe.pk} [data-testid=field-error]")).to_have_text("")
    for field in (f"#id_q_{describe.pk}", f"#id_q_{website.pk}"):
        ids = (page.get_attribute(field, "aria-describedby") or "").split()
        assert all(page.locator(f"[id='{i}']").count() == 1 for i in ids), (field, ids)


@pytest.fixture
def arabic_review(transactional_db):
    """A call whose applicant answered in Arabic, reviewed by a French reviewer before the review deadline."""
    call = scoring_call(slug="kawalis-review", others_visible="after_submit")
    ReviewSettings.objects.filter(call=call).update(review_deadline=timezone.now() + datetime.timedelta(days=10))
    Criterion.objects.filter(call=call, name="Economic viability").update(
        description="Can the project pay for itself within two years? Revenue, costs and first customers."
    )
    name_q = Question.objects.create(call=call, position=1, label="Project name", kind=Question.Kind.SHORT_TEXT)
    about_q = Question.objects.create(call=call, position=2, label="Describe your project", kind="long_text")
    applicant = UserFactory(name="سلمى بنعلي", preferred_language="ar")
    application = application_start(call=call, applicant=applicant)
    data = DraftData(
        standard={
            "full_name": "سلمى بنعلي",
            "date_of_birth": datetime.date(2000, 1, 1),
            "region": call.cohort.program.regions.get(name="North"),
            "phone": "+212 600 000 000",
            "email": applicant.email,
        },
        answers={str(name_q.pk): ARABIC_PROJECT, str(about_q.pk): ARABIC_ANSWER},
        team=[{"name": "كريم الإدريسي", "email": "", "role": "مصمم"}],
    )
    application_save_draft(application=application, data=data, by=applicant)
    application_submit(application=application, by=applicant)
    claire = reviewer(call.cohort.program, email="claire@example.org", name="Claire Reviewer", preferred_language="fr")
    return assignment_create(application=application, reviewer=claire, by=None)


def test_a_french_reviewer_edits_a_submitted_review_before_the_deadline(
    arabic_review, live_server, page, sign_in, screenshot
):
    assignment = arabic_review
    sign_in(page, "claire@example.org")
    page.goto(f"{live_server.url}/fr/review/{assignment.pk}/")
    assert page.get_attribute("html", "lang") == "fr"
    answer = page.locator("[data-testid=answer]").nth(1)
    assert answer.get_attribute("dir") == "auto" and ARABIC_ANSWER in answer.inner_text()
    # An Arabic answer on a French page still runs right to left.
    assert answer.evaluate("el => getComputedStyle(el).direction") == "rtl"
    assert "Can the project pay for itself" in page.locator("[data-testid=criterion-description]").inner_text()
    assert "(Africa/Casablanca)" in page.locator("[data-testid=review-deadline]").inner_text()

    for n in range(5):
        page.fill(f"#id_score_{assignment.call.criteria_set.order_by('position')[n].pk}", "4")
    page.check("input[name=recommendation][value=yes]")
    page.click("[data-testid=submit-review]")
    page.wait_for_url(f"{live_server.url}/fr/review/")

    # A typo: back to the review, still editable, changed and submitted again.
    page.goto(f"{live_server.url}/fr/review/{assignment.pk}/")
    assert page.locator("[data-testid=review-editable]").is_visible()
    assert page.locator("[data-testid=review-final]").count() == 0
    first = assignment.call.criteria_set.order_by("position")[0]
    page.fill(f"#id_score_{first.pk}", "2")
    page.click("[data-testid=submit-review]")
    page.wait_for_url(f"{live_server.url}/fr/review/")
    review = Review.objects.get(assignment=assignment)
    assert review.status == "submitted" and review.scores.get(criterion=first).score == 2


def test_screenshots_of_the_reviewer_page_with_arabic_answers(arabic_review, live_server, page, sign_in, screenshot):
    sign_in(page, "claire@example.org")
    page.goto(f"{live_server.url}/fr/review/{arabic_review.pk}/")
    for language in LANGUAGES:
        choose_language(page, language)  # the menu keeps the page
        assert page.url == f"{live_server.url}{prefix(language)}/review/{arabic_review.pk}/"
        screenshot(page, f"review-arabic-answers-{language}")


def test_screenshots_of_the_404_page(transactional_db, live_server, page, screenshot, settings):
    settings.DEBUG = False
    for language in LANGUAGES:
        response = page.goto(f"{live_server.url}{prefix(language)}/no-such-page/")
        assert response.status == 404
        assert page.locator("[data-testid=error-page]").is_visible()
        assert page.get_attribute("html", "dir") == ("ltr" if language == "en" else "rtl")
        screenshot(page, f"404-{language}")
    page.click("[data-testid=error-home]")
    assert page.url.endswith("/he/")


def test_screenshots_of_the_ranking_with_its_legend(transactional_db, live_server, page, sign_in, screenshot):
    call = scoring_call(slug="ranking-legend", normalise=True, disagreement_threshold=12)
    manager(call.cohort.program, email="maya@example.org", name="Maya Manager")
    judges = [reviewer(name=f"Reviewer {n}") for n in range(3)]
    for n, name in enumerate(["Porteur A", "Porteuse B", "سلمى بنعلي", "יעל כהן"]):
        application = submitted(call, name=name)
        for k, who in enumerate(judges):
            score(application, who, 1 + (n + 2 * k) % 5)
    sign_in(page, "maya@example.org")
    for language in LANGUAGES:
        page.goto(f"{live_server.url}{prefix(language)}/review/calls/{call.slug}/ranking/")
        assert page.locator("[data-testid=ranking-legend]").is_visible()
        assert page.locator("[data-testid=disagreement]").count() >= 1
        screenshot(page, f"ranking-legend-{language}")
    assert ReviewerAssignment.objects.filter(call=call).count() == 12


def test_the_admin_call_form_saved_unchanged_keeps_the_deadline(
    transactional_db, live_server, page, sign_in, screenshot
):
    casablanca = ZoneInfo("Africa/Casablanca")
    call = make_call(
        slug="kawalis-admin",
        opens_at=datetime.datetime(2026, 11, 1, 9, 0, tzinfo=casablanca),
        closes_at=datetime.datetime(2026, 12, 30, 23, 59, 59, tzinfo=casablanca),
    )
    manager(call.cohort.program, email="yael@example.org", name="Yael Manager", time_zone="Asia/Jerusalem")
    sign_in(page, "yael@example.org")
    page.goto(f"{live_server.url}/admin/applications/call/{call.pk}/change/")
    assert page.input_value("#id_closes_at_0") == "2026-12-30" and page.input_value("#id_closes_at_1") == "23:59:59"
    assert "Africa/Casablanca" in page.locator(".field-closes_at, .fieldBox.field-closes_at").first.inner_text()
    screenshot(page, "admin-call-en")
    page.click("input[name=_save]")
    page.wait_for_selector(".messagelist")
    call.refresh_from_db()
    assert call.closes_at == datetime.datetime(2026, 12, 30, 23, 59, 59, tzinfo=casablanca)
    assert call.opens_at == datetime.datetime(2026, 11, 1, 9, 0, tzinfo=casablanca)


def test_on_an_arabic_phone_the_error_sits_under_the_field(open_call, live_server, browser, screenshot):
    UserFactory(email="salma@example.org", name="سلمى", preferred_language="ar")
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="ar", is_mobile=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        page.goto(f"{live_server.url}/accounts/login/")
        assert page.url == f"{live_server.url}/ar/accounts/login/"
        page.fill("input[name=login]", "salma@example.org")
        page.fill("input[name=password]", "demo-pass-2026")
        page.click("button[type=submit]")
        page.wait_for_selector("[data-testid=user-menu]", state="attached")
        page.goto(f"{live_server.url}/calls/{open_call.slug}/apply/")
        assert page.url == f"{live_server.url}/ar/calls/{open_call.slug}/apply/"
        describe = open_call.questions.get(position=2)
        with page.expect_response(lambda r: r.request.method == "POST" and "/apply/" in r.url):
            page.locator(f"#id_q_{describe.pk}").press_sequentially("واحد اثنان ثلاثة أربعة خمسة ستة", delay=20)
        error = page.locator(f"#div_id_q_{describe.pk} [data-testid=field-error]")
        error.wait_for()
        field_box = page.locator(f"#id_q_{describe.pk}").bounding_box()
        error_box = error.bounding_box()
        assert 0 <= error_box["y"] - (field_box["y"] + field_box["height"]) < 120  # right under the field
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        page.locator(f"#id_q_{describe.pk}").scroll_into_view_if_needed()
        screenshot(page, "draft-errors-phone-ar")
    finally:
        context.close()
