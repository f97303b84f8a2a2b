"""The member's alumni survey: answered once on a short form that reads numbers as the page's language writes them,
refused input kept with its message beside the field, then shown read-only with thanks. Anyone but the cohort's
surveyed member gets a 404; an anonymous visitor is sent to sign in and brought back."""

import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import translation

from cohorts.alumni_survey import alumni_survey_answer, survey_closes, survey_is_open, survey_opens
from cohorts.models import AlumniSurvey
from cohorts.services import membership_status_change
from incubator.history import recorded_actions
from tests.cohorts.alumni.conftest import ACTIVE, NOW, OPENS, answer
from tests.factories import CohortFactory, ProgramFactory, UserFactory, accept, program_manager


def url(cohort, language=None):
    with translation.override(language):
        return reverse("cohorts:alumni_survey", args=[cohort.slug])


def beside(html: str, field: str, following: str) -> str:
    return html[html.index(f'id="div_id_{field}"') : html.index(f'id="div_id_{following}"')]


def test_the_survey_opens_a_year_after_the_end_at_nine_in_the_programs_zone_for_a_year(cohort):
    assert survey_opens(cohort) == OPENS
    assert not survey_is_open(cohort, OPENS - datetime.timedelta(minutes=1))
    assert survey_is_open(cohort, OPENS)
    assert survey_closes(cohort) == datetime.datetime(2027, 5, 31, 6, 0, tzinfo=datetime.UTC)
    assert not survey_is_open(cohort, survey_closes(cohort))


def test_the_member_answers_once_and_then_reads_their_answer_with_thanks(clock, client, cohort, membership):
    client.force_login(membership.person)
    page = client.get(url(cohort))
    assert page.status_code == 200 and 'data-testid="alumni-form"' in page.content.decode()
    response = client.post(url(cohort), {**ACTIVE, "comment": "Le mentorat m'a aidée à fixer mes prix."})
    assert response.status_code == 302 and response["Location"] == url(cohort)
    survey = AlumniSurvey.objects.get(membership=membership)
    assert (survey.venture, survey.jobs, survey.revenue_band, survey.currency) == ("active", 2.5, "50k_250k", "MAD")
    assert survey.answered_at == NOW
    html = client.get(url(cohort)).content.decode()
    assert 'data-testid="alumni-thanks"' in html and 'data-testid="alumni-form"' not in html
    assert "Le mentorat m&#x27;a aidée à fixer mes prix." in html
    again = client.post(url(cohort), {**ACTIVE, "jobs": "9"})
    assert again.status_code == 400 and "already answered" in again.content.decode()
    assert AlumniSurvey.objects.get().jobs == 2.5
    [entry] = recorded_actions(action="alumni_survey.answer")
    summary = {"venture": "active", "jobs": "2.5", "revenue_band": "50k_250k", "helped_most": "mentoring"}
    assert entry["after"] == summary  # no comment: the member's own words stay out of the audit trail


@pytest.mark.parametrize(("language", "typed"), [("fr", "1,5"), ("pl", "1,5"), ("ar", "١٫٥"), ("en", "1.5")])
def test_jobs_read_as_the_pages_language_writes_them(clock, client, cohort, membership, language, typed):
    client.force_login(membership.person)
    response = client.post(url(cohort, language), {**ACTIVE, "jobs": typed})
    assert response.status_code == 302
    assert str(AlumniSurvey.objects.get().jobs) == "1.50"


def test_refused_input_keeps_what_was_typed_with_the_message_beside_the_field(clock, client, cohort, membership):
    client.force_login(membership.person)
    typed = {**ACTIVE, "jobs": "-2", "revenue_band": "a lot", "comment": "Toujours là"}
    response = client.post(url(cohort), typed)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Enter the full-time equivalents, 0 or more" in beside(html, "jobs", "revenue_band")
    assert "Choose the band of your venture" in beside(html, "revenue_band", "helped_most")
    assert 'value="-2"' in html and "Toujours là" in html
    assert 'value="active"' in html[html.index('value="active"') - 200 :].split(">")[0] + 'value="active"'
    assert not AlumniSurvey.objects.exists()


def test_a_closed_venture_answers_without_jobs_or_revenue(clock, client, cohort, membership):
    client.force_login(membership.person)
    response = client.post(url(cohort), {"venture": "closed", "jobs": "3", "revenue_band": "", "helped_most": "other"})
    assert response.status_code == 302
    survey = AlumniSurvey.objects.get()
    assert (survey.jobs, survey.revenue_band, survey.currency) == (None, "", "")


