import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from incubator import bounds
from incubator.bounds import BoundedDateField
from incubator.widgets import LongSelect
from workspaces.models import WEEKDAYS


class BookForm(forms.Form):
    """One click in the grid: `slot` is "resource id|start|end", the period in the space's wall-clock time."""

    slot = forms.RegexField(regex=r"^\d{1,18}\|\d{4}-\d{2}-\d{2}T\d{2}:\d{2}\|\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$")

    def clean(self):
        data = super().clean()
        if "slot" in data:
            resource, starts, ends = data["slot"].split("|")
            try:
                data["starts"] = datetime.datetime.strptime(starts, "%Y-%m-%dT%H:%M")
                data["ends"] = datetime.datetime.strptime(ends, "%Y-%m-%dT%H:%M")
            except ValueError:
                raise forms.ValidationError(_("This slot could not be read.")) from None
            if not (bounds.day_in_bounds(data["starts"]) and bounds.day_in_bounds(data["ends"])):
                raise forms.ValidationError(_("This slot could not be read."))
            data["resource"] = int(resource)
        return data


class RecurringForm(forms.Form):
    resource = forms.TypedChoiceField(label=_("Resource"), coerce=int)
    first_day = BoundedDateField(label=_("From"))
    weekdays = forms.TypedMultipleChoiceField(
        label=_("On"), choices=WEEKDAYS, coerce=int, widget=forms.CheckboxSelectMultiple
    )
    weeks = forms.IntegerField(label=_("For how many weeks"), min_value=1, max_value=8, initial=4)
    part = forms.ChoiceField(
        label=_("Part of the day"),
        choices=[("day", _("full day")), ("am", _("morning")), ("pm", _("afternoon"))],
        initial="day",
    )

    def __init__(self, *args, resources, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["resource"].choices = [(r.pk, r.name) for r in resources]


class InductionForm(forms.Form):
    """The participant is chosen from those the recorder works with (`people`), not typed as an email."""

    person = forms.TypedChoiceField(label=_("Participant"), coerce=int, widget=LongSelect)
    induction_type = forms.CharField(label=_("Equipment"), max_length=80)
    inducted_on = BoundedDateField(label=_("Inducted on"))
    expires_on = BoundedDateField(label=_("Expires on"), required=False)

    def __init__(self, *args, types, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.people = {person.pk: person for person in people}
        self.fields["person"].choices = [
            ("", _("Choose a participant")),
            *((pk, str(p)) for pk, p in self.people.items()),
        ]
        self.fields["induction_type"].widget = forms.Select(choices=[(t, t) for t in types])

    def chosen_person(self):
        return self.people[self.cleaned_data["person"]]


def parse_month(value: str | None, default: datetime.date) -> datetime.date | None:
    """`YYYY-MM` to the month's first day; None when it is not a real month within incubator.bounds."""
    if not value:
        return default.replace(day=1)
    return bounds.parse_month(value)


def parse_day(value: str | None) -> datetime.date | None:
    """`YYYY-MM-DD` within incubator.bounds, else None (the page falls back to this week)."""
    return bounds.parse_day(value)
