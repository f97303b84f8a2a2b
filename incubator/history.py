"""The one audit trail, django-pghistory's, and its readers.

The triggers installed by `pghistory.track` on the tracked models record every insert, update and delete of
those rows whoever makes it, each event tied to a context naming the person: the request's user
(`pghistory.middleware.HistoryMiddleware`, views and admin alike) or a service's `by` (`recorded_by` below,
which also covers Celery tasks calling services). Beside each context, a second context row holds the actions
services ran in it (`incubator.audit.audit_record`): which action, on what, why — what a trigger cannot know;
`recorded_actions` reads them and `actions_scrub` takes people's words out of them.

Each app declares its tracked event models here in its `AppConfig.ready()` with `register_kind`, naming the
path from the event row to its program (what a manager may read) and the fields holding people's words (what
erasure scrubs). Event tables refuse UPDATE and DELETE (`PGHISTORY_APPEND_ONLY`); `history_erase` is the one
path allowed past that, for one person's words only.
"""

import datetime
import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

import pghistory
import pghistory.runtime
import pgtrigger
from django.apps import apps
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import CharField, OuterRef, Q, Subquery, Value
from django.utils import formats, timezone
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from pghistory.models import Context

from incubator.models import User


def recorded_by(service):
    """Tie every row the service changes to its `by` in the history (nested in a request's context, it adds
    to it). A service run for no one (acceptance by a publish, a sweep) outside any context is "the system"."""

    @functools.wraps(service)
    def wrapper(*args, **kwargs):
        by = kwargs.get("by")
        if getattr(by, "pk", None) is not None:
            with pghistory.context(user=by.pk):
                return service(*args, **kwargs)
        if not hasattr(pghistory.runtime._tracker, "value"):
            # The context id lives until the transaction ends: an earlier service of the same transaction
            # must not lend its person to this one.
            with connection.cursor() as cursor:
                cursor.execute("SELECT set_config('pghistory.context_id', '', true)")
        return service(*args, **kwargs)

    return wrapper


@dataclass(frozen=True)
class Kind:
    key: str
    label: object  # a lazy translated string: "Decisions"
    model: str  # "applications.DecisionEvent"
    program_path: str  # from the event row to its program: "call__cohort__program"
    describe: Callable  # event -> the record in plain words: "Decision on the application of Dana"
    related: tuple[str, ...] = ()  # select_related for `describe`
    people: tuple[str, ...] = ()  # paths from the event row to the people it is about (erasure)
    application_path: str = ""  # from the event row to the application it is about (an application's erasure)
    words: tuple[str, ...] = ()  # fields holding what people wrote: blanked when one of `people` is erased
    hidden: tuple[str, ...] = ()  # fields whose changes are named but never shown (a reviewer's comment)
    ignored: tuple[str, ...] = ()  # fields `describe` already says (the record's parent), left out of changes
    labels: dict = field(default_factory=dict)  # what inserts and deletes mean: {"insert": "granted"}

    @property
    def event_model(self):
        return apps.get_model(self.model)


_kinds: dict[str, Kind] = {}


def sentence(template: str, **names) -> str:
    """A translated sentence with each name isolated in <bdi> (a Hebrew name inside an English sentence, say)."""
    return mark_safe(escape(template) % {key: format_html("<bdi>{}</bdi>", value) for key, value in names.items()})


def register_kind(kind: Kind) -> None:
    _kinds[kind.key] = kind


def kinds() -> list[Kind]:
    return list(_kinds.values())


def kind(key: str) -> Kind | None:
    return _kinds.get(key)


def history_erase(*, person=None, application=None) -> int:
    """Blank the words of and about `person` (an account's erasure) or in the records of `application` (its
    personal data erased): a review's comment, a decision's reason, a membership's reason, and the notes the
    person wrote to the actions they ran. The events stay, so counts and the trail of who did what remain; they
    name people only by their account, which an account's erasure anonymises. Runs inside the erasure's
    transaction; returns how many rows it changed."""
    changed = actions_scrub(match={"by": person.pk}, notes=True) if person is not None else 0
    for item in _kinds.values():
        if not item.words:
            continue
        where = Q(pk__in=[])
        if person is not None:
            for path in item.people:
                where |= Q(**{path: person})
        if application is not None and item.application_path:
            where |= Q(**{item.application_path: application})
        not_blank = Q()
        for name in item.words:
            not_blank |= ~Q(**{name: ""})
        model = item.event_model
        ids = list(model.objects.filter(where).filter(not_blank).values_list("pgh_id", flat=True))
        if not ids:
            continue
        # The append-only trigger refuses every UPDATE; within this block it lets these through.
        with pgtrigger.ignore(f"{model._meta.label}:append_only"):
            changed += model.objects.filter(pgh_id__in=ids).update(**dict.fromkeys(item.words, ""))
    return changed


