"""Migration 0024 (interview scoring): existing criteria and assignments are the written stage's, the kept summaries
and reviewer loads still count them, and the migration goes back as it came."""

import datetime

from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = ("applications", "0022_api_changed_at")
AFTER = ("applications", "0024_interview_scoring")


def test_existing_reviews_are_written_ones_and_still_counted(empty_database):
    executor = MigrationExecutor(connection)
    executor.migrate([BEFORE])
    old = executor.loader.project_state([BEFORE]).apps
    program = old.get_model("cohorts", "Program").objects.create(name="P", slug="p")
    cohort = old.get_model("cohorts", "Cohort").objects.create(program=program, name="C", slug="c")
    at = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
    call = old.get_model("applications", "Call").objects.create(
        cohort=cohort, slug="call", title="T", opens_at=at, closes_at=at + datetime.timedelta(days=30)
    )
    users = old.get_model("incubator", "User").objects
    applicant, reviewer = (users.create(email=f"{n}@example.org") for n in ("applicant", "reviewer"))
    application = old.get_model("applications", "Application").objects.create(
        call=call, applicant=applicant, status="submitted", eligibility="eligible", submitted_at=at
    )
    old.get_model("applications", "Criterion").objects.create(call=call, name="Team")
    assignment = old.get_model("applications", "ReviewerAssignment").objects.create(
        call=call, application=application, reviewer=reviewer
    )
    old.get_model("applications", "Review").objects.create(
        assignment=assignment, status="submitted", recommendation="yes", points=80, submitted_at=at
    )

    executor.loader.build_graph()
    executor.migrate([AFTER])
    new = executor.loader.project_state([AFTER]).apps
    assert list(new.get_model("applications", "Criterion").objects.values_list("stage", flat=True)) == ["written"]
    assert new.get_model("applications", "ReviewerAssignment").objects.get().stage == "written"
    summary = new.get_model("applications", "ScoreSummary").objects.get(application_id=application.pk)
    assert (summary.review_count, summary.mean) == (1, 80)
    load = new.get_model("applications", "ReviewerLoad").objects.get(reviewer_id=reviewer.pk)
    assert (load.assigned, load.unfinished) == (1, 0)

    executor.loader.build_graph()
    executor.migrate([BEFORE])
    summary = old.get_model("applications", "ScoreSummary").objects.get(application_id=application.pk)
    assert (summary.review_count, summary.mean) == (1, 80)
