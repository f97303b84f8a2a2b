"""Funders' report templates and the reports submitted through them. A template picks sections of the funder
report (mentoring.figures) in the funder's order and language; submitting freezes the figures as they read then."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cohorts.access import manages_program
from cohorts.models import Program
from incubator.audit import audit_record
from incubator.models import User
from mentoring.figures import SECTIONS, Figure, report_figures
from mentoring.report import mentoring_report
from mentoring.report_models import LANGUAGE_CODES, ReportSnapshot, ReportTemplate

# What a manager reads beside each section's checkbox.
SECTION_NAMES = {
    "totals": gettext_lazy("Totals: sessions, tours, activities and hours"),
    "kinds": gettext_lazy("Sessions by kind"),
    "hours": gettext_lazy("Hours by kind"),
    "regions": gettext_lazy("Sessions by region"),
    "tours": gettext_lazy("Tours and their activities"),
    "people": gettext_lazy("People: reached, attendance rate, sessions per participant"),
    "feedback": gettext_lazy("Feedback"),
    "gender": gettext_lazy("Participants reached by gender"),
    "age": gettext_lazy("Participants reached by age"),
    "outcomes": gettext_lazy("Outcomes"),
    "youth": gettext_lazy("Participants aged 18–29 by region and gender"),
    "alumni": gettext_lazy("Alumni"),
}
# What a submitted report keeps of each figure.
FROZEN = ("section", "key", "heading", "item", "value")
# The same report sent again this soon after is the same submission, not a second one.
RESUBMIT_WINDOW = datetime.timedelta(minutes=1)


def section_name(code: str) -> str:
    return str(SECTION_NAMES.get(code, code))


@dataclass(frozen=True)
class TemplateData:
    name: str
    funder: str
    language: str
    sections: list[str] = field(default_factory=list)
    intro: str = ""


def _checked(program: Program, data: TemplateData, template: ReportTemplate | None = None) -> TemplateData:
    """The data cleaned, or a ValidationError naming each field at fault."""
    errors: dict[str, str] = {}
    name, funder = data.name.strip(), data.funder.strip()
    if not name:
        errors["name"] = _("Give the template a name.")
    elif (
        ReportTemplate.objects.filter(program=program, name__iexact=name)
        .exclude(pk=template.pk if template else None)
        .exists()
    ):
        errors["name"] = _("This program already has a template named “%(name)s”.") % {"name": name}
    if not funder:
        errors["funder"] = _("Name the funder.")
    if data.language not in LANGUAGE_CODES:
        errors["language"] = _("Choose one of the site's languages.")
    unknown = [code for code in data.sections if code not in SECTIONS]
    if unknown:
        errors["sections"] = _("Unknown sections: %(codes)s.") % {"codes": ", ".join(unknown)}
    elif not data.sections:
        errors["sections"] = _("Choose at least one section.")
    elif len(set(data.sections)) != len(data.sections):
        errors["sections"] = _("Each section can be chosen once.")
    if errors:
        raise ValidationError(errors)
    return TemplateData(name, funder, data.language, list(data.sections), data.intro.strip())


def _gate(by: User, program: Program) -> None:
    if not manages_program(by, program):
        raise PermissionDenied(_("Only the program's managers keep its report templates."))


def report_template_create(*, program: Program, data: TemplateData, by: User) -> ReportTemplate:
    with transaction.atomic():
        Program.objects.select_for_update().get(pk=program.pk)  # two managers saving one name: one waits
        _gate(by, program)
        data = _checked(program, data)
        template = ReportTemplate.objects.create(program=program, created_by=by, **data.__dict__)
        audit_record(actor=by, action="report_template.create", obj=template, after=_audited(template))
    return template


def report_template_update(*, template: ReportTemplate, data: TemplateData, by: User) -> ReportTemplate:
    with transaction.atomic():
        Program.objects.select_for_update().get(pk=template.program_id)
        template = ReportTemplate.objects.select_for_update().get(pk=template.pk)
        _gate(by, template.program)
        before = _audited(template)
        for name, value in _checked(template.program, data, template).__dict__.items():
            setattr(template, name, value)
        template.save()
        audit_record(actor=by, action="report_template.update", obj=template, before=before, after=_audited(template))
    return template


def report_template_delete(*, template: ReportTemplate, by: User) -> None:
    """The template goes; the reports submitted through it stay, as they were submitted."""
    with transaction.atomic():
        template = ReportTemplate.objects.select_for_update().get(pk=template.pk)
        _gate(by, template.program)
        audit_record(actor=by, action="report_template.delete", obj=template, before=_audited(template))
        template.delete()


def _audited(template: ReportTemplate) -> dict:
    return {
        "name": template.name,
        "funder": template.funder,
        "language": template.language,
        "sections": list(template.sections),
    }


def template_figures(template: ReportTemplate, start: datetime.date, end: datetime.date) -> list[Figure]:
    """The funder report's figures for the period in the template's language, of its sections in its order."""
    with translation.override(template.language):
        figures = report_figures(mentoring_report(template.program, start, end))
        order = {code: i for i, code in enumerate(template.sections)}
        chosen = sorted((f for f in figures if f.section in order), key=lambda f: order[f.section])
        return [Figure(f.section, f.key, str(f.heading), str(f.item), _frozen(f.value)) for f in chosen]


def _frozen(value: object) -> object:
    """A figure's value as JSON keeps it: numbers stay numbers, anything else is its text."""
    if value is None or isinstance(value, int | float) and not isinstance(value, bool):
        return value
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return str(value)


def report_submit(
    *, template: ReportTemplate, start: datetime.date, end: datetime.date, by: User, note: str = ""
) -> ReportSnapshot:
    """Freezes the template's report for the period: its figures, title, funder, language and introduction are
    copied, so nothing that changes later (sessions, attendance, check-ins, the template) alters what was sent."""
    if start > end:
        raise ValidationError({"end": _("The period must end after it starts.")})
    with transaction.atomic():
        template = ReportTemplate.objects.select_for_update().select_related("program").get(pk=template.pk)
        _gate(by, template.program)
        # A second click on "Submit" (or a form sent twice) waits for the first under the lock and gets its report.
        just_sent = template.snapshots.filter(
            start=start, end=end, submitted_by=by, submitted_at__gte=timezone.now() - RESUBMIT_WINDOW
        ).first()
        if just_sent is not None:
            return just_sent
        figures = template_figures(template, start, end)
        snapshot = ReportSnapshot.objects.create(
            template=template,
            program=template.program,
            title=template.name,
            funder=template.funder,
            language=template.language,
            start=start,
            end=end,
            submitted_by=by,
            figures=[{name: getattr(figure, name) for name in FROZEN} for figure in figures],
            intro=template.intro,
            note=note.strip(),
        )
        audit_record(
            actor=by, action="report.submit", obj=snapshot, after={"template": template.pk, "figures": len(figures)}
        )
    return snapshot
