"""The outcomes page's filters (months, region, the metric broken down by region) and those of its record list."""

import datetime
import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from cohorts.models import CheckIn
from cohorts.outcomes import months_between

MONTH = re.compile(r"(\d{4})-(\d{2})")
# A range longer than this is refused: ten years of months is already more than any cohort has.
LONGEST_RANGE = 120
# Months outside these years are refused: the calendar's last month has no month after it to count to.
FIRST_YEAR, LAST_YEAR = 1900, 2999


class MonthField(forms.Field):
    """A month typed as YYYY-MM (what <input type="month"> sends), read as its first day."""

    widget = forms.TextInput(attrs={"type": "month", "dir": "ltr", "placeholder": _("YYYY-MM")})

    def __init__(self, **kwargs):
        super().__init__(required=False, **kwargs)

    def to_python(self, value):
        text = str(value or "").strip()
        if not text:
            return None
        match = MONTH.fullmatch(text)
        try:
            if match is None or not FIRST_YEAR <= int(match[1]) <= LAST_YEAR:
                raise ValueError(text)
            return datetime.date(int(match[1]), int(match[2]), 1)
        except ValueError:
            raise ValidationError(_("Enter a month as YYYY-MM, for example 2026-03."), code="invalid") from None


def _choice_values(objects) -> list[tuple[str, str]]:
    return [("", _("All"))] + [(str(o.pk), str(o)) for o in objects]


class OutcomeFilterForm(forms.Form):
    start = MonthField(label=_("From"))
    end = MonthField(label=_("To"))
    region = forms.TypedChoiceField(label=_("Region"), required=False, coerce=int, empty_value=None)
    metric = forms.TypedChoiceField(label=_("Metric by region"), required=False, coerce=int, empty_value=None)

    def __init__(self, data, *, regions, metrics, default_months):
        # The month inputs show the months the page shows when none is asked for.
        data = data.copy()
        for key, month in zip(("start", "end"), default_months or (), strict=False):
            data.setdefault(key, f"{month:%Y-%m}")
        super().__init__(data)
        self.default_months = default_months
        self.fields["region"].choices = _choice_values(regions)
        self.fields["metric"].choices = [(str(m.pk), m.label) for m in metrics]

    def clean(self):
        data = super().clean()
        first, last = self.default_months or (None, None)
        start, end = data.get("start") or first, data.get("end") or last
        if start and end and start > end:
            raise ValidationError(_("The first month comes after the last one."))
        if start and end and len(months_between(start, end)) > LONGEST_RANGE:
            raise ValidationError(_("Choose at most ten years of months."))
        data["start"], data["end"] = start, end
        return data


class RecordFilterForm(OutcomeFilterForm):
    """The figure a record list opens: the page's filters, and a month and a status."""

    month = MonthField(label=_("Month"))
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All")), (CheckIn.Status.SUBMITTED, _("sent")), (CheckIn.Status.SKIPPED, _("skipped"))],
    )

    def __init__(self, data, *, regions, metrics, default_months):
        super().__init__(data, regions=regions, metrics=metrics, default_months=default_months)
        self.fields["metric"].label = _("Metric")
        self.fields["metric"].choices = _choice_values(metrics)
