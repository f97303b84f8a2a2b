"""What a service did, written into the one audit trail: django-pghistory's contexts.

The triggers (incubator/history.py) record which rows changed under a context naming the person. A service adds
what they cannot know: the action it ran, on which object of which program, the states it chose to keep and the
person's note. The actions run in one history context are appended, in SQL, to a second context row beside it
(its id derived from the first, its metadata naming it under "context"): the fifteen decisions of one publish
each keep their entry, an action that changed no tracked row (an export, a sign-in) is kept all the same, and
an action rolled back with its transaction is gone. They cannot share the history context's own row: pghistory
writes that row's metadata again, from memory, at every tracked change, and memory outlives a rollback.
"""

import uuid

import pghistory.runtime
from django.db import connection, models
from django.utils import timezone
from pghistory import config
from pghistory.models import Context

# The relations that lead from an acted-on object towards its program, tried in this order.
_TOWARDS_PROGRAM = ("program", "cohort", "call", "application", "assignment", "review", "session", "initiative")


def program_id_of(obj: models.Model) -> int | None:
    """The program an object belongs to, by its relations; None for what no program owns (an account, a space)."""
    for _step in range(len(_TOWARDS_PROGRAM)):
        if obj._meta.label_lower == "cohorts.program":
            return obj.pk
        names = {field.name for field in obj._meta.concrete_fields if field.many_to_one or field.one_to_one}
        name = next((name for name in _TOWARDS_PROGRAM if name in names), None)
        if name is None:
            return None
        if name == "program":
            return obj.program_id
        obj = getattr(obj, name)
        if obj is None:
            return None
    return None


def _actions_save(context_id: uuid.UUID, metadata: dict) -> None:
    """Insert the actions' context row, or append the new action to the stored ones: in SQL, so that an action
    rolled back with its transaction leaves nothing behind, in the database or in memory."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO {Context._meta.db_table} AS stored (id, metadata, created_at, updated_at)
            VALUES (%s, %s::jsonb, NOW(), NOW())
            ON CONFLICT (id) DO UPDATE SET
                metadata = jsonb_set(
                    stored.metadata, '{{actions}}', (stored.metadata -> 'actions') || (EXCLUDED.metadata -> 'actions')
                ),
                updated_at = EXCLUDED.updated_at
            """,
            [str(context_id), config.json_encoder()().encode(metadata)],
        )


def actions_context_id(context_id: uuid.UUID) -> uuid.UUID:
    """The id of the context row holding the actions run in the history context `context_id`."""
    return uuid.uuid5(context_id, "actions")


def audit_record(*, actor, action: str, obj: models.Model, before=None, after=None, note: str = "") -> dict:
    """Append one action to the actions of the current history context (outside any, the action is a context
    of its own); services call this inside their transaction. Returns the action as stored."""
    by = actor.pk if getattr(actor, "pk", None) else None
    entry = {
        "action": action,
        "by": by,
        "object_type": obj._meta.label_lower,
        "object_id": obj.pk,
        "program": program_id_of(obj),
        "before": before,
        "after": after,
        "note": note,
        "at": timezone.now().isoformat(),
    }
    current = getattr(pghistory.runtime._tracker, "value", None)
    if current is None:
        _actions_save(uuid.uuid4(), {"context": None, "user": by, "actions": [entry]})
    else:
        metadata = {"context": str(current.id), "user": current.metadata.get("user"), "actions": [entry]}
        _actions_save(actions_context_id(current.id), metadata)
    return entry


def staff_sign_in_record(sender, request, user, **kwargs) -> None:
    """A sign-in that opens the admin (a staff account's) is kept as an action: no tracked row records it."""
    if user.is_staff:
        audit_record(actor=user, action="account.staff_sign_in", obj=user)
