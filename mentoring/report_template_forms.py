"""Forms of the funders' report templates: the template itself (sections chosen by checkbox, ordered by number)
and the period a report covers."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from incubator.bounds import BoundedDateField
from mentoring.figures import SECTIONS
from mentoring.report_models import ReportTemplate
from mentoring.report_templates import TemplateData, section_name

ORDER_MAX = 99


class ReportTemplateForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120, widget=forms.TextInput(attrs={"dir": "auto"}))
    funder = forms.CharField(label=_("Funder"), max_length=200, widget=forms.TextInput(attrs={"dir": "auto"}))
    language = forms.ChoiceField(label=_("Language of the report"), choices=settings.LANGUAGES)
    sections = forms.MultipleChoiceField(
        label=_("Sections"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one section.")},
    )
    intro = forms.CharField(label=_("Introduction"), widget=forms.Textarea(attrs={"rows": 3, "dir": "auto"}),
                            required=False)  # fmt: skip

    def __init__(self, *args, template: ReportTemplate | None = None, **kwargs):
        if template is not None and "data" not in kwargs and not args:
            kwargs["initial"] = {
                "name": template.name,
                "funder": template.funder,
                "language": template.language,
                "sections": template.sections,
                "intro": template.intro,
                **{f"order_{code}": i for i, code in enumerate(template.sections, start=1)},
            }
        super().__init__(*args, **kwargs)
        self.fields["sections"].choices = [(code, section_name(code)) for code in SECTIONS]
        for code in SECTIONS:
            self.fields[f"order_{code}"] = forms.IntegerField(
                label=_("Position of “%(section)s”") % {"section": section_name(code)},
                min_value=1,
                max_value=ORDER_MAX,
                required=False,
                widget=forms.NumberInput(attrs={"class": "form-control form-control-sm", "style": "width: 5rem"}),
            )

    def section_rows(self) -> list[tuple]:
        """(code, name, checked, position field) per section, for the table of checkboxes and positions."""
        chosen = set(self["sections"].value() or [])
        return [(code, section_name(code), code in chosen, self[f"order_{code}"]) for code in SECTIONS]

    def data_for_service(self) -> TemplateData:
        """The chosen sections by the positions typed (a section without one keeps its place among SECTIONS)."""
        data = self.cleaned_data
        chosen = data["sections"]
        ordered = sorted(chosen, key=lambda code: (data.get(f"order_{code}") or ORDER_MAX + 1, SECTIONS.index(code)))
        return TemplateData(data["name"], data["funder"], data["language"], ordered, data["intro"])


class PeriodForm(forms.Form):
    start = BoundedDateField(label=_("From"))
    end = BoundedDateField(label=_("To"))

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            raise forms.ValidationError(_("The period must end after it starts."))
        return data


class SubmitForm(PeriodForm):
    note = forms.CharField(label=_("Note to keep with the report"), widget=forms.Textarea(attrs={"rows": 2}),
                           required=False)  # fmt: skip
