"""A program's check-in metrics in a real browser, on a phone in Arabic: the manager turns check-ins on in
dirhams, adds a metric of the program's own, moves it up and retires it; the page fits the screen and every
control on it can be tapped, right to left."""

import pytest

from cohorts.models import MetricSet
from tests.e2e.phone import PHONE, layout_problems
from tests.e2e.test_checkins import signed_in_in_arabic
from tests.factories import CohortFactory, ProgramFactory, program_manager


@pytest.fixture
def program(transactional_db):
    program = ProgramFactory(name="قوالب", slug="kawalis-e2e", time_zone="Africa/Casablanca")
    CohortFactory(program=program, name="الفوج الأول")
    return program


def test_a_manager_sets_the_metrics_on_a_phone_in_arabic(program, live_server, browser):
    manager = program_manager(program)
    context = browser.new_context(**PHONE, locale="ar-MA")
    page = context.new_page()
    page.set_default_timeout(15_000)
    signed_in_in_arabic(page, live_server.url, manager)

    page.goto(f"{live_server.url}/ar/programs/{program.slug}/")
    page.click("[data-testid=program-checkins]")
    assert page.get_attribute("html", "dir") == "rtl"
    assert layout_problems(page) == []
    page.select_option("[data-testid=checkins-start] select", "MAD")
    page.click("[data-testid=checkins-start] button[type=submit]")
    page.wait_for_selector("[data-testid=metrics-asked]")
    assert MetricSet.objects.get(program=program).currency == "MAD"

    page.fill("[data-testid=metric-add] input[name=name]", "عروض الأسعار المرسلة")
    page.select_option("[data-testid=metric-add] select[name=kind]", "count")
    page.click("[data-testid=metric-add] button[type=submit]")
    page.wait_for_selector("[data-testid=metric]:has-text('عروض الأسعار المرسلة')")
    assert layout_problems(page) == []
    page.click("[data-testid=metric]:has-text('عروض الأسعار المرسلة') [data-testid=metric-up]")
    page.wait_for_load_state()
    names = page.locator("[data-testid=metrics-asked] [data-testid=metric] bdi").all_inner_texts()
    assert names[-2] == "عروض الأسعار المرسلة"
    page.click("[data-testid=metric]:has-text('عروض الأسعار المرسلة') [data-testid=metric-retire]")
    page.wait_for_selector("[data-testid=metrics-retired]")
    assert layout_problems(page) == []
    context.close()
