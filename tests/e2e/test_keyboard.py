"""The booking grid and the reviewer flow used with the keyboard only (no clicks), on the demo data."""

from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from applications.scoring.models import Review
from tests.e2e.conftest import choose_language
from workspaces.models import Booking

REVIEW_LINK = "/\\/review\\/\\d+\\/$/.test(document.activeElement.href || '')"
FOCUSED_SLOT = "document.activeElement.closest('[data-testid=slot]')?.id || ''"


def tab_until(page, condition: str, *, limit: int = 120) -> str:
    """Press Tab until the focused element satisfies `condition` (a JS expression); return its value."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        value = page.evaluate(condition)
        if value:
            return value
    raise AssertionError(f"Tab never reached {condition}")


def sign_in_by_keyboard(page, base, email):
    page.goto(f"{base}/accounts/login/")
    page.focus("input[name=login]")
    page.keyboard.type(email)
    page.keyboard.press("Tab")
    page.keyboard.type("demo-pass-2026")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.wait_for_selector("[data-testid=user-menu]", state="attached")
    choose_language(page, "en")


def test_book_and_cancel_a_slot_with_the_keyboard(seeded_demo, live_server, page):
    sign_in_by_keyboard(page, live_server.url, "participant@example.org")
    monday = timezone.localdate() + timedelta(days=14 - timezone.localdate().weekday())
    page.goto(f"{live_server.url}/workspaces/pracownia-jezuicka/?week={monday}")
    before = Booking.objects.filter(person__email="participant@example.org").count()

    slot_id = tab_until(page, f"document.activeElement.matches('[data-state=free] button') && ({FOCUSED_SLOT})")
    page.keyboard.press("Enter")
    slot = page.locator(f"#{slot_id}")
    expect(slot).to_have_attribute("data-state", "mine")
    expect(page.get_by_test_id("grid-status")).to_contain_text("Booked")
    assert Booking.objects.filter(person__email="participant@example.org").count() == before + 1
    # The keyboard focus stays on the slot: now on its "Cancel" link, not back at the top of the page.
    assert page.evaluate(FOCUSED_SLOT) == slot_id

    page.once("dialog", lambda dialog: dialog.accept())
    page.keyboard.press("Enter")
    expect(slot).to_have_attribute("data-state", "free")
    assert page.evaluate(FOCUSED_SLOT) == slot_id


def test_review_with_the_keyboard_and_go_to_the_next(seeded_demo, live_server, page):
    sign_in_by_keyboard(page, live_server.url, "reviewer@example.org")
    page.goto(f"{live_server.url}/review/")
    tab_until(
        page,
        REVIEW_LINK,
    )
    with page.expect_navigation():
        page.keyboard.press("Enter")
    first_url = page.url
    assignment_id = int(first_url.rstrip("/").rsplit("/", 1)[1])
    review = Review.objects.filter(assignment_id=assignment_id)
    assert not review.filter(status=Review.Status.SUBMITTED).exists()

    # The first score has the focus; Tab moves from score to score.
    scores = page.locator("#review-form input[type=number]")
    expect(scores.first).to_be_focused()
    for index in range(scores.count()):
        assert page.evaluate("document.activeElement.type") == "number"
        page.keyboard.press("Control+a")
        page.keyboard.type(scores.nth(index).get_attribute("max"))
        page.keyboard.press("Tab")
    # The recommendation: the arrow keys choose within the radio group.
    assert page.evaluate("document.activeElement.type") == "radio"
    page.keyboard.press("ArrowRight")
    page.keyboard.press("Tab")
    page.keyboard.type("Clear plan, a team that has sold before.")
    with page.expect_navigation():
        page.keyboard.press("Control+Enter")
    assert page.url != first_url
    assert review.get().status == Review.Status.SUBMITTED


def test_the_language_menu_changes_the_page_only_on_a_deliberate_choice(live_server, page, transactional_db):
    page.goto(f"{live_server.url}/calls/")
    page.focus("#language-select")
    page.keyboard.press("ArrowDown")  # passing over a language
    page.keyboard.press("ArrowDown")
    assert page.get_attribute("html", "lang") == "en" and page.url == f"{live_server.url}/calls/"
    chosen = page.eval_on_selector("#language-select", "select => select.value")
    assert chosen != "en"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.get_attribute("html", "lang") == chosen and page.url.endswith(f"/{chosen}/calls/")
    with page.expect_navigation():
        page.select_option("#language-select", "en")  # a choice made in the open menu is sent at once
    assert page.get_attribute("html", "lang") == "en"
