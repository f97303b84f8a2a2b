"""Figures PostgreSQL keeps for the scoring pages (their triggers are in the applications app's migrations): read
by Python, never written by it. Re-exported by applications/scoring/models.py."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class ReviewerLoad(models.Model):
    """A reviewer's assignments in one call and how many are unfinished (no review, or a draft), kept by PostgreSQL
    triggers (migration 0018) whenever an assignment is added, removed or its review's status changes, so the
    managers' "reviewer load out of balance" line reads one row per reviewer, not every assignment. Never written
    by Python."""

    call = models.ForeignKey("applications.Call", on_delete=models.CASCADE, related_name="+", verbose_name=_("call"))
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("reviewer")
    )
    assigned = models.PositiveIntegerField(_("assigned"), default=0)
    unfinished = models.PositiveIntegerField(_("unfinished"), default=0)

    class Meta:
        verbose_name = _("reviewer load")
        verbose_name_plural = _("reviewer loads")
        constraints = [models.UniqueConstraint(fields=["call", "reviewer"], name="reviewer_load_once")]

    def __str__(self):
        return f"{self.reviewer_id}: {self.unfinished}/{self.assigned}"


class ScoreSummary(models.Model):
    """One application's review figures, kept by PostgreSQL triggers (migration 0004) whenever one of its reviews
    or the application's status, eligibility or submission time changes, whatever made the change (services, the
    admin, bulk inserts). The ranking then reads one indexed row per application instead of aggregating every
    review of the call on every view. Never written by Python."""

    application = models.OneToOneField(
        "applications.Application",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="score_summary",
        verbose_name=_("application"),
    )
    call = models.ForeignKey("applications.Call", on_delete=models.CASCADE, related_name="+", verbose_name=_("call"))
    # Submitted (or decided) and eligible, the manager's override first: the applications a ranking lists.
    ranked = models.BooleanField(_("ranked"), default=False)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    review_count = models.PositiveIntegerField(_("reviews"), default=0)
    mean = models.FloatField(_("mean"), null=True, blank=True)
    median = models.FloatField(_("median"), null=True, blank=True)
    stddev = models.FloatField(_("standard deviation"), null=True, blank=True)
    yes = models.PositiveIntegerField(_("yes"), default=0)
    maybe = models.PositiveIntegerField(_("maybe"), default=0)
    no = models.PositiveIntegerField(_("no"), default=0)

    class Meta:
        verbose_name = _("score summary")
        verbose_name_plural = _("score summaries")
        # The ranking order (with its tie-break) as an index, so the first page is read in order, 50 rows.
        indexes = [
            models.Index(
                "call",
                F("mean").desc(nulls_last=True),
                F("median").desc(nulls_last=True),
                "submitted_at",
                "application",
                condition=Q(ranked=True),
                name="score_summary_rank_idx",
            )
        ]

    def __str__(self):
        return str(self.application_id)
