"""A cohort's outcomes page and the check-ins behind its figures: the figures of a small world worked by hand (a
loss, a skipped month, late answers, two regions and a venture with none), who reads them, what bad filters get,
and a fixed number of queries for 5 or 500 ventures over 24 months."""

import datetime
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from cohorts.checkins import checkin_skip, checkin_submit, metric_add
from cohorts.models import CheckIn, CheckInAnswer, Membership, Region, Venture, VentureMember
from incubator.models import User
from tests.cohorts.checkins.conftest import FULL, NOW, answers, metric
from tests.factories import CohortFactory, ProgramFactory, UserFactory, accept, program_manager

SEPTEMBER, OCTOBER, NOVEMBER = datetime.date(2026, 9, 1), datetime.date(2026, 10, 1), datetime.date(2026, 11, 1)
RANGE = {"start": "2026-09", "end": "2026-11"}


def outcomes_url(cohort):
    return reverse("cohorts:outcomes", args=[cohort.slug])


def records_url(cohort):
    return reverse("cohorts:outcome_records", args=[cohort.slug])


@pytest.fixture
def world(clock, cohort, metric_set):
    """Mira's studio (Jerusalem), Otto's prints (Negev: a loss in September, October skipped) and Noa's crafts (no
    region, September only). Everything is sent on 3 December: September and October late, November in time."""
    exports = metric_add(metric_set=metric_set, name="Exports abroad", kind="yes_no", by=None)
    jerusalem = Region.objects.create(program=cohort.program, name="Jerusalem")
    negev = Region.objects.create(program=cohort.program, name="Negev", position=1)
    mira = accept(cohort, UserFactory(name="Mira"), venture_name="Mira Studio", region=jerusalem).person
    otto = accept(cohort, UserFactory(name="Otto"), venture_name="Otto Prints", region=negev).person
    noa = accept(cohort, UserFactory(name="Noa"), venture_name="Noa Crafts").person
    ventures = {v.name: v for v in Venture.objects.filter(cohort=cohort)}

    def sent(name, person, month, revenue, clients, jobs, exported):
        typed = answers(metric_set, **{**FULL, "revenue": revenue, "clients": clients, "jobs": jobs})
        typed[exports.pk] = "yes" if exported else "no"
        checkin_submit(venture=ventures[name], month=month, typed=typed, currency="ILS", by=person)

    sent("Mira Studio", mira, SEPTEMBER, "1000", "2", "1", True)
    sent("Mira Studio", mira, OCTOBER, "3000", "5", "1.5", False)
    sent("Mira Studio", mira, NOVEMBER, "2000", "4", "2", True)
    sent("Otto Prints", otto, SEPTEMBER, "-500", "1", "0.5", False)
    checkin_skip(venture=ventures["Otto Prints"], month=OCTOBER, reason="Moving the workshop", by=otto)
    sent("Otto Prints", otto, NOVEMBER, "1500", "3", "0.5", False)
    sent("Noa Crafts", noa, SEPTEMBER, "4000", "6", "1", True)
    return {"ventures": ventures, "jerusalem": jerusalem, "negev": negev, "exports": exports, "member": mira}


def page(client, cohort, **query):
    response = client.get(outcomes_url(cohort), {**RANGE, **query})
    return response, response.context


def test_the_share_answering_counts_skips_and_late_answers_apart(world, client, cohort, manager):
    client.force_login(manager)
    response, context = page(client, cohort)
    assert response.status_code == 200
    rows = {row["month"]: row for row in context["figures"].answering}
    assert [rows[m]["submitted"] for m in (SEPTEMBER, OCTOBER, NOVEMBER)] == [3, 1, 2]
    assert [rows[m]["skipped"] for m in (SEPTEMBER, OCTOBER, NOVEMBER)] == [0, 1, 0]
    assert [rows[m]["late"] for m in (SEPTEMBER, OCTOBER, NOVEMBER)] == [3, 2, 0]
    assert [rows[m]["share"] for m in (SEPTEMBER, OCTOBER, NOVEMBER)] == [100.0, 33.3, 66.7]


def figures_of(context, standard_or_name):
    blocks = context["figures"].by_metric
    block = next(b for b in blocks if standard_or_name in (b["metric"].standard, b["metric"].name))
    return {row["month"]: row for row in block["rows"]}


