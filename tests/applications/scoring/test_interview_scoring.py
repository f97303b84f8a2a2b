"""The interview stage's scoring: the panel's assignments, its rubric, the final ranking combining both stages (its
numbers, explanation, normalisation per stage and query count), the weight, and decisions from the final ranking."""

import datetime
import statistics

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation

from applications.models import Application, Call
from applications.scoring import selectors
from applications.scoring.decisions import decisions_publish
from applications.scoring.final import final_ranking
from applications.scoring.interview import interview_panel_assign, interview_weight_set
from applications.scoring.models import (
    Criterion,
    ReviewerAssignment,
    ReviewerLoad,
    ReviewSettings,
    ReviewStage,
    ScoreSummary,
)
from applications.scoring.reviews import review_save
from applications.scoring.services import ScoringError, conflict_declare
from tests.api.clients import api_client
from tests.applications.scoring.factories import criteria, manager, score, scoring_call, submitted
from tests.applications.scoring.interview_factories import interview_call, interview_score, interview_stage
from tests.audit_trail import action, scoring_history
from tests.factories import grant


@pytest.fixture
def call(db):
    return interview_call()


@pytest.fixture
def panel(call, rita, maya):
    """Rita (a reviewer of the call) and Maya (a manager of its program) interview."""
    call.review_settings.reviewers.add(rita)
    return [rita, maya]


@pytest.fixture
def scored(call, rita, omar, maya, panel):
    """A: written 75, interview 100. B: written 100, interview 50. C: written 100, not interviewed."""
    a, b, c = (submitted(call, name=name, region="South") for name in ("Amal", "Bilal", "Chama"))
    score(a, omar, 4)
    score(b, omar, 5)
    score(c, omar, 5)
    interview_stage(call)
    interview_score(a, rita, 5, by=maya)
    interview_score(b, rita, 3, by=maya)
    return a, b, c


def fresh(call) -> Call:
    return Call.objects.select_related("review_settings").get(pk=call.pk)


# The migration: written reviews keep working, interviews stay out of them.


def test_interview_reviews_stay_out_of_the_written_ranking_summary_and_reviewer_load(call, scored, omar, rita):
    a, b, c = scored
    assert ScoreSummary.objects.get(application=a).review_count == 1
    assert ScoreSummary.objects.get(application=a).mean == 75
    assert [row.id for row in selectors.ranking(call)] == [b.pk, c.pk, a.pk]
    assert not ReviewerLoad.objects.filter(call=call, reviewer=rita).exists()  # Rita only interviews
    assert ReviewerLoad.objects.get(call=call, reviewer=omar).assigned == 3


def test_one_reviewer_may_review_in_writing_and_interview_the_same_application_but_only_once_each(call, scored, rita):
    a, _b, _c = scored
    score(a, rita, 2)
    assert ReviewerAssignment.objects.filter(application=a, reviewer=rita).count() == 2
    with pytest.raises(IntegrityError), transaction.atomic():
        ReviewerAssignment.objects.create(call=call, application=a, reviewer=rita, stage=ReviewStage.INTERVIEW)


def test_the_normalised_written_ranking_ignores_interview_scores(db, rita, maya):
    call = interview_call(slug="normalised", normalise=True)
    call.review_settings.reviewers.add(grant(call.cohort.program, rita, "reviewer"))
    a, b = submitted(call, name="A"), submitted(call, name="B")
    score(a, rita, 4)
    score(b, rita, 2)
    before = [(row.id, row.score) for row in selectors.ranking(call)]
    interview_stage(call)
    interview_score(a, rita, 1, by=maya)
    interview_score(b, rita, 5, by=maya)
    assert [(row.id, row.score) for row in selectors.ranking(call)] == before


# The panel.


def test_the_panel_is_assigned_and_audited(call, rita, maya, panel):
    a, b = submitted(call, name="A"), submitted(call, name="B")
    assigned, refusals = interview_panel_assign(call=call, panel=panel, applications=[a, b], by=maya)
    assert (assigned, refusals) == (4, [])
    assert ReviewerAssignment.objects.filter(call=call, stage=ReviewStage.INTERVIEW).count() == 4
    entry = action(action="scoring.interview_panel_assign")
    assert entry.actor == maya and entry.after["assigned"] == 4
    # Again: nothing new, nothing refused.
    assert interview_panel_assign(call=call, panel=panel, applications=[a, b], by=maya) == (0, [])