def test_an_empty_answer_names_each_missing_field(clock, client, cohort, membership):
    client.force_login(membership.person)
    html = client.post(url(cohort), {}).content.decode()
    assert "Say whether your venture is active." in html and "Choose what helped you most." in html


def test_the_database_keeps_jobs_and_revenue_to_active_ventures_and_one_answer_per_membership(cohort, membership):
    base = {"membership": membership, "helped_most": "mentoring", "answered_at": NOW}
    for wrong in (
        {"venture": "closed", "jobs": 1},
        {"venture": "active", "jobs": None, "revenue_band": "none"},
        {"venture": "active", "jobs": -1, "revenue_band": "none"},
        {"venture": "active", "jobs": 1, "revenue_band": "lots"},
        {"venture": "maybe"},
        {"venture": "none", "helped_most": "luck"},
    ):
        with pytest.raises(IntegrityError), transaction.atomic():
            AlumniSurvey.objects.create(**{**base, **wrong})
    answer(membership)
    with pytest.raises(IntegrityError), transaction.atomic():
        AlumniSurvey.objects.create(**base, venture="none")


def test_before_it_opens_the_page_says_when_and_refuses_an_answer(client, cohort, membership):
    client.force_login(membership.person)
    with time_machine.travel(OPENS - datetime.timedelta(hours=1), tick=False):
        page = client.get(url(cohort)).content.decode()
        refused = client.post(url(cohort), ACTIVE)
    assert 'data-testid="alumni-not-yet"' in page
    assert refused.status_code == 400 and not AlumniSurvey.objects.exists()
    after_it_closed = survey_closes(cohort) + datetime.timedelta(minutes=1)
    with pytest.raises(ValidationError):
        alumni_survey_answer(membership=membership, typed=ACTIVE, by=membership.person, language="en",
                             now=after_it_closed)  # fmt: skip


def test_only_the_member_answers_for_their_membership(cohort, membership):
    other = accept(cohort, UserFactory()).person
    with pytest.raises(PermissionDenied):
        alumni_survey_answer(membership=membership, typed=ACTIVE, by=other, language="en", now=NOW)


def test_the_emailed_link_leads_through_sign_in_and_back(clock, client, cohort, membership):
    response = client.get(url(cohort, "fr"))
    assert response.status_code == 302 and "next=/fr/cohorts/kawalis-2/alumni-survey/" in response["Location"]


def test_outsiders_get_a_404(clock, client, cohort, membership, manager):
    other_cohort = CohortFactory(program=cohort.program, slug="kawalis-1")
    someone_elsewhere = accept(other_cohort, UserFactory()).person
    other_manager = program_manager(ProgramFactory(), name="Otto Other")
    withdrawn = accept(cohort, UserFactory()).person
    membership_status_change(membership=withdrawn.memberships.get(), status="withdrawn", reason="Moved abroad", by=None)
    mentor = UserFactory()
    cohort.mentors.add(mentor)
    for person in (someone_elsewhere, other_manager, manager, mentor, withdrawn):
        client.force_login(person)
        assert client.get(url(cohort)).status_code == 404
        assert client.post(url(cohort), ACTIVE).status_code == 404
    assert not AlumniSurvey.objects.exists()


def test_the_page_is_right_to_left_in_arabic_and_translated(clock, client, cohort, membership):
    client.force_login(membership.person)
    html = client.get(url(cohort, "ar")).content.decode()
    assert 'dir="rtl"' in html and 'lang="ar"' in html
    assert "Is your venture active today?" not in html


def test_a_member_sees_a_link_on_the_cohort_page_while_the_survey_waits_for_them(clock, client, cohort, membership):
    client.force_login(membership.person)
    directory = reverse("cohorts:directory", args=[cohort.slug])
    assert 'data-testid="alumni-survey-link"' in client.get(directory).content.decode()
    answer(membership)
    assert 'data-testid="alumni-survey-link"' not in client.get(directory).content.decode()


def test_the_answer_is_shown_with_numbers_as_the_language_writes_them(clock, client, cohort, membership):
    answer(membership)
    client.force_login(membership.person)
    assert "<dd>2,5</dd>" in client.get(url(cohort, "fr")).content.decode()
    assert "<dd>2.5</dd>" in client.get(url(cohort, "en")).content.decode()
