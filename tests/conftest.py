import datetime

import pytest
import time_machine
from django.conf import settings
from django.utils import translation

from incubator.demo import DEMO_PASSWORD
from tests import calendar_clock
from tests.factories import UserFactory


def pytest_addoption(parser):
    parser.addoption(
        "--clock",
        help="run the `calendar` tests at these instants: `all` (the calendar check), scenario names of "
        f"tests/calendar_clock.py ({', '.join(calendar_clock.SCENARIOS)}) or ISO instants with their offset, "
        "separated by commas",
    )


def pytest_configure(config):
    settings.CELERY_TASK_ALWAYS_EAGER = True


def pytest_generate_tests(metafunc):
    marker = metafunc.definition.get_closest_marker("calendar")
    value = metafunc.config.getoption("--clock")
    if marker is None or not value:
        return
    chosen = calendar_clock.scenarios_for(marker, calendar_clock.instants(value), assigned_only=value == "all")
    metafunc.parametrize("_calendar_clock", list(chosen.values()), ids=[f"clock={n}" for n in chosen], indirect=True)


@pytest.fixture(autouse=True)
def _calendar_clock(request):
    """The clock of a `calendar` test run with `--clock`: Django, Celery (eager) and the live server run in this
    process and follow it; so do the pages' browsers (their contexts' clocks are installed at the same instant).
    PostgreSQL's now() does not: code that compares a database timestamp with Python's clock sees the real day."""
    if not hasattr(request, "param"):
        yield None
        return
    instant = request.param.astimezone(datetime.UTC)  # a zone here would also move the process's local zone
    with time_machine.travel(instant, tick=True):
        if "browser" in request.fixturenames:
            _browser_clocks_follow(request.getfixturevalue("browser"), request.getfixturevalue("monkeypatch"))
        yield instant


def _browser_clocks_follow(browser, monkeypatch):
    new_context = browser.new_context

    def new_context_at_the_instant(**options):
        context = new_context(**options)
        context.clock.install(time=datetime.datetime.now(datetime.UTC))
        return context

    monkeypatch.setattr(browser, "new_context", new_context_at_the_instant)


@pytest.fixture(scope="session", autouse=True)
def _services_answer(django_db_blocker):
    """Fail the run with one line naming the setting, rather than hundreds of tracebacks."""
    from incubator.services_check import services_problems

    with django_db_blocker.unblock():
        problems = services_problems()
    if problems:
        pytest.exit("; ".join(problems), returncode=2)


@pytest.fixture(autouse=True)
def _english_unless_asked():
    """A request in Hebrew leaves Hebrew active in the test thread; each test starts in English."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def client(client):
    """The test browser has chosen English (the language cookie), so pages at English addresses stay English
    whatever the signed-in person's own language; tests of language negotiation use a client of their own."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def password():
    return DEMO_PASSWORD


@pytest.fixture
def user(db):
    return UserFactory()


@pytest.fixture
def outsider(db):
    return UserFactory(name="Olga Outsider")


@pytest.fixture(autouse=True)
def _fresh_rate_limits(monkeypatch):
    """Counters of incubator/ratelimit.py live in the shared Redis: each test counts from zero."""
    import uuid

    from incubator import ratelimit

    monkeypatch.setattr(ratelimit, "NAMESPACE", uuid.uuid4().hex)