def test_totals_and_medians_per_month_count_a_loss_as_negative(world, client, cohort, manager):
    client.force_login(manager)
    _response, context = page(client, cohort)
    revenue = figures_of(context, "revenue")
    assert (revenue[SEPTEMBER]["total"], revenue[SEPTEMBER]["median"]) == (Decimal("4500"), Decimal("1000"))
    assert (revenue[NOVEMBER]["total"], revenue[NOVEMBER]["median"]) == (Decimal("3500"), Decimal("1750"))
    jobs = figures_of(context, "jobs")
    assert (jobs[SEPTEMBER]["total"], jobs[SEPTEMBER]["median"], jobs[SEPTEMBER]["n"]) == (Decimal("2.5"), 1, 3)
    exports = figures_of(context, "Exports abroad")
    assert exports[SEPTEMBER]["headline"] == Decimal("66.7") and exports[SEPTEMBER]["median"] is None


def test_the_same_figures_per_region_and_for_one_region(world, client, cohort, manager):
    client.force_login(manager)
    _response, context = page(client, cohort)
    september = context["figures"].by_region[0]
    cells = {cell["region"].name if cell["region"] else None: cell for cell in september["cells"]}
    assert cells["Negev"]["headline"] == Decimal("-500") and cells["Jerusalem"]["headline"] == Decimal("1000")
    assert cells[None]["submitted"] == 1 and cells[None]["share"] == 100.0
    response, context = page(client, cohort, region=world["negev"].pk)
    assert context["figures"].ventures == 1
    assert figures_of(context, "revenue")[SEPTEMBER]["total"] == Decimal("-500")
    assert "-500" in response.content.decode() or "\u2212500" in response.content.decode()


def test_growth_since_joining_is_each_ventures_latest_answer_less_its_first(world, client, cohort, manager):
    client.force_login(manager)
    _response, context = page(client, cohort)
    growth = {line["metric"].standard: line for line in context["figures"].growth}
    assert (growth["revenue"]["n"], growth["revenue"]["total"], growth["revenue"]["median"]) == (3, 3000, 1000)
    assert (growth["clients"]["total"], growth["clients"]["median"]) == (4, 2)
    assert (growth["jobs"]["total"], growth["jobs"]["median"]) == (1, 0)


def test_each_figure_opens_the_checkins_behind_it(world, client, cohort, mentor):
    client.force_login(mentor)
    html = page(client, cohort)[0].content.decode()
    links = re.findall(r'href="(/[^"]*outcomes/checkins/\?[^"]*)"', html)
    skipped = next(link for link in links if "month=2026-10&amp;status=skipped" in link)
    listed = client.get(skipped.replace("&amp;", "&"))
    assert listed.status_code == 200
    rows = listed.context["records"]
    assert [(c.venture.name, c.status) for c in rows] == [("Otto Prints", "skipped")]
    venture = world["ventures"]["Otto Prints"]
    assert reverse("cohorts:checkins", args=[cohort.slug, venture.pk]) in listed.content.decode()
    revenue = metric(world["exports"].metric_set, "revenue")
    by_metric = client.get(records_url(cohort), {**RANGE, "month": "2026-09", "metric": revenue.pk})
    values = sorted(c.value for c in by_metric.context["records"])
    assert values == [Decimal("-500"), Decimal("1000"), Decimal("4000")]


def test_the_cohort_page_and_the_program_home_link_the_outcomes(world, client, cohort, manager):
    client.force_login(manager)
    assert outcomes_url(cohort) in client.get(reverse("cohorts:directory", args=[cohort.slug])).content.decode()
    home = client.get(reverse("programs:home", args=[cohort.program.slug])).content.decode()
    assert outcomes_url(cohort) in home


@pytest.mark.parametrize(
    ("persona", "status"),
    [("manager", 200), ("mentor", 200), ("member", 404), ("other_manager", 404), ("other_cohort_mentor", 404),
     ("stranger", 404)],
)  # fmt: skip
def test_who_reads_the_outcomes(world, client, cohort, manager, mentor, persona, status):
    people = {"manager": manager, "mentor": mentor, "member": world["member"]}
    people["other_manager"] = program_manager(ProgramFactory())
    people["other_cohort_mentor"] = UserFactory()
    CohortFactory(program=cohort.program, name="BizUP 2027").mentors.add(people["other_cohort_mentor"])
    people["stranger"] = UserFactory()
    client.force_login(people[persona])
    assert client.get(outcomes_url(cohort)).status_code == status
    assert client.get(records_url(cohort)).status_code == status


