"""The alumni outcome survey: a year after its cohort ended, each member answers once (cohorts/alumni_survey.py).

Jobs and revenue are asked about an active venture only: the database keeps them empty for a venture that closed
and for a member without one, so totals, medians and bands count active ventures alone."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cohorts.models.programs import Membership


class VentureState(models.TextChoices):
    ACTIVE = "active", _("Yes, it is active")
    CLOSED = "closed", _("No, it has closed")
    NONE = "none", _("I have no venture")


class RevenueBand(models.TextChoices):
    # Labelled with the program's currency where shown (cohorts.alumni.band_label): the codes name the bounds.
    NONE = "none", _("No revenue")
    UNDER_50K = "under_50k", _("under 50,000")
    FROM_50K = "50k_250k", _("50,000 to 250,000")
    FROM_250K = "250k_1m", _("250,000 to 1,000,000")
    OVER_1M = "over_1m", _("over 1,000,000")


class Helped(models.TextChoices):
    MENTORING = "mentoring", _("Mentoring")
    WORKSPACE = "workspace", _("The workspace")
    COMMUNITY = "community", _("The community and peers")
    TRAINING = "training", _("Training and workshops")
    FUNDING = "funding", _("Funding and introductions")
    OTHER = "other", _("Something else")


class AlumniSurvey(models.Model):
    """One member's answer, final once given. Written by `cohorts.alumni_survey.alumni_survey_answer` only."""

    Venture = VentureState
    RevenueBand = RevenueBand
    Helped = Helped

    membership = models.OneToOneField(
        Membership, on_delete=models.CASCADE, related_name="alumni_survey", verbose_name=_("membership")
    )
    venture = models.CharField(_("is the venture active?"), max_length=8, choices=VentureState.choices)
    jobs = models.DecimalField(
        _("paid jobs now (full-time equivalents)"), max_digits=7, decimal_places=2, null=True, blank=True
    )
    revenue_band = models.CharField(_("revenue in the last 12 months"), max_length=12, choices=RevenueBand.choices,
                                    blank=True)  # fmt: skip
    # The program's currency when the answer was given: the bands' amounts are in it ("" if it names none).
    currency = models.CharField(_("currency"), max_length=3, blank=True)
    helped_most = models.CharField(_("what helped most"), max_length=12, choices=Helped.choices)
    comment = models.TextField(_("comment"), blank=True)
    answered_at = models.DateTimeField(_("answered at"))

    class Meta:
        verbose_name = _("alumni survey answer")
        verbose_name_plural = _("alumni survey answers")
        constraints = [
            models.CheckConstraint(condition=Q(venture__in=VentureState.values), name="alumni_venture_known"),
            models.CheckConstraint(condition=Q(helped_most__in=Helped.values), name="alumni_helped_known"),
            models.CheckConstraint(condition=Q(jobs__isnull=True) | Q(jobs__gte=0), name="alumni_jobs_not_negative"),
            models.CheckConstraint(
                condition=Q(venture="active", jobs__isnull=False, revenue_band__in=RevenueBand.values)
                | (~Q(venture="active") & Q(jobs__isnull=True, revenue_band="")),
                name="alumni_jobs_and_revenue_of_active_venture",
            ),
            models.CheckConstraint(condition=Q(currency__regex=r"^([A-Z]{3})?$"), name="alumni_currency_iso_4217"),
        ]

    def __str__(self):
        return str(self.membership)
