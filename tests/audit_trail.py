"""The one audit trail as tests read it: the actions services recorded in pghistory's contexts."""

from types import SimpleNamespace
from zoneinfo import ZoneInfo

from applications.scoring.history import history_lines
from incubator.history import recorded_actions
from incubator.models import User


def actions(*, actor=None, **match) -> list[SimpleNamespace]:
    """The recorded actions whose keys equal `match` (action, object_type, object_id, note…), oldest first,
    each with `actor` (the account that ran it, or None), `before`, `after`, `note`…; `actor=` picks one
    person's."""
    if actor is not None:
        match["by"] = actor.pk
    found = recorded_actions(**match)
    people = User.objects.in_bulk({entry["by"] for entry in found if entry["by"]})
    return [SimpleNamespace(**entry, actor=people.get(entry["by"])) for entry in found]


def action(**match) -> SimpleNamespace:
    """The one recorded action matching, as `actions` reads them."""
    (found,) = actions(**match)
    return found


def scoring_history(application) -> list[dict]:
    """The application's scoring history as its admin page shows it (who, sentence), oldest first."""
    return history_lines(application, ZoneInfo("UTC"))[::-1]
