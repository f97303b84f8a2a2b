"""Shared start state and helpers for the role journeys (test_journey_*.py): the whole demo, seeded through its
own seeders and services as `make run` does, and a person signing in through the login form."""

import io

import pytest
from django.core.management import call_command

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
DESKTOP = {"viewport": {"width": 1280, "height": 900}}


@pytest.fixture
def demo(transactional_db):
    call_command("seed_demo", stdout=io.StringIO())


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
