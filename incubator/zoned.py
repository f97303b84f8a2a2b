"""Datetimes of a program's objects, shown and typed in the program's time zone, whatever the person's own.

Django's admin converts datetimes with the *active* zone when it renders, which happens after the view
returns (a TemplateResponse), so activating the program's zone around the view is not enough: the page
showed the manager's own zone and the form read it back as the program's, moving deadlines on every
unchanged save. These fields do the conversion themselves, with the zone they are given."""

import datetime
from zoneinfo import ZoneInfo

from django import forms
from django.contrib.admin.widgets import AdminSplitDateTime
from django.utils import timezone
from django.utils.translation import gettext as _


class WallClockDateTimeField(forms.SplitDateTimeField):
    """A date and a time of day in `zone`. Cleans to a naive datetime: the form makes it aware with the zone
    it knows at that point (a new call's zone is the one of the program chosen in the same form)."""

    def __init__(self, *args, zone: ZoneInfo | None = None, **kwargs):
        kwargs.setdefault("widget", AdminSplitDateTime)
        super().__init__(*args, **kwargs)
        self.zone = zone

    def prepare_value(self, value):
        if isinstance(value, datetime.datetime) and timezone.is_aware(value) and self.zone is not None:
            return timezone.make_naive(value, self.zone)
        return value

    def compress(self, data_list):
        if not data_list:
            return None
        if data_list[0] in self.empty_values:
            raise forms.ValidationError(self.error_messages["invalid_date"], code="invalid_date")
        if data_list[1] in self.empty_values:
            raise forms.ValidationError(self.error_messages["invalid_time"], code="invalid_time")
        return datetime.datetime.combine(*data_list)

    def has_changed(self, initial, data):
        return super().has_changed(self.prepare_value(initial), data)


def zone_help(zone: ZoneInfo | None, fallback: str) -> str:
    if zone is None:
        return fallback
    return _("Time in %(zone)s, the program's time zone.") % {"zone": zone.key}


def use_wall_clock_fields(form: forms.BaseForm, names, zone: ZoneInfo | None, fallback_help: str) -> None:
    """Replace the form's datetime fields `names` by wall-clock fields in `zone`, the zone named beside them."""
    for name in names:
        old = form.fields[name]
        form.fields[name] = WallClockDateTimeField(
            label=old.label, required=old.required, zone=zone, help_text=zone_help(zone, fallback_help)
        )


def make_aware_in(value, zone: ZoneInfo):
    return (
        timezone.make_aware(value, zone) if isinstance(value, datetime.datetime) and timezone.is_naive(value) else value
    )


def is_today(instant: datetime.datetime, zone: ZoneInfo) -> bool:
    """Whether `instant` falls on the current day in `zone` (a reminder says "today" rather than "tomorrow")."""
    return instant.astimezone(zone).date() == timezone.now().astimezone(zone).date()
