"""A funder's report template (the figures it asks for, in its order and language) and the reports submitted
through it, each frozen as the figures read at submission."""

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cohorts.models import Program

LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]


class ReportTemplate(models.Model):
    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, related_name="report_templates", verbose_name=_("program")
    )
    name = models.CharField(_("name"), max_length=120)
    funder = models.CharField(_("funder"), max_length=200)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    # Section codes of mentoring.figures.SECTIONS, in the funder's order.
    sections = ArrayField(models.CharField(max_length=32), verbose_name=_("sections"))
    intro = models.TextField(_("introduction"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("report template")
        verbose_name_plural = _("report templates")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(Lower("name"), "program", name="report_template_name_once_ci"),
            models.CheckConstraint(condition=Q(sections__len__gt=0), name="report_template_has_sections"),
            models.CheckConstraint(condition=Q(language__in=LANGUAGE_CODES), name="report_template_language_known"),
        ]

    def __str__(self):
        return self.name


class ReportSnapshot(models.Model):
    """A report as submitted: its figures are stored as they read then, so later sessions, check-ins or template
    changes leave it as the funder received it."""

    template = models.ForeignKey(
        ReportTemplate,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="snapshots",
        verbose_name=_("template"),
    )
    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, related_name="report_snapshots", verbose_name=_("program")
    )
    title = models.CharField(_("title"), max_length=120)
    funder = models.CharField(_("funder"), max_length=200)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    start = models.DateField(_("from"))
    end = models.DateField(_("to"))
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    # [{section, key, heading, item, value}] as rendered at submission, in the template's language.
    figures = models.JSONField(_("figures"), default=list)
    intro = models.TextField(_("introduction"), blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("submitted report")
        verbose_name_plural = _("submitted reports")
        ordering = ["-submitted_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(start__lte=F("end")), name="report_snapshot_period_in_order"),
            models.CheckConstraint(condition=Q(language__in=LANGUAGE_CODES), name="report_snapshot_language_known"),
        ]
        indexes = [models.Index(fields=["program", "-submitted_at"], name="report_snapshot_program_idx")]

    def __str__(self):
        return f"{self.title} {self.start}–{self.end}"
