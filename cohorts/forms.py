from django import forms
from django.contrib.postgres.forms import SimpleArrayField
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from cohorts.access import COMMUNITY_STATUSES
from cohorts.models import FIELD_CHOICES, Initiative, MemberProfile, Membership, Post, Venture
from cohorts.photos import PhotoRefused, name_matches, photo_reencode, sniff_photo
from cohorts.services import ALLOWED_STATUS_CHANGES
from incubator.bounds import BoundedDateField
from incubator.forms import set_prompt
from incubator.models import WebhookDelivery, WebhookEventName
from incubator.widgets import IsoDateInput

# A phone's 12-megapixel photo (up to about 10 MB) is taken as it is and drawn again at 1200 pixels.
PHOTO_MAX_MEGABYTES = 15
PHOTO_MAX_BYTES = PHOTO_MAX_MEGABYTES * 1024 * 1024


def photo_too_large() -> str:
    return _("The photo is larger than %(size)s MB; choose a smaller one.") % {"size": PHOTO_MAX_MEGABYTES}


class CommaListField(SimpleArrayField):
    """A comma-separated list, trimmed, without empty or repeated items."""

    def __init__(self, **kwargs):
        super().__init__(forms.CharField(max_length=60), required=False, **kwargs)

    def to_python(self, value):
        items = [item.strip() for item in (value or "").split(",")]
        return super().to_python(",".join(dict.fromkeys(item for item in items if item)))


