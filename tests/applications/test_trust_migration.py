"""The trust migration keeps what was in use working: chosen or assigned reviewers become reviewers of the call's
program, cohort mentors mentors of the program, and questions whose label read like a phone number are marked as
contact details (the label is read this once, never again)."""

import datetime

from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

BEFORE = [("applications", "0004_application_personal_data_erased"), ("cohorts", "0004_program_reviewers_mentors")]
AFTER = [("applications", "0005_trust_contact_questions_program_emails_cancelled_decisions")]


def test_the_migration_lists_reviewers_and_mentors_and_marks_phone_questions(empty_database):
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    apps = executor.loader.project_state(BEFORE).apps
    User = apps.get_model("incubator", "User")
    Program, Cohort = apps.get_model("cohorts", "Program"), apps.get_model("cohorts", "Cohort")
    Call, Question = apps.get_model("applications", "Call"), apps.get_model("applications", "Question")
    ReviewSettings = apps.get_model("applications", "ReviewSettings")
    program = Program.objects.create(name="P", slug="p")
    cohort = Cohort.objects.create(program=program, name="C", slug="c")
    chosen, mentor = User.objects.create(email="r@example.org", name="R"), User.objects.create(email="m@example.org")
    cohort.mentors.add(mentor)
    now = timezone.now()
    call = Call.objects.create(
        cohort=cohort, slug="call", title="T", opens_at=now, closes_at=now + datetime.timedelta(days=1)
    )
    ReviewSettings.objects.create(call=call).reviewers.add(chosen)
    phone = Question.objects.create(call=call, label="Numéro de téléphone", kind="short_text")
    other = Question.objects.create(call=call, label="Project name", kind="short_text")

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    apps = executor.loader.project_state(AFTER).apps
    program = apps.get_model("cohorts", "Program").objects.get(pk=program.pk)
    assert list(program.reviewers.values_list("email", flat=True)) == ["r@example.org"]
    assert list(program.mentors.values_list("email", flat=True)) == ["m@example.org"]
    Question = apps.get_model("applications", "Question")
    assert Question.objects.get(pk=phone.pk).is_contact and not Question.objects.get(pk=other.pk).is_contact
