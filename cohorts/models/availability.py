"""A person's published time: weekly windows, exceptions, notice and horizon, from which `cohorts.availability`
computes the bookable slots. Stored as rules; slots are computed, never stored one row per slot.

A mentor's office hours and an interview panel's availability share these tables (`purpose`); what is booked
from them (a mentoring session, an interview) lives in the app that books it.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from cohorts.models.programs import Program
from incubator.models import TimeZoneField


class Availability(models.Model):
    """Whose time, for what, in which time zone, sliced how; `active` off stops new bookings and keeps the rules."""

    class Purpose(models.TextChoices):
        OFFICE_HOURS = "office_hours", _("office hours")
        INTERVIEWS = "interviews", _("interviews")

    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, related_name="availabilities", verbose_name=_("program")
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="availabilities", verbose_name=_("owner")
    )
    purpose = models.CharField(_("purpose"), max_length=16, choices=Purpose.choices)
    time_zone = TimeZoneField(_("time zone"), default="UTC")
    slot_minutes = models.PositiveSmallIntegerField(_("slot length (minutes)"), default=30)
    notice_hours = models.PositiveSmallIntegerField(
        _("minimum notice (hours)"), default=24, help_text=_("A slot can be booked up to this many hours before.")
    )
    horizon_days = models.PositiveSmallIntegerField(
        _("horizon (days)"), default=28, help_text=_("Slots are offered this many days ahead.")
    )
    cancel_hours = models.PositiveSmallIntegerField(
        _("cancellation window (hours)"),
        default=24,
        help_text=_("A booking may be cancelled up to this many hours before it starts."),
    )
    place = models.CharField(_("place"), max_length=200, blank=True)
    online_link = models.URLField(_("online link"), max_length=500, blank=True)
    active = models.BooleanField(_("taking bookings"), default=True)

    class Meta:
        verbose_name = _("availability")
        verbose_name_plural = _("availabilities")
        ordering = ["program", "owner", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["program", "owner"],
                condition=Q(purpose="office_hours"),
                name="availability_office_hours_once_per_owner",
            ),
            models.CheckConstraint(
                condition=Q(slot_minutes__gte=5, slot_minutes__lte=480), name="availability_slot_5_480_minutes"
            ),
            models.CheckConstraint(condition=Q(notice_hours__gte=0), name="availability_notice_not_negative"),
            models.CheckConstraint(
                condition=Q(horizon_days__gte=1, horizon_days__lte=366), name="availability_horizon_1_366_days"
            ),
            models.CheckConstraint(condition=Q(cancel_hours__gte=0), name="availability_cancel_not_negative"),
            models.CheckConstraint(
                condition=Q(purpose__in=["office_hours", "interviews"]), name="availability_purpose_known"
            ),
        ]

    def __str__(self):
        return f"{self.owner} — {self.get_purpose_display()} ({self.program})"


class AvailabilityWindow(models.Model):
    """Every week on `weekday`, from `starts` to `ends` wall-clock time in the availability's zone."""

    class Weekday(models.IntegerChoices):
        MONDAY = 0, _("Monday")
        TUESDAY = 1, _("Tuesday")
        WEDNESDAY = 2, _("Wednesday")
        THURSDAY = 3, _("Thursday")
        FRIDAY = 4, _("Friday")
        SATURDAY = 5, _("Saturday")
        SUNDAY = 6, _("Sunday")

    availability = models.ForeignKey(
        Availability, on_delete=models.CASCADE, related_name="windows", verbose_name=_("availability")
    )
    weekday = models.PositiveSmallIntegerField(_("day of the week"), choices=Weekday.choices)
    starts = models.TimeField(_("from"))
    ends = models.TimeField(_("until"))

    class Meta:
        verbose_name = _("weekly window")
        verbose_name_plural = _("weekly windows")
        ordering = ["availability", "weekday", "starts"]
        constraints = [
            models.CheckConstraint(condition=Q(weekday__gte=0, weekday__lte=6), name="availability_window_weekday"),
            models.CheckConstraint(condition=Q(ends__gt=F("starts")), name="availability_window_ends_after_start"),
        ]

    def __str__(self):
        return f"{self.get_weekday_display()} {self.starts:%H:%M}–{self.ends:%H:%M}"


class AvailabilityException(models.Model):
    """One date that differs from the week: closed the whole day (no times), closed for some hours (closed, with
    times), or an extra open window that day (not closed, with times)."""

    availability = models.ForeignKey(
        Availability, on_delete=models.CASCADE, related_name="exceptions", verbose_name=_("availability")
    )
    on = models.DateField(_("date"))
    closed = models.BooleanField(_("closed"), default=True)
    starts = models.TimeField(_("from"), null=True, blank=True)
    ends = models.TimeField(_("until"), null=True, blank=True)

    class Meta:
        verbose_name = _("exception")
        verbose_name_plural = _("exceptions")
        ordering = ["availability", "on", "starts"]
        constraints = [
            models.CheckConstraint(
                condition=Q(starts__isnull=True, ends__isnull=True) | Q(starts__isnull=False, ends__isnull=False),
                name="availability_exception_both_times_or_none",
            ),
            models.CheckConstraint(
                condition=Q(closed=True) | Q(starts__isnull=False), name="availability_exception_closed_or_times"
            ),
            models.CheckConstraint(
                condition=Q(starts__isnull=True) | Q(ends__gt=F("starts")),
                name="availability_exception_ends_after_start",
            ),
        ]

    def __str__(self):
        if self.starts is None:
            return f"{self.on:%Y-%m-%d} {_('closed')}"
        return f"{self.on:%Y-%m-%d} {self.starts:%H:%M}–{self.ends:%H:%M}"

    @property
    def whole_day(self) -> bool:
        return self.closed and self.starts is None
