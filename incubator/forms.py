from django import forms
from django.conf import settings
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from incubator.models import TIME_ZONE_NAMES, User, time_zone_choices
from incubator.widgets import LongChoiceField


def set_prompt(field: forms.Field, text) -> None:
    """Say what to choose in a select's empty option, instead of Django's "---------"."""
    if hasattr(field, "empty_label"):
        field.empty_label = text
    else:
        field.choices = [("", text), *((value, label) for value, label in field.choices if value != "")]


class SignupExtraForm(forms.Form):
    """The fields allauth's signup form adds to email and password."""

    name = forms.CharField(label=_("Full name"), max_length=150)
    preferred_language = forms.ChoiceField(label=_("Preferred language"), choices=settings.LANGUAGES)
    # The page fills `browser_time_zone` from the browser (static/js/time_zone_guess.js) and preselects it in
    # the list; without JavaScript, the person chooses from the list.
    time_zone = LongChoiceField(
        label=_("Time zone"),
        choices=time_zone_choices,
        required=False,
        help_text=_("Where you are: reminders and your own times are shown in it. Deadlines keep their program's."),
    )
    browser_time_zone = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["preferred_language"].initial = get_language()
        set_prompt(self.fields["time_zone"], _("Choose your time zone"))
        self.fields["time_zone"].widget.attrs["data-guess-label"] = _("This device's time zone")

    def clean(self):
        data = super().clean()
        guessed = data.get("browser_time_zone") or ""
        if not data.get("time_zone"):
            if guessed in TIME_ZONE_NAMES:
                data["time_zone"] = guessed
            else:
                self.add_error("time_zone", _("Choose your time zone."))
        return data

    def signup(self, request, user):
        user.name = self.cleaned_data["name"]
        user.preferred_language = self.cleaned_data["preferred_language"]
        user.time_zone = self.cleaned_data["time_zone"]
        user.save(update_fields=["name", "preferred_language", "time_zone"])


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["name", "preferred_language", "time_zone", "weekly_digest"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Named in the language of this request, not in the one the form class was built in.
        self.fields["time_zone"].choices = time_zone_choices
        # The weekly digest is for program managers only: nobody else is asked about it.
        if not self.instance.pk or not self.instance.managed_programs.exists():
            del self.fields["weekly_digest"]


class AccountEraseForm(forms.Form):
    """The person confirms with their password that they mean to delete their own account."""

    password = forms.CharField(
        label=_("Your password"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("This is not your password."))
        return password
