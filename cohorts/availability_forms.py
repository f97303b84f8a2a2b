"""The forms of an availability (cohorts.models.availability): its settings, its weekly windows and its exceptions.
Used by the mentor's page and the interview panel's; each hands its cleaned rows to `availability_save`.

Times are wall-clock times in the availability's zone, typed into `<input type="time">` and dates into
`<input type="date">`, which read ISO whatever the page's language (incubator.widgets)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from cohorts.models import Availability, AvailabilityWindow
from incubator.bounds import BoundedDateField
from incubator.models import time_zone_choices
from incubator.widgets import IsoTimeInput

MAX_WINDOWS = 50
MAX_EXCEPTIONS = 100


def _field(name: str, **kwargs) -> forms.Field:
    return Availability._meta.get_field(name).formfield(**kwargs)


class AvailabilitySettingsForm(forms.Form):
    time_zone = _field("time_zone")
    slot_minutes = _field("slot_minutes", min_value=5, max_value=480)
    notice_hours = _field("notice_hours", min_value=0, max_value=24 * 60)
    horizon_days = _field("horizon_days", min_value=1, max_value=366)
    cancel_hours = _field("cancel_hours", min_value=0, max_value=24 * 60)
    place = _field("place")
    online_link = _field("online_link", assume_scheme="https")
    active = _field("active")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Named in the language of this request, not in the one the form class was built in.
        self.fields["time_zone"].choices = time_zone_choices
        self.fields["time_zone"].help_text = _("The weekly windows and exceptions are in this time zone.")


def settings_initial(availability: Availability | None, *, time_zone: str) -> dict:
    if availability is None:
        defaults = Availability(time_zone=time_zone)
        return {name: getattr(defaults, name) for name in AvailabilitySettingsForm.base_fields}
    return {name: getattr(availability, name) for name in AvailabilitySettingsForm.base_fields}


class _TimesForm(forms.Form):
    """A row with a start and an end time; a row left empty is no row."""

    starts = forms.TimeField(label=_("From"), widget=IsoTimeInput(), required=False)
    ends = forms.TimeField(label=_("Until"), widget=IsoTimeInput(), required=False)

    def clean(self):
        data = super().clean()
        starts, ends = data.get("starts"), data.get("ends")
        if starts and ends and ends <= starts:
            self.add_error("ends", _("The end must be after the start."))
        return data


class WindowForm(_TimesForm):
    weekday = forms.TypedChoiceField(
        label=_("Day"), choices=AvailabilityWindow.Weekday.choices, coerce=int, required=False
    )
    field_order = ["weekday", "starts", "ends"]

    def clean(self):
        data = super().clean()
        given = [data.get(name) is not None for name in ("starts", "ends")]
        if any(given) and not all(given):
            self.add_error(None, _("Give both the start and the end, or neither."))
        elif all(given) and data.get("weekday") is None:
            self.add_error("weekday", _("Choose the day of the week."))
        return data

    def row(self) -> dict | None:
        data = self.cleaned_data
        if data.get("starts") is None or data.get("ends") is None:
            return None
        return {"weekday": data["weekday"], "starts": data["starts"], "ends": data["ends"]}


class BaseWindowFormSet(forms.BaseFormSet):
    def clean(self):
        if any(self.errors):
            return
        rows = sorted(
            (row for row in (form.row() for form in self.forms) if row),
            key=lambda row: (row["weekday"], row["starts"]),
        )
        for before, after in zip(rows, rows[1:], strict=False):
            if before["weekday"] == after["weekday"] and after["starts"] < before["ends"]:
                raise forms.ValidationError(
                    _("Two windows on %(day)s overlap (%(first)s and %(second)s): join them or move one.")
                    % {
                        "day": AvailabilityWindow.Weekday(before["weekday"]).label,
                        "first": f"{before['starts']:%H:%M}–{before['ends']:%H:%M}",
                        "second": f"{after['starts']:%H:%M}–{after['ends']:%H:%M}",
                    }
                )

    def rows(self) -> list[dict]:
        return [row for row in (form.row() for form in self.forms) if row]


# absolute_max: a forged form count builds no more forms than are kept.
WindowFormSet = forms.formset_factory(
    WindowForm, formset=BaseWindowFormSet, extra=2, max_num=MAX_WINDOWS, absolute_max=MAX_WINDOWS, validate_max=True
)


class ExceptionForm(_TimesForm):
    CLOSED_DAY, CLOSED_HOURS, OPEN = "closed_day", "closed_hours", "open"
    KINDS = [
        (CLOSED_DAY, _("closed the whole day")),
        (CLOSED_HOURS, _("closed during these hours")),
        (OPEN, _("an extra open window")),
    ]

    on = BoundedDateField(label=_("Date"), required=False)
    kind = forms.ChoiceField(label=_("What"), choices=KINDS, initial=CLOSED_DAY)
    field_order = ["on", "kind", "starts", "ends"]

    def clean(self):
        data = super().clean()
        if data.get("on") is None:
            return data
        if data.get("kind") in (self.CLOSED_HOURS, self.OPEN):
            for name in ("starts", "ends"):
                if data.get(name) is None and name not in self.errors:
                    self.add_error(name, _("Give the hours."))
        return data

    def row(self) -> dict | None:
        data = self.cleaned_data
        if data.get("on") is None:
            return None
        if data["kind"] == self.CLOSED_DAY:
            return {"on": data["on"], "closed": True, "starts": None, "ends": None}
        return {
            "on": data["on"],
            "closed": data["kind"] == self.CLOSED_HOURS,
            "starts": data["starts"],
            "ends": data["ends"],
        }


class BaseExceptionFormSet(forms.BaseFormSet):
    def rows(self) -> list[dict]:
        return [row for row in (form.row() for form in self.forms) if row]


ExceptionFormSet = forms.formset_factory(
    ExceptionForm,
    formset=BaseExceptionFormSet,
    extra=1,
    max_num=MAX_EXCEPTIONS,
    absolute_max=MAX_EXCEPTIONS,
    validate_max=True,
)


def windows_initial(availability: Availability | None) -> list[dict]:
    if availability is None:
        return []
    return [{"weekday": w.weekday, "starts": w.starts, "ends": w.ends} for w in availability.windows.all()]


def exceptions_initial(availability: Availability | None, *, since) -> list[dict]:
    """The exceptions from `since` on: a past date's exception changes no slot any more."""
    if availability is None:
        return []
    rows = []
    for exception in availability.exceptions.all():
        if exception.on < since:
            continue
        if exception.whole_day:
            kind = ExceptionForm.CLOSED_DAY
        else:
            kind = ExceptionForm.CLOSED_HOURS if exception.closed else ExceptionForm.OPEN
        rows.append({"on": exception.on, "kind": kind, "starts": exception.starts, "ends": exception.ends})
    return rows
