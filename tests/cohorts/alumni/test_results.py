"""The alumni survey's results: per cohort, counts of people under 5 shown as "<5" (and the next smallest when one
alone would be given away by the total), figures of fewer than 5 answers left out; the managers' page at a fixed
number of queries; `alumni_figures` for the funder report."""

import datetime

import pytest
from django.urls import reverse

from cohorts.alumni import alumni_figures, band_label, cohort_results
from cohorts.alumni_reminders import INVITATION_KIND
from cohorts.small_counts import people_cells
from incubator.notifications import Claim, notifications_claim
from tests.cohorts.alumni.conftest import ENDED, answer
from tests.factories import CohortFactory, ProgramFactory, UserFactory, accept, program_manager


def invite(memberships):
    notifications_claim(claims=[Claim(INVITATION_KIND, m.pk, m.person_id) for m in memberships])


def members(cohort, n):
    return [accept(cohort, UserFactory()) for _ in range(n)]


def results_url(cohort):
    return reverse("cohorts:alumni_results", args=[cohort.slug])


def cells(rows):
    return {code: cell for code, _label, cell in rows}


def test_the_rule_is_the_funder_reports():
    assert people_cells([12, 7, 0]) == [12, 7, "<5"]
    assert people_cells([12, 3, 8]) == [12, "<5", "<5"]
    assert people_cells([2, 3, 20]) == ["<5", "<5", 20]


def test_results_hide_small_counts_and_figures_of_few_answers(cohort):
    everyone = members(cohort, 12)
    invite(everyone)
    for membership in everyone[:7]:
        answer(membership, jobs="2", revenue_band="under_50k")
    answer(everyone[7], venture="closed", revenue_band="", helped_most="community")
    answer(everyone[8], venture="none", revenue_band="", helped_most="other")
    results = cohort_results(cohort)
    assert (results["invited"], results["answered"], results["share"]) == (12, 9, 75)
    assert cells(results["venture"]) == {"active": 7, "closed": "<5", "none": "<5"}
    assert (results["jobs_total"], results["jobs_median"]) == (14, 2)
    assert cells(results["bands"])["under_50k"] == 7
    assert cells(results["helped"]) == {
        "mentoring": 7, "workspace": "<5", "community": "<5", "training": "<5", "funding": "<5", "other": "<5"
    }  # fmt: skip


def test_one_small_count_alone_hides_the_next_smallest_too(cohort):
    """8 answered, 7 active and 1 closed: showing the 7 would give the 1 away."""
    everyone = members(cohort, 8)
    for membership in everyone[:7]:
        answer(membership)
    answer(everyone[7], venture="closed", revenue_band="")
    assert cells(cohort_results(cohort)["venture"]) == {"active": "<5", "closed": "<5", "none": "<5"}


def test_fewer_than_five_answers_show_no_rate_no_jobs(cohort):
    few = members(cohort, 3)
    invite(few)
    answer(few[0])
    results = cohort_results(cohort)
    assert (results["invited"], results["answered"], results["share"]) == ("<5", "<5", None)
    assert (results["jobs_total"], results["jobs_median"]) == (None, None)


def test_bands_are_labelled_in_the_programs_currency(cohort, settings):
    from django.utils import translation

    with translation.override("fr"):
        assert band_label("50k_250k", "MAD") == "50\xa0k\xa0MAD à 250\xa0k\xa0MAD"
    with translation.override("en"):
        assert band_label("under_50k", "ILS") == "under ₪50K"
        assert band_label("over_1m", "") == "over 1M"
    assert cohort_results(cohort)["currency"] == "MAD"


def test_alumni_figures_for_the_cohorts_whose_survey_went_out_in_the_period(cohort):
    everyone = members(cohort, 6)
    invite(everyone)
    for membership in everyone[:5]:
        answer(membership)
    CohortFactory(program=cohort.program, ends_on=datetime.date(2026, 5, 31))  # surveyed in 2027
    figures = alumni_figures(cohort.program, datetime.date(2026, 1, 1), datetime.date(2026, 12, 31))
    by_code = {figure["code"]: figure for figure in figures}
    assert {figure["cohort_id"] for figure in figures} == {cohort.pk}
    assert by_code["answered"] == {
        "cohort": "Kawalis 2", "cohort_id": cohort.pk, "code": "answered", "key": f"alumni.{cohort.pk}.answered",
        "label": "Members who answered", "value": 5,
    }  # fmt: skip
    assert by_code["venture.active"]["value"] == 5 and by_code["jobs.total"]["value"] == 12.5
    assert by_code["helped.mentoring"]["value"] == 5 and by_code["revenue.50k_250k"]["value"] == 5
    assert alumni_figures(cohort.program, ENDED, datetime.date(2026, 5, 30)) == []


def test_alumni_figures_read_in_a_fixed_number_of_queries(cohort, django_assert_num_queries):
    many = members(cohort, 8)
    invite(many)
    for membership in many:
        answer(membership)
    # The program's cohorts, the members invited, the answers counted per cohort, the program's currency.
    with django_assert_num_queries(4):
        alumni_figures(cohort.program, datetime.date(2026, 1, 1), datetime.date(2026, 12, 31))


@pytest.mark.parametrize("answers", [1, 12])
def test_the_managers_page_runs_a_fixed_number_of_queries(
    clock, client, cohort, manager, answers, django_assert_num_queries
):
    people = members(cohort, answers)
    invite(people)
    for membership in people:
        answer(membership)
    client.force_login(manager)
    # Session, user, the cohort with the viewer's roles, the program's currency, the members invited, the answers
    # counted, the viewer's groups (the menu).
    with django_assert_num_queries(7):
        response = client.get(results_url(cohort))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="alumni-bands"' in html
    assert "&lt;5" in html  # the choices nobody or few picked


def test_only_the_programs_managers_read_the_results(clock, client, cohort, membership, manager):
    other_manager = program_manager(ProgramFactory(), name="Otto Other")
    mentor = UserFactory()
    cohort.mentors.add(mentor)
    for person in (membership.person, other_manager, mentor):
        client.force_login(person)
        assert client.get(results_url(cohort)).status_code == 404
    client.logout()
    assert client.get(results_url(cohort)).status_code == 302
    client.force_login(manager)
    assert client.get(results_url(cohort)).status_code == 200
    dashboard = client.get(reverse("cohorts:dashboard", args=[cohort.slug])).content.decode()
    assert 'data-testid="alumni-results-link"' in dashboard
