"""The alumni survey's form: every field kept as typed; `cohorts.alumni_survey` reads and checks the answer, and
its messages are put beside the fields."""

from django import forms
from django.utils.translation import gettext_lazy as _

from cohorts.alumni import band_choices
from cohorts.models import AlumniSurvey

FIELDS = ("venture", "jobs", "revenue_band", "helped_most", "comment")


class PostedChoice(forms.ChoiceField):
    """A choice shown as radio buttons and passed on as posted: the service says what is wrong with it."""

    def valid_value(self, value):
        return True


def _choice(label, choices, help_text=""):
    return PostedChoice(label=label, choices=choices, widget=forms.RadioSelect, required=False, help_text=help_text)


class AlumniSurveyForm(forms.Form):
    use_required_attribute = False

    def __init__(self, *args, currency: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["venture"] = _choice(_("Is your venture active today?"), AlumniSurvey.Venture.choices)
        # Text, not type="number": the number stays as the person wrote it in their language ("1,5").
        self.fields["jobs"] = forms.CharField(
            label=_("Paid jobs in your venture now (full-time equivalents)"),
            help_text=_("Two half-time jobs are 1; count yourself if you are paid. Only for an active venture."),
            widget=forms.TextInput(attrs={"inputmode": "decimal", "dir": "ltr", "autocomplete": "off"}),
            max_length=40,
            required=False,
        )
        self.fields["revenue_band"] = _choice(
            _("Your venture's revenue in the last 12 months"),
            band_choices(currency),
            help_text=_("Only for an active venture."),
        )
        self.fields["helped_most"] = _choice(_("What helped you most in the program?"), AlumniSurvey.Helped.choices)
        self.fields["comment"] = forms.CharField(
            label=_("Anything you would like to add? (optional)"),
            widget=forms.Textarea(attrs={"rows": 3, "dir": "auto"}),
            required=False,
            strip=False,
        )

    def typed(self) -> dict[str, str]:
        return {name: self.data.get(name, "") for name in FIELDS}

    def show_errors(self, messages: dict[str, list[str]]) -> None:
        for name, field_messages in messages.items():
            for message in field_messages:
                self.add_error(name if name in self.fields else None, message)
