"""The hand-written audit log moves into the one audit trail: each AuditEntry row becomes a pghistory context,
dated as the row was, holding the row as its one action (incubator/audit.py's shape). Then the table goes."""

import json
import uuid

from django.core.serializers.json import DjangoJSONEncoder
from django.db import migrations

# The relations from an acted-on object towards its program, as incubator.audit.program_id_of walks them then.
TOWARDS_PROGRAM = ("program", "cohort", "call", "application", "assignment", "review", "session", "initiative")


def _program_id(apps, object_type, object_id):
    try:
        obj = apps.get_model(object_type).objects.filter(pk=object_id).first()
    except LookupError:
        return None
    for _step in TOWARDS_PROGRAM:
        if obj is None:
            return None
        if obj._meta.label_lower == "cohorts.program":
            return obj.pk
        names = {f.name for f in obj._meta.concrete_fields if f.many_to_one or f.one_to_one}
        name = next((name for name in TOWARDS_PROGRAM if name in names), None)
        if name is None:
            return None
        if name == "program":
            return obj.program_id
        obj = getattr(obj, name)
    return None


def entries_into_contexts(apps, schema_editor):
    rows = []
    for entry in apps.get_model("incubator", "AuditEntry").objects.order_by("created_at", "pk").iterator():
        action = {
            "action": entry.action,
            "by": entry.actor_id,
            "object_type": entry.object_type,
            "object_id": entry.object_id,
            "program": _program_id(apps, entry.object_type, entry.object_id),
            "before": entry.before,
            "after": entry.after,
            "note": entry.note,
            "at": entry.created_at.isoformat(),
        }
        metadata = json.dumps({"user": entry.actor_id, "actions": [action]}, cls=DjangoJSONEncoder)
        rows.append((str(uuid.uuid4()), metadata, entry.created_at, entry.created_at))
    table = apps.get_model("pghistory", "Context")._meta.db_table
    with schema_editor.connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {table} (id, metadata, created_at, updated_at) VALUES (%s, %s::jsonb, %s, %s)", rows
        )


class Migration(migrations.Migration):
    dependencies = [
        ("incubator", "0005_user_weekly_digest"),
        ("pghistory", "0007_auto_20250421_0444"),
        ("cohorts", "0008_member_invitations"),
        ("applications", "0014_call_is_published"),
        ("mentoring", "0001_initial"),
        ("workspaces", "0005_ledger_notes_in_english"),
    ]

    operations = [
        migrations.RunPython(entries_into_contexts, migrations.RunPython.noop),
        migrations.CreateModel(
            name="AuditTrail",
            fields=[],
            options={
                "verbose_name": "audit entry",
                "verbose_name_plural": "audit entries",
                "ordering": ["-created_at"],
                "proxy": True,
                "indexes": [],
                "constraints": [],
            },
            bases=("pghistory.context",),
        ),
        migrations.DeleteModel(name="AuditEntry"),
    ]
