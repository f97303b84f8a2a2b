"""Inputs whose value is written in the one form the browser reads, whatever the page's language (issue 19).

A browser's `<input type="date">` reads only `1999-02-03` and `<input type="time">` only `14:30`: Django's plain
DateInput writes the active language's first input format (`03/02/1999` in French, `03.02.1999` in Polish), which
the browser shows as an empty field, and the next autosave then erased the stored date. The browser shows the value
to the person in their own format; the form still reads ISO in every language (Django adds the ISO formats to every
locale's input formats)."""

from django import forms
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe

ISO_DATE = "%Y-%m-%d"
ISO_TIME = "%H:%M"
SELECTED = mark_safe(" selected")


class IsoDateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format=ISO_DATE)


class IsoTimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs=None):
        super().__init__(attrs, format=ISO_TIME)


class LongSelect(forms.Select):
    """A flat select of hundreds of options (the time zones), written in one pass: Django's renders a template per
    option, 20 ms for the 420 zones of every profile and sign-up page (3 ms here). No option groups; options carry
    no attribute but `selected`."""

    template_name = "incubator/widgets/long_select.html"

    def get_context(self, name, value, attrs):
        context = forms.Widget.get_context(self, name, value, attrs)
        chosen = set(context["widget"]["value"])
        context["widget"]["options"] = format_html_join(
            "\n",
            '<option value="{}"{}>{}</option>',
            ((v, SELECTED if str(v) in chosen else "", label) for v, label in self.choices),
        )
        return context
