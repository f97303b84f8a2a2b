"""The application form: standard data, the call's own questions and the team, saved as a draft on every change."""

import datetime
import re
from decimal import Decimal

import filetype
from django import forms
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from applications.checks import STANDARD_FIELDS
from applications.models import Application, Question
from applications.services import DraftData
from incubator.bounds import BoundedDateField

YES_NO = [("yes", _("Yes")), ("no", _("No"))]
# filetype names JPEG "jpg"; managers may write either.
EXTENSION_ALIASES = {"jpeg": "jpg", "tif": "tiff"}


def question_field_name(question: Question) -> str:
    return f"q_{question.pk}"


def _word_limit_validator(limit: int):
    def validate(value: str):
        words = len(value.split())
        if words > limit:
            raise forms.ValidationError(
                _("Please keep to %(limit)s words (now %(words)s).") % {"limit": limit, "words": words}
            )

    return validate


PHONE_CHARACTERS = re.compile(r"\+?[0-9 ()./-]+")


def validate_phone(value: str) -> None:
    """A phone number as people write it (+212 600-000 000, (02) 123 4567): 7 to 15 digits, an optional leading +."""
    digits = sum(character.isdigit() for character in value)
    if not PHONE_CHARACTERS.fullmatch(value.strip()) or not 7 <= digits <= 15:
        raise forms.ValidationError(
            _("Enter a phone number of 7 to 15 digits, for example +212 600 000 000."), code="phone"
        )


def _field_for(question: Question) -> forms.Field:
    common = {"label": question.label, "help_text": question.help_text, "required": question.required}
    kind = question.kind
    if kind == Question.Kind.SHORT_TEXT:
        return forms.CharField(max_length=500, widget=forms.TextInput(attrs={"dir": "auto"}), **common)
    if kind == Question.Kind.LONG_TEXT:
        validators = [_word_limit_validator(question.word_limit)] if question.word_limit else []
        if question.word_limit:
            common["help_text"] = " ".join(
                filter(None, [question.help_text, str(_("At most %(n)s words.") % {"n": question.word_limit})])
            )
        # The page counts the words as they are typed (static/js/application_form.js).
        attrs = {"rows": 5, "dir": "auto"} | ({"data-word-limit": question.word_limit} if question.word_limit else {})
        return forms.CharField(widget=forms.Textarea(attrs=attrs), validators=validators, **common)
    if kind == Question.Kind.NUMBER:
        return forms.DecimalField(max_digits=14, decimal_places=2, **common)
    if kind == Question.Kind.DATE:
        return BoundedDateField(**common)
    if kind == Question.Kind.YES_NO:
        return forms.ChoiceField(choices=YES_NO, widget=forms.RadioSelect, **common)
    if kind == Question.Kind.SINGLE_CHOICE:
        return forms.ChoiceField(choices=[(c, c) for c in question.choice_list()], widget=forms.RadioSelect, **common)
    if kind == Question.Kind.MULTIPLE_CHOICE:
        choices = [(c, c) for c in question.choice_list()]
        return forms.MultipleChoiceField(choices=choices, widget=forms.CheckboxSelectMultiple, **common)
    if kind == Question.Kind.URL:
        return forms.URLField(assume_scheme="https", widget=forms.URLInput(attrs={"dir": "ltr"}), **common)
    if kind == Question.Kind.EMAIL:
        return forms.EmailField(widget=forms.EmailInput(attrs={"dir": "ltr"}), **common)
    if kind == Question.Kind.PHONE:
        return forms.CharField(
            max_length=40, validators=[validate_phone], widget=forms.TextInput(attrs={"type": "tel", "dir": "ltr"}),
            **common,
        )  # fmt: skip
    types = ", ".join(ext.upper() for ext in question.file_types())
    common["help_text"] = " ".join(
        filter(
            None,
            [
                question.help_text,
                str(_("%(types)s, up to %(mb)s MB.") % {"types": types, "mb": question.max_file_size_mb}),
            ],
        )
    )
    return forms.FileField(**common)


