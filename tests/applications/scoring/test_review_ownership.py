"""Scores belong to their reviewer (issue 18): a manager reads a reviewer's review in the admin but cannot change
it, in the form or in the service; the reviewer changes it on the review pages; a superuser corrects it, audited;
a manager who scores is assigned as a reviewer and writes her own review."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from applications.scoring.assignments import assignment_create
from applications.scoring.models import Review
from applications.scoring.reviews import review_save
from applications.scoring.services import ReviewNotYours, ScoringError
from tests.applications.scoring.factories import criteria, score, submitted
from tests.applications.scoring.test_admin import inline_post
from tests.applications.scoring.test_trust import form_data
from tests.audit_trail import action, actions, scoring_history
from tests.factories import grant, superuser


@pytest.fixture
def scored(call, rita):
    """Rita's submitted review, 4 on every criterion."""
    return score(submitted(call, name="Amal"), rita, 4, comment="Rita's words")


def scores_of(assignment) -> dict[int, int]:
    review = Review.objects.get(assignment=assignment)
    return {s.criterion_id: s.score for s in review.scores.all()}


def forged_row(assignment, value=1, comment="overwritten"):
    row = {"id": assignment.pk, "reviewer": assignment.reviewer_id, "recommendation": "no", "comment": comment}
    return row | {"submit": "on"} | {f"score_{c.pk}": value for c in criteria(assignment.call)}


def test_a_managers_admin_page_shows_a_reviewers_scores_read_only(client, maya, scored):
    client.force_login(maya)
    response = client.get(reverse("admin:applications_application_change", args=[scored.application_id]))
    [inline] = [f for f in response.context["inline_admin_formsets"] if f.formset.prefix == "assignments"]
    [row] = inline.formset.forms
    assert row.review_field_names() and all(row.fields[name].disabled for name in row.review_field_names())
    page = response.content.decode()
    assert "Rita&#x27;s words" in page and "Only Rita Reviewer changes this review." in page


def test_a_manager_cannot_change_a_reviewers_scores_by_an_admin_post(client, maya, scored):
    before = scores_of(scored)
    client.force_login(maya)
    url = reverse("admin:applications_application_change", args=[scored.application_id])
    response = client.post(url, inline_post(scored.application, [forged_row(scored)]))
    assert response.status_code in (200, 302, 403)
    review = Review.objects.get(assignment=scored)
    assert scores_of(scored) == before and review.comment == "Rita's words" and review.recommendation == "yes"
    assert str(maya) not in [line["actor"] for line in scoring_history(scored.application)]
    assert not actions(actor=maya, action="scoring.review_save")


def test_the_service_refuses_anyone_but_the_reviewer_or_a_superuser(call, maya, omar, scored):
    before = scores_of(scored)
    for person in (maya, omar, None):
        with pytest.raises(ReviewNotYours) as refused:
            review_save(
                assignment=scored,
                scores={c.pk: 1 for c in criteria(call)},
                comment="",
                recommendation="no",
                submit=True,
                by=person,
            )
        # Read as a refusal by the pages and the admin (ScoringError), a 403 anywhere else (PermissionDenied).
        assert isinstance(refused.value, ScoringError) and isinstance(refused.value, PermissionDenied)
        assert "Only the reviewer writes the scores of their review" in refused.value.message
    assert scores_of(scored) == before


def test_a_new_admin_row_for_another_reviewer_with_scores_is_refused(client, call, maya, rita):
    application = submitted(call, name="Amal")
    client.force_login(maya)
    row = {"reviewer": rita.pk, "recommendation": "yes", "submit": "on"}
    row |= {f"score_{c.pk}": 5 for c in criteria(call)}
    url = reverse("admin:applications_application_change", args=[application.pk])
    response = client.post(url, inline_post(application, [row]))
    assert response.status_code == 200
    assert "Only the reviewer writes the scores of their review" in response.content.decode()
    assert not Review.objects.exists()


def test_the_reviewer_changes_her_scores_on_the_review_pages(client, call, rita, scored):
    client.force_login(rita)
    data = {f"score_{c.pk}": 5 for c in criteria(call)} | {"recommendation": "yes", "comment": "Better now"}
    response = client.post(reverse("scoring:review", args=[scored.pk]), data | {"action": "submit"})
    assert response.status_code == 302
    assert set(scores_of(scored).values()) == {5}
    # her first review, then her change
    assert [line["actor"] for line in scoring_history(scored.application)] == [str(rita), str(rita)]


def test_a_superuser_corrects_a_review_in_the_admin_and_it_is_audited(client, call, scored):
    root = superuser()
    client.force_login(root)
    url = reverse("admin:applications_application_change", args=[scored.application_id])
    data = form_data(client.get(url).content.decode())
    for c in criteria(call):
        data[f"assignments-0-score_{c.pk}"] = "2"
    response = client.post(url, data)
    assert response.status_code == 302, response.context["inline_admin_formsets"][0].formset.errors
    assert set(scores_of(scored).values()) == {2}
    entry = action(actor=root, action="scoring.review_save")
    assert entry.before["scores"] != entry.after["scores"] and "superuser" in entry.note
    latest = scoring_history(scored.application)[-1]
    assert latest["actor"] == str(root) and all(f"{c.name} 4 → 2" in latest["sentence"] for c in criteria(call))


def test_a_manager_assigned_as_reviewer_scores_her_own_review(client, call, maya):
    grant(call.cohort.program, maya, "reviewer")
    application = submitted(call, name="Amal")
    assignment = assignment_create(application=application, reviewer=maya, by=maya)
    client.force_login(maya)
    # On the reviewer pages ...
    data = {f"score_{c.pk}": 3 for c in criteria(call)} | {"recommendation": "maybe", "comment": "Mine"}
    response = client.post(reverse("scoring:review", args=[assignment.pk]), data | {"action": "draft"})
    assert response.status_code == 302 and set(scores_of(assignment).values()) == {3}
    # ... and in the admin, her own row is writable.
    url = reverse("admin:applications_application_change", args=[application.pk])
    response = client.get(url)
    [inline] = [f for f in response.context["inline_admin_formsets"] if f.formset.prefix == "assignments"]
    [row] = inline.formset.forms
    assert row.review_field_names() and not any(row.fields[name].disabled for name in row.review_field_names())
    data = form_data(response.content.decode())
    for c in criteria(call):
        data[f"assignments-0-score_{c.pk}"] = "4"
    assert client.post(url, data).status_code == 302
    assert set(scores_of(assignment).values()) == {4}
