"""Helpers for the role journeys (test_journey_*.py), whose start state is the `seeded_demo` fixture: a fresh
browser in the person’s language, at a desk or on a phone, and a person signing in through the login form."""

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
DESKTOP = {"viewport": {"width": 1280, "height": 900}}


def open_page(browser, *, locale: str, device: dict = DESKTOP):
    """A fresh browser (no cookies) whose language preference is `locale`, as the person's own browser would be."""
    context = browser.new_context(locale=locale, **device)
    page = context.new_page()
    page.set_default_timeout(15_000)
    return page


def sign_in(page, base: str, email: str, password: str = "demo-pass-2026") -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    # On a phone the user menu sits inside the collapsed navigation: present, not visible.
    page.wait_for_selector("[data-testid=user-menu]", state="attached")
