"""The scoring history moves into the one audit trail: each ScoringEvent row becomes a pghistory context, dated
as the row was, holding it as its one action on the application (incubator/audit.py's shape): a review's scores
before and after ("scoring.history_score") or a decision's ("scoring.history_decision"). Then the table goes."""

import json
import uuid

from django.core.serializers.json import DjangoJSONEncoder
from django.db import migrations


def events_into_contexts(apps, schema_editor):
    rows = []
    events = apps.get_model("applications", "ScoringEvent").objects.order_by("at", "pk")
    for event in events.select_related("application__call__cohort").iterator(chunk_size=500):
        action = {
            "action": f"scoring.history_{event.kind}",
            "by": event.actor_id,
            "object_type": "applications.application",
            "object_id": event.application_id,
            "program": event.application.call.cohort.program_id,
            "before": event.before,
            "after": event.after,
            "note": "",
            "at": event.at.isoformat(),
        }
        metadata = json.dumps({"user": event.actor_id, "actions": [action]}, cls=DjangoJSONEncoder)
        rows.append((str(uuid.uuid4()), metadata, event.at, event.at))
    table = apps.get_model("pghistory", "Context")._meta.db_table
    with schema_editor.connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {table} (id, metadata, created_at, updated_at) VALUES (%s, %s::jsonb, %s, %s)", rows
        )


class Migration(migrations.Migration):
    dependencies = [
        ("applications", "0014_call_is_published"),
        ("pghistory", "0007_auto_20250421_0444"),
    ]

    operations = [
        migrations.RunPython(events_into_contexts, migrations.RunPython.noop),
        migrations.DeleteModel(name="ScoringEvent"),
    ]
