"""The HTML of the grid's slots. Written in Python rather than as an included template, and with every label
translated once per page rather than once per slot: a week grid has a thousand slots, and the template version
took the page of 200 resources to about a second. Plain `html.escape` (what Django's escape calls) keeps the
per-slot cost down; the result is marked safe once per row."""

from html import escape

from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from incubator.when import format_day, format_money
from workspaces.models import Resource
from workspaces.selectors import CLOSED, FREE, MINE, TAKEN, Cell


class Labels:
    """The page's words, in the active language, looked up once."""

    def __init__(self):
        self.book = _("Free: book %(r)s, %(d)s, %(s)s–%(e)s")
        self.cancel_label = _("Cancel my booking of %(r)s, %(d)s, %(s)s–%(e)s")
        self.free = {"am": _("Morning: free"), "pm": _("Afternoon: free"), "": _("Free")}
        self.part = {"am": " · " + _("morning"), "pm": " · " + _("afternoon")}
        self.mine, self.checked_in = _("Yours"), _("Yours, checked in")
        self.confirm, self.cancel = _("Cancel this booking?"), _("Cancel")
        self.other = {TAKEN: ("✕", escape(_("Taken"))), CLOSED: ("⊘", escape(_("Closed")))}
        self.past = ("–", escape(_("Past")))
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


def render_slot(cell: Cell, labels: Labels) -> str:
    """The slot's HTML; it sits inside the grid's one form (which carries the CSRF token), so a free slot is a
    single submit button whose value names the resource and the period."""
    slot_id = f"slot-{cell.resource.pk}-{cell.starts:%Y%m%d%H%M}"
    opening = f'<div class="slot slot-{cell.state}" id="{slot_id}" data-state="{cell.state}" data-testid="slot">'
    if cell.state == FREE:
        body = (
            # The button and the cancel link share an id, so htmx puts the keyboard focus back on the slot's
            # new control after the swap rather than dropping it to the top of the page.
            f'<button type="submit" id="{slot_id}-action" name="slot" '
            f'value="{cell.resource.pk}|{cell.starts:%Y-%m-%dT%H:%M}|'
            f'{cell.ends:%Y-%m-%dT%H:%M}" formaction="{labels.book_url}" hx-post="{labels.book_url}" '
            f'class="btn btn-outline-success w-100" aria-label="{escape(labels.book % labels.describe(cell))}">'
            f'<span aria-hidden="true">○ </span>{escape(labels.free.get(cell.label, labels.free[""]))}</button>'
        )
    elif cell.state == MINE:
        cancel = ""
        if not cell.checked_in:
            # Without JavaScript the link opens the confirmation page; with htmx it asks, then cancels in place.
            url = reverse("workspaces:booking_cancel", args=[cell.booking_id])
            cancel = format_html(
                '<a class="d-block link-light small" id="{slot_id}-action" href="{url}" hx-post="{url}" '
                'hx-vals=\'{{"from": "grid"}}\' '
                'hx-confirm="{confirm}" aria-label="{label}">{text}</a>',
                slot_id=slot_id,
                url=url,
                confirm=labels.confirm,
                label=labels.cancel_label % labels.describe(cell),
                text=labels.cancel,
            )
        body = format_html(
            '<span class="slot-state"><span aria-hidden="true">★ </span>{text}{part}{cancel}</span>',
            text=labels.checked_in if cell.checked_in else labels.mine,
            part=labels.part.get(cell.label, ""),
            cancel=cancel,
        )
    else:
        icon, text = labels.other.get(cell.state, labels.past)
        part = escape(labels.part.get(cell.label, "")) if cell.state == TAKEN else ""
        body = f'<span class="slot-state"><span aria-hidden="true">{icon} </span>{text}{part}</span>'
    # Every value from outside (names, labels) was escaped above; the rest are numbers and dates.
    return opening + body + "</div>"


def render_rows(rows, labels: Labels, *, testid: str) -> list[SafeString]:
    """The HTML of each row of the grid: the resource as a row header, then a cell per day (two slots for a
    half-day resource) or per hour."""
    rendered = []
    for row in rows:
        resource = row.resource
        price = format_money(row.price)
        kind = f"{labels.kinds[resource.kind]} · {price} / {labels.units[resource.unit]}"
        if resource.induction_type:
            kind += f" · {labels.induction}"
        html = [
            f'<tr data-testid="{testid}"><th scope="row"><span dir="auto">{escape(resource.name)}</span> '
            f'<span class="small text-muted d-block">{escape(kind)}</span></th>'
        ]
        previous_day = None
        for cell in row.cells:
            # A half-day resource has two slots a day, in one cell.
            if not (cell.resource.unit == Resource.Unit.HALF_DAY and cell.day == previous_day):
                html.append("</td><td>" if previous_day is not None else "<td>")
            html.append(render_slot(cell, labels))
            previous_day = cell.day
        html.append("</td></tr>" if previous_day is not None else "</tr>")
        rendered.append(mark_safe("".join(html)))  # noqa: S308 - built from escaped values only
    return rendered
