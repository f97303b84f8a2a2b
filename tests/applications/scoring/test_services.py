import datetime

import pytest
import time_machine
from django.db import IntegrityError, transaction
from django.utils import timezone

from applications.models import Application
from applications.scoring.assignments import assignment_create, assignments_auto, assignments_bulk_create
from applications.scoring.decisions import decisions_publish, decisions_record, selection_apply
from applications.scoring.models import (
    ConflictOfInterest,
    CriterionScore,
    Decision,
    DecisionEmailTemplate,
    Review,
    ReviewerAssignment,
    ReviewSettings,
)
from applications.scoring.reviews import review_reminders_sweep, review_save
from applications.scoring.selection import selection_propose
from applications.scoring.selectors import ranking
from applications.scoring.services import ScoringError, conflict_declare
from applications.services import application_eligibility_override
from cohorts.models import Membership
from incubator.delivery import notifications_retry_pending
from incubator.models import Notification
from tests.applications.scoring.factories import criteria, reviewer, score, scoring_call, submitted
from tests.audit_trail import actions, scoring_history
from tests.factories import UserFactory, grant, superuser


def test_nobody_is_assigned_their_own_application(call, rita):
    application = submitted(call, applicant=rita)
    with pytest.raises(ScoringError, match="own application"):
        assignment_create(application=application, reviewer=rita, by=None)


@pytest.mark.parametrize("via", ["applicant", "team member", "application"])
def test_a_conflicted_reviewer_is_not_assigned(call, rita, via):
    application = submitted(call, team=[{"name": "Sara Partner", "email": "Sara@Example.org", "role": "designer"}])
    if via == "applicant":
        conflict_declare(reviewer=rita, email=application.applicant.email.upper(), reason="my cousin")
    elif via == "team member":
        conflict_declare(reviewer=rita, email="sara@example.org", reason="former colleague")
    else:
        conflict_declare(reviewer=rita, application=application)
    with pytest.raises(ScoringError, match="conflict of interest"):
        assignment_create(application=application, reviewer=rita, by=None)


def test_declaring_a_conflict_withdraws_the_unfinished_assignment_and_refuses_reviews(call, rita):
    application = submitted(call)
    assignment = assignment_create(application=application, reviewer=rita, by=None)
    conflict_declare(reviewer=rita, application=application, reason="I mentor them")
    assert not ReviewerAssignment.objects.filter(pk=assignment.pk).exists()


def test_a_review_of_a_conflicted_application_is_refused(call, rita):
    application = submitted(call)
    assignment = score(application, rita, 4, submit=False)
    # A conflict row written outside `conflict_declare` (seeded, or imported) leaves the assignment in place...
    ConflictOfInterest.objects.create(reviewer=rita, email=application.email)
    with pytest.raises(ScoringError, match="conflict of interest"):  # ...but the review cannot be saved
        review_save(assignment=assignment, scores={}, comment="", recommendation="yes", submit=True, by=rita)


def test_automatic_assignment_is_balanced_and_skips_conflicts_and_own(call, maya, django_capture_on_commit_callbacks):
    reviewers = [reviewer(call.cohort.program, name=f"R{n}") for n in range(4)]
    settings = call.review_settings
    settings.reviewers.set(reviewers)
    settings.reviews_per_application = 2
    settings.save()
    applications = [submitted(call, name=f"A{n}") for n in range(6)]
    own = submitted(call, applicant=reviewers[0], name="Reviewer's own")
    conflict_declare(reviewer=reviewers[1], application=applications[0])
    with django_capture_on_commit_callbacks(execute=True):
        made = assignments_auto(call=call, by=maya)
    assert made == 14  # 7 applications × 2
    pairs = set(ReviewerAssignment.objects.values_list("application_id", "reviewer_id"))
    assert (own.pk, reviewers[0].pk) not in pairs
    assert (applications[0].pk, reviewers[1].pk) not in pairs
    loads = sorted(ReviewerAssignment.objects.filter(reviewer__in=reviewers).values_list("reviewer_id", flat=True))
    counts = [loads.count(r.pk) for r in reviewers]
    assert max(counts) - min(counts) <= 1
    # Running it again adds nobody; each reviewer got one assignment email, not one per application.
    assert assignments_auto(call=call, by=maya) == 0
    assert Notification.objects.filter(kind="scoring.assigned").count() == 4


