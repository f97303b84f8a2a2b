"""The reviewer queue's sort key kept on each assignment (its review's status, its call's deadline, its
application's submission time: the triggers of migration 0016) equals the rows it copies, and each reviewer's load
per call (`ReviewerLoad`, migration 0018) equals a fresh count of their assignments, after every kind of change,
whoever makes it: the services, plain updates and deletes, bulk inserts and a stale full save."""

import datetime
import threading
import time
from importlib import import_module

import pytest
from django.db import connection, connections, transaction
from django.db.models import Count, F, Q

from applications.models import Application, Call
from applications.scoring.assignments import assignment_create
from applications.scoring.models import Review, ReviewerAssignment, ReviewerLoad
from applications.scoring.selectors import reviewer_queue
from applications.scoring.services import conflict_declare
from tests.applications.scoring.factories import score, submitted


def assert_kept() -> None:
    """Every assignment's copy against a fresh read of the review, the call and the application."""
    for assignment in ReviewerAssignment.objects.annotate(
        fresh_status=F("review__status"),
        fresh_closes_at=F("call__closes_at"),
        fresh_submitted_at=F("application__submitted_at"),
    ):
        assert assignment.review_status == (assignment.fresh_status or "")
        assert assignment.call_closes_at == assignment.fresh_closes_at
        assert assignment.application_submitted_at == assignment.fresh_submitted_at
    fresh_loads = ReviewerAssignment.objects.values_list("call_id", "reviewer_id").annotate(
        assigned=Count("pk"), unfinished=Count("pk", filter=~Q(review__status=Review.Status.SUBMITTED))
    )
    kept_loads = ReviewerLoad.objects.values_list("call_id", "reviewer_id", "assigned", "unfinished")
    assert sorted(kept_loads) == sorted(fresh_loads)


def test_reviews_and_assignments_keep_the_key(call, rita, omar):
    first, second = submitted(call, name="Amal"), submitted(call, name="Badr")
    assignment = assignment_create(application=first, reviewer=rita, by=None)
    assert ReviewerAssignment.objects.get(pk=assignment.pk).review_status == ""
    assert_kept()
    score(first, rita, 4, submit=False)
    assert ReviewerAssignment.objects.get(pk=assignment.pk).review_status == Review.Status.DRAFT
    assert_kept()
    score(first, rita, 4)
    score(second, omar, 3)
    assert ReviewerAssignment.objects.get(pk=assignment.pk).review_status == Review.Status.SUBMITTED
    assert_kept()
    Review.objects.filter(assignment=assignment).delete()
    assert_kept()
    ReviewerAssignment.objects.bulk_create([ReviewerAssignment(call=call, application=second, reviewer=rita)])
    assert_kept()
    conflict_declare(reviewer=rita, application=first, reason="my cousin")  # withdraws the unfinished assignment
    assert_kept()
    ReviewerAssignment.objects.filter(reviewer=rita).delete()
    assert_kept()
    assert not ReviewerLoad.objects.filter(reviewer=rita).exists()


def test_a_stale_full_save_does_not_undo_the_key(call, rita):
    application = submitted(call, name="Amal")
    stale = assignment_create(application=application, reviewer=rita, by=None)
    score(application, rita, 4)
    stale.others_seen_at = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
    stale.save()
    assert ReviewerAssignment.objects.get(pk=stale.pk).review_status == Review.Status.SUBMITTED
    assert_kept()


def test_call_deadlines_and_submission_times_follow(call, rita):
    application = submitted(call, name="Amal")
    score(application, rita, 4)
    Call.objects.filter(pk=call.pk).update(closes_at=F("closes_at") + datetime.timedelta(days=3))
    Application.objects.filter(pk=application.pk).update(submitted_at=F("submitted_at") + datetime.timedelta(hours=1))
    assert_kept()


def test_the_queue_puts_what_is_left_first(call, rita):
    done, draft, untouched = (submitted(call, name=name) for name in ("Done", "Draft", "Untouched"))
    score(done, rita, 4)
    score(draft, rita, 4, submit=False)
    assignment_create(application=untouched, reviewer=rita, by=None)
    assert [a.application_id for a in reviewer_queue(rita)] == [untouched.pk, draft.pk, done.pk]


def test_the_migrations_fill_the_key_and_the_loads(call, rita):
    application = submitted(call, name="Amal")
    score(application, rita, 4)
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL session_replication_role = replica")  # as before the migration: no trigger
        cursor.execute("UPDATE applications_reviewerassignment SET review_status = '', call_closes_at = NULL")
        cursor.execute("DELETE FROM applications_reviewerload")
        cursor.execute("SET LOCAL session_replication_role = DEFAULT")
        assert ReviewerAssignment.objects.get().review_status == ""
        cursor.execute(import_module("applications.migrations.0016_assignment_queue_key").FILL_SQL)
        cursor.execute(import_module("applications.migrations.0018_reviewer_load").FILL_SQL)
    assert_kept()


@pytest.mark.django_db(transaction=True)
def test_two_reviews_submitted_at_once_leave_the_reviewers_load_right(call, rita):
    """A reviewer submitting from two tabs: the second count waits for the first's commit (migration 0020), where
    it used to upsert a count from its own snapshot over the first's."""
    first, second = submitted(call, name="Amal"), submitted(call, name="Badr")
    score(first, rita, 4, submit=False)
    score(second, rita, 4, submit=False)
    first_written, first_may_commit = threading.Event(), threading.Event()

    def submit(application, *, hold: bool):
        try:
            with transaction.atomic():
                Review.objects.filter(assignment__application=application).update(
                    status=Review.Status.SUBMITTED, submitted_at=datetime.datetime.now(datetime.UTC)
                )
                if hold:
                    first_written.set()
                    first_may_commit.wait(10)
        finally:
            connections.close_all()

    holding = threading.Thread(target=submit, args=(first,), kwargs={"hold": True})
    holding.start()
    first_written.wait(10)
    following = threading.Thread(target=submit, args=(second,), kwargs={"hold": False})
    following.start()
    time.sleep(0.5)  # the second statement reaches the pair's lock
    first_may_commit.set()
    holding.join(10)
    following.join(10)
    assert ReviewerLoad.objects.get(call=call, reviewer=rita).unfinished == 0
    assert_kept()
