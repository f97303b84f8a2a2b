import pytest

from applications.scoring.decisions import decisions_record
from applications.scoring.models import ReviewSettings
from applications.scoring.reviews import review_points_refresh, review_save
from applications.scoring.selectors import ranking
from applications.services import application_eligibility_override
from tests.applications.scoring.factories import reviewer, score, submitted


def by_name(rows):
    return {row.full_name: row for row in rows}


def test_figures_per_application(call, rita, omar):
    third = reviewer(name="Tina Third")
    application = submitted(call, name="Amal")
    score(application, rita, 5, recommendation="yes")  # 100 points
    score(application, omar, 3, recommendation="maybe")  # 50 points
    score(application, third, [1, 5, 5, 5], recommendation="no")  # viability weighs 2 of 5: (0*2 + 100*3) / 5 = 60
    [row] = ranking(call)
    assert row.review_count == 3
    assert row.mean == pytest.approx(70)
    assert row.median == pytest.approx(60)
    assert row.stddev == pytest.approx(26.4575, abs=0.001)
    assert (row.yes, row.maybe, row.no) == (1, 1, 1)
    assert row.disagreement  # 26.5 points of standard deviation is above the default 15


def test_informational_criteria_and_drafts_do_not_count(call, rita, omar):
    application = submitted(call, name="Amal")
    assignment = score(application, rita, 4, submit=False)
    informational = call.criteria_set.get(informational=True)
    scores = {s.criterion_id: s.score for s in assignment.review.scores.all()} | {informational.pk: 1}
    review_save(assignment=assignment, scores=scores, comment="", recommendation="yes", submit=True, by=rita)
    score(application, omar, 1, submit=False)  # a draft is not a review yet
    [row] = ranking(call)
    assert (row.review_count, row.mean) == (1, pytest.approx(75))


def test_unscored_applications_rank_last_and_ineligible_ones_are_left_out(call, rita):
    scored = submitted(call, name="Scored")
    submitted(call, name="Unscored")
    ineligible = submitted(call, name="Ineligible")
    application_eligibility_override(application=ineligible, eligibility="ineligible", reason="too old", by=None)
    score(scored, rita, 2)
    assert [row.full_name for row in ranking(call)] == ["Scored", "Unscored"]


def harsh_reviewer_case(call, lenient, harsh):
    """The lenient reviewer scores three applications 90/85/80 points-ish, the harsh one three others low but
    with a clear favourite. Raw means rank all the lenient reviewer's applications first."""
    for name, value in [("L1", [5, 5, 5, 4]), ("L2", [5, 4, 4, 4]), ("L3", [4, 4, 4, 4])]:
        score(submitted(call, name=name), lenient, value)
    for name, value in [("H1", [4, 3, 3, 3]), ("H2", [2, 1, 1, 1]), ("H3", [1, 1, 1, 1])]:
        score(submitted(call, name=name), harsh, value)


def test_normalisation_changes_the_order_for_a_harsh_reviewer(call, rita, omar):
    harsh_reviewer_case(call, lenient=rita, harsh=omar)
    raw = [row.full_name for row in ranking(call)]
    assert raw == ["L1", "L2", "L3", "H1", "H2", "H3"]
    ReviewSettings.objects.filter(call=call).update(normalise=True)
    call.refresh_from_db()
    normalised = ranking(call)
    order = [row.full_name for row in normalised]
    assert order[0] == "H1"  # the harsh reviewer's favourite is no longer sunk by who drew it
    assert order.index("H1") < order.index("L2") < order.index("L3")
    assert all(0 <= row.normalised <= 100 for row in normalised)


def test_ties_are_broken_by_median_then_earlier_submission(call, rita, omar):
    first = submitted(call, name="Earlier")
    second = submitted(call, name="Later")
    third = submitted(call, name="Higher median")
    score(first, rita, 3)
    score(second, rita, 3)
    # The same mean (50 points) as the others, with a higher median: 75, 75 and 0.
    score(third, rita, 4)
    score(third, omar, 4)
    score(third, reviewer(name="Tina Third"), 1)
    assert [row.full_name for row in ranking(call)] == ["Higher median", "Earlier", "Later"]


def test_filters_and_sorting(call, rita, maya):
    north = submitted(call, name="Nadia", region="North")
    south = submitted(call, name="Samir", region="South")
    score(north, rita, 2)
    score(south, rita, 5)
    region = call.cohort.program.regions.get(name="North")
    assert [r.full_name for r in ranking(call, region_id=region.pk)] == ["Nadia"]
    assert [r.full_name for r in ranking(call, order="score")] == ["Nadia", "Samir"]
    assert [r.full_name for r in ranking(call, order="name", descending=True)] == ["Samir", "Nadia"]
    decisions_record(applications=[south], outcome="accept", by=maya)
    assert [r.full_name for r in ranking(call, status="accept")] == ["Samir"]
    assert [r.full_name for r in ranking(call, status="undecided")] == ["Nadia"]
    # The rank is the overall rank even when filtered.
    assert ranking(call, region_id=region.pk)[0].rank == 2


def test_the_disagreement_threshold_is_per_call(call, rita, omar):
    application = submitted(call, name="Split")
    score(application, rita, 4)
    score(application, omar, 3)  # 75 and 50: 17.7 points apart in standard deviation
    assert ranking(call)[0].disagreement
    ReviewSettings.objects.filter(call=call).update(disagreement_threshold=20)
    call.refresh_from_db()
    assert not ranking(call)[0].disagreement


def test_a_rubric_change_recomputes_every_review_points(call, rita):
    application = submitted(call, name="Amal")
    score(application, rita, [5, 1, 1, 1])  # viability (weight 2) at the top: (100*2) / 5 = 40 points
    assert ranking(call)[0].mean == pytest.approx(40)
    call.criteria_set.filter(name="Economic viability").update(weight=7)
    review_points_refresh(call=call)
    assert ranking(call)[0].mean == pytest.approx(70)  # (100*7) / 10