def test_a_reviewer_is_told_once_by_email_when_assigned(call, rita, mailoutbox, django_capture_on_commit_callbacks):
    application = submitted(call)
    with django_capture_on_commit_callbacks(execute=True):
        assignment_create(application=application, reviewer=rita, by=None)
        assignment_create(application=application, reviewer=rita, by=None)
    assigned = [m for m in mailoutbox if rita.email in m.to]
    assert len(assigned) == 1
    assert "/review/" in assigned[0].body


def test_a_score_outside_the_scale_is_refused_by_the_service_and_by_the_database(call, rita):
    assignment = assignment_create(application=submitted(call), reviewer=rita, by=None)
    viability = criteria(call)[0]
    with pytest.raises(ScoringError, match="between 1 and 5"):
        review_save(
            assignment=assignment, scores={viability.pk: 6}, comment="", recommendation="", submit=False, by=rita
        )
    review = Review.objects.create(assignment=assignment)
    with pytest.raises(IntegrityError), transaction.atomic():
        CriterionScore.objects.create(review=review, criterion=viability, score=9, scale_min=1, scale_max=5)


def test_submitting_needs_every_counted_score_and_a_recommendation(call, rita):
    assignment = assignment_create(application=submitted(call), reviewer=rita, by=None)
    first = criteria(call)[0]
    draft = review_save(
        assignment=assignment, scores={first.pk: 3}, comment="", recommendation="", submit=False, by=rita
    )
    assert draft.status == Review.Status.DRAFT
    with pytest.raises(ScoringError, match="Score every criterion"):
        review_save(assignment=assignment, scores={first.pk: 3}, comment="", recommendation="yes", submit=True, by=rita)
    all_scores = {c.pk: 3 for c in criteria(call)}
    with pytest.raises(ScoringError, match="recommendation"):
        review_save(assignment=assignment, scores=all_scores, comment="", recommendation="", submit=True, by=rita)


def test_every_score_change_is_kept_with_who_when_before_and_after(call, rita):
    """A correction by someone other than the reviewer (a superuser: managers do not write reviews) is kept too."""
    root = superuser()
    application = submitted(call)
    assignment = score(application, rita, 3)
    counted = criteria(call)
    review_save(
        assignment=assignment,
        scores={c.pk: 4 for c in counted},
        comment="better on a second reading",
        recommendation="yes",
        submit=True,
        by=root,
    )
    latest = scoring_history(application)[-1]
    assert latest["actor"] == str(root) and f"{counted[0].name} 3 → 4" in latest["sentence"]
    assert actions(action="scoring.review_save", actor=root)


def test_reviews_are_refused_outside_the_reviewing_stages(call, rita):
    assignment = assignment_create(application=submitted(call), reviewer=rita, by=None)
    ReviewSettings.objects.filter(call=call).update(stage=ReviewSettings.Stage.SCREENING)
    with pytest.raises(ScoringError, match="reviewing stage"):
        review_save(assignment=assignment, scores={}, comment="", recommendation="", submit=False, by=rita)


def test_accepting_more_than_the_seats_is_refused(call, maya):
    applications = [submitted(call, name=f"A{n}") for n in range(call.seats + 1)]
    decisions_record(applications=applications[: call.seats], outcome="accept", by=maya)
    with pytest.raises(ScoringError, match="5 applications for 4 seats: 1 too many"):
        decisions_record(applications=applications[call.seats :], outcome="accept", by=maya)
    assert Decision.objects.filter(outcome="accept").count() == call.seats


