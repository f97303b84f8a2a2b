"""The scoring history of an application as sentences a manager reads, with times in the reader's zone."""

import datetime
from zoneinfo import ZoneInfo

from django.utils import timezone
from django.utils.translation import gettext as _

from applications.scoring.models import Decision, Review, ScoringEvent
from incubator.when import format_when


def _label(choices, value) -> str:
    return str(dict(choices).get(value, value)) if value else "—"


def _score_changes(before: dict, after: dict, criteria: dict[str, str]) -> list[str]:
    changes = []
    old_scores, new_scores = before.get("scores", {}), after.get("scores", {})
    for key in sorted(set(old_scores) | set(new_scores), key=lambda k: criteria.get(k, k)):
        old, new = old_scores.get(key), new_scores.get(key)
        if old != new:
            changes.append(
                _("%(criterion)s %(old)s → %(new)s")
                % {"criterion": criteria.get(key, _("a removed criterion")), "old": old or "—", "new": new or "—"}
            )
    if before.get("recommendation") != after.get("recommendation"):
        changes.append(
            _("recommendation %(old)s → %(new)s")
            % {
                "old": _label(Review.Recommendation.choices, before.get("recommendation")),
                "new": _label(Review.Recommendation.choices, after.get("recommendation")),
            }
        )
    if before.get("comment") != after.get("comment"):
        changes.append(_("comment changed"))
    if before.get("status") != after.get("status") and after.get("status") == Review.Status.SUBMITTED:
        changes.append(_("submitted"))
    return changes


def event_sentence(event: ScoringEvent, criteria: dict[str, str]) -> str:
    """ "Decision: accept → waitlist, reason …" or "Scores: Team 3 → 4; recommendation maybe → yes"."""
    before, after = event.before or {}, event.after or {}
    if event.kind == ScoringEvent.Kind.DECISION:
        new = _label(Decision.Outcome.choices, after.get("outcome"))
        sentence = (
            _("Decision: %(old)s → %(new)s")
            % {"old": _label(Decision.Outcome.choices, before.get("outcome")), "new": new}
            if before
            else _("Decision: %(new)s") % {"new": new}
        )
        if after.get("reason"):
            sentence += _(", reason “%(reason)s”") % {"reason": after["reason"]}
        return sentence
    changes = _score_changes(before, after, criteria)
    return _("Review: %(changes)s") % {"changes": "; ".join(changes) or _("saved without change")}


def history_lines(application, zone: ZoneInfo) -> list[dict]:
    """Each entry: when (in `zone`, named), who, and what, newest first. Two queries."""
    criteria = {str(pk): name for pk, name in application.call.criteria_set.values_list("pk", "name")}
    lines = []
    for event in application.scoring_events.select_related("actor"):
        local: datetime.datetime = timezone.localtime(event.at, zone)
        lines.append(
            {
                "at": format_when(local, zone),
                "actor": str(event.actor) if event.actor else _("the system"),
                "sentence": event_sentence(event, criteria),
            }
        )
    return lines
