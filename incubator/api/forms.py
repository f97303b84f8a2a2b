import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from incubator.models import ApiScope
from incubator.program_scope import programs_of

MAX_LIVE_TOKENS = 20
LIFETIMES = [(30, _("30 days")), (90, _("90 days")), (180, _("6 months")), (365, _("a year"))]


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"), max_length=100, help_text=_("What will use it, e.g. “funder's monitoring system”.")
    )
    programs = forms.ModelMultipleChoiceField(
        label=_("Programs"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("It reads only what you may read in these programs."),
    )
    scopes = forms.MultipleChoiceField(
        label=_("What it may do"), choices=ApiScope.choices, widget=forms.CheckboxSelectMultiple
    )
    lifetime = forms.TypedChoiceField(label=_("Expires after"), choices=LIFETIMES, coerce=int, initial=90)

    def __init__(self, *args, person, **kwargs):
        super().__init__(*args, **kwargs)
        self.person = person
        self.fields["programs"].queryset = programs_of(person).order_by("name")

    def clean(self):
        # Each token has its own request budget: a cap keeps one person from multiplying it at will.
        live = self.person.api_tokens.filter(revoked_at__isnull=True, expires_at__gt=timezone.now()).count()
        if live >= MAX_LIVE_TOKENS:
            raise forms.ValidationError(
                _("You have %(count)s tokens in use, the most one person may hold. Revoke one you no longer need.")
                % {"count": live}
            )
        return super().clean()

    def expires_at(self) -> datetime.datetime:
        return timezone.now() + datetime.timedelta(days=self.cleaned_data["lifetime"])
