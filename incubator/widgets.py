"""Inputs whose value is written in the one form the browser reads, whatever the page's language (issue 19).

A browser's `<input type="date">` reads only `1999-02-03` and `<input type="time">` only `14:30`: Django's plain
DateInput writes the active language's first input format (`03/02/1999` in French, `03.02.1999` in Polish), which
the browser shows as an empty field, and the next autosave then erased the stored date. The browser shows the value
to the person in their own format; the form still reads ISO in every language (Django adds the ISO formats to every
locale's input formats)."""

import copy
import functools

from django import forms
from django.utils.html import escape
from django.utils.safestring import mark_safe

ISO_DATE = "%Y-%m-%d"
ISO_TIME = "%H:%M"


class IsoDateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format=ISO_DATE)


class IsoTimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs=None):
        super().__init__(attrs, format=ISO_TIME)


GROUP = None  # in a row of `_rows`, the value of an option group's opening or closing tag


def _rows(choices) -> tuple[tuple[str | None, str | None], ...]:
    """The choices as read now (a translated label in each language), flat: a group is its label, its options and
    an end mark."""
    rows = []
    for value, label in choices:
        if isinstance(label, (list, tuple)):
            rows.append((GROUP, str(value)))
            rows.extend((str(code), str(name)) for code, name in label)
            rows.append((GROUP, None))
        else:
            rows.append((str(value), str(label)))
    return tuple(rows)


@functools.lru_cache(maxsize=64)
def _options(rows: tuple[tuple[str | None, str | None], ...]) -> tuple[tuple[str | None, str, str], ...]:
    """Each option escaped once per list of choices and language, not once per page."""
    parts = []
    for value, label in rows:
        if value is not GROUP:
            parts.append((value, f'<option value="{escape(value)}"', f">{escape(label)}</option>"))
        elif label is not None:
            parts.append((GROUP, f'<optgroup label="{escape(label)}">', ""))
        else:
            parts.append((GROUP, "</optgroup>", ""))
    return tuple(parts)


class LongSelect(forms.Select):
    """A select of hundreds of options (the time zones), written in one pass: Django's renders a template per
    option, 20 ms for the 550 zones of every profile and sign-up page (0.2 ms here). Options carry no attribute but
    `selected`; groups one level deep."""

    template_name = "incubator/widgets/long_select.html"

    def get_context(self, name, value, attrs):
        context = forms.Widget.get_context(self, name, value, attrs)
        chosen = set(context["widget"]["value"])
        context["widget"]["options"] = mark_safe(
            "\n".join(
                f"{start}{' selected' if value is not GROUP and value in chosen else ''}{end}"
                for value, start, end in _options(_rows(self.choices))
            )
        )
        return context


class LongChoiceField(forms.TypedChoiceField):
    """The field a LongSelect draws: its choices are shared between copies of the form instead of deep-copied for
    every form built (a list of 420 zones, 4 ms a page). Forms replace a field's choices, never change them."""

    widget = LongSelect

    def __deepcopy__(self, memo):
        result = super(forms.ChoiceField, self).__deepcopy__(memo)
        result._choices = copy.copy(self._choices)
        return result
