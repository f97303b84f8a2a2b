import datetime
import os

import pytest
import time_machine
from django.conf import settings
from django.utils import translation

from demo.users import DEMO_PASSWORD
from tests import calendar_clock, databases, scheduling
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
    _transactional_tests_end_with_a_clone()
    # Set before pytest-xdist starts its workers, which inherit it: names the demo template they share.
    os.environ.setdefault("TEST_RUN_ID", databases.run_id_new())


def _transactional_tests_end_with_a_clone():
    """After a test that commits (live server, seeded demo, transaction=True) the worker's database is cloned afresh
    from the migrated template instead of flushed (tests/databases.py)."""
    from django.test import TransactionTestCase

    flush = TransactionTestCase._fixture_teardown

    def reset(test_case):
        if test_case.available_apps is not None or list(test_case._databases_names(include_mirrors=False)) != [
            "default"
        ]:
            return flush(test_case)
        databases.worker_database_reset()

    TransactionTestCase._fixture_teardown = reset


# Tests are handed to the workers one at a time as they free up (tests/scheduling.py), the longest first, so that the
# two workers finish together rather than one waiting on the other.
LONGEST_FIRST = [
    "tests/reliability/",
    "tests/security/test_odd_input.py",
    "tests/security/test_permission_matrix.py",
    "tests/security/test_fuzz_forms.py",
    "tests/i18n/test_untranslated.py",
    "tests/e2e/test_journey_",
    "tests/e2e/",
]


def pytest_xdist_make_scheduler(config, log):
    if config.getvalue("dist") == "load":
        return scheduling.TestsApartScheduling(config, log)
    return None


def pytest_collection_modifyitems(config, items):
    def rank(item):
        path = item.nodeid
        return next((i for i, prefix in enumerate(LONGEST_FIRST) if path.startswith(prefix)), len(LONGEST_FIRST))

    items.sort(key=rank)


def pytest_sessionfinish(session):
    if not hasattr(session.config, "workerinput"):
        databases.demo_drop(os.environ["TEST_RUN_ID"])


@pytest.fixture(scope="session")
def django_db_setup(django_test_environment, django_db_blocker, worker_id):
    """Each worker's database is a clone of the migrated template (tests/databases.py)."""
    with django_db_blocker.unblock():
        name = databases.worker_database_create(os.environ["TEST_RUN_ID"], worker_id)
    yield
    with django_db_blocker.unblock():
        databases.worker_database_drop(name)


@pytest.fixture
def seeded_demo(transactional_db, django_db_blocker, _calendar_clock):
    """The whole demo, seeded by its own seeders and services as `make run` does, once per run (and per calendar
    scenario: its dates are relative to the day it is seeded) and cloned for each test that starts from it (the
    role journeys start here)."""
    with django_db_blocker.unblock():
        databases.demo_load(os.environ["TEST_RUN_ID"], at=_calendar_clock)


@pytest.fixture
def scratch_database(transactional_db, django_db_blocker):
    """For a migration test: the database it migrates backwards is thrown away afterwards (tests/databases.py)."""
    with django_db_blocker.unblock(), databases.scratch_database():
        yield


@pytest.fixture
def empty_database(transactional_db, django_db_blocker):
    """For a migration test of an early migration: an empty database it migrates forward, thrown away afterwards."""
    with django_db_blocker.unblock(), databases.scratch_database(empty=True):
        yield


def pytest_generate_tests(metafunc):
    marker = metafunc.definition.get_closest_marker("calendar")
    value = metafunc.config.getoption("--clock")
    if marker is None or not value:
        return
    chosen = calendar_clock.scenarios_for(marker, calendar_clock.instants(value), assigned_only=value == "all")
    if value == "all" and not marker.args:
        chosen = {"today": None, **chosen}  # `make test` runs a fast calendar test on the real day as well
    metafunc.parametrize("_calendar_clock", list(chosen.values()), ids=[f"clock={n}" for n in chosen], indirect=True)


@pytest.fixture(autouse=True)
def _calendar_clock(request):
    """The clock of a `calendar` test run with `--clock`: Django, Celery (eager) and the live server run in this
    process and follow it; so do the pages' browsers (their contexts' clocks are installed at the same instant).
    PostgreSQL's now() does not: code that compares a database timestamp with Python's clock sees the real day."""
    if getattr(request, "param", None) is None:
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