def application_events(application, key: str) -> list:
    """The events of kind `key` about `application` (by the kind's `application_path`), oldest first, each with
    its context. One query."""
    item = _kinds[key]
    rows = item.event_model.objects.filter(**{item.application_path: application})
    return list(rows.order_by("pgh_id").select_related("pgh_context"))


def _action_matches(entry: dict, match: dict, object_ids) -> bool:
    if object_ids is not None and entry.get("object_id") not in object_ids:
        return False
    return all(entry.get(key) == value for key, value in match.items())


def _contexts_with(match: dict, object_ids):
    if object_ids is None:
        return Context.objects.filter(metadata__actions__contains=[match])
    where = Q(pk__in=[])
    for object_id in object_ids:
        where |= Q(metadata__actions__contains=[{**match, "object_id": object_id}])
    return Context.objects.filter(where)


def recorded_actions(*, object_ids=None, **match) -> list[dict]:
    """The actions services recorded (incubator/audit.py), oldest first, whose keys equal `match` (action, by,
    object_type, object_id, program) and, if given, whose object is one of `object_ids`; each names under
    "context" the history context its row events are tied to (None for an action run outside any). One query."""
    found = [
        {**entry, "context": context.metadata.get("context")}
        for context in _contexts_with(match, object_ids)
        for entry in context.metadata["actions"]
        if _action_matches(entry, match, object_ids)
    ]
    return sorted(found, key=lambda entry: entry["at"])


def _without_keys(state, keys):
    return {key: value for key, value in state.items() if key not in keys} if isinstance(state, dict) else state


def actions_scrub(*, match: dict, object_ids=None, keys=(), notes=False, when=None) -> int:
    """Take people's words out of the recorded actions whose keys equal `match` (and whose object is one of
    `object_ids`, and for which `when(entry)` holds): the named keys leave their before and after, and with
    `notes` the note is blanked. The action, its person, time and object stay. Erasure is the one caller;
    returns how many contexts changed."""

    def scrubbed(entry):
        if not _action_matches(entry, match, object_ids) or (when is not None and not when(entry)):
            return entry
        return {
            **entry,
            "before": _without_keys(entry.get("before"), keys),
            "after": _without_keys(entry.get("after"), keys),
            "note": "" if notes else entry.get("note", ""),
        }

    changed = 0
    for context in _contexts_with(match, object_ids).select_for_update():
        entries = [scrubbed(entry) for entry in context.metadata["actions"]]
        if entries != context.metadata["actions"]:
            context.metadata = {**context.metadata, "actions": entries}
            context.save(update_fields=["metadata", "updated_at"])
            changed += 1
    return changed


# Columns every tracked row has that say nothing a reader needs.
_SKIPPED = {"id", "created_at", "updated_at"}
PAGE_SIZE = 50


def _union(program, kind_keys, actor_ids):
    """One queryset of (kind, pgh_id, time) over every tracked event table of `program`, newest first."""
    parts = []
    for item in _kinds.values():
        if kind_keys and item.key not in kind_keys:
            continue
        rows = item.event_model.objects.filter(**{item.program_path: program})
        if actor_ids is not None:
            rows = rows.filter(pgh_context__metadata__user__in=actor_ids)
        parts.append(
            rows.annotate(kind=Value(item.key, output_field=CharField())).values_list(
                "kind", "pgh_id", "pgh_created_at"
            )
        )
    first, *rest = parts
    return (
        first.union(*rest, all=True).order_by("-pgh_created_at", "-pgh_id")
        if rest
        else first.order_by("-pgh_created_at", "-pgh_id")
    )


def _value(model_field, value, zone: ZoneInfo) -> str:
    if value is None or value == "":
        return "—"
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, datetime.datetime):
        return formats.date_format(timezone.localtime(value, zone), "DATETIME_FORMAT")
    if isinstance(value, datetime.date):
        return formats.date_format(value, "DATE_FORMAT")
    if hasattr(value, "lower") and hasattr(value, "upper") and not isinstance(value, str):  # a range
        return f"{_value(model_field, value.lower, zone)} – {_value(model_field, value.upper, zone)}"
    return str(value)