def test_a_panel_member_must_be_a_reviewer_of_the_call_or_a_manager_of_its_program(call, omar, maya, other_manager):
    application = submitted(call, name="A")
    for outsider in (omar, other_manager):  # a program reviewer not chosen for the call; another program's manager
        with pytest.raises(ScoringError, match="neither a reviewer of this call nor a manager"):
            interview_panel_assign(call=call, panel=[outsider], applications=[application], by=maya)
    assert not ReviewerAssignment.objects.filter(stage=ReviewStage.INTERVIEW).exists()


def test_a_conflicted_panel_member_is_left_out_and_told(call, rita, maya, panel):
    application = submitted(call, name="Amal")
    conflict_declare(reviewer=rita, application=application, reason="cousin")
    assigned, refusals = interview_panel_assign(call=call, panel=panel, applications=[application], by=maya)
    assert assigned == 1
    assert refusals == [f"{rita} does not interview Amal: a conflict of interest."]
    assert not ReviewerAssignment.objects.filter(reviewer=rita, stage=ReviewStage.INTERVIEW).exists()


def test_a_call_without_an_interview_stage_has_no_panel(db):
    call = scoring_call(slug="written-only")
    boss = manager(call.cohort.program, name="M")
    with pytest.raises(ScoringError, match="no interview stage"):
        interview_panel_assign(call=call, panel=[boss], applications=[submitted(call)], by=boss)


def test_interviews_are_scored_on_the_interview_rubric_once_the_call_is_at_its_interview_stage(call, rita, maya, panel):
    application = submitted(call, name="A")
    interview_panel_assign(call=call, panel=[rita], applications=[application], by=maya)
    assignment = ReviewerAssignment.objects.get(reviewer=rita, stage=ReviewStage.INTERVIEW)
    pitch, answers = criteria(call, ReviewStage.INTERVIEW)
    scores = {pitch.pk: 5, answers.pk: 4}
    save = {"assignment": assignment, "comment": "", "recommendation": "yes", "submit": True, "by": rita}
    with pytest.raises(ScoringError, match="once the call is at its interview stage"):
        review_save(scores=scores, **save)
    interview_stage(call)
    written = criteria(call)[0]
    with pytest.raises(ScoringError, match="not part of this call's rubric"):
        review_save(scores={**scores, written.pk: 3}, **save)
    review = review_save(scores=scores, **save)
    review.refresh_from_db()
    assert review.points == 87.5


# The final ranking.


def test_the_final_ranking_combines_the_stages_and_explains_each_line(call, scored):
    a, b, c = scored
    rows = final_ranking(fresh(call))
    assert [(row.id, row.written, row.interview, row.score, row.rank) for row in rows] == [
        (a.pk, 75, 100, 85, 1),
        (b.pk, 100, 50, 80, 2),
        (c.pk, 100, None, None, 3),
    ]
    assert [row.explanation for row in rows] == [
        "written 75.0 × 60 % + interview 100.0 × 40 % = 85.0",
        "written 100.0 × 60 % + interview 50.0 × 40 % = 80.0",
        "not shortlisted for an interview",
    ]


def test_the_explanation_is_in_french_with_french_numbers(call, scored):
    with translation.override("fr"):
        rows = final_ranking(fresh(call))
    assert rows[0].explanation == "écrit 75,0 × 60 % + entretien 100,0 × 40 % = 85,0"
    assert rows[2].explanation == "pas retenu pour un entretien"


