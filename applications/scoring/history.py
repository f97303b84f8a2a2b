"""The scoring history of an application as sentences a manager reads, with times in the reader's zone, read from
the audit trail's row events of its reviews, scores and decision."""

import datetime
from collections.abc import Callable
from zoneinfo import ZoneInfo

from django.utils import timezone
from django.utils.translation import gettext as _
from pghistory.models import Context

from applications.scoring.models import Decision, Review, ReviewStage
from incubator.audit import actions_context_id
from incubator.history import application_events
from incubator.models import User
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


def _decision_state(decision: dict) -> str:
    if decision.get("status") == Decision.Status.CANCELLED:
        return _label(Decision.Status.choices, decision["status"])
    return _label(Decision.Outcome.choices, decision.get("outcome"))


def _decision_sentence(before: dict | None, after: dict) -> str:
    """ "Decision: accept → waitlist, reason …" (or "accept → cancelled")."""
    new = _decision_state(after)
    sentence = (
        _("Decision: %(old)s → %(new)s") % {"old": _decision_state(before), "new": new}
        if before
        else _("Decision: %(new)s") % {"new": new}
    )
    if after.get("reason"):
        sentence += _(", reason “%(reason)s”") % {"reason": after["reason"]}
    return sentence


def _review_changes(review_events, score_events, criteria, interview_criteria, when) -> list[tuple]:
    """(time, context, sentence) per save of a review: the review's row and its scores' rows changed under one
    context at one time are one save, read against the review's state before it. A review scoring the interview
    rubric (`interview_criteria`) is the panel's interview scores."""
    saves: dict[tuple, list] = {}
    for event in [*review_events, *score_events]:
        review_id = event.pgh_obj_id if hasattr(event, "status") else event.review_id
        saves.setdefault((event.pgh_created_at, event.pgh_context_id, review_id), []).append(event)
    states: dict[int, dict] = {}
    changes = []
    for (at, _context_id, review_id), events in sorted(saves.items(), key=lambda item: when(*item[0][:2])):
        before = states.get(review_id, {"scores": {}})
        after = {**before, "scores": dict(before["scores"])}
        for event in events:
            if hasattr(event, "status"):
                after |= {"status": event.status, "recommendation": event.recommendation, "comment": event.comment}
            elif event.pgh_label == "delete":
                after["scores"].pop(str(event.criterion_id), None)
            else:
                after["scores"][str(event.criterion_id)] = event.score
        states[review_id] = after
        interview = not interview_criteria.isdisjoint(after["scores"])
        sentence = (_("Interview: %(changes)s") if interview else _("Review: %(changes)s")) % {
            "changes": "; ".join(_score_changes(before, after, criteria)) or _("saved without change")
        }
        changes.append((at, events[0].pgh_context, sentence))
    return changes


def _decision_changes(decision_events) -> list[tuple]:
    """(time, context, sentence) per change of the decision's outcome or reason, and its cancelling (publishing
    changes none of them)."""
    changes, before = [], None
    for event in decision_events:
        status = event.status if event.status == Decision.Status.CANCELLED else ""
        after = {"outcome": event.outcome, "reason": event.reason, "status": status}
        if after != before and event.pgh_label != "delete":
            changes.append((event.pgh_created_at, event.pgh_context, _decision_sentence(before, after)))
        before = after
    return changes


def _order(contexts) -> Callable:
    """(time, context id) -> a sort key. Events of one transaction share its time: the clock's time of the first
    action recorded in each context (incubator/audit.py) orders them within it."""
    ids = {actions_context_id(context.pk): context.pk for context in contexts if context is not None}
    first = {
        ids[row.pk]: min(entry["at"] for entry in row.metadata["actions"]) for row in Context.objects.filter(pk__in=ids)
    }
    return lambda at, context_id: (at, first.get(context_id, ""))


def history_lines(application, zone: ZoneInfo) -> list[dict]:
    """Each save of a review and each decision of `application`, read from the audit trail's row events of the
    kinds "review", "score" and "decision" (incubator/history.py): when (in `zone`, named), who, and what,
    newest first. Six queries: the criteria, the reviews', the scores' and the decision's events with their
    contexts, the actions recorded in those contexts (their order within a transaction), the people who acted."""
    rubric = application.call.criteria_set.values_list("pk", "name", "stage")
    criteria = {str(pk): name for pk, name, _stage in rubric}
    interview_criteria = {str(pk) for pk, _name, stage in rubric if stage == ReviewStage.INTERVIEW}
    reviews, scores, decisions = (application_events(application, key) for key in ("review", "score", "decision"))
    when = _order({event.pgh_context for event in [*reviews, *scores, *decisions]})
    changes = _review_changes(reviews, scores, criteria, interview_criteria, when) + _decision_changes(decisions)
    people = {user.pk: user for user in User.objects.filter(pk__in={_person(context) for _at, context, _s in changes})}
    lines = []
    for at, context, sentence in sorted(
        changes, key=lambda change: when(change[0], change[1] and change[1].pk), reverse=True
    ):
        person = people.get(_person(context))
        local: datetime.datetime = timezone.localtime(at, zone)
        lines.append(
            {
                "at": format_when(local, zone),
                "actor": str(person) if person else _("the system"),
                "sentence": sentence,
            }
        )
    return lines


def _person(context) -> int | None:
    return context.metadata.get("user") if context is not None else None
