"""The check-in pages: the team answers its month (a refused answer keeps the form filled, a draft is kept), the
team, the cohort's mentors and the program's managers read the history and the chart; anyone else gets a 404."""

import datetime
import json
import re

import pytest
import time_machine
from django.urls import reverse
from django.utils import translation

from cohorts.checkins import checkin_skip, checkin_submit, metric_add
from cohorts.models import CheckIn
from tests.cohorts.checkins.conftest import FULL, NOVEMBER, answers, metric
from tests.factories import ProgramFactory, UserFactory, program_manager


def form_url(venture, month=NOVEMBER):
    return reverse("cohorts:checkin", args=[venture.cohort.slug, venture.pk, month.year, month.month])


def history_url(venture):
    return reverse("cohorts:checkins", args=[venture.cohort.slug, venture.pk])


def posted(metric_set, action, **typed):
    data = {f"m_{metric_id}": text for metric_id, text in answers(metric_set, **typed).items()}
    return {**data, "currency": "ILS", "action": action}


def test_the_team_answers_its_month(clock, client, venture, member, metric_set):
    client.force_login(member)
    page = client.get(form_url(venture))
    assert page.status_code == 200
    assert 'name="currency" value="ILS"' in page.content.decode()
    response = client.post(form_url(venture), posted(metric_set, "submit", **{**FULL, "revenue": "-1,250.50"}))
    assert response.status_code == 302 and response["Location"] == history_url(venture)
    checkin = CheckIn.objects.get(venture=venture, month=NOVEMBER)
    assert checkin.status == "submitted"
    assert str(checkin.answers.get(metric__standard="revenue").amount) == "-1250.50"


def test_a_refused_answer_keeps_the_form_filled_with_the_error_beside_it(clock, client, venture, member, metric_set):
    client.force_login(member)
    response = client.post(form_url(venture), posted(metric_set, "submit", **{**FULL, "clients": "a dozen"}))
    assert response.status_code == 200
    html = response.content.decode()
    clients = metric(metric_set, "clients").pk
    beside = html[
        html.index(f'id="div_id_m_{clients}"') : html.index(f'id="div_id_m_{metric(metric_set, "revenue").pk}"')
    ]
    assert "Enter a whole number, 0 or more." in beside
    assert 'value="a dozen"' in html and 'value="12500"' in html and "A new client" in html
    assert CheckIn.objects.get().status == "draft"


def test_a_draft_is_saved_as_typed_and_shown_again(clock, client, venture, member, metric_set):
    client.force_login(member)
    response = client.post(form_url(venture), posted(metric_set, "save", clients="3?", revenue="12 500,5"))
    assert response.status_code == 302 and response["Location"] == form_url(venture)
    html = client.get(form_url(venture)).content.decode()
    assert 'value="3?"' in html and 'value="12 500,5"' in html


def test_a_month_skipped_with_its_reason(clock, client, venture, member):
    client.force_login(member)
    refused = client.post(form_url(venture), {"action": "skip", "reason": " "})
    assert refused.status_code == 200 and "Say why this month is skipped." in refused.content.decode()
    response = client.post(form_url(venture), {"action": "skip", "reason": "Closed for Sukkot"})
    assert response.status_code == 302
    history = client.get(history_url(venture)).content.decode()
    assert "Closed for Sukkot" in history


def test_a_sent_month_is_shown_not_changed(clock, client, venture, member, metric_set):
    checkin_submit(venture=venture, month=NOVEMBER, typed=answers(metric_set, **FULL), currency="ILS", by=member)
    client.force_login(member)
    page = client.get(form_url(venture)).content.decode()
    assert 'data-testid="checkin-final"' in page and 'data-testid="checkin-form"' not in page
    client.post(form_url(venture), posted(metric_set, "save", clients="99"))
    assert CheckIn.objects.get().answers.get(metric__standard="clients").count == 4


@pytest.mark.parametrize("month", [datetime.date(2026, 12, 1), datetime.date(2026, 2, 1)])
def test_a_month_not_yet_over_or_before_the_cohort_is_not_found(clock, client, venture, member, month):
    client.force_login(member)
    assert client.get(form_url(venture, month)).status_code == 404
    assert client.get(f"{history_url(venture)}2026/13/").status_code == 404


@pytest.mark.parametrize(
    ("persona", "form", "saved", "history"),
    [
        ("member", 200, 302, 200),
        ("teammate", 200, 302, 200),
        ("mentor", 404, 404, 200),
        ("manager", 404, 404, 200),
        ("outsider_member", 404, 404, 404),
        ("stranger", 404, 404, 404),
    ],
)
def test_who_answers_and_who_reads(clock, client, request, venture, member, teammate, persona, form, saved, history):
    person = UserFactory() if persona == "stranger" else request.getfixturevalue(persona)
    client.force_login(person)
    assert client.get(form_url(venture)).status_code == form
    assert client.post(form_url(venture), {"action": "save"}).status_code == saved
    assert client.get(history_url(venture)).status_code == history


def test_a_manager_of_another_program_gets_a_404(clock, client, venture):
    client.force_login(program_manager(ProgramFactory()))
    assert client.get(history_url(venture)).status_code == 404
    assert client.get(form_url(venture)).status_code == 404