def test_the_weight_moves_the_final_ranking(call, scored, maya):
    a, b, _c = scored
    interview_weight_set(call=call, weight=10, by=maya)
    rows = final_ranking(fresh(call))
    assert [row.id for row in rows[:2]] == [b.pk, a.pk]  # 95 against 77.5
    assert rows[0].explanation == "written 100.0 × 90 % + interview 50.0 × 10 % = 95.0"
    entry = action(action="scoring.interview_weight_set")
    assert (entry.actor, entry.before, entry.after) == (maya, {"interview_weight": 40}, {"interview_weight": 10})
    for wrong in (0, 100, "50"):
        with pytest.raises(ScoringError, match="whole percentage from 1 to 99"):
            interview_weight_set(call=call, weight=wrong, by=maya)


def _normalised(reviews: list[tuple[int, int, float]]) -> dict[int, float]:
    """The portal's normalisation of one stage's (reviewer, application, points), computed by hand."""
    points = [p for _r, _a, p in reviews]
    mean, sd = statistics.mean(points), statistics.stdev(points)
    per_application: dict[int, list[float]] = {}
    for reviewer_id, application_id, p in reviews:
        own = [q for r, _a, q in reviews if r == reviewer_id]
        z = (p - statistics.mean(own)) / statistics.stdev(own) if len(own) > 1 and statistics.stdev(own) else 0
        per_application.setdefault(application_id, []).append(min(100, max(0, mean + z * sd)))
    return {application_id: statistics.mean(values) for application_id, values in per_application.items()}


def test_each_stage_is_normalised_per_reviewer_within_that_stage(db, rita, omar, maya):
    call = interview_call(slug="normalised", normalise=True)
    call.review_settings.reviewers.add(grant(call.cohort.program, rita, "reviewer"))
    grant(call.cohort.program, maya, "manager")
    a, b, c = (submitted(call, name=name) for name in "ABC")
    # Rita is harsh in writing and generous at the interview: her written z-scores do not follow her into it.
    written = [(rita, a, 2), (rita, b, 3), (omar, a, 4), (omar, b, 5), (omar, c, 3)]
    interview = [(rita, a, 5), (rita, b, 4), (maya, a, 2), (maya, b, 3), (maya, c, 1)]
    for who, application, value in written:
        score(application, who, value)
    interview_stage(call)
    for who, application, value in interview:
        interview_score(application, who, value, by=maya)
    points = {1: 0, 2: 25, 3: 50, 4: 75, 5: 100}
    expected_written = _normalised([(w.pk, x.pk, points[v]) for w, x, v in written])
    expected_interview = _normalised([(w.pk, x.pk, points[v]) for w, x, v in interview])
    rows = {row.id: row for row in final_ranking(fresh(call))}
    for application in (a, b, c):
        row = rows[application.pk]
        assert row.written == pytest.approx(expected_written[application.pk])
        assert row.interview == pytest.approx(expected_interview[application.pk])
        assert row.score == pytest.approx(0.6 * row.written + 0.4 * row.interview)
    # The written score is the written ranking's own.
    assert {row.id: row.score for row in selectors.ranking(call)} == pytest.approx(
        {pk: row.written for pk, row in rows.items()}
    )


@pytest.mark.parametrize("count", [1, 20])
def test_the_final_ranking_is_one_query_whatever_the_rows(
    call, rita, omar, maya, panel, count, django_assert_num_queries
):
    applications = [submitted(call, name=f"P{n}") for n in range(count)]
    for application in applications:
        score(application, omar, 4)
    interview_stage(call)
    for application in applications:
        interview_score(application, rita, 3, by=maya)
    call = fresh(call)
    with django_assert_num_queries(1):  # the statement: both stages' scores, combined, ranked
        rows = final_ranking(call)
    assert len(rows) == count and all(row.explanation.endswith("= 65.0") for row in rows)


# The pages.


def test_the_manager_sees_the_final_ranking_with_both_stages_and_the_weight(client, call, scored, maya):
    client.force_login(maya)
    page = client.get(reverse("scoring:ranking", args=[call.slug])).content.decode()
    assert 'data-testid="final-ranking"' in page and 'data-testid="interview-weight-form"' in page
    assert "written 75.0 × 60 % + interview 100.0 × 40 % = 85.0" in page
    assert "not shortlisted for an interview" in page
    written = client.get(reverse("scoring:ranking", args=[call.slug]), {"view": "written"}).content.decode()
    assert 'data-testid="ranking"' in written and 'data-testid="final-ranking-link"' in written


