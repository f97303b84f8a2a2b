"""The two halves of the interview stage joined: shortlisting assigns the plan's panel to score each interview, and
the final ranking says why a shortlisted application has no interview score (a no-show, an interview to come)."""

import datetime

import time_machine

from applications.interviews.services import interview_book, interview_record, interviews_shortlist
from applications.scoring.final import final_ranking
from applications.scoring.models import ReviewerAssignment, ReviewStage
from applications.scoring.services import conflict_declare
from tests.applications.interviews.factories import applicants, plan
from tests.applications.scoring.factories import reviewer
from tests.applications.scoring.interview_factories import interview_score, interview_stage

# Tuesday 8 December 2026, 10:00 in Casablanca: a free slot of the panel (tests/applications/interviews/conftest.py).
TUESDAY_10 = datetime.datetime(2026, 12, 8, 9, 0, tzinfo=datetime.UTC)


def test_shortlisting_assigns_every_panel_member_to_score_each_interview(call, maya):
    rita = reviewer(call.cohort.program, name="Rita Reviewer")
    call.review_settings.reviewers.add(rita)
    plan(call, maya, panel=[maya, rita])
    first, second = applicants(call, 2)
    created = interviews_shortlist(call=call, applications=[first, second], by=maya)
    assert len(created) == 2 and created.left_out == []
    assigned = set(
        ReviewerAssignment.objects.filter(call=call, stage=ReviewStage.INTERVIEW).values_list(
            "application_id", "reviewer_id"
        )
    )
    assert assigned == {(a.pk, p.pk) for a in (first, second) for p in (maya, rita)}


def test_a_conflicted_panel_member_is_left_out_of_that_interview_and_the_manager_is_told(call, maya):
    rita = reviewer(call.cohort.program, name="Rita Reviewer")
    call.review_settings.reviewers.add(rita)
    plan(call, maya, panel=[maya, rita])
    (application,) = applicants(call, 1)
    conflict_declare(reviewer=rita, application=application, reason="My cousin", by=rita)
    created = interviews_shortlist(call=call, applications=[application], by=maya)
    assert len(created.left_out) == 1 and "Rita Reviewer" in created.left_out[0]
    assert not ReviewerAssignment.objects.filter(reviewer=rita, stage=ReviewStage.INTERVIEW).exists()


def test_the_final_ranking_explains_a_no_show_an_interview_to_come_and_one_not_shortlisted(call, maya):
    plan(call, maya)
    came, absent, waiting, left = applicants(call, 4)
    interviews = interviews_shortlist(call=call, applications=[came, absent, waiting], by=maya)
    interview_book(interview=interviews[1], starts_at=TUESDAY_10, by=absent.applicant)
    interview_stage(call)
    interview_score(came, maya, 4)
    with time_machine.travel(TUESDAY_10 + datetime.timedelta(hours=1), tick=False):
        interview_record(interview=interviews[1], outcome="no_show", by=maya)
        explanations = {row.id: row.explanation for row in final_ranking(call)}
    assert explanations[came.pk].startswith("written ")
    assert explanations[absent.pk] == "did not come to the interview"
    assert explanations[waiting.pk] == "no interview score yet"
    assert explanations[left.pk] == "not shortlisted for an interview"