class ProfileForm(forms.ModelForm):
    skills = CommaListField(label=_("Skills"), help_text=_("Separate them with commas."))
    languages = CommaListField(label=_("Languages"), help_text=_("Separate them with commas."))

    class Meta:
        model = MemberProfile
        fields = [
            "photo",
            "headline",
            "field",
            "skills",
            "offers",
            "needs",
            "languages",
            "contact_email",
            "contact_phone",
            "contact_consent",
        ]
        widgets = {
            "photo": forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
            "offers": forms.Textarea(attrs={"rows": 3}),
            "needs": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "contact_consent": _("Without this, your contact details stay hidden from everyone in the directory."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        set_prompt(self.fields["field"], _("Choose your field"))
        photo = self.fields["photo"]
        photo.help_text = _(
            "JPEG, PNG or WebP, up to %(size)s MB. It is shown at most 1200 pixels wide, without its location data."
        ) % {"size": PHOTO_MAX_MEGABYTES}
        photo.widget.attrs.update({"data-max-bytes": PHOTO_MAX_BYTES, "data-too-large": photo_too_large()})

    def clean_photo(self):
        photo = self.cleaned_data.get("photo")
        if not photo or not hasattr(photo, "content_type"):
            return photo  # unchanged or cleared
        if photo.size > PHOTO_MAX_BYTES:
            raise forms.ValidationError(photo_too_large())
        # The content decides, not the browser's claim; the name must agree with it (no `me.html` polyglot).
        mime = sniff_photo(photo)
        if mime is None:
            raise forms.ValidationError(_("Upload a JPEG, PNG or WebP image."), code="wrong_type")
        if not name_matches(photo.name, mime):
            raise forms.ValidationError(
                _("The photo's name “%(name)s” does not match its content; name it .jpg, .png or .webp.")
                % {"name": photo.name},
                code="mismatch",
            )
        try:
            return photo_reencode(photo, mime)
        except PhotoRefused as error:
            raise forms.ValidationError(error.message, code="unreadable") from None


class DirectoryFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    field = forms.ChoiceField(label=_("Field"), required=False)
    skill = forms.ChoiceField(label=_("Skill"), required=False)
    region = forms.TypedChoiceField(label=_("Region"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args, regions, skills, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["field"].choices = [("", _("All fields")), *FIELD_CHOICES]
        self.fields["skill"].choices = [("", _("All skills")), *((skill, skill) for skill in skills)]
        self.fields["region"].choices = [("", _("All regions")), *((region.pk, region.name) for region in regions)]


class PostForm(forms.ModelForm):
    class Meta:
        model = Post
        fields = ["kind", "title", "field", "body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        set_prompt(self.fields["kind"], _("Offer or need?"))
        set_prompt(self.fields["field"], _("Any field"))


class AnswerForm(forms.Form):
    body = forms.CharField(label=_("Your answer"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000)


class VentureForm(forms.ModelForm):
    # People type "studio.example"; it means https.
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")
    social_link = forms.URLField(label=_("Social media link"), required=False, assume_scheme="https")

    class Meta:
        model = Venture
        fields = ["name", "field", "description", "website", "social_link"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        set_prompt(self.fields["field"], _("Choose the venture's field"))


class TeamMemberForm(forms.Form):
    email = forms.EmailField(label=_("Email address"), max_length=254)  # the address columns' length
    name = forms.CharField(label=_("Name"), max_length=150, required=False)
    role = forms.CharField(label=_("Role in the team"), max_length=100, required=False)


class InviteForm(forms.Form):
    """A cohort's manager invites an email address to join it; like `RoleInviteForm`, whether an account has the
    address is never looked up here. The name typed is what the manager sees until the person accepts."""

    email = forms.EmailField(label=_("Email address"), max_length=254)  # the address columns' length
    name = forms.CharField(label=_("Full name"), max_length=150)
    region = forms.ModelChoiceField(label=_("Region"), queryset=None, required=False)

    def __init__(self, *args, cohort, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = cohort.program.regions.all()
        set_prompt(self.fields["region"], _("No region"))

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"))
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    on = BoundedDateField(label=_("From"))  # initial: the program's today, from the view

    def __init__(self, *args, membership, **kwargs):
        super().__init__(*args, **kwargs)
        allowed = ALLOWED_STATUS_CHANGES[membership.status]
        self.fields["status"].choices = [(s, label) for s, label in Membership.Status.choices if s in allowed]


class MemberNoteForm(forms.Form):
    text = forms.CharField(
        label=_("Note"),
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 3, "dir": "auto"}),
        help_text=_("Seen by the program's managers only."),
    )


class InitiativeForm(forms.ModelForm):
    class Meta:
        model = Initiative
        fields = ["title", "venture", "team", "what", "why", "how", "status", "next_step", "due_on"]
        widgets = {
            "team": forms.CheckboxSelectMultiple,
            "what": forms.Textarea(attrs={"rows": 3}),
            "why": forms.Textarea(attrs={"rows": 3}),
            "how": forms.Textarea(attrs={"rows": 3}),
            "next_step": forms.Textarea(attrs={"rows": 2}),
            "due_on": IsoDateInput(),
        }

    def __init__(self, *args, cohort, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["venture"].queryset = Venture.objects.filter(cohort=cohort)
        set_prompt(self.fields["venture"], _("No venture: an initiative of the cohort"))
        self.fields["team"].queryset = (
            self.fields["team"]
            .queryset.filter(memberships__cohort=cohort, memberships__status__in=COMMUNITY_STATUSES)
            .order_by("name")
            .distinct()
        )
        self.fields["team"].help_text = _("You join the team yourself when you are a member of the cohort.")


class ProgressForm(forms.ModelForm):
    on = BoundedDateField(label=_("Date"))  # initial: the program's today, from the view
    text = forms.CharField(label=_("Progress"), widget=forms.Textarea(attrs={"rows": 3}))

    class Meta:
        model = Initiative
        fields = ["status", "next_step"]
        widgets = {"next_step": forms.Textarea(attrs={"rows": 2})}


class MilestoneForm(forms.Form):
    title = forms.CharField(label=_("Milestone"), max_length=200)
    due_on = BoundedDateField(label=_("Due on"))


class RoleInviteForm(forms.Form):
    """A program's manager invites an email address to a role; whether an account has it is never looked up
    here, so the page answers the same for every address."""

    email = forms.EmailField(label=_("Email address"), max_length=254)  # the address columns' length
    role = forms.ChoiceField(label=_("Role"))

    def __init__(self, *args, roles, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = roles

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()


class HistoryFilterForm(forms.Form):
    """The history page's filters; an unknown kind is refused as an invalid choice (the page then shows all)."""

    kind = forms.ChoiceField(label=_("Kind of record"), required=False)
    person = forms.CharField(
        label=_("Changed by"), required=False, max_length=200, help_text=_("A name, or an exact email address.")
    )

    def __init__(self, *args, kinds=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("All kinds")), *[(kind.key, kind.label) for kind in kinds]]


class WebhookEndpointForm(forms.Form):
    url = forms.URLField(
        label=_("Address"),
        max_length=500,
        assume_scheme="https",
        help_text=_("Where to send the events, starting with https://. It must be reachable from the internet."),
    )
    events = forms.MultipleChoiceField(
        label=_("Events"),
        choices=[(code, format_lazy("{} — {}", code, label)) for code, label in WebhookEventName.choices],
        widget=forms.CheckboxSelectMultiple,
    )


class WebhookLogFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("All")), *WebhookDelivery.Status.choices], required=False
    )
