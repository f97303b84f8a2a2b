import pytest
from django.conf import settings
from django.utils import translation

from demo.users import DEMO_PASSWORD
from tests.factories import UserFactory


def pytest_configure(config):
    settings.CELERY_TASK_ALWAYS_EAGER = True


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
