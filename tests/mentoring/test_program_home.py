"""The mentoring section of a program's home: this month's sessions, past ones not logged, feedback, report links."""

import datetime
from urllib.parse import parse_qs, urlparse

import pytest
import time_machine
from django.urls import reverse

from mentoring import services
from tests.mentoring.conftest import PAST

pytestmark = pytest.mark.calendar

NOW = datetime.datetime(2026, 3, 20, 10, 0, tzinfo=datetime.UTC)


def _at(day, hour=9):
    return datetime.datetime(2026, *day, hour, 0, tzinfo=datetime.UTC)


@pytest.fixture
def month(program, cohort, kinds, mentor, mentee, held):
    """March 2026 in Jerusalem: `held` (10 March, one feedback), a session held in February, one scheduled on
    15 March and never logged, one to come on 25 March, one cancelled."""
    services.session_log(program=program, kind=kinds["individual"], starts_at=_at((2, 20)), minutes=60,
                         participants=[mentee], summary="February", by=mentor)  # fmt: skip
    with time_machine.travel(_at((3, 12)), tick=False):
        services.feedback_give(session=held, rating=5, comment="Useful", anonymous=False, by=mentee)
    with time_machine.travel(PAST, tick=False):
        for day in (15, 25, 26):
            session, _ = services.session_schedule(
                program=program,
                kind=kinds["individual"],
                starts_at=_at((3, day)),
                ends_at=_at((3, day), 10),
                participants=[mentee],
                by=mentor,
            )
    services.session_cancel(session=session, by=mentor)
    return program


def test_the_section_counts_this_month_s_sessions_the_unlogged_ones_and_feedback(client, month, cohort, manager):
    client.force_login(manager)
    with time_machine.travel(NOW, tick=False):
        response = client.get(reverse("programs:home", args=[month.slug]))
    html = response.content.decode()
    assert 'data-testid="figure-sessions-month">3<' in html  # 10, 15 and 25 March; not February, not cancelled
    assert 'data-testid="figure-held-month">1<' in html
    assert 'data-testid="figure-program-unlogged">1<' in html  # 15 March
    assert 'data-testid="figure-feedback-month">1<' in html


def test_the_funder_report_link_carries_the_cohort_s_dates(client, month, cohort, manager):
    client.force_login(manager)
    with time_machine.travel(NOW, tick=False):
        response = client.get(reverse("programs:home", args=[month.slug]))
    link = next(line for line in response.content.decode().splitlines() if 'data-testid="funder-report"' in line)
    url = urlparse(link.split('href="')[1].split('"')[0].replace("&amp;", "&"))
    assert url.path == reverse("mentoring:report")
    assert parse_qs(url.query) == {
        "program": [month.slug],
        "start": [cohort.starts_on.isoformat()],
        "end": [cohort.ends_on.isoformat()],
    }
    with time_machine.travel(NOW, tick=False):
        report = client.get(f"{url.path}?{url.query}")
    assert report.status_code == 200 and report.context["report"] is not None
