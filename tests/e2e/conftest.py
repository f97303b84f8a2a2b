"""Browser tests: Playwright driving the system Chromium against pytest-django's live server."""

import os
import shutil
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in the test thread; the test's own ORM calls are still sync.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

SCREENSHOTS = Path(__file__).parent / "screenshots"
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-dev-shm-usage"]


def _chromium_path() -> str | None:
    return os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or shutil.which("chromium-browser")


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/e2e" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser():
    path = _chromium_path()
    if path is None:
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail("REQUIRE_BROWSER=1 but no Chromium found (apt-get install chromium)")
        pytest.skip("Chromium is not installed (apt-get install chromium); browser tests skipped")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=path, headless=True, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def screenshot():
    """Saves a PNG of the page in tests/e2e/screenshots/ when asked (`SCREENSHOTS=1`, as `make screenshots` does):
    `make test` would otherwise encode 130 pictures nobody opens, about 5 % of the browser tests' time. The page is
    the same whether it is photographed or not."""
    wanted = os.environ.get("SCREENSHOTS") == "1"
    if wanted:
        SCREENSHOTS.mkdir(exist_ok=True)

    def take(page, name: str, *, full_page: bool = True) -> None:
        if wanted:
            page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=full_page)

    return take


@pytest.fixture
def sign_in(live_server):
    def do(page, email: str, password: str = "demo-pass-2026"):
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("input[name=login]", email)
        page.fill("input[name=password]", password)
        page.click("button[type=submit]")
        page.wait_for_selector("[data-testid=user-menu]")

    return do


def choose_language(page, language: str) -> None:
    """Pick a language in the page's language menu, as a person does (it keeps the page)."""
    if page.get_attribute("html", "lang") != language:
        # The menu sends its form from portal.js, which runs at the end of the body: a page whose menu is drawn
        # may not listen yet on a loaded machine.
        page.wait_for_load_state("domcontentloaded")
        with page.expect_navigation():
            page.select_option("#language-select", language)