def check_upload(question: Question, upload) -> str:
    """The upload's real content type, or a ValidationError: the bytes decide, never the name."""
    if upload.size > question.max_file_size_mb * 1024 * 1024:
        raise forms.ValidationError(
            _("The file is too large: at most %(mb)s MB.") % {"mb": question.max_file_size_mb}, code="too_large"
        )
    head = upload.read(8192)
    upload.seek(0)
    kind = filetype.guess(head)
    allowed = {EXTENSION_ALIASES.get(ext, ext) for ext in question.file_types()}
    names = ", ".join(ext.upper() for ext in question.file_types())
    if kind is None or kind.extension not in allowed:
        raise forms.ValidationError(
            _("This file is not one of the accepted types (%(types)s).") % {"types": names}, code="wrong_type"
        )
    claimed = upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
    if EXTENSION_ALIASES.get(claimed, claimed) != kind.extension:
        raise forms.ValidationError(
            _("The file's content (%(real)s) does not match its name “%(name)s”.")
            % {"real": kind.extension.upper(), "name": upload.name},
            code="mismatch",
        )
    return kind.mime


class ApplicationForm(forms.Form):
    """Every field is optional while drafting (required ones are checked at submit), but shows as required."""

    use_required_attribute = False

    full_name = forms.CharField(label=_("Full name"), max_length=150, widget=forms.TextInput(attrs={"dir": "auto"}))
    date_of_birth = BoundedDateField(label=_("Date of birth"))
    region = forms.ModelChoiceField(label=_("Region"), queryset=None, empty_label=_("Choose your region"))
    # Numbers and addresses read left to right in every language.
    phone = forms.CharField(
        label=_("Phone"), max_length=40, widget=forms.TextInput(attrs={"type": "tel", "dir": "ltr"})
    )
    email = forms.EmailField(label=_("Email address"), widget=forms.EmailInput(attrs={"dir": "ltr"}))

    def __init__(self, *args, call, questions, application: Application | None = None, **kwargs):
        initial = {}
        if application is not None:
            initial = {
                "full_name": application.full_name,
                "date_of_birth": application.date_of_birth,
                "region": application.region_id,
                "phone": application.phone,
                "email": application.email,
            }
            initial.update({f"q_{key}": value for key, value in application.answers.items()})
            # What was typed wrong comes back exactly as typed (its errors: `show_stored_errors`).
            initial.update({name: value for name, value in application.invalid_answers.items() if name != "team"})
        super().__init__(*args, initial=initial, **kwargs)
        self.call = call
        self.questions = questions
        self.fields["region"].queryset = call.cohort.program.regions.all()
        for question in questions:
            self.fields[question_field_name(question)] = _field_for(question)
        self.uploads: dict[Question, tuple[object, str]] = {}

    def full_clean(self):
        # A draft may be incomplete: validate what was typed, keep `required` for the asterisks.
        required = {name: field.required for name, field in self.fields.items()}
        for field in self.fields.values():
            field.required = False
        try:
            super().full_clean()
        finally:
            for name, flag in required.items():
                self.fields[name].required = flag

    def clean_date_of_birth(self):
        value = self.cleaned_data.get("date_of_birth")
        if value and value > timezone.localdate():
            raise forms.ValidationError(_("The date of birth cannot be in the future."))
        return value

    def clean(self):
        for question in self.questions:
            name = question_field_name(question)
            upload = self.cleaned_data.get(name) if question.kind == Question.Kind.FILE else None
            if upload:
                try:
                    self.uploads[question] = (upload, check_upload(question, upload))
                except forms.ValidationError as error:
                    self.add_error(name, error)
        return self.cleaned_data

    def draft_data(self) -> DraftData:
        """Everything typed, ready to save: the fields that validated as values, the others exactly as typed
        (marked invalid), so that one wrong field loses neither itself nor the others."""
        data = DraftData()
        valid = self.cleaned_data
        for name in STANDARD_FIELDS:
            if name in valid and name in self.data:
                data.standard[name] = valid[name]
                data.valid.add(name)
        for question in self.questions:
            name = question_field_name(question)
            if question.kind == Question.Kind.FILE or name not in valid:
                continue
            if question.kind == Question.Kind.MULTIPLE_CHOICE:
                # An unticked checkbox list is absent from the post; the form always posts the whole page.
                data.answers[str(question.pk)] = list(valid[name])
                data.valid.add(name)
            elif name in self.data:
                data.answers[str(question.pk)] = _jsonable(valid[name])
                data.valid.add(name)
        for name in self.errors:
            field = self.fields.get(name)
            if field is None or isinstance(field, forms.FileField):
                continue  # an upload refused is not kept: its bytes are not what the call accepts
            if isinstance(field, forms.MultipleChoiceField):
                data.invalid[name] = [as_storable(value) for value in self.data.getlist(name)]
            elif name in self.data:
                data.invalid[name] = as_storable(self.data[name])
        return data

    def show_stored_errors(self, application: Application | None) -> None:
        """On an unbound form, the errors of the answers kept as typed, as if they had just been posted."""
        stored = {n: v for n, v in (application.invalid_answers if application else {}).items() if n in self.fields}
        if not stored:
            return
        posted = QueryDict(mutable=True)
        for name, value in stored.items():
            posted.setlist(name, value if isinstance(value, list) else [value])
        check = ApplicationForm(posted, call=self.call, questions=self.questions)
        check.is_valid()
        self.errors  # noqa: B018 - an unbound form's errors start empty; the stored ones are added to them
        self.cleaned_data = {}
        for name, errors in check.errors.as_data().items():
            if name in stored:
                self.add_error(name, errors)

    def error_list(self) -> list[tuple[str, str, str]]:
        """(label, message, id of the field's block on the page) of every error, in the form's order."""
        return [
            (self.fields[name].label if name in self.fields else "", message, f"div_id_{name}")
            for name, errors in self.errors.items()
            for message in errors
        ]

    def field_errors(self) -> dict[str, list[str]]:
        """{input id: messages} for every field, empty ones included, so the page can clear fixed errors."""
        return {bound.auto_id: [str(message) for message in bound.errors] for bound in self}


