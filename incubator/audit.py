from django.db import models

from incubator.models import AuditEntry


def audit_record(*, actor, action: str, obj: models.Model, before=None, after=None, note: str = "") -> AuditEntry:
    """Write one audit row; services call this inside their transaction."""
    return AuditEntry.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        action=action,
        object_type=obj._meta.label_lower,
        object_id=obj.pk,
        before=before,
        after=after,
        note=note,
    )
