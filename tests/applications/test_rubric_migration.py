"""The free-text criteria of existing calls become their rubric when the field goes."""

import datetime

from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = ("applications", "0008_application_invalid_answers")
AFTER = ("applications", "0009_criteria_into_rubric")


def test_text_criteria_become_the_rubric_and_an_existing_rubric_is_kept(empty_database):
    executor = MigrationExecutor(connection)
    executor.migrate([BEFORE])
    old = executor.loader.project_state([BEFORE]).apps
    program = old.get_model("cohorts", "Program").objects.create(name="P", slug="p")
    cohort = old.get_model("cohorts", "Cohort").objects.create(program=program, name="C", slug="c")
    times = {
        "opens_at": datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC),
        "closes_at": datetime.datetime(2026, 2, 1, tzinfo=datetime.UTC),
    }
    calls = old.get_model("applications", "Call").objects
    text_only = calls.create(cohort=cohort, slug="text", title="T", criteria="Viability\n\n  Impact  \n", **times)
    with_rubric = calls.create(cohort=cohort, slug="rubric", title="R", criteria="Old words", **times)
    old.get_model("applications", "Criterion").objects.create(call=with_rubric, position=1, name="Team", weight=2)

    executor.loader.build_graph()
    executor.migrate([AFTER])
    Criterion = executor.loader.project_state([AFTER]).apps.get_model("applications", "Criterion")
    assert list(Criterion.objects.filter(call_id=text_only.pk).order_by("position").values_list("name", flat=True)) == [
        "Viability",
        "Impact",
    ]
    assert list(Criterion.objects.filter(call_id=with_rubric.pk).values_list("name", "weight")) == [("Team", 2)]
