"""The interview stage's forms: the panel, the shortlist's "top N" with regional minimums, the chosen
applications, and the slot an applicant books."""

import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from applications.scoring.selection import Quota


class PanelForm(forms.Form):
    """Who interviews: the call's reviewers and the program's managers, named."""

    panel = forms.ModelMultipleChoiceField(
        label=_("Interview panel"), queryset=None, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["panel"].queryset = people
        self.fields["panel"].label_from_instance = lambda person: person.name or person.email


class ShortlistForm(forms.Form):
    """The top N of the written ranking, each region's minimum met first (as the selection proposal does)."""

    top = forms.IntegerField(label=_("How many to interview"), min_value=1, max_value=1000)

    def __init__(self, *args, regions, quotas, **kwargs):
        super().__init__(*args, **kwargs)
        self.regions = list(regions)
        for region in self.regions:
            quota = quotas.get(region.pk)
            self.fields[f"min_{region.pk}"] = forms.IntegerField(
                label=_("Minimum"),
                min_value=0,
                max_value=1000,
                required=False,
                initial=quota.minimum if quota else None,
            )

    def region_rows(self):
        return [(region, self[f"min_{region.pk}"]) for region in self.regions]

    def quotas(self) -> list[Quota]:
        return [
            Quota(region_id=region.pk, region_name=region.name, minimum=self.cleaned_data.get(f"min_{region.pk}") or 0)
            for region in self.regions
        ]


class ChosenForm(forms.Form):
    """The applications ticked for an interview (ids of the call's ranking, checked by the service)."""

    chosen = forms.TypedMultipleChoiceField(label=_("Shortlisted"), coerce=int, choices=())

    def __init__(self, *args, ids, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["chosen"].choices = [(pk, pk) for pk in ids]
        self.fields["chosen"].error_messages["required"] = _("Tick at least one application to interview.")


class SlotForm(forms.Form):
    """The start of the slot to book, as the page wrote it: an ISO instant with its offset."""

    at = forms.CharField(max_length=40)

    def clean_at(self) -> datetime.datetime:
        try:
            value = datetime.datetime.fromisoformat(self.cleaned_data["at"])
        except ValueError:
            raise forms.ValidationError(_("Choose one of the times offered.")) from None
        if value.tzinfo is None:
            raise forms.ValidationError(_("Choose one of the times offered."))
        return value.astimezone(datetime.UTC)
