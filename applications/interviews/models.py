"""The interview stage's logistics: a call's interview plan (its panel and the panel's availability) and each
shortlisted application's interview, booked by the applicant from the panel's free slots.

These models live in the `applications` app (imported at the end of applications/models.py), so their tables are
`applications_*` and their migrations sit with the calls' ones."""

import pghistory
from django.conf import settings
from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import BigIntegerRangeField, DateTimeRangeField, RangeOperators
from django.db import models
from django.db.models import F, Func, Q, Value
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

__all__ = ["Interview", "InterviewPlan"]


def _row_events():
    return pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent()


@pghistory.track(*_row_events())
class InterviewPlan(models.Model):
    """Who interviews a call's shortlist, and when: the panel's availability (purpose "interviews"), owned by the
    manager who set it up, in the panel's time zone."""

    call = models.OneToOneField(
        "applications.Call", on_delete=models.CASCADE, related_name="interview_plan", verbose_name=_("call")
    )
    availability = models.OneToOneField(
        "cohorts.Availability", on_delete=models.PROTECT, related_name="interview_plan", verbose_name=_("availability")
    )
    panel = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="+", verbose_name=_("interview panel"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("interview plan")
        verbose_name_plural = _("interview plans")

    def __str__(self):
        return str(self.call)


@pghistory.track(*_row_events())
class Interview(models.Model):
    """One shortlisted application's interview. Its status changes only in `applications.interviews.services`."""

    class Status(models.TextChoices):
        # Said of the interview itself, whose gender differs from a session's or a booking's in some languages.
        INVITED = "invited", _("invited")
        BOOKED = "booked", pgettext_lazy("interview status", "booked")
        HELD = "held", pgettext_lazy("interview status", "held")
        NO_SHOW = "no_show", _("no-show")
        CANCELLED = "cancelled", pgettext_lazy("interview status", "cancelled")

    application = models.OneToOneField(
        "applications.Application", on_delete=models.CASCADE, related_name="interview", verbose_name=_("application")
    )
    plan = models.ForeignKey(
        InterviewPlan, on_delete=models.CASCADE, related_name="interviews", verbose_name=_("interview plan")
    )
    # The applicant's private link; it opens the booking page for the applicant alone, signed in.
    token = models.CharField(_("token"), max_length=64, unique=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.INVITED)
    period = DateTimeRangeField(_("time"), null=True, blank=True)
    reschedules = models.PositiveSmallIntegerField(_("reschedules"), default=0)
    invited_at = models.DateTimeField(_("invited at"))
    booked_at = models.DateTimeField(_("booked at"), null=True, blank=True)
    held_at = models.DateTimeField(_("recorded as held at"), null=True, blank=True)
    no_show_at = models.DateTimeField(_("recorded as a no-show at"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)

    class Meta:
        verbose_name = _("interview")
        verbose_name_plural = _("interviews")
        ordering = ["period", "pk"]
        constraints = [
            # The database refuses two booked interviews of one plan that overlap: the panel is one set of people.
            # No btree_gist here, so the plan id becomes a one-point range that core GiST compares with &&.
            ExclusionConstraint(
                name="interview_no_overlap",
                expressions=[
                    (
                        Func(
                            F("plan_id"),
                            F("plan_id"),
                            Value("[]"),
                            function="int8range",
                            output_field=BigIntegerRangeField(),
                        ),
                        RangeOperators.OVERLAPS,
                    ),
                    ("period", RangeOperators.OVERLAPS),
                ],
                condition=Q(status="booked"),
            ),
            models.CheckConstraint(
                condition=Q(period__isnull=False) | ~Q(status__in=["booked", "held", "no_show"]),
                name="interview_booked_has_period",
            ),
        ]

    def __str__(self):
        return str(self.application)

    @property
    def starts_at(self):
        return self.period.lower if self.period else None

    @property
    def ends_at(self):
        return self.period.upper if self.period else None
