"""The metric set page of a program, for its managers: check-ins turned on in a currency, a metric of their own
added, renamed, moved, retired, asked again and deleted, the currency changed while no amount was sent; everyone
else, managers of other programs included, gets a 404, and another program's metric is not found."""

import pytest
from django.urls import reverse

from cohorts.checkins import checkin_save_draft, checkin_submit, metric_add
from cohorts.models import CheckIn, Metric, MetricSet
from incubator.history import recorded_actions
from tests.cohorts.checkins.conftest import FULL, NOVEMBER, answers
from tests.factories import CohortFactory, ProgramFactory, UserFactory, program_manager


def page_url(program, name="programs:checkin_metrics", *args):
    return reverse(name, args=[program.slug, *args])


def metric_url(metric, name):
    return page_url(metric.metric_set.program, f"programs:checkin_metric_{name}", metric.pk)


@pytest.fixture
def own(metric_set):
    return metric_add(metric_set=metric_set, name="Quotes sent", kind="count", by=None)


def asked_names(metric_set) -> list[str]:
    return [metric.label for metric in metric_set.metrics.filter(retired=False)]


def test_a_manager_turns_check_ins_on_in_a_currency(client, cohort, manager):
    client.force_login(manager)
    page = client.get(page_url(cohort.program))
    assert page.status_code == 200 and 'data-testid="checkins-off"' in page.content.decode()
    refused = client.post(page_url(cohort.program, "programs:checkin_currency"), {"currency": "XYZ"})
    assert refused.status_code == 400 and not MetricSet.objects.exists()
    response = client.post(page_url(cohort.program, "programs:checkin_currency"), {"currency": "ILS"})
    assert response.status_code == 302
    metric_set = MetricSet.objects.get(program=cohort.program)
    assert metric_set.currency == "ILS"
    assert asked_names(metric_set)[:2] == ["Clients", "Revenue"]
    html = client.get(page_url(cohort.program)).content.decode()
    assert html.count('data-testid="metric"') == 7 and 'data-testid="checkins-currency"' in html


def test_the_program_home_links_the_page(client, cohort, manager):
    client.force_login(manager)
    html = client.get(reverse("programs:home", args=[cohort.program.slug])).content.decode()
    assert f'href="{page_url(cohort.program)}"' in html


def test_a_manager_adds_renames_and_moves_a_metric(client, cohort, manager, metric_set):
    client.force_login(manager)
    added = client.post(page_url(cohort.program, "programs:checkin_metric_create"), {"name": "Quotes", "kind": "count"})
    assert added.status_code == 302
    metric = metric_set.metrics.get(name="Quotes")
    assert asked_names(metric_set)[-1] == "Quotes"
    assert client.post(metric_url(metric, "rename"), {"name": " Quotes sent "}).status_code == 302
    metric.refresh_from_db()
    assert metric.name == "Quotes sent"
    assert client.post(metric_url(metric, "move"), {"direction": "up"}).status_code == 302
    assert asked_names(metric_set)[-2:] == ["Quotes sent", "What is blocking you"]
    clients = metric_set.metrics.get(standard="clients")
    client.post(metric_url(clients, "move"), {"direction": "down"})
    assert asked_names(metric_set)[:2] == ["Revenue", "Clients"]
    client.post(metric_url(clients, "move"), {"direction": "up"})
    client.post(metric_url(clients, "move"), {"direction": "up"})  # already first: nothing moves
    assert asked_names(metric_set)[:2] == ["Clients", "Revenue"]
    done = [entry["action"] for entry in recorded_actions(object_ids=[metric_set.pk]) if entry["by"] == manager.pk]
    assert {"metric.add", "metric.rename", "metric.move"} <= set(done)