def test_decisions_are_recorded_pending_with_history(call, maya):
    application = submitted(call)
    decisions_record(applications=[application], outcome="waitlist", by=maya)
    decisions_record(applications=[application], outcome="accept", by=maya)
    decision = Decision.objects.get(application=application)
    assert (decision.outcome, decision.status) == ("accept", "pending")
    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED  # nothing is visible before publishing
    history = [line["sentence"] for line in scoring_history(application)]
    assert history == ["Decision: waitlist", "Decision: waitlist → accept"]


def test_publishing_sets_statuses_creates_memberships_and_emails_each_applicant_once(
    call, maya, mailoutbox, django_capture_on_commit_callbacks
):
    accepted = submitted(call, name="Amal Accepted", team=[{"name": "Tariq", "email": "", "role": "sound"}])
    waitlisted = submitted(call, name="Walid Waitlisted")
    rejected = submitted(call, name="Rania Rejected")
    decisions_record(applications=[accepted], outcome="accept", by=maya)
    decisions_record(applications=[waitlisted], outcome="waitlist", by=maya)
    decisions_record(applications=[rejected], outcome="reject", by=maya)
    with django_capture_on_commit_callbacks(execute=True):
        assert decisions_publish(call=call, by=maya).published == 3
    statuses = dict(Application.objects.values_list("full_name", "status"))
    assert statuses == {"Amal Accepted": "accepted", "Walid Waitlisted": "waitlisted", "Rania Rejected": "rejected"}
    assert Membership.objects.filter(person=accepted.applicant, cohort=call.cohort, region=accepted.region).exists()
    assert not Membership.objects.filter(person=waitlisted.applicant).exists()
    results = [m for m in mailoutbox if "/applications/" in m.body]
    assert sorted(m.to[0] for m in results) == sorted(a.applicant.email for a in (accepted, waitlisted, rejected))
    call.refresh_from_db()
    assert call.decisions_published_at is not None

    with pytest.raises(ScoringError, match="already published"), django_capture_on_commit_callbacks(execute=True):
        decisions_publish(call=call, by=maya)
    assert len([m for m in mailoutbox if "/applications/" in m.body]) == 3
    with pytest.raises(ScoringError, match="already published"):
        decisions_record(applications=[rejected], outcome="accept", by=maya)


def test_a_manager_template_replaces_the_built_in_wording(call, maya, mailoutbox, django_capture_on_commit_callbacks):
    DecisionEmailTemplate.objects.create(
        language="en", outcome="accept", subject="Welcome to {program}", body="Dear {name}, you are in. {unknown}"
    )
    application = submitted(call, name="Amal Accepted")
    decisions_record(applications=[application], outcome="accept", by=maya)
    with django_capture_on_commit_callbacks(execute=True):
        decisions_publish(call=call, by=maya)
    [email] = [m for m in mailoutbox if application.applicant.email in m.to]
    assert email.subject == f"Welcome to {call.cohort.program.name}"
    assert email.body == "Dear Amal Accepted, you are in. {unknown}"


def test_publishing_nothing_is_refused(call, maya):
    with pytest.raises(ScoringError, match="no pending decisions"):
        decisions_publish(call=call, by=maya)


@pytest.mark.calendar
def test_reviewers_are_reminded_three_days_and_one_day_before_the_deadline_once_each(
    call, rita, omar, mailoutbox, django_capture_on_commit_callbacks
):
    deadline = timezone.now() + datetime.timedelta(days=10)
    ReviewSettings.objects.filter(call=call).update(review_deadline=deadline)
    first, second = submitted(call, name="A"), submitted(call, name="B")
    assignment_create(application=first, reviewer=rita, by=None)
    score(second, omar, 3)  # Omar has finished: no reminder for him
    mailoutbox.clear()

    def sweep(at):
        with time_machine.travel(at, tick=False), django_capture_on_commit_callbacks(execute=True):
            return review_reminders_sweep()

    assert sweep(deadline - datetime.timedelta(days=4)) == 0
    assert sweep(deadline - datetime.timedelta(days=3)) == 1
    assert sweep(deadline - datetime.timedelta(days=2)) == 0  # the 3-day one is not sent again
    assert sweep(deadline - datetime.timedelta(hours=23)) == 1
    assert sweep(deadline - datetime.timedelta(hours=1)) == 0
    assert [m.to for m in mailoutbox] == [[rita.email], [rita.email]]
    assert set(Notification.objects.filter(kind="scoring.review_reminder").values_list("threshold", flat=True)) == {
        "3d",
        "1d",
    }


