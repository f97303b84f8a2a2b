"""When a submitted review stops changing: once its reviewer saw the others' scores (after-submit visibility), after
the review deadline, once decisions are published; drafts and the other visibilities stay editable."""

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from applications.scoring.decisions import decisions_publish, decisions_record
from applications.scoring.models import Review, ReviewSettings
from applications.scoring.reviews import review_save
from applications.scoring.services import ScoringError
from tests.applications.scoring.factories import criteria, score, submitted

FINAL = "your submitted review can no longer change"


def review_post(call, value, action="submit", recommendation="yes"):
    data = {f"score_{c.pk}": value for c in criteria(call)}
    return {**data, "recommendation": recommendation, "comment": "", "action": action}


def test_a_submitted_review_stays_editable_until_the_reviewer_sees_the_others_scores(client, call, rita, omar):
    application = submitted(call, name="X")
    score(application, omar, 5)
    assignment = score(application, rita, 1)
    assignment = score(application, rita, 2)  # a typo fixed: nothing of Omar's was shown yet
    assert Review.objects.get(assignment=assignment).points == 25
    client.force_login(rita)
    page = client.get(reverse("scoring:review", args=[assignment.pk])).content.decode()
    assert 'data-testid="review-editable"' in page and "<fieldset disabled" not in page

    assert client.get(reverse("scoring:others", args=[assignment.pk])).status_code == 200
    assignment.refresh_from_db()
    assert assignment.others_seen_at is not None
    with pytest.raises(ScoringError, match="You were shown the other reviewers' scores on"):
        score(application, rita, 5)
    page = client.get(reverse("scoring:review", args=[assignment.pk])).content.decode()
    assert 'data-testid="review-final"' in page and "<fieldset disabled" in page
    assert "You were shown the other reviewers&#x27; scores on" in page
    response = client.post(reverse("scoring:review", args=[assignment.pk]), review_post(call, 5))
    assert response.status_code == 400 and FINAL in response.content.decode()
    assignment.review.refresh_from_db()
    assert assignment.review.points == 25


def test_opening_the_others_page_with_no_other_review_locks_nothing(client, call, rita):
    application = submitted(call, name="X")
    assignment = score(application, rita, 1)
    client.force_login(rita)
    page = client.get(reverse("scoring:others", args=[assignment.pk])).content.decode()
    assert "No other review is submitted yet." in page
    assignment.refresh_from_db()
    assert assignment.others_seen_at is None
    score(application, rita, 5)


@pytest.mark.calendar
def test_a_submitted_review_is_final_after_the_review_deadline_and_the_message_names_it(client, call, rita):
    deadline = timezone.now() + datetime.timedelta(days=2)
    ReviewSettings.objects.filter(call=call).update(review_deadline=deadline)
    application = submitted(call, name="X")
    assignment = score(application, rita, 1)
    with time_machine.travel(deadline + datetime.timedelta(minutes=1)):
        with pytest.raises(ScoringError, match="The review deadline .* has passed"):
            score(application, rita, 5)
        client.force_login(rita)
        page = client.get(reverse("scoring:review", args=[assignment.pk])).content.decode()
    assert "has passed: your submitted review can no longer change" in page and "<fieldset disabled" in page
    assert call.cohort.program.time_zone in page


@pytest.mark.parametrize("visibility", ["never", "always"])
def test_other_visibilities_keep_a_submitted_review_editable(call, rita, visibility):
    ReviewSettings.objects.filter(call=call).update(others_visible=visibility)
    application = submitted(call, name="X")
    score(application, rita, 1)
    assignment = score(application, rita, 5)
    assert Review.objects.get(assignment=assignment).points == 100


def test_a_draft_stays_editable_under_after_submit_visibility(call, rita):
    application = submitted(call, name="X")
    score(application, rita, 1, submit=False)
    assignment = score(application, rita, 5)
    assert Review.objects.get(assignment=assignment).points == 100


def test_a_review_after_publication_is_refused(call, rita, maya, django_capture_on_commit_callbacks):
    ReviewSettings.objects.filter(call=call).update(others_visible="always")
    application = submitted(call, name="X")
    assignment = score(application, rita, 4)
    decisions_record(applications=[application], outcome="accept", by=maya)
    with django_capture_on_commit_callbacks(execute=True):
        decisions_publish(call=call, by=maya)
    with pytest.raises(ScoringError, match="Decisions are published"):
        review_save(assignment=assignment, scores={}, comment="", recommendation="no", submit=False, by=rita)