def test_the_export_has_both_stages_and_the_explanation(client, call, scored, maya):
    client.force_login(maya)
    csv = client.get(reverse("scoring:ranking_csv", args=[call.slug])).content.decode("utf-8-sig")
    header, first = csv.splitlines()[:2]
    assert "Written score" in header and "Interview score" in header and "Final score" in header
    assert "Amal" in first and "written 75.0 × 60 % + interview 100.0 × 40 % = 85.0" in first
    xlsx = client.get(reverse("scoring:ranking_xlsx", args=[call.slug]))
    assert xlsx.status_code == 200


def test_the_weight_form_saves_and_refuses_what_is_out_of_range_keeping_it(client, call, scored, maya):
    client.force_login(maya)
    url = reverse("scoring:interview_weight", args=[call.slug])
    response = client.post(url, {"interview_weight": "30"})
    assert response.status_code == 302 and ReviewSettings.objects.get(call=call).interview_weight == 30
    response = client.post(url, {"interview_weight": "150"})
    assert response.status_code == 400 and 'value="150"' in response.content.decode()
    assert ReviewSettings.objects.get(call=call).interview_weight == 30
    assert client.post(url, {"interview_weight": "abc"}).status_code == 400
    assert client.get(url).status_code == 405


def test_outsiders_get_no_final_ranking_nor_weight(client, call, scored, rita, other_manager):
    urls = [reverse("scoring:ranking", args=[call.slug]), reverse("scoring:ranking_csv", args=[call.slug])]
    weight = reverse("scoring:interview_weight", args=[call.slug])
    client.force_login(other_manager)
    assert [client.get(url).status_code for url in urls] == [404, 404]
    assert client.post(weight, {"interview_weight": "20"}).status_code == 404
    client.force_login(rita)  # a reviewer, no manager
    assert client.post(weight, {"interview_weight": "20"}).status_code == 403
    assert ReviewSettings.objects.get(call=call).interview_weight == 40


def test_the_panel_member_scores_the_interview_on_its_own_rubric_and_others_get_a_404(client, call, scored, rita, omar):
    a, _b, _c = scored
    assignment = ReviewerAssignment.objects.get(application=a, reviewer=rita, stage=ReviewStage.INTERVIEW)
    client.force_login(rita)
    queue = client.get(reverse("scoring:queue")).content.decode()
    assert 'data-testid="interview-label"' in queue
    page = client.get(reverse("scoring:review", args=[assignment.pk])).content.decode()
    assert 'data-testid="interview-label"' in page and "Pitch" in page and "Economic viability" not in page
    client.force_login(omar)  # the written reviewer, not on the panel
    assert client.get(reverse("scoring:review", args=[assignment.pk])).status_code == 404
    assert client.post(reverse("scoring:review", args=[assignment.pk]), {"comment": "x"}).status_code == 404


# Decisions.


