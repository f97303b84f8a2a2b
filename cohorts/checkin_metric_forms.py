"""The forms of a program's metric set page: its currency, a metric of the program's own, a new name."""

from django import forms
from django.utils.translation import gettext_lazy as _

from cohorts.models import Metric, MetricSet

OWN_KINDS = [(value, label) for value, label in Metric.Kind.choices if value != Metric.Kind.FTE]
NAME_LENGTH = Metric._meta.get_field("name").max_length


class CurrencyForm(forms.ModelForm):
    class Meta:
        model = MetricSet
        fields = ["currency"]


class MetricAddForm(forms.Form):
    name = forms.CharField(
        label=_("Metric name"), max_length=NAME_LENGTH, widget=forms.TextInput(attrs={"dir": "auto"})
    )
    kind = forms.ChoiceField(label=_("Answered as"), choices=OWN_KINDS)


class MetricRenameForm(forms.Form):
    name = forms.CharField(label=_("New name"), max_length=NAME_LENGTH, widget=forms.TextInput(attrs={"dir": "auto"}))
