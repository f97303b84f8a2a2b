"""What the grid's slots say, for `templates/workspaces/_grid_rows.html` to write. Every label is translated
once per page rather than once per slot, and each slot's ids, values and labels are formatted here, so the
template only places them: a week grid has a thousand slots, and per-slot translations and date filters in the
template took the page of 200 resources to about a second."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext as _

from incubator.when import format_day, format_money
from workspaces.models import Resource
from workspaces.selectors import CLOSED, FREE, MINE, PAST, TAKEN, Cell, Row

ICONS = {FREE: "○", MINE: "★", TAKEN: "✕", CLOSED: "⊘", PAST: "–"}


@dataclass(slots=True)
class Slot:
    state: str
    id: str
    icon: str
    state_word: str  # "Free", "Taken", "Yours"…: a word of the interface, translated once per page
    part: str = ""  # " · morning" or " · afternoon" of a half-day resource's taken or own slot
    label: str = ""  # the accessible name of the slot's control: book it, or cancel my booking of it
    value: str = ""  # a free slot's: the resource and the period its button books
    cancel_url: str = ""  # my booking's, until I check in


@dataclass(slots=True)
class GridRow:
    name: str
    kind: str
    columns: list[list[Slot]]  # a table cell per day (two slots for a half-day resource) or per hour


class Labels:
    """The page's words, in the active language, looked up once."""

    def __init__(self):
        self.book = _("Free: book %(r)s, %(d)s, %(s)s–%(e)s")
        self.cancel_label = _("Cancel my booking of %(r)s, %(d)s, %(s)s–%(e)s")
        self.free = {"am": _("Morning: free"), "pm": _("Afternoon: free"), "": _("Free")}
        self.part = {"am": " · " + _("morning"), "pm": " · " + _("afternoon")}
        self.mine, self.checked_in = _("Yours"), _("Yours, checked in")
        self.confirm, self.cancel = _("Cancel this booking?"), _("Cancel")
        self.other = {TAKEN: _("Taken"), CLOSED: _("Closed"), PAST: _("Past")}
        self.kinds = dict(Resource.Kind.choices)
        self.units = dict(Resource.Unit.choices)
        self.induction = _("induction needed")
        self.book_url = reverse("workspaces:book")
        self.days: dict = {}

    def describe(self, cell: Cell) -> dict:
        if cell.day not in self.days:
            self.days[cell.day] = format_day(cell.day, "weekday")
        return {
            "r": cell.resource.name,
            "d": self.days[cell.day],
            "s": f"{cell.starts:%H:%M}",
            "e": f"{cell.ends:%H:%M}",
        }

    def slot(self, cell: Cell) -> Slot:
        """A free slot is a submit button of the grid's one form (which carries the CSRF token), its value naming
        the resource and the period; my booking can be cancelled until I check in."""
        slot_id = f"slot-{cell.resource.pk}-{cell.starts:%Y%m%d%H%M}"
        if cell.state == FREE:
            value = f"{cell.resource.pk}|{cell.starts:%Y-%m-%dT%H:%M}|{cell.ends:%Y-%m-%dT%H:%M}"
            text = self.free.get(cell.label, self.free[""])
            return Slot(FREE, slot_id, ICONS[FREE], text, label=self.book % self.describe(cell), value=value)
        part = self.part.get(cell.label, "") if cell.state in (MINE, TAKEN) else ""
        if cell.state != MINE:
            return Slot(cell.state, slot_id, ICONS.get(cell.state, ICONS[PAST]), self._other(cell.state), part)
        if cell.checked_in:
            return Slot(MINE, slot_id, ICONS[MINE], self.checked_in, part)
        url = reverse("workspaces:booking_cancel", args=[cell.booking_id])
        return Slot(MINE, slot_id, ICONS[MINE], self.mine, part, self.cancel_label % self.describe(cell), "", url)

    def _other(self, state: str) -> str:
        return self.other.get(state, self.other[PAST])


def grid_rows(rows: list[Row], labels: Labels) -> list[GridRow]:
    """Each row of the grid: the resource (its name, kind and price as the row's header), then its slots."""
    return [_grid_row(row, labels) for row in rows]


def _grid_row(row: Row, labels: Labels) -> GridRow:
    resource = row.resource
    kind = f"{labels.kinds[resource.kind]} · {format_money(row.price)} / {labels.units[resource.unit]}"
    if resource.induction_type:
        kind += f" · {labels.induction}"
    columns, previous_day = [], None
    for cell in row.cells:
        # A half-day resource has two slots a day, in one table cell.
        if not (resource.unit == Resource.Unit.HALF_DAY and cell.day == previous_day):
            columns.append([])
        columns[-1].append(labels.slot(cell))
        previous_day = cell.day
    return GridRow(resource.name, kind, columns)


def slot_row(cell: Cell, labels: Labels) -> GridRow:
    """One slot again, after a booking or a cancellation: htmx swaps it in place."""
    return GridRow(cell.resource.name, "", [[labels.slot(cell)]])