def test_decisions_come_from_the_final_ranking_and_honour_region_minimums(
    client, db, rita, omar, maya, django_capture_on_commit_callbacks
):
    call = interview_call(slug="decided", seats=2)
    call.review_settings.reviewers.add(grant(call.cohort.program, rita, "reviewer"))
    grant(call.cohort.program, maya, "manager")
    # The written ranking would take the two best written (Bilal, Chama) and Driss for the North.
    a, b, c = (submitted(call, name=name, region="South") for name in ("Amal", "Bilal", "Chama"))
    d, e = (submitted(call, name=name, region="North") for name in ("Driss", "Emna"))
    for application, value in ((a, 4), (b, 5), (c, 5), (d, 5), (e, 3)):
        score(application, omar, value)
    interview_stage(call)
    for application, value in ((a, 5), (b, 3), (c, 1), (d, 1), (e, 5)):
        interview_score(application, rita, value, by=maya)
    # Finals: Amal 85, Emna 70, Bilal 80, Chama 60, Driss 60.
    north = call.cohort.program.regions.get(name="North").pk
    client.force_login(maya)
    url = reverse("scoring:selection", args=[call.slug])
    page = client.get(url, {"seats": 2, "waitlist_size": 1, f"min_{north}": 1}).content.decode()
    assert 'data-testid="by-final-ranking"' in page
    response = client.post(url, {"seats": 2, "waitlist_size": 1, f"min_{north}": 1})
    assert response.status_code == 302
    outcomes = {
        application.full_name: (application.decision.outcome, application.decision.status, application.decision.reason)
        for application in Application.objects.filter(call=call).select_related("decision")
    }
    assert outcomes["Emna"] == ("accept", "pending", "1st in the North quota")
    assert outcomes["Amal"] == ("accept", "pending", "1st by overall rank (rank 1)")
    assert outcomes["Bilal"] == ("waitlist", "pending", "Waitlist position 1 (rank 2)")
    assert {outcomes[name][0] for name in ("Chama", "Driss")} == {"reject"}
    with django_capture_on_commit_callbacks(execute=True):
        decisions_publish(call=call, by=maya)
    statuses = dict(Application.objects.filter(call=call).values_list("full_name", "status"))
    assert statuses == {
        "Amal": "accepted",
        "Emna": "accepted",
        "Bilal": "waitlisted",
        "Chama": "rejected",
        "Driss": "rejected",
    }


def test_the_rubric_is_edited_by_stage_in_the_admin(admin_client, call):
    page = admin_client.get(reverse("admin:applications_call_change", args=[call.pk])).content.decode()
    assert 'name="criteria_set-0-stage"' in page and 'name="review_settings-0-interview_weight"' in page
    assert Criterion.objects.filter(call=call, stage=ReviewStage.INTERVIEW).count() == 2


def test_the_api_tells_written_reviews_from_interviews(call, scored, maya):
    a, _b, _c = scored
    rows = api_client(maya, [call.cohort.program]).get("/api/v1/reviews/", {"application": a.pk}).json()["results"]
    assert sorted((row["stage"], row["points"]) for row in rows) == [("interview", 100.0), ("written", 75.0)]


def test_the_admin_assigns_the_interview_panel_to_the_chosen_applications(client, call, rita, maya, panel):
    applications = [submitted(call, name=f"A{n}") for n in range(2)]
    client.force_login(maya)
    url = reverse("admin:applications_application_changelist")
    data = {"action": "assign_interview_panel", ACTION_CHECKBOX_NAME: [a.pk for a in applications]}
    page = client.post(url, data, follow=True).content.decode()
    assert page.count('name="panel"') == 2  # the call's reviewer and the program's manager
    response = client.post(url, {**data, "panel": [rita.pk, maya.pk], "apply": "1"}, follow=True)
    assert "4 assignments made" in response.content.decode()
    assert ReviewerAssignment.objects.filter(stage=ReviewStage.INTERVIEW).count() == 4


def test_the_admin_refuses_a_panel_for_a_call_without_an_interview_stage(client, db):
    call = scoring_call(slug="written-only")
    boss = manager(call.cohort.program, name="M")
    client.force_login(boss)
    data = {"action": "assign_interview_panel", ACTION_CHECKBOX_NAME: [submitted(call).pk]}
    response = client.post(reverse("admin:applications_application_changelist"), data, follow=True)
    assert "Choose applications to one call with an interview stage." in response.content.decode()


def test_the_history_tells_interview_scores_from_written_reviews(call, scored, rita):
    a, _b, _c = scored
    written, interview = [line["sentence"] for line in scoring_history(a)]  # oldest first
    assert interview.startswith("Interview: Answers to the panel — → 5; Pitch — → 5")
    assert written.startswith("Review: Economic viability — → 4")


def test_the_written_review_deadline_does_not_lock_interview_scores(call, scored, rita):
    a, _b, _c = scored
    ReviewSettings.objects.filter(call=call).update(review_deadline=timezone.now() - datetime.timedelta(days=1))
    interview_score(a, rita, 4)
    assert ReviewerAssignment.objects.get(application=a, reviewer=rita).review.points == 75