def test_the_venture_page_links_the_checkins_for_its_readers_only(clock, client, venture, member, outsider_member):
    page = reverse("cohorts:venture_detail", args=[venture.cohort.slug, venture.pk])
    client.force_login(member)
    assert history_url(venture) in client.get(page).content.decode()
    client.force_login(outsider_member)
    assert history_url(venture) not in client.get(page).content.decode()


def submitted_months(venture, member, metric_set, count: int):
    """`count` months sent, the newest November 2026, revenue growing by 1,000 a month from a loss."""
    month = NOVEMBER
    for number in range(count):
        typed = answers(metric_set, **{**FULL, "revenue": str(1000 * (count - number) - 2000)})
        with time_machine.travel(datetime.datetime(2026, 12, 3, tzinfo=datetime.UTC), tick=False):
            checkin_submit(venture=venture, month=month, typed=typed, currency="ILS", by=member)
        month = (month - datetime.timedelta(days=1)).replace(day=1)


def test_the_history_shows_the_chart_and_the_same_numbers_as_a_table(clock, client, venture, member, metric_set):
    submitted_months(venture, member, metric_set, 3)
    with time_machine.travel(datetime.datetime(2026, 12, 3, tzinfo=datetime.UTC), tick=False):
        checkin_skip(venture=venture, month=datetime.date(2026, 8, 1), reason="Moving the studio", by=member)
    client.force_login(member)
    html = client.get(history_url(venture)).content.decode()
    chart = json.loads(re.search(r'id="checkin-chart-data" type="application/json">(.*?)</script>', html).group(1))
    revenue = next(series for series in chart["series"] if series["label"] == "Revenue")
    assert revenue["values"][-3:] == [-1000.0, 0.0, 1000.0]
    assert chart["months"][-1] == "November 2026"
    assert "highlight" not in {series["kind"] for series in chart["series"]}
    table = html[html.index('data-testid="checkin-table"') :]
    assert "-₪1,000.00" in table
    assert "Moving the studio" in html and "vendor/chartjs/chart.umd.min.js" in html


def test_right_to_left_in_hebrew(clock, client, venture, member, metric_set):
    submitted_months(venture, member, metric_set, 1)
    client.force_login(member)
    with translation.override("he"):
        url = history_url(venture)
    html = client.get(url).content.decode()
    assert 'dir="rtl"' in html and "הכנסות" in html


@pytest.mark.parametrize("months", [1, 20])
def test_the_history_reads_a_fixed_number_of_queries(
    client, venture, member, metric_set, months, django_assert_num_queries
):
    venture.cohort.starts_on = datetime.date(2024, 1, 1)
    venture.cohort.save(update_fields=["starts_on"])
    submitted_months(venture, member, metric_set, months)
    client.force_login(member)
    with time_machine.travel(datetime.datetime(2026, 12, 3, 10, tzinfo=datetime.UTC), tick=False):
        client.get(history_url(venture))  # the session and the user, cached once warm
        # 1 session, 2 user, 3 the cohort with the viewer's roles, 4 the venture with its program and metric set,
        # 5 its team, 6 the metrics, 7 the check-ins, 8 their answers, 9 the user's groups (the menu).
        with django_assert_num_queries(9):
            response = client.get(history_url(venture))
    assert response.status_code == 200
    assert response.content.decode().count('data-testid="checkin-row"') == 35  # Jan 2024 – Nov 2026


@pytest.mark.parametrize(
    ("language", "revenue", "jobs"),
    [("en", "-1,234.5", "1.5"), ("he", "-1,234.5", "1.5"), ("ar", "-1,234.5", "1.5"), ("fr", "-1 234,5", "1,5"),
     ("pl", "-1 234,5", "1,5")],
)  # fmt: skip
def test_the_form_round_trips_in_every_language(clock, client, venture, member, metric_set, language, revenue, jobs):
    client.force_login(member)
    with translation.override(language):
        url = form_url(venture)
    client.post(url, posted(metric_set, "save", **{**FULL, "revenue": revenue, "jobs": jobs}))
    html = client.get(url).content.decode()
    assert f'value="{revenue}"' in html and f'value="{jobs}"' in html
    assert (
        client.post(url, posted(metric_set, "submit", **{**FULL, "revenue": revenue, "jobs": jobs})).status_code == 302
    )
    checkin = CheckIn.objects.get()
    assert str(checkin.answers.get(metric__standard="revenue").amount) == "-1234.50"
    assert str(checkin.answers.get(metric__standard="jobs").fte) == "1.50"


@pytest.mark.parametrize("own_metrics", [0, 20])
def test_the_form_reads_a_fixed_number_of_queries(
    clock, client, venture, member, metric_set, own_metrics, django_assert_num_queries
):
    for number in range(own_metrics):
        metric_add(metric_set=metric_set, name=f"Own metric {number}", kind="count", by=None)
    client.force_login(member)
    client.post(form_url(venture), posted(metric_set, "save", clients="3"))
    client.get(form_url(venture))
    # 1 session, 2 user, 3 the cohort with the viewer's roles, 4 the venture with its program and metric set,
    # 5 its team, 6 the metrics, 7 the month's check-in, 8 its answers, 9 the user's groups (the menu).
    with django_assert_num_queries(9):
        response = client.get(form_url(venture))
    assert response.status_code == 200 and response.content.decode().count('name="m_') == 7 + own_metrics