def _jsonable(value):
    if value is None:
        return ""
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return value


class TeamMemberForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=150, required=False)
    email = forms.EmailField(label=_("Email address"), required=False)
    role = forms.CharField(label=_("Role in the team"), max_length=100, required=False)


# absolute_max: a forged form count builds no more forms than a team may have (Django would build 1,010).
TeamFormSet = forms.formset_factory(TeamMemberForm, extra=1, max_num=10, absolute_max=10, validate_max=True)


def team_formset(application: Application | None, data=None) -> forms.BaseFormSet:
    if data is None and application is not None and "team" in application.invalid_answers:
        # Team rows kept as typed because one was not valid: shown bound, so their errors show too.
        rows = application.invalid_answers["team"]
        data = {"team-TOTAL_FORMS": str(len(rows)), "team-INITIAL_FORMS": "0"}
        for number, row in enumerate(rows):
            data.update({f"team-{number}-{key}": value for key, value in row.items()})
        return TeamFormSet(data, prefix="team")
    initial = (
        [{"name": m.name, "email": m.email, "role": m.role} for m in application.team_members.all()]
        if application
        else []
    )
    return TeamFormSet(data, initial=initial, prefix="team")


def team_formset_with_another_row(application: Application | None, data) -> forms.BaseFormSet:
    """The posted team with one more empty row, for adding a member without saving anything yet."""
    data = data.copy()
    try:
        total = int(data.get("team-TOTAL_FORMS") or 0)
    except ValueError:
        total = 0  # a tampered count: the formset reports it when the page is posted again
    data["team-TOTAL_FORMS"] = str(min(total + 1, TeamFormSet.max_num))
    return team_formset(application, data)


def team_errors(formset) -> list[tuple[str, str, str]]:
    """Every problem of the team rows as (label, message, "team"), the row named, so none is dropped unseen."""
    if formset.is_valid():
        return []
    errors = []
    for number, form in enumerate(formset.forms, start=1):
        for name, messages in form.errors.items():
            field = form.fields[name].label if name in form.fields else ""
            label = _("Team member %(number)s: %(field)s") % {"number": number, "field": field}
            errors += [(label, message, "team") for message in messages]
    return errors + [(_("Team members"), message, "team") for message in formset.non_form_errors()]


def team_data(formset) -> list[dict] | None:
    """Team rows to save, or None when the team part was not valid (the saved team is then kept)."""
    if not formset.is_valid():
        return None
    return [form.cleaned_data for form in formset if form.cleaned_data.get("name")]


def as_storable(text: str) -> str:
    """What was typed, minus NUL characters: no keyboard types them and PostgreSQL text cannot hold them."""
    return text.replace("\x00", "")


def team_as_typed(formset) -> list[dict]:
    """The posted team rows exactly as typed, to keep them in a draft when one of them is not valid."""
    return [
        {key: as_storable(form.data.get(form.add_prefix(key), "")) for key in ("name", "email", "role")}
        for form in formset.forms
    ]