def test_anonymous_is_sent_to_sign_in(world, client, cohort):
    for url in (outcomes_url(cohort), records_url(cohort)):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize(
    "query",
    [
        {"start": "2026-13"},
        {"end": "99999-01"},
        {"start": "2026-11", "end": "2026-09"},
        {"start": "1900-01", "end": "2026-11"},
        {"start": "9990-01", "end": "9999-12"},
        {"start": "0001-01"},
        {"region": "abc"},
        {"region": "99999999999999999999999"},
        {"metric": "-1"},
        {"month": "2026-00"},
        {"status": "draft"},
        {"page": "99999999999999999999"},
    ],
)
def test_filters_that_cannot_be_read_get_a_400_with_the_message_never_a_500(world, client, cohort, manager, query):
    client.force_login(manager)
    response = client.get(outcomes_url(cohort), query)
    assert response.status_code in (200, 400)
    records = client.get(records_url(cohort), query)
    assert records.status_code in (200, 400)
    if "start" in query or "region" in query or "end" in query:
        assert response.status_code == 400 and records.status_code == 400
        assert 'class="invalid-feedback' in response.content.decode() or "alert-danger" in response.content.decode()


def big_world(cohort, metric_set, ventures: int, months: int) -> None:
    """`ventures` ventures of one member each (in one of two regions), every one answering `months` months."""
    regions = Region.objects.bulk_create([Region(program=cohort.program, name=n) for n in ("North", "South")])
    people = User.objects.bulk_create([User(email=f"v{n}@example.org", name=f"V {n}") for n in range(ventures)])
    Membership.objects.bulk_create(
        [Membership(person=p, cohort=cohort, region=regions[n % 2]) for n, p in enumerate(people)]
    )
    made = Venture.objects.bulk_create([Venture(cohort=cohort, name=f"Venture {n}") for n in range(ventures)])
    teams = zip(made, people, strict=True)
    VentureMember.objects.bulk_create([VentureMember(venture=v, user=p, name=p.name) for v, p in teams])
    first = cohort.starts_on
    month_list = [datetime.date(first.year + (first.month - 1 + n) // 12, (first.month - 1 + n) % 12 + 1, 1)
                  for n in range(months)]  # fmt: skip
    checkins = CheckIn.objects.bulk_create(
        [CheckIn(venture=v, month=m, status="submitted", submitted_at=NOW) for v in made for m in month_list]
    )
    numbers = {"count": 3, "amount": Decimal("1200.50"), "fte": Decimal("1.5"), "percentage": None}
    column = {"count": "count", "money": "amount", "fte": "fte"}
    metrics = [m for m in metric_set.metrics.all() if m.kind in column]
    CheckInAnswer.objects.bulk_create(
        [
            CheckInAnswer(checkin=c, metric=m, currency="ILS", **{column[m.kind]: numbers[column[m.kind]]})
            for c in checkins
            for m in metrics
        ],
        batch_size=10_000,
    )


@pytest.mark.parametrize("ventures", [5, 500])
def test_the_page_reads_a_fixed_number_of_queries(
    clock, client, cohort, metric_set, manager, ventures, django_assert_num_queries
):
    cohort.starts_on = datetime.date(2024, 12, 1)
    cohort.save(update_fields=["starts_on"])
    big_world(cohort, metric_set, ventures, 24)
    client.force_login(manager)
    client.get(outcomes_url(cohort))  # the session and the user, cached once warm
    # 1 session, 2 user, 3 the cohort with the viewer's roles, 4 the regions, 5 the metric set, 6 its metrics,
    # 7 ventures per region, 8 check-ins per month, region and status, 9 figures per month and metric, 10 the same
    # per region for the metric broken down, 11 growth since joining, 12 the user's groups (the menu).
    with django_assert_num_queries(12):
        response = client.get(outcomes_url(cohort))
    assert response.status_code == 200
    assert response.context["figures"].ventures == ventures
    assert response.content.decode().count('data-testid="answering-row"') == 24
    # 1 session, 2 user, 3 the cohort, 4 the regions, 5 the metric set, 6 its metrics, 7 the count, 8 the page's
    # check-ins, 9 the user's groups.
    with django_assert_num_queries(9):
        records = client.get(records_url(cohort), {"metric": response.context["region_metric"].pk})
    assert records.status_code == 200 and len(records.context["records"]) == 50
