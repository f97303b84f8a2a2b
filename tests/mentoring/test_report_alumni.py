"""The funder report's alumni section: the surveys that went out in the period, each figure opening the members
asked (by name) or their answers (without names), and a hidden "<5" count opening nothing."""

import datetime

from django.urls import reverse

from mentoring.figures import report_figures
from mentoring.report import mentoring_report
from mentoring.report_records import figure_records
from tests.cohorts.alumni.conftest import ENDED, answer, cohort  # noqa: F401 - the survey's world
from tests.cohorts.alumni.test_results import invite, members
from tests.factories import program_manager

START, END = datetime.date(2026, 1, 1), datetime.date(2026, 12, 31)


def _figures(program, start=START, end=END):
    report = mentoring_report(program, start, end)
    return report, {figure.key: figure for figure in report_figures(report)}


def test_the_alumni_figures_open_the_people_asked_and_their_answers(cohort):  # noqa: F811
    everyone = members(cohort, 8)
    invite(everyone)
    for membership in everyone[:6]:
        answer(membership, jobs="2")
    report, figures = _figures(cohort.program)
    prefix = f"alumni.{cohort.pk}"
    assert figures[f"{prefix}.invited"].value == 8 and figures[f"{prefix}.answered"].value == 6
    asked = figure_records(report, figures[f"{prefix}.invited"])
    assert sorted(record.label for record, _value in asked) == sorted(m.person.name for m in everyone)
    answers = figure_records(report, figures[f"{prefix}.jobs.total"])
    assert sum(value for _record, value in answers) == figures[f"{prefix}.jobs.total"].value == 12
    assert {record.label for record, _value in answers} == {cohort.name}  # the cohort, never the person
    assert not figures[f"{prefix}.venture.closed"].linked  # "<5"


def test_a_survey_outside_the_period_is_not_in_the_report(cohort):  # noqa: F811
    invite(members(cohort, 5))
    _report, figures = _figures(cohort.program, ENDED, ENDED + datetime.timedelta(days=300))
    assert not [key for key in figures if key.startswith("alumni.")]


def test_the_records_page_of_an_alumni_figure(client, cohort):  # noqa: F811
    everyone = members(cohort, 6)
    invite(everyone)
    for membership in everyone[:5]:
        answer(membership)
    client.force_login(program_manager(cohort.program, name="Mona Manager"))
    query = {"program": cohort.program.slug, "start": START.isoformat(), "end": END.isoformat()}
    page = client.get(reverse("mentoring:report_records"), {**query, "figure": f"alumni.{cohort.pk}.answered"})
    assert page.status_code == 200
    assert page.content.decode().count('data-testid="record"') == 5
    hidden = client.get(reverse("mentoring:report_records"), {**query, "figure": f"alumni.{cohort.pk}.venture.none"})
    assert hidden.status_code == 404
