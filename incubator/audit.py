"""What a service did, written into the one audit trail: django-pghistory's context.

The triggers (incubator/history.py) record which rows changed under a context naming the person. A service adds
what they cannot know: the action it ran, on which object of which program, the states it chose to keep and the
person's note. Each action is appended to the `actions` list of the context's metadata, so the fifteen decisions
of one publish each keep their entry, and the context row is written at once, so an action that changed no
tracked row (an export, a sign-in) is kept too. The context row lives and dies with the transaction.
"""

import pghistory
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


def _context_save(context: pghistory.runtime.Context) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO {Context._meta.db_table} (id, metadata, created_at, updated_at)
            VALUES (%s, %s::jsonb, NOW(), NOW())
            ON CONFLICT (id) DO UPDATE SET metadata = EXCLUDED.metadata, updated_at = EXCLUDED.updated_at
            """,
            [str(context.id), config.json_encoder()().encode(context.metadata)],
        )


def audit_record(*, actor, action: str, obj: models.Model, before=None, after=None, note: str = "") -> dict:
    """Add one action to the current history context (opening one for the transaction if none is open) and
    save the context; services call this inside their transaction. Returns the action as stored."""
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
    if hasattr(pghistory.runtime._tracker, "value"):
        current = pghistory.runtime._tracker.value
        current.metadata.setdefault("actions", []).append(entry)
        _context_save(current)
    else:
        # No request or service context: this action gets its own, and the rows the rest of the transaction
        # changes are tied to it (the context id lives until the transaction ends).
        with pghistory.context(user=by, actions=[entry]) as current:
            _context_save(current)
    return entry
