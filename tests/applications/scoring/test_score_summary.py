"""The per-application figures the ranking reads (ScoreSummary) follow every change, whoever makes it: the
database triggers of migration 0004, checked here through the services and plain deletes."""

import pytest

from applications.models import Application
from applications.scoring.models import ReviewerAssignment, ScoreSummary
from applications.scoring.reviews import review_points_refresh
from applications.scoring.selectors import ranking
from applications.scoring.services import conflict_declare
from applications.services import application_eligibility_override, application_start, application_withdraw
from tests.applications.scoring.factories import reviewer, score, submitted
from tests.factories import UserFactory


def summary(application) -> ScoreSummary:
    return ScoreSummary.objects.get(application=application)


def test_a_draft_has_an_unranked_summary_that_submitting_ranks(call):
    person = UserFactory()
    draft = application_start(call=call, applicant=person)
    assert (summary(draft).ranked, summary(draft).review_count, summary(draft).call_id) == (False, 0, call.pk)
    application = submitted(call, applicant=person)
    assert summary(application).ranked
    assert summary(application).submitted_at == application.submitted_at


def test_reviews_update_the_figures_and_a_conflict_takes_the_review_out(call, rita, omar):
    application = submitted(call, name="Amal")
    score(application, rita, 5, recommendation="yes")  # 100 points
    score(application, omar, 3, recommendation="no")  # 50 points
    figures = summary(application)
    assert (figures.review_count, figures.mean, figures.median) == (2, pytest.approx(75), pytest.approx(75))
    assert (figures.yes, figures.maybe, figures.no) == (1, 0, 1)
    conflict_declare(reviewer=omar, application=application, reason="my cousin")
    figures = summary(application)
    assert (figures.review_count, figures.mean, figures.no) == (1, pytest.approx(100), 0)


def test_a_draft_review_does_not_count_until_submitted(call, rita):
    application = submitted(call, name="Amal")
    score(application, rita, 4, submit=False)
    assert summary(application).review_count == 0
    score(application, rita, 4)
    assert (summary(application).review_count, summary(application).mean) == (1, pytest.approx(75))


def test_a_rubric_change_refreshes_every_summary(call, rita):
    application = submitted(call, name="Amal")
    score(application, rita, [5, 1, 1, 1])  # 40 points
    call.criteria_set.filter(name="Economic viability").update(weight=7)
    review_points_refresh(call=call)
    assert summary(application).mean == pytest.approx(70)


def test_ineligible_and_withdrawn_applications_leave_the_ranking(call, rita):
    kept, ineligible, withdrawn = (submitted(call, name=name) for name in ("Kept", "Ineligible", "Withdrawn"))
    application_eligibility_override(application=ineligible, eligibility="ineligible", reason="too old", by=None)
    application_withdraw(application=withdrawn, by=withdrawn.applicant)
    assert [summary(a).ranked for a in (kept, ineligible, withdrawn)] == [True, False, False]
    assert [row.full_name for row in ranking(call)] == ["Kept"]


def test_deleting_an_application_with_reviews_deletes_its_summary(call, rita):
    application = submitted(call, name="Amal")
    score(application, rita, 4)
    Application.objects.filter(pk=application.pk).delete()
    assert not ScoreSummary.objects.filter(application_id=application.pk).exists()
    assert not ReviewerAssignment.objects.filter(application_id=application.pk).exists()


def test_pages_of_the_ranking_keep_the_overall_rank_in_either_direction(call, rita):
    for n, value in enumerate([5, 4, 3, 2, 1]):
        score(submitted(call, name=f"A{n}"), rita, value)
    everyone = ranking(call)
    assert [row.rank for row in everyone] == [1, 2, 3, 4, 5]
    assert [(row.full_name, row.rank, row.total) for row in ranking(call, limit=2, offset=2)] == [
        ("A2", 3, 5),
        ("A3", 4, 5),
    ]
    assert [row.full_name for row in ranking(call, descending=True)] == ["A4", "A3", "A2", "A1", "A0"]
    third = reviewer(name="Third")
    score(Application.objects.get(full_name="A4"), third, 5)  # A4: 0 and 100 points, as A2's 50 but submitted later
    assert [row.full_name for row in ranking(call)] == ["A0", "A1", "A2", "A4", "A3"]
