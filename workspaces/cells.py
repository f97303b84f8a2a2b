"""What the grid's slots say, for `templates/workspaces/_grid_rows.html` to write. A week grid has a thousand slots,
so the work is done once per distinct thing rather than once per slot: every word is translated once per page,
every period's ids, values and times formatted once per period (all resources share them), a taken or closed
slot's words once per state, a row's kind and price once per price. Slots are dicts, which the template engine
reads at its first try (an object's attribute costs it a caught exception per lookup)."""

from typing import TypedDict

from django.urls import reverse
from django.utils.html import conditional_escape
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from incubator.when import format_day, format_money
from workspaces.models import Resource
from workspaces.selectors import CLOSED, FREE, MINE, PAST, TAKEN, Cell, Row

# The words a thousand slots share are escaped here once, as the template would escape them in every slot.
STATES = {state: conditional_escape(state) for state in (FREE, MINE, TAKEN, CLOSED, PAST)}
ICONS = {FREE: "○", MINE: "★", TAKEN: "✕", CLOSED: "⊘", PAST: "–"}


class Slot(TypedDict):
    """Every key is set on every slot, "" when it has none: a key the template finds missing costs it several caught
    exceptions."""

    state: str
    id: str
    icon: str
    # "Free", "Taken", "Yours · morning"…: words of the interface, translated once per page
    word: str
    label: str  # the accessible name of the slot's control: book it, or cancel my booking of it
    value: str  # a free slot's: the resource and the period its button books
    cancel_url: str  # my booking's, until I check in


class GridRow(TypedDict):
    name: str
    kind: str
    columns: list[list[Slot]]  # a table cell per day (two slots for a half-day resource) or per hour
    # Everything the row shows, for `{% kept %}` to render the row once per distinct content; None: every time.
    key: tuple | None


class Period:
    """A period's strings, the same for every resource of the grid."""

    __slots__ = ("stamp", "value", "words")

    def __init__(self, cell: Cell, day_name: str):
        self.stamp = f"{cell.starts:%Y%m%d%H%M}"
        self.value = f"{cell.starts:%Y-%m-%dT%H:%M}|{cell.ends:%Y-%m-%dT%H:%M}"
        self.words = {"d": day_name, "s": f"{cell.starts:%H:%M}", "e": f"{cell.ends:%H:%M}"}


class Labels:
    """The page's words, in the active language, looked up once."""

    def __init__(self):
        self.book = _("Free: book %(r)s, %(d)s, %(s)s–%(e)s")
        self.cancel_label = _("Cancel my booking of %(r)s, %(d)s, %(s)s–%(e)s")
        free = {"am": _("Morning: free"), "pm": _("Afternoon: free"), "": _("Free")}
        self.free = {half: conditional_escape(word) for half, word in free.items()}
        self.part = {"am": " · " + _("morning"), "pm": " · " + _("afternoon")}
        self.mine, self.checked_in = _("Yours"), _("Yours, checked in")
        self.confirm, self.cancel = _("Cancel this booking?"), _("Cancel")
        self.other = {TAKEN: _("Taken"), CLOSED: _("Closed"), PAST: _("Past")}
        self.kinds = dict(Resource.Kind.choices)
        self.units = dict(Resource.Unit.choices)
        self.induction = _("induction needed")
        self.book_url = reverse("workspaces:book")
        self.language = get_language()
        self._periods: dict = {}
        self._words: dict = {}
        self._row_kinds: dict = {}

    def period(self, cell: Cell) -> Period:
        key = (cell.starts, cell.ends)
        if key not in self._periods:
            self._periods[key] = Period(cell, format_day(cell.day, "weekday"))
        return self._periods[key]

    def word(self, cell: Cell) -> str:
        """What a slot that is not free says: its state, and for a half-day resource which half is taken."""
        key = (cell.state, cell.label, cell.checked_in)
        if key not in self._words:
            if cell.state == MINE:
                word = self.checked_in if cell.checked_in else self.mine
            else:
                word = self.other.get(cell.state, self.other[PAST])
            if cell.state in (MINE, TAKEN):
                word += self.part.get(cell.label, "")
            self._words[key] = conditional_escape(word)
        return self._words[key]

    def row_kind(self, row: Row) -> str:
        """The row header's second line: kind, price per unit, and whether an induction is needed."""
        resource = row.resource
        key = (resource.kind, resource.unit, row.price, bool(resource.induction_type))
        if key not in self._row_kinds:
            kind = f"{self.kinds[resource.kind]} · {format_money(row.price)} / {self.units[resource.unit]}"
            self._row_kinds[key] = kind + f" · {self.induction}" if resource.induction_type else kind
        return self._row_kinds[key]

    def slot(self, cell: Cell) -> Slot:
        """A free slot is a submit button of the grid's one form (which carries the CSRF token), its value naming
        the resource and the period; my booking can be cancelled until I check in."""
        period = self.period(cell)
        resource = cell.resource
        slot_id = f"slot-{resource.pk}-{period.stamp}"
        if cell.state == FREE:
            label = self.book % {"r": resource.name, **period.words}
            word = self.free.get(cell.label, self.free[""])
            value = f"{resource.pk}|{period.value}"
            return Slot(
                state=STATES[FREE], id=slot_id, icon=ICONS[FREE], word=word, label=label, value=value, cancel_url=""
            )
        icon = ICONS.get(cell.state, ICONS[PAST])
        slot = Slot(
            state=STATES[cell.state], id=slot_id, icon=icon, word=self.word(cell), label="", value="", cancel_url=""
        )
        if cell.state == MINE and not cell.checked_in:
            slot["label"] = self.cancel_label % {"r": resource.name, **period.words}
            slot["cancel_url"] = reverse("workspaces:booking_cancel", args=[cell.booking_id])
        return slot


def grid_rows(rows: list[Row], labels: Labels) -> list[GridRow]:
    """Each row of the grid: the resource (its name, kind and price as the row's header), then its slots."""
    return [_grid_row(row, labels) for row in rows]


def _grid_row(row: Row, labels: Labels) -> GridRow:
    resource = row.resource
    half_days = resource.unit == Resource.Unit.HALF_DAY
    columns, previous_day = [], None
    for cell in row.cells:
        # A half-day resource has two slots a day, in one table cell.
        if not (half_days and cell.day == previous_day):
            columns.append([])
        columns[-1].append(labels.slot(cell))
        previous_day = cell.day
    kind = labels.row_kind(row)
    shown = tuple(tuple(tuple(slot.values()) for slot in column) for column in columns)
    return GridRow(name=resource.name, kind=kind, columns=columns, key=(labels.language, resource.name, kind, shown))


def slot_row(cell: Cell, labels: Labels) -> GridRow:
    """One slot again, after a booking or a cancellation: htmx swaps it in place."""
    return GridRow(name=cell.resource.name, kind="", columns=[[labels.slot(cell)]], key=None)
