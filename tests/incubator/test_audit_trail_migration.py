"""The audit trail migrations move the hand-written audit log and the scoring history into pghistory's contexts,
dated as they were, with who, what, on what, of which program, before, after and note, then drop both tables."""

import datetime

from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("incubator", "0005_user_weekly_digest"), ("applications", "0014_call_is_published")]
AFTER = [("incubator", "0006_audit_trail"), ("applications", "0015_audit_trail")]
WHEN = datetime.datetime(2025, 3, 1, 9, 30, tzinfo=datetime.UTC)


def test_audit_entries_and_scoring_events_become_actions_in_contexts(scratch_database):
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    boss = old.get_model("incubator", "User").objects.create(email="boss@example.org", name="Boss")
    program = old.get_model("cohorts", "Program").objects.create(name="P", slug="p")
    cohort = old.get_model("cohorts", "Cohort").objects.create(program=program, name="C", slug="c")
    call = old.get_model("applications", "Call").objects.create(
        cohort=cohort, slug="call", title="T", opens_at=WHEN, closes_at=WHEN + datetime.timedelta(days=1)
    )
    application = old.get_model("applications", "Application").objects.create(call=call, applicant=boss)
    old.get_model("incubator", "AuditEntry").objects.create(
        actor=boss,
        action="application.eligibility_override",
        object_type="applications.application",
        object_id=application.pk,
        after={"eligibility_override": "eligible"},
        note="checked by phone",
        created_at=WHEN,
    )
    old.get_model("applications", "ScoringEvent").objects.create(
        application=application, kind="decision", actor=boss, at=WHEN, after={"outcome": "accept", "reason": ""}
    )

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps
    contexts = new.get_model("pghistory", "Context").objects.order_by("metadata__actions__0__action")
    assert [(context.created_at, context.metadata["user"]) for context in contexts] == [(WHEN, boss.pk)] * 2
    override, decision = (context.metadata["actions"][0] for context in contexts)
    assert override == {
        "action": "application.eligibility_override",
        "by": boss.pk,
        "object_type": "applications.application",
        "object_id": application.pk,
        "program": program.pk,
        "before": None,
        "after": {"eligibility_override": "eligible"},
        "note": "checked by phone",
        "at": WHEN.isoformat(),
    }
    assert (decision["action"], decision["object_id"], decision["program"]) == (
        "scoring.history_decision",
        application.pk,
        program.pk,
    )
    assert decision["after"] == {"outcome": "accept", "reason": ""}
    tables = connection.introspection.table_names()
    assert "incubator_auditentry" not in tables and "applications_scoringevent" not in tables
