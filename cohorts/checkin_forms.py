"""The check-in form: one field a metric, each kept as typed (the services read and check the values)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from cohorts.checkin_values import NO, YES
from cohorts.models import CheckInAnswer, Metric

YES_NO = [(YES, _("Yes")), (NO, _("No"))]


def metric_field_name(metric: Metric) -> str:
    return f"m_{metric.pk}"


def _field(metric: Metric, currency: str) -> forms.Field:
    common = {"label": metric.label, "required": False}
    if metric.kind == Metric.Kind.TEXT:
        return forms.CharField(widget=forms.Textarea(attrs={"rows": 3, "dir": "auto"}), strip=False, **common)
    if metric.kind == Metric.Kind.YES_NO:
        return forms.ChoiceField(choices=YES_NO, widget=forms.RadioSelect, **common)
    # Text, not type="number": the number stays as the person wrote it in their language ("1 234,50").
    mode = "numeric" if metric.kind == Metric.Kind.COUNT else "decimal"
    help_text = {
        Metric.Kind.MONEY: _("In %(currency)s; a loss is a negative amount.") % {"currency": currency},
        Metric.Kind.PERCENTAGE: _("From 0 to 100."),
        Metric.Kind.FTE: _("Full-time equivalents: two half-time jobs are 1."),
    }.get(metric.kind, "")
    widget = forms.TextInput(attrs={"inputmode": mode, "dir": "ltr", "autocomplete": "off"})
    return forms.CharField(widget=widget, help_text=help_text, max_length=40, **common)


class CheckInForm(forms.Form):
    """The month's answers; `currency` is the program's, sent back so that an amount in another one is refused."""

    use_required_attribute = False

    currency = forms.CharField(widget=forms.HiddenInput, max_length=3, required=False)

    def __init__(self, *args, metrics: list[Metric], currency: str, answers: dict[int, CheckInAnswer], **kwargs):
        super().__init__(*args, **kwargs)
        self.metrics = metrics
        self.fields["currency"].initial = currency
        for metric in metrics:
            name = metric_field_name(metric)
            self.fields[name] = _field(metric, currency)
            if metric.pk in answers:
                self.fields[name].initial = answers[metric.pk].typed

    def typed(self) -> dict[int, str]:
        """{metric id: what was typed} from the posted data, unchanged."""
        return {metric.pk: self.data.get(metric_field_name(metric), "") for metric in self.metrics}

    def posted_currency(self) -> str:
        return self.data.get("currency", "")

    def show_errors(self, messages: dict[int, list[str]]) -> None:
        for metric in self.metrics:
            for message in messages.get(metric.pk, []):
                self.add_error(metric_field_name(metric), message)


class SkipForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is this month skipped?"), widget=forms.Textarea(attrs={"rows": 2, "dir": "auto"}), required=False
    )
