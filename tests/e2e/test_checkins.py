"""A monthly check-in in a real browser: a BizUP creative whose November is still open answers it on a phone in
Arabic (numbers typed with Arabic digits), a refused answer keeps what was typed, and the venture's history draws
its charts right to left beside the same numbers as a table."""

from django.conf import settings
from django.test import Client
from django.utils import timezone

from cohorts.checkin_history import cohort_months
from cohorts.checkins import window_closes
from cohorts.models import CheckIn, Cohort
from tests.e2e.phone import PHONE, layout_problems


def signed_in_in_arabic(page, base, person) -> None:
    """The person's session and the Arabic language cookie in the browser (the sign-in form has its own tests)."""
    client = Client()
    client.force_login(person)
    cookies = {settings.SESSION_COOKIE_NAME: client.cookies[settings.SESSION_COOKIE_NAME].value}
    cookies[settings.LANGUAGE_COOKIE_NAME] = "ar"
    page.context.add_cookies([{"name": name, "value": value, "url": base} for name, value in cookies.items()])


def test_a_participant_answers_the_months_checkin_on_a_phone_in_arabic(seeded_demo, live_server, browser):
    bizup = Cohort.objects.get(slug="bizup-2026")
    month = cohort_months(bizup.ventures.first())[-1]
    venture = next(v for v in bizup.ventures.order_by("name") if not v.checkins.filter(month=month).exists())
    person = venture.team.exclude(user=None).first().user
    context = browser.new_context(**PHONE, locale="ar-MA")
    page = context.new_page()
    page.set_default_timeout(15_000)
    signed_in_in_arabic(page, live_server.url, person)

    base = f"{live_server.url}/ar/cohorts/{bizup.slug}/ventures/{venture.pk}/checkins/"
    page.goto(f"{base}{month.year}/{month.month}/")
    assert page.get_attribute("html", "dir") == "rtl"
    assert layout_problems(page) == []
    metrics = {m.standard or "own": f"#id_m_{m.pk}" for m in bizup.program.metric_set.metrics.all()}
    page.fill(metrics["clients"], "بضعة")  # "a few": refused beside the field, kept as typed
    page.fill(metrics["revenue"], "-١٢٬٥٠٠٫٥٠")
    page.fill(metrics["jobs"], "١٫٥")
    page.fill(metrics["volunteers"], "0")
    page.fill(metrics["funding"], "0")
    page.fill(metrics["own"], "٣")  # BizUP's own metric: quotes sent
    page.fill(metrics["highlight"], "أول زبون من خارج القدس")
    page.click("button[value=submit]")
    page.wait_for_selector(".invalid-feedback, .is-invalid")
    assert page.input_value(metrics["clients"]) == "بضعة"
    assert page.input_value(metrics["revenue"]) == "-١٢٬٥٠٠٫٥٠"
    page.fill(metrics["clients"], "٧")
    page.click("button[value=submit]")
    page.wait_for_url(base)

    checkin = CheckIn.objects.get(venture=venture, month=month)
    assert checkin.status == "submitted"
    assert str(checkin.answers.get(metric__standard="revenue").amount) == "-12500.50"
    assert checkin.answers.get(metric__standard="clients").count == 7
    assert checkin.late == (timezone.now() >= window_closes(month, bizup.program.time_zone))

    # The history: a chart per number, drawn, and the table with the same figures.
    assert page.locator("[data-testid=checkin-charts] canvas").count() >= 5
    assert page.evaluate("() => Chart.getChart('checkin-chart-0') !== undefined")
    assert page.locator("[data-testid=checkin-row]").count() == len(cohort_months(venture))
    assert layout_problems(page) == []
    context.close()
