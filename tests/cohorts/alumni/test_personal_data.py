"""The member's alumni survey answer: in their data download, and on erasure kept for the funder report's counts
without its comment (the person's own words)."""

import io
import json
import zipfile

from cohorts.alumni import cohort_results
from cohorts.models import AlumniSurvey
from incubator.personal_data import account_erase, personal_data_export
from tests.cohorts.alumni.conftest import answer


def _data(user) -> dict:
    with zipfile.ZipFile(io.BytesIO(personal_data_export(user=user))) as archive:
        return json.loads(archive.read("data.json"))


def test_the_download_holds_the_answer_beside_its_membership(membership):
    answer(membership, comment="Les ateliers de l'incubateur m'ont ouvert des portes.")
    [exported] = _data(membership.person)["cohorts"]["memberships"]
    assert exported["cohort"] == "Kawalis 2"
    assert exported["alumni_survey"] == {
        "venture": "active", "jobs": "2.50", "revenue_band": "50k_250k", "currency": "MAD",
        "helped_most": "mentoring", "comment": "Les ateliers de l'incubateur m'ont ouvert des portes.",
        "answered_at": "2026-06-10T10:00:00Z",
    }  # fmt: skip


def test_a_member_without_an_answer_downloads_none(membership):
    [exported] = _data(membership.person)["cohorts"]["memberships"]
    assert exported["alumni_survey"] is None


def test_erasure_keeps_the_counted_answer_and_removes_the_comment(membership):
    answer(membership, comment="Mon frère m'a aidée aussi.")
    account_erase(user=membership.person, by=membership.person)
    survey = AlumniSurvey.objects.get()
    assert (survey.venture, survey.revenue_band, survey.comment) == ("active", "50k_250k", "")
    assert cohort_results(membership.cohort)["answered"] == "<5"
