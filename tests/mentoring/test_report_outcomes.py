"""The funder report's outcomes: what the program's ventures answered in their monthly check-ins for the months of
the period (a loss counts as negative, a skipped month is asked but not answered, a late answer counts), in a fixed
number of queries."""

import datetime
from decimal import Decimal

import pytest
import time_machine

from mentoring.figures import report_figures
from mentoring.report import mentoring_report
from mentoring.report_outcomes import report_outcomes
from tests.mentoring.report_world import NOW, answer, asking_checkins, big_world, skip, venture_of

START, END = datetime.date(2026, 1, 1), datetime.date(2026, 12, 31)
MARCH, APRIL, MAY = datetime.date(2026, 3, 1), datetime.date(2026, 4, 1), datetime.date(2026, 5, 1)


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def answered(program, cohort):
    """Studio earns then loses a little; Prints skips March, answers April late with a loss."""
    asking_checkins(program)
    studio, mira = venture_of(cohort, "Studio")
    prints, otto = venture_of(cohort, "Prints")
    answer(studio, mira, MARCH, clients=3, revenue=1000, jobs="1", volunteers=2, funding=500)
    answer(studio, mira, APRIL, clients=5, revenue=-300, jobs="2", volunteers=1, funding=0)
    skip(prints, otto, MARCH)
    answer(prints, otto, APRIL, late=True, clients=1, revenue=-200, jobs="0.5", volunteers=0, funding=0)
    return {"studio": studio, "prints": prints}


def test_outcomes_count_a_loss_a_skip_and_a_late_answer(clock, program, answered):
    outcomes = report_outcomes(program, START, END)
    # Two ventures asked for January to November (11 months each); three answers sent, the skip not among them.
    assert outcomes == {
        "currency": "ILS",
        "answering": 2,
        "submitted": 3,
        "expected": 22,
        "answer_share": 14,
        "revenue_ventures": 1,  # Studio made 700 over the period; Prints lost 200
        "revenue": Decimal("500.00"),
        "funding": Decimal("500.00"),
        "jobs": Decimal("2.50"),  # at each venture's latest month: Studio's April 2, Prints' April 0.5
        "clients": 6,
        "volunteers": 1,
    }


def test_a_period_counts_only_its_months(clock, program, answered):
    outcomes = report_outcomes(program, APRIL, datetime.date(2026, 4, 30))
    assert outcomes["submitted"] == 2 and outcomes["expected"] == 2 and outcomes["answer_share"] == 100
    assert outcomes["revenue"] == Decimal("-500.00") and outcomes["revenue_ventures"] == 0
    assert report_outcomes(program, MAY, END)["answering"] == 0


def test_a_program_asking_no_checkins_has_no_outcomes(clock, program, cohort):
    report = mentoring_report(program, START, END)
    assert report.outcomes is None
    assert not [figure for figure in report_figures(report) if figure.section == "outcomes"]


def test_the_outcomes_are_figures_that_open_ventures_and_checkins(clock, program, answered):
    figures = {f.key: f for f in report_figures(mentoring_report(program, START, END)) if f.section == "outcomes"}
    assert {key: (figure.value, figure.opens) for key, figure in figures.items()} == {
        "outcomes.answering": (2, "venture"),
        "outcomes.answer_share": (14, "checkin"),
        "outcomes.revenue_ventures": (1, "venture"),
        "outcomes.revenue": (Decimal("500.00"), "checkin"),
        "outcomes.jobs": (Decimal("2.50"), "checkin"),
        "outcomes.clients": (6, "checkin"),
        "outcomes.funding": (Decimal("500.00"), "checkin"),
        "outcomes.volunteers": (1, "checkin"),
    }
    assert figures["outcomes.revenue"].item == "Revenue (ILS)"


@pytest.mark.parametrize("ventures", [5, 500])
def test_the_outcomes_run_four_queries_for_5_or_500_ventures_over_24_months(
    ventures, clock, program, cohort, django_assert_num_queries
):
    asking_checkins(program)
    cohort.starts_on, cohort.ends_on = datetime.date(2024, 12, 1), datetime.date(2026, 11, 30)
    cohort.save()
    big_world(cohort, ventures, 24)
    # the metrics, the ventures per cohort, the check-ins per venture, each venture's latest stocks
    with django_assert_num_queries(4):
        outcomes = report_outcomes(program, datetime.date(2024, 12, 1), END)
    assert outcomes["answering"] == ventures and outcomes["answer_share"] == 100
    assert outcomes["jobs"] == Decimal("1.5") * ventures