def test_a_refused_name_keeps_what_was_typed(client, cohort, manager, metric_set, own):
    client.force_login(manager)
    response = client.post(
        page_url(cohort.program, "programs:checkin_metric_create"), {"name": "quotes SENT", "kind": "percentage"}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Give the metric a name no other metric of the program has." in html
    assert 'value="quotes SENT"' in html and '<option value="percentage" selected>' in html
    renamed = client.post(metric_url(own, "rename"), {"name": " "})
    assert renamed.status_code == 400 and 'id="id_rename_' in renamed.content.decode()


@pytest.mark.parametrize(
    "data",
    [
        {"name": "x" * 10_000, "kind": "count"},
        {"name": "Fine", "kind": "fte"},
        {"name": "Fine", "kind": "shoe size"},
        {"name": "Fine"},
        {},
        {"name": "a\x00b", "kind": "count"},
    ],
)
def test_hostile_metrics_are_refused_with_a_400(client, cohort, manager, metric_set, data):
    client.force_login(manager)
    response = client.post(page_url(cohort.program, "programs:checkin_metric_create"), data)
    assert response.status_code == 400
    assert metric_set.metrics.count() == 7


def test_a_name_too_long_is_refused_on_rename_too(client, cohort, manager, own):
    client.force_login(manager)
    assert client.post(metric_url(own, "rename"), {"name": "y" * 10_000}).status_code == 400
    own.refresh_from_db()
    assert own.name == "Quotes sent"


def test_standard_metrics_are_neither_renamed_nor_removed(client, cohort, manager, metric_set):
    client.force_login(manager)
    revenue = metric_set.metrics.get(standard="revenue")
    for action, data in (("rename", {"name": "Turnover"}), ("retire", {}), ("delete", {})):
        response = client.post(metric_url(revenue, action), data)
        assert response.status_code == 400
        assert "Standard metrics cannot be renamed, retired or deleted." in response.content.decode()
    revenue.refresh_from_db()
    assert (revenue.name, revenue.retired) == ("", False)


def test_a_retired_metric_is_no_longer_asked_and_its_answers_stay(
    clock, client, cohort, manager, metric_set, member, venture
):
    own = metric_add(metric_set=metric_set, name="Quotes sent", kind="count", by=None)
    typed = {**answers(metric_set, **FULL), own.pk: "5"}
    october = NOVEMBER.replace(month=10)
    checkin_submit(venture=venture, month=october, typed=typed, currency="ILS", by=member)
    checkin_save_draft(venture=venture, month=NOVEMBER, typed=typed, currency="ILS", by=member)
    client.force_login(manager)
    refused = client.post(metric_url(own, "delete"))
    assert refused.status_code == 400 and "so it cannot be deleted: retire it instead" in refused.content.decode()
    assert client.post(metric_url(own, "retire")).status_code == 302
    assert "Quotes sent" not in asked_names(metric_set)
    assert 'data-testid="metrics-retired"' in client.get(page_url(cohort.program)).content.decode()

    client.force_login(member)
    form = client.get(reverse("cohorts:checkin", args=[cohort.slug, venture.pk, 2026, 11])).content.decode()
    assert f'name="m_{own.pk}"' not in form
    checkin_submit(venture=venture, month=NOVEMBER, typed=typed, currency="ILS", by=member)
    november = CheckIn.objects.get(venture=venture, month=NOVEMBER)
    assert not november.answers.filter(metric=own).exists()  # the draft's answer to it is not sent
    assert CheckIn.objects.get(venture=venture, month=october).answers.get(metric=own).count == 5
    history = client.get(reverse("cohorts:checkins", args=[cohort.slug, venture.pk])).content.decode()
    assert "Quotes sent" in history


def test_a_metric_asked_again_comes_last_and_one_never_answered_is_deleted(client, cohort, manager, metric_set, own):
    client.force_login(manager)
    client.post(metric_url(own, "retire"))
    client.post(metric_url(metric_set.metrics.get(standard="blocker"), "move"), {"direction": "up"})
    assert client.post(metric_url(own, "ask_again")).status_code == 302
    assert asked_names(metric_set)[-1] == "Quotes sent"
    assert client.post(metric_url(own, "delete")).status_code == 302
    assert not Metric.objects.filter(pk=own.pk).exists()


def test_the_currency_changes_until_an_amount_is_sent(clock, client, cohort, manager, metric_set, member, venture):
    client.force_login(manager)
    url = page_url(cohort.program, "programs:checkin_currency")
    assert client.post(url, {"currency": "EUR"}).status_code == 302
    metric_set.refresh_from_db()
    assert metric_set.currency == "EUR"
    checkin_submit(venture=venture, month=NOVEMBER, typed=answers(metric_set, **FULL), currency="EUR", by=member)
    response = client.post(url, {"currency": "USD"})
    assert response.status_code == 400
    assert "Ventures have already sent amounts in EUR" in response.content.decode()
    assert 'data-testid="checkins-currency"' in response.content.decode()
    metric_set.refresh_from_db()
    assert metric_set.currency == "EUR"


@pytest.mark.parametrize("direction", ["sideways", "", "up' OR 1=1"])
def test_an_odd_move_is_a_400(client, cohort, manager, own, direction):
    client.force_login(manager)
    assert client.post(metric_url(own, "move"), {"direction": direction}).status_code == 400


ACTIONS = ["rename", "move", "retire", "ask_again", "delete"]


@pytest.mark.parametrize("action", ACTIONS)
def test_another_program_s_metric_is_not_found(client, cohort, manager, own, action):
    elsewhere = ProgramFactory()
    CohortFactory(program=elsewhere)
    theirs = metric_add(
        metric_set=MetricSet.objects.create(program=elsewhere, currency="EUR"), name="Theirs", kind="count", by=None
    )
    client.force_login(manager)
    url = reverse(f"programs:checkin_metric_{action}", args=[cohort.program.slug, theirs.pk])
    assert client.post(url, {"name": "Mine now", "direction": "up"}).status_code == 404
    theirs.refresh_from_db()
    assert (theirs.name, theirs.retired) == ("Theirs", False)


def outsiders(cohort, member, mentor):
    other_manager = program_manager(ProgramFactory())
    return {"anonymous": None, "member": member, "mentor": mentor, "other manager": other_manager}


@pytest.mark.parametrize("persona", ["anonymous", "member", "mentor", "other manager"])
def test_outsiders_reach_no_view(client, cohort, member, mentor, own, persona):
    person = outsiders(cohort, member, mentor)[persona]
    if person:
        client.force_login(person)
    program = cohort.program
    urls = [page_url(program), page_url(program, "programs:checkin_currency")]
    urls += [page_url(program, "programs:checkin_metric_create")] + [metric_url(own, action) for action in ACTIONS]
    for url in urls:
        for method in ("get", "post"):
            response = getattr(client, method)(url, {"name": "Hacked", "kind": "count", "currency": "USD"})
            if person is None:
                assert response.status_code == 302 and "/accounts/login/" in response["Location"], url
            else:
                assert response.status_code in (404, 405), (url, method)
    own.refresh_from_db()
    assert (own.name, own.retired, own.metric_set.currency) == ("Quotes sent", False, "ILS")
    assert own.metric_set.metrics.count() == 8


@pytest.mark.parametrize("own_metrics", [1, 20])
def test_page_queries_are_fixed(client, cohort, manager, metric_set, django_assert_num_queries, own_metrics):
    for number in range(own_metrics):
        metric_add(metric_set=metric_set, name=f"Own {number}", kind="text", by=None)
    client.force_login(manager)
    # session, user, program, the managed programs, metric set, its metrics with whether each has answers, the
    # user's groups (the menu)
    with django_assert_num_queries(7):
        assert client.get(page_url(cohort.program)).status_code == 200


@pytest.mark.parametrize(
    ("language", "direction", "words"),
    [
        ("fr", "ltr", ["Suivis mensuels", "Ajouter votre propre indicateur", "Clients", "Chiffre d’affaires"]),
        ("ar", "rtl", ["المتابعات الشهرية", "أضف مؤشرًا خاصًا بك", "الزبائن"]),
    ],
)
def test_the_page_in_french_and_arabic(client, cohort, manager, metric_set, own, language, direction, words):
    client.force_login(manager)
    html = client.get(f"/{language}{page_url(cohort.program)}").content.decode()
    assert f'<html lang="{language}" dir="{direction}">' in html
    for word in words:
        assert word in html, word
    assert "<bdi>Quotes sent</bdi>" in html


def test_a_member_of_the_program_is_not_its_manager(client, cohort):
    person = UserFactory()
    client.force_login(person)
    assert client.get(page_url(cohort.program)).status_code == 404
