"""Monthly check-ins: what a program asks its ventures every month (its metrics), and each venture's answers.

A check-in is about a calendar month and is due by the end of the 10th of the month after it, in the program's
time zone (`cohorts.checkins.window_closes`): an answer sent later is kept and marked late. Reminders go out on
the 1st and the 5th of that next month while the month is neither submitted nor skipped (cohorts/checkins.py).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cohorts.models.community import Venture
from cohorts.models.programs import Program
from incubator.api.changes import changed_at_field, changed_at_trigger
from incubator.models import CurrencyField


class MetricSet(models.Model):
    """The check-in a program's ventures answer every month; amounts of money in it are in `currency`."""

    program = models.OneToOneField(
        Program, on_delete=models.CASCADE, related_name="metric_set", verbose_name=_("program")
    )
    currency = CurrencyField(_("currency"), help_text=_("Revenue and funding are reported in this currency."))

    class Meta:
        verbose_name = _("check-in metric set")
        verbose_name_plural = _("check-in metric sets")
        constraints = [
            models.CheckConstraint(condition=Q(currency__regex=r"^[A-Z]{3}$"), name="metric_set_currency_iso_4217"),
        ]

    def __str__(self):
        return str(self.program)


class Metric(models.Model):
    """One question of the monthly check-in: a standard one (named by the portal, in the reader's language) or
    one a manager added (named by them)."""

    class Kind(models.TextChoices):
        COUNT = "count", _("count")
        MONEY = "money", _("amount of money")
        FTE = "fte", _("full-time equivalents")
        PERCENTAGE = "percentage", _("percentage")
        YES_NO = "yes_no", _("yes or no")
        TEXT = "text", _("text")

    class Standard(models.TextChoices):
        CLIENTS = "clients", _("Clients")
        REVENUE = "revenue", _("Revenue")
        JOBS = "jobs", _("Paid jobs (full-time equivalents)")
        VOLUNTEERS = "volunteers", _("Volunteers")
        FUNDING = "funding", _("Funding raised")
        HIGHLIGHT = "highlight", _("Highlight of the month")
        BLOCKER = "blocker", _("What is blocking you")

    metric_set = models.ForeignKey(
        MetricSet, on_delete=models.CASCADE, related_name="metrics", verbose_name=_("metric set")
    )
    standard = models.CharField(_("standard metric"), max_length=16, choices=Standard.choices, blank=True)
    name = models.CharField(_("name"), max_length=120, blank=True)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    # A retired metric is no longer asked; the answers given to it stay (an answered metric is never deleted).
    retired = models.BooleanField(_("retired"), default=False, db_default=False)
    changed_at = changed_at_field()

    class Meta:
        verbose_name = _("check-in metric")
        verbose_name_plural = _("check-in metrics")
        ordering = ["metric_set", "position", "id"]
        triggers = [changed_at_trigger()]
        constraints = [
            models.UniqueConstraint(
                fields=["metric_set", "standard"], condition=~Q(standard=""), name="metric_standard_once"
            ),
            models.UniqueConstraint(
                "metric_set", Lower("name"), condition=~Q(name=""), name="metric_name_unique_per_set_ci"
            ),
            models.CheckConstraint(condition=~Q(standard="") | ~Q(name=""), name="metric_standard_or_named"),
            models.CheckConstraint(condition=Q(standard="") | Q(retired=False), name="metric_standard_never_retired"),
        ]

    def __str__(self):
        return self.label

    @property
    def label(self) -> str:
        return str(self.Standard(self.standard).label) if self.standard else self.name

    @property
    def is_numeric(self) -> bool:
        return self.kind in (self.Kind.COUNT, self.Kind.MONEY, self.Kind.FTE, self.Kind.PERCENTAGE)


class CheckIn(models.Model):
    """A venture's answer for one month. Changed by `cohorts.checkins` only: a draft keeps what was typed; a
    submitted or skipped month is final."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        SUBMITTED = "submitted", _("submitted")
        SKIPPED = "skipped", _("skipped")

    venture = models.ForeignKey(Venture, on_delete=models.CASCADE, related_name="checkins", verbose_name=_("venture"))
    month = models.DateField(_("month"), help_text=_("The first day of the month the check-in is about."))
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.DRAFT)
    skip_reason = models.TextField(_("why this month is skipped"), blank=True)
    submitted_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("answered by"),
    )
    late = models.BooleanField(_("late"), default=False)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)
    changed_at = changed_at_field()

    class Meta:
        verbose_name = _("check-in")
        verbose_name_plural = _("check-ins")
        ordering = ["venture", "month"]
        triggers = [changed_at_trigger()]
        constraints = [
            models.UniqueConstraint(fields=["venture", "month"], name="checkin_once_per_venture_month"),
            models.CheckConstraint(condition=Q(month__day=1), name="checkin_month_first_day"),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(submitted_at__isnull=False), name="checkin_answered_has_time"
            ),
            models.CheckConstraint(
                condition=~Q(status="skipped") | ~Q(skip_reason__regex=r"^\s*$"), name="checkin_skip_has_reason"
            ),
            models.CheckConstraint(condition=~Q(status="draft") | Q(late=False), name="checkin_draft_not_late"),
        ]

    def __str__(self):
        return f"{self.venture} {self.month:%Y-%m}"


class CheckInAnswer(models.Model):
    """One metric's answer: `typed` is what the person typed (a draft may hold anything); a submitted answer also
    holds its value in the column of its metric's kind, which the database checks."""

    checkin = models.ForeignKey(CheckIn, on_delete=models.CASCADE, related_name="answers", verbose_name=_("check-in"))
    metric = models.ForeignKey(Metric, on_delete=models.PROTECT, related_name="answers", verbose_name=_("metric"))
    typed = models.TextField(_("as typed"), blank=True)
    count = models.BigIntegerField(_("count"), null=True, blank=True)
    # A loss is a negative revenue: amounts may be below zero.
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2, null=True, blank=True)
    currency = models.CharField(_("currency"), max_length=3, blank=True)
    fte = models.DecimalField(_("full-time equivalents"), max_digits=7, decimal_places=2, null=True, blank=True)
    percentage = models.DecimalField(_("percentage"), max_digits=5, decimal_places=2, null=True, blank=True)
    yes_no = models.BooleanField(_("yes or no"), null=True, blank=True)
    text = models.TextField(_("text"), blank=True)

    class Meta:
        verbose_name = _("check-in answer")
        verbose_name_plural = _("check-in answers")
        constraints = [
            models.UniqueConstraint(fields=["checkin", "metric"], name="checkin_answer_once_per_metric"),
            models.CheckConstraint(
                condition=Q(count__isnull=True) | Q(count__gte=0), name="checkin_count_not_negative"
            ),
            models.CheckConstraint(condition=Q(fte__isnull=True) | Q(fte__gte=0), name="checkin_fte_not_negative"),
            models.CheckConstraint(
                condition=Q(percentage__isnull=True) | Q(percentage__gte=0, percentage__lte=100),
                name="checkin_percentage_0_100",
            ),
            models.CheckConstraint(
                condition=Q(amount__isnull=True) | Q(currency__regex=r"^[A-Z]{3}$"), name="checkin_amount_has_currency"
            ),
        ]

    def __str__(self):
        return self.metric.label

    @property
    def value(self):
        """The stored value of the metric's kind (None when unanswered)."""
        column = {"money": "amount", "yes_no": "yes_no", "text": "text"}.get(self.metric.kind, self.metric.kind)
        return getattr(self, column)