@pytest.mark.calendar
def test_a_reviewer_who_finished_after_the_claim_gets_no_reminder(call, rita, mailoutbox):
    deadline = timezone.now() + datetime.timedelta(days=2)
    ReviewSettings.objects.filter(call=call).update(review_deadline=deadline)
    application = submitted(call)
    assignment_create(application=application, reviewer=rita, by=None)
    review_reminders_sweep()  # claimed, but the on-commit send did not run (a worker that died)
    score(application, rita, 4)
    mailoutbox.clear()

    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=11)):
        notifications_retry_pending()  # also sends the other pending mail (submission, assignment)
    assert not [m for m in mailoutbox if "Reviews due soon" in m.subject]
    reminder = Notification.objects.get(kind="scoring.review_reminder")
    assert reminder.status == Notification.Status.SENT  # settled: nothing left to send, never retried


def test_only_reviewers_listed_on_the_calls_program_are_assigned(call, maya):
    application = submitted(call)
    elsewhere = reviewer(scoring_call(slug="elsewhere").cohort.program, name="Reviewer elsewhere")
    for person in (UserFactory(), elsewhere, maya):  # nobody, another program's reviewer, the program's manager
        with pytest.raises(ScoringError, match="not a reviewer of this program"):
            assignment_create(application=application, reviewer=person, by=maya)
        count, refusals = assignments_bulk_create(applications=[application], reviewer=person, by=maya)
        assert count == 0 and "not a reviewer of this program" in refusals[0]
    assert not ReviewerAssignment.objects.exists()
    grant(call.cohort.program, elsewhere, "reviewer")
    assert assignment_create(application=application, reviewer=elsewhere, by=maya).pk


def test_automatic_assignment_leaves_out_chosen_reviewers_no_longer_on_the_program(call, maya, rita, omar):
    from cohorts.program_roles import program_role_revoke

    call.review_settings.reviewers.set([rita, omar])
    program_role_revoke(program=call.cohort.program, person=omar, role="reviewer", by=maya)
    submitted(call)
    assert assignments_auto(call=call, by=maya) == 1
    assert set(ReviewerAssignment.objects.values_list("reviewer_id", flat=True)) == {rita.pk}


def test_applying_a_selection_also_rejects_the_ineligible_and_leaves_the_unreviewed(call, rita, maya):
    scored, unreviewed, ineligible = (submitted(call, name=n) for n in ("Scored", "Unreviewed", "Ineligible"))
    application_eligibility_override(application=ineligible, eligibility="ineligible", reason="too old", by=maya)
    score(scored, rita, 4)
    proposal = selection_propose(rows=ranking(call), seats=call.seats, quotas=[], waitlist_size=0)
    selection_apply(call=call, proposal=proposal, by=maya)
    decisions = {d.application.full_name: (d.outcome, d.reason) for d in Decision.objects.select_related("application")}
    assert decisions == {"Scored": ("accept", "1st by overall rank (rank 1)"), "Ineligible": ("reject", "Not eligible")}
    assert "Unreviewed" not in decisions


def test_assigning_twice_makes_no_duplicates_and_no_error(call, rita, omar, maya):
    applications = [submitted(call, name=f"A{n}") for n in range(3)]
    call.review_settings.reviewers.set([rita, omar])
    first = assignments_auto(call=call, by=maya)
    assert first == 6 and assignments_auto(call=call, by=maya) == 0
    assert assignment_create(application=applications[0], reviewer=rita, by=maya) == assignment_create(
        application=applications[0], reviewer=rita, by=maya
    )
    assert assignments_bulk_create(applications=applications, reviewer=rita, by=maya) == (0, [])
    assert ReviewerAssignment.objects.filter(call=call).count() == 6