def _shown(event, model_field, zone: ZoneInfo) -> str:
    if model_field.is_relation:
        related = event._state.fields_cache.get(model_field.name)
        raw = getattr(event, model_field.attname)
        return str(related) if related is not None else ("—" if raw is None else f"#{raw}")
    return _value(model_field, getattr(event, model_field.attname), zone)


def _changes(item: Kind, event, before, zone: ZoneInfo) -> list[dict]:
    """(field, before, after) in words; a hidden field only says that it changed. A delete event holds the row
    as it was, an insert or update the row as it became."""
    lines = []
    for model_field in event._meta.concrete_fields:
        if model_field.name.startswith("pgh_") or model_field.name in _SKIPPED or model_field.name in item.ignored:
            continue
        new = getattr(event, model_field.attname)
        if before is not None and event.pgh_label != "delete" and getattr(before, model_field.attname) == new:
            continue
        if before is None and new in (None, ""):
            continue
        if event.pgh_label == "delete":
            old_text, new_text = _shown(event, model_field, zone), ""
        else:
            old_text = _shown(before, model_field, zone) if before is not None else ""
            new_text = _shown(event, model_field, zone)
        hidden = model_field.name in item.hidden
        lines.append(
            {
                "field": str(model_field.verbose_name),
                "before": "" if hidden else old_text,
                "after": "" if hidden else new_text,
                "hidden": hidden,
            }
        )
    return lines


def _action(item: Kind, label: str) -> str:
    if label in item.labels:
        return str(item.labels[label])
    return {"insert": _("created"), "update": _("changed"), "delete": _("deleted")}.get(label, label)


def program_history(program, *, kind_keys=(), person: str = "", page_number=1):
    """One page of `program`'s history, newest first, with the time in the program's zone (named).

    Queries: with a person filter, 1 to find the matching accounts; then 1 count and 1 page of the union of
    every tracked table; per kind present on the page, 1 for its events (with their context and what
    `describe` needs) and 1 for the events before them (the "before" of a change); 1 for the people who acted.
    The same for one event or a full page."""
    actor_ids = None
    if person:
        actor_ids = list(
            User.objects.filter(Q(email__iexact=person) | Q(name__icontains=person)).values_list("pk", flat=True)
        )
    page = Paginator(_union(program, kind_keys, actor_ids), PAGE_SIZE).get_page(page_number)
    zone = ZoneInfo(program.time_zone)
    wanted: dict[str, list[int]] = {}
    for key, pgh_id, _at in page.object_list:
        wanted.setdefault(key, []).append(pgh_id)
    events, befores = {}, {}
    for key, ids in wanted.items():
        item = _kinds[key]
        model = item.event_model
        rows = model.objects.filter(pgh_id__in=ids).select_related("pgh_context", *item.related)
        if any(f.name == "pgh_obj" for f in model._meta.fields):
            previous = model.objects.filter(pgh_obj_id=OuterRef("pgh_obj_id"), pgh_id__lt=OuterRef("pgh_id"))
            rows = rows.annotate(before_id=Subquery(previous.order_by("-pgh_id").values("pgh_id")[:1]))
        rows = list(rows)
        events.update({(key, row.pgh_id): row for row in rows})
        before_ids = [row.before_id for row in rows if getattr(row, "before_id", None)]
        if before_ids:
            earlier = model.objects.filter(pgh_id__in=before_ids).select_related(*item.related)
            befores.update({(key, row.pgh_id): row for row in earlier})
    actor_pks = {
        event.pgh_context.metadata.get("user")
        for event in events.values()
        if event.pgh_context is not None and event.pgh_context.metadata.get("user")
    }
    actors = {user.pk: user for user in User.objects.filter(pk__in=actor_pks).only("pk", "name", "email")}
    lines = []
    for key, pgh_id, at in page.object_list:
        item = _kinds[key]
        event = events.get((key, pgh_id))
        actor_pk = event.pgh_context.metadata.get("user") if event is not None and event.pgh_context else None
        actor = actors.get(actor_pk)
        who = (actor.name or actor.email) if actor else (_("a deleted account") if actor_pk else _("the system"))
        lines.append(
            {
                "when": f"{formats.date_format(timezone.localtime(at, zone), 'DATETIME_FORMAT')} ({zone.key})",
                "who": who,
                "kind": str(item.label),
                "what": item.describe(event) if event is not None else _("a record that no longer exists"),
                "action": _action(item, event.pgh_label) if event is not None else "",
                "changes": _changes(item, event, befores.get((key, getattr(event, "before_id", None))), zone)
                if event is not None
                else [],
            }
        )
    return page, lines
