"""Conflicts of interest: one declared after submitting (by the reviewer, by email, in the admin) takes the review out
of the ranking; a reviewer on the team or with the applicant's contact email is never assigned."""

import pytest
from django.urls import reverse

from applications.models import Application
from applications.scoring.assignments import assignment_create, assignments_auto, assignments_bulk_create
from applications.scoring.models import ConflictOfInterest, Review, ReviewerAssignment, ReviewSettings
from applications.scoring.selectors import conflicted_application_ids, ranking
from applications.scoring.services import ScoringError, conflict_declare, is_conflicted
from tests.applications.scoring.factories import score, submitted
from tests.audit_trail import action, actions


def test_a_conflict_declared_after_submitting_takes_the_review_out_of_the_ranking(client, call, rita, omar):
    application = submitted(call, name="X")
    assignment = score(application, rita, 5)
    score(application, omar, 1)
    client.force_login(rita)
    client.post(reverse("scoring:conflict", args=[assignment.pk]), {"reason": "my cousin"})
    assert not ReviewerAssignment.objects.filter(pk=assignment.pk).exists()
    assert not Review.objects.filter(assignment_id=assignment.pk).exists()
    [row] = ranking(call)
    assert (row.review_count, row.mean) == (1, 0)
    event = action(action="scoring.assignment_withdraw", object_id=assignment.pk)
    assert event.before["status"] == "submitted" and event.before["reviewer"] == rita.pk
    assert event.after["withdrawn"] and event.actor == rita
    for name in ("scoring:review", "scoring:others"):
        assert client.get(reverse(name, args=[assignment.pk])).status_code == 404


def test_a_conflict_declared_by_email_withdraws_submitted_reviews_of_that_persons_applications(call, rita, omar):
    team = submitted(call, name="T", team=[{"name": "Sam", "email": "sam@example.org", "role": "cto"}])
    other = submitted(call, name="O")
    withdrawn, kept = score(team, rita, 5), score(other, rita, 5)
    conflict_declare(reviewer=rita, email=" SAM@example.org ", reason="friend")
    assert not ReviewerAssignment.objects.filter(pk=withdrawn.pk).exists()
    assert ReviewerAssignment.objects.filter(pk=kept.pk).exists()
    assert {r.full_name: r.review_count for r in ranking(call)} == {"T": 0, "O": 1}


def test_a_conflicted_reviewer_gets_404_for_an_assignment_still_there(client, call, rita):
    application = submitted(call, name="X")
    assignment = assignment_create(application=application, reviewer=rita, by=None)
    ConflictOfInterest.objects.create(reviewer=rita, application=application)  # written outside the service
    client.force_login(rita)
    assert client.get(reverse("scoring:review", args=[assignment.pk])).status_code == 404


def test_a_conflict_added_in_the_admin_goes_through_the_service(admin_client, call, rita):
    application = submitted(call, name="X")
    assignment = score(application, rita, 4)
    url = reverse("admin:applications_conflictofinterest_add")
    response = admin_client.post(url, {"reviewer": rita.pk, "application": application.pk, "reason": "cousin"})
    assert response.status_code == 302
    assert not ReviewerAssignment.objects.filter(pk=assignment.pk).exists()
    assert ConflictOfInterest.objects.get().reason == "cousin"
    assert actions(action="scoring.conflict_declare")


def test_a_reviewer_on_the_team_or_with_the_contact_email_is_never_assigned(call, rita, omar, maya):
    team = submitted(call, name="Team", team=[{"name": "Rita", "email": rita.email.upper(), "role": "cofounder"}])
    contact = submitted(call, name="Contact")
    Application.objects.filter(pk=contact.pk).update(email=rita.email)
    contact.refresh_from_db()
    for application in (team, contact):
        assert is_conflicted(rita, application)
        with pytest.raises(ScoringError, match="own application"):
            assignment_create(application=application, reviewer=rita, by=None)
    assert conflicted_application_ids(call, reviewers=[rita, omar]) == {rita.pk: {team.pk, contact.pk}}
    count, refusals = assignments_bulk_create(applications=[team, contact], reviewer=rita, by=None)
    assert count == 0 and len(refusals) == 2
    ReviewSettings.objects.filter(call=call).update(reviews_per_application=2)
    call.review_settings.refresh_from_db()
    call.review_settings.reviewers.set([rita, omar])
    assert assignments_auto(call=call, by=maya) == 2  # omar twice, rita never
    assert not ReviewerAssignment.objects.filter(reviewer=rita).exists()
