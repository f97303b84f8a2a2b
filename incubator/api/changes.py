"""`changed_at`: when a row last changed, kept by the database itself, so `?updated_since=` misses no change,
whether a service, the admin or a queryset `update()` made it."""

import pgtrigger
from django.db import models
from django.db.models.functions import Now
from django.utils.translation import gettext_lazy as _


def changed_at_field() -> models.DateTimeField:
    return models.DateTimeField(_("changed at"), db_default=Now(), editable=False)


def changed_at_trigger() -> pgtrigger.Trigger:
    # The time of the write itself, not of its transaction's start; it still precedes the commit, so a client
    # syncing with `updated_since` overlaps its windows by a few seconds (README.md, "API").
    return pgtrigger.Trigger(
        name="keep_changed_at",
        when=pgtrigger.Before,
        operation=pgtrigger.Insert | pgtrigger.Update,
        func="NEW.changed_at = clock_timestamp(); RETURN NEW;",
    )
