"""Under the calendar check a page's JavaScript reads the same instant as the server (tests/calendar_clock.py)."""

import datetime

import pytest


@pytest.mark.calendar("leap-day")
def test_the_page_clock_is_the_test_clock(page):
    page.goto("data:text/html,<p>now</p>")
    in_the_page = datetime.datetime.fromisoformat(page.evaluate("new Date().toISOString()"))
    assert abs(in_the_page - datetime.datetime.now(datetime.UTC)) < datetime.timedelta(minutes=1)
