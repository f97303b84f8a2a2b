"""Spaces, their bookable resources, inductions, subsidy plans, bookings and the ledger behind statements."""

import datetime

import pghistory
from django.conf import settings
from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import BigIntegerRangeField, DateTimeRangeField, RangeOperators
from django.db import models
from django.db.models import F, Func, Q, Value
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from moneyed import Money

from cohorts.models import Cohort, Program
from incubator.api.changes import changed_at_field, changed_at_trigger
from incubator.models import CurrencyField, TimeZoneField

WEEKDAYS = [
    (0, _("Monday")),
    (1, _("Tuesday")),
    (2, _("Wednesday")),
    (3, _("Thursday")),
    (4, _("Friday")),
    (5, _("Saturday")),
    (6, _("Sunday")),
]


class Space(models.Model):
    """A coworking space or workshop. Its rules are wall-clock rules in its own time zone."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    time_zone = TimeZoneField(_("time zone"), default="UTC")
    currency = CurrencyField(
        _("currency"),
        default="EUR",
        help_text=_("Prices, subsidies and budgets here are in this currency. Fixed once anything is charged."),
    )
    programs = models.ManyToManyField(Program, related_name="spaces", verbose_name=_("programs"))
    trainers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="trained_spaces",
        verbose_name=_("trainers"),
        help_text=_("People who may record inductions on this space's equipment."),
    )
    week_starts_on = models.PositiveSmallIntegerField(_("week starts on"), choices=WEEKDAYS, default=0)
    booking_horizon_days = models.PositiveSmallIntegerField(_("book at most this many days ahead"), default=30)
    weekly_limit = models.PositiveSmallIntegerField(_("active bookings per person per week"), default=5)
    free_cancellation_hours = models.PositiveSmallIntegerField(_("free cancellation until (hours before)"), default=24)
    check_in_minutes = models.PositiveSmallIntegerField(
        _("check in within (minutes after the start)"),
        default=60,
        help_text=_("A booking not checked in by then is released and counted as a no-show."),
    )
    changed_at = changed_at_field()

    class Meta:
        verbose_name = _("space")
        verbose_name_plural = _("spaces")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=Q(currency__regex=r"^[A-Z]{3}$"), name="space_currency_iso_4217"),
        ]
        triggers = [changed_at_trigger()]

    def __str__(self):
        return self.name

    def money(self, amount) -> Money:
        """An amount charged here (a price, a budget, a sum of its lines) in the space's currency."""
        return Money(amount, self.currency)


class OpeningHours(models.Model):
    space = models.ForeignKey(Space, on_delete=models.CASCADE, related_name="opening_hours", verbose_name=_("space"))
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=WEEKDAYS)
    opens = models.TimeField(_("opens"))
    closes = models.TimeField(_("closes"))

    class Meta:
        verbose_name = _("opening hours")
        verbose_name_plural = _("opening hours")
        ordering = ["space", "weekday"]
        constraints = [
            models.UniqueConstraint(fields=["space", "weekday"], name="opening_hours_once_per_weekday"),
            models.CheckConstraint(condition=Q(closes__gt=F("opens")), name="opening_hours_close_after_open"),
        ]

    def __str__(self):
        return f"{self.get_weekday_display()} {self.opens:%H:%M}–{self.closes:%H:%M}"

    @property
    def midday(self) -> datetime.time:
        """Where the morning half-day ends and the afternoon begins."""
        start = self.opens.hour * 60 + self.opens.minute
        end = self.closes.hour * 60 + self.closes.minute
        middle = (start + end) // 2
        return datetime.time(middle // 60, middle % 60)


class ClosedDate(models.Model):
    space = models.ForeignKey(Space, on_delete=models.CASCADE, related_name="closed_dates", verbose_name=_("space"))
    date = models.DateField(_("date"))
    reason = models.CharField(_("reason"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("closed date")
        verbose_name_plural = _("closed dates")
        ordering = ["space", "date"]
        constraints = [models.UniqueConstraint(fields=["space", "date"], name="closed_date_once_per_space")]

    def __str__(self):
        return f"{self.date} {self.reason}"


class Resource(models.Model):
    """One bookable thing with capacity one: a desk, a meeting room, a bench or a machine."""

    class Kind(models.TextChoices):
        DESK = "desk", _("desk")
        ROOM = "room", _("meeting room")
        BENCH = "bench", _("bench")
        MACHINE = "machine", _("machine")

    class Unit(models.TextChoices):
        DAY = "day", _("full day")
        HALF_DAY = "half_day", _("half day")
        HOUR = "hour", _("hour")

    space = models.ForeignKey(Space, on_delete=models.CASCADE, related_name="resources", verbose_name=_("space"))
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.DESK)
    unit = models.CharField(_("booking unit"), max_length=16, choices=Unit.choices, default=Unit.DAY)
    min_hours = models.PositiveSmallIntegerField(_("minimum hours"), default=1)
    max_hours = models.PositiveSmallIntegerField(_("maximum hours"), default=4)
    price = models.DecimalField(_("list price per unit"), max_digits=8, decimal_places=2)
    induction_type = models.CharField(
        _("requires induction on"),
        max_length=80,
        blank=True,
        help_text=_("Leave empty when anyone may book it; e.g. “laser cutter” when an induction is required."),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("bookable"), default=True)
    changed_at = changed_at_field()

    class Meta:
        verbose_name = _("resource")
        verbose_name_plural = _("resources")
        ordering = ["space", "position", "name"]
        constraints = [
            models.UniqueConstraint(fields=["space", "name"], name="resource_name_unique_per_space"),
            models.CheckConstraint(
                condition=Q(min_hours__gte=1) & Q(max_hours__gte=F("min_hours")), name="resource_hours_range"
            ),
            models.CheckConstraint(condition=Q(price__gte=0), name="resource_price_not_negative"),
        ]
        triggers = [changed_at_trigger()]

    def __str__(self):
        return self.name

    @property
    def hourly(self) -> bool:
        return self.unit == self.Unit.HOUR

    @property
    def unit_kind(self) -> str:
        return UNIT_KINDS[self.unit]


# What a resource's units count: days (a half day is half of one) or hours. A statement adds like to like only.
UNIT_KINDS = {Resource.Unit.DAY: "day", Resource.Unit.HALF_DAY: "day", Resource.Unit.HOUR: "hour"}


class Induction(models.Model):
    """A person may use a kind of equipment in a space from `inducted_on` until `expires_on` (if any)."""

    space = models.ForeignKey(Space, on_delete=models.CASCADE, related_name="inductions", verbose_name=_("space"))
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="inductions", verbose_name=_("person")
    )
    induction_type = models.CharField(_("equipment"), max_length=80)
    inducted_on = models.DateField(_("inducted on"))
    expires_on = models.DateField(_("expires on"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("recorded by")
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("induction")
        verbose_name_plural = _("inductions")
        ordering = ["space", "induction_type", "-inducted_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_on__isnull=True) | Q(expires_on__gte=F("inducted_on")),
                name="induction_expires_after_start",
            ),
        ]

    def __str__(self):
        return f"{self.person} — {self.induction_type}"


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent(), exclude=["spent"])
class SubsidyPlan(models.Model):
    """What a cohort's program pays of its participants' bookings in one space."""

    class OverCap(models.TextChoices):
        FULL_PRICE = "full_price", _("book at full price")
        REFUSE = "refuse", _("refuse the booking")

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="subsidy_plans", verbose_name=_("cohort"))
    space = models.ForeignKey(Space, on_delete=models.CASCADE, related_name="subsidy_plans", verbose_name=_("space"))
    share_percent = models.PositiveSmallIntegerField(_("share the program pays (%)"))
    monthly_cap = models.DecimalField(
        _("subsidised units per participant per month"),
        max_digits=6,
        decimal_places=1,
        help_text=_("A full day counts 1, a half day 0.5, an hour 1."),
    )
    budget = models.DecimalField(_("cohort budget"), max_digits=10, decimal_places=2)
    over_cap = models.CharField(
        _("past the cap or the budget"), max_length=16, choices=OverCap.choices, default=OverCap.FULL_PRICE
    )
    # The subsidy its lines in the space's currency add up to, kept by workspaces.ledger as lines are written, so
    # pages showing it do not sum every line; the budget check itself still sums the lines under the plan's lock.
    spent = models.DecimalField(
        _("subsidy spent"), max_digits=12, decimal_places=2, default=0, db_default=0, editable=False
    )

    class Meta:
        verbose_name = _("subsidy plan")
        verbose_name_plural = _("subsidy plans")
        constraints = [
            models.UniqueConstraint(fields=["cohort", "space"], name="subsidy_plan_once_per_cohort_space"),
            models.CheckConstraint(condition=Q(share_percent__lte=100), name="subsidy_share_at_most_100"),
            models.CheckConstraint(condition=Q(monthly_cap__gte=0) & Q(budget__gte=0), name="subsidy_not_negative"),
        ]

    def __str__(self):
        return f"{self.cohort} — {self.space} ({self.share_percent} %)"


class Allowance(models.Model):
    """One participant's month under a plan. The row exists to be locked: the cap is checked under its lock,
    and what was used is always the sum of the ledger, never a counter kept here."""

    plan = models.ForeignKey(SubsidyPlan, on_delete=models.CASCADE, related_name="allowances", verbose_name=_("plan"))
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("person")
    )
    month = models.DateField(_("month"))

    class Meta:
        verbose_name = _("allowance")
        constraints = [models.UniqueConstraint(fields=["plan", "person", "month"], name="allowance_once_per_month")]

    def __str__(self):
        return f"{self.person} {self.month:%Y-%m}"


@pghistory.track()  # who booked is in the event's context; `person` is whom the booking is for
class Booking(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", _("booked")
        CANCELLED = "cancelled", _("cancelled")
        LATE_CANCELLED = "late_cancelled", _("cancelled late (charged)")
        NO_SHOW = "no_show", _("no-show (released)")

    resource = models.ForeignKey(
        Resource, on_delete=models.PROTECT, related_name="bookings", verbose_name=_("resource")
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="bookings", verbose_name=_("person")
    )
    period = DateTimeRangeField(_("period"))
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.ACTIVE)
    plan = models.ForeignKey(
        SubsidyPlan, on_delete=models.PROTECT, null=True, blank=True, related_name="bookings", verbose_name=_("plan")
    )
    units = models.DecimalField(_("units"), max_digits=6, decimal_places=2)
    created_at = models.DateTimeField(_("booked at"), auto_now_add=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    checked_in_at = models.DateTimeField(_("checked in at"), null=True, blank=True)
    released_at = models.DateTimeField(_("released at"), null=True, blank=True)
    changed_at = changed_at_field()

    class Meta:
        verbose_name = _("booking")
        verbose_name_plural = _("bookings")
        ordering = ["period"]
        constraints = [
            # The database refuses two active bookings of one resource that overlap. There is no btree_gist
            # here, so the resource id becomes a one-point range that core GiST can compare with &&.
            ExclusionConstraint(
                name="booking_no_overlap",
                expressions=[
                    (
                        Func(
                            F("resource_id"),
                            F("resource_id"),
                            Value("[]"),
                            function="int8range",
                            output_field=BigIntegerRangeField(),
                        ),
                        RangeOperators.OVERLAPS,
                    ),
                    ("period", RangeOperators.OVERLAPS),
                ],
                condition=Q(status="active"),
            ),
        ]
        indexes = [
            models.Index(fields=["person", "status"], name="booking_person_status"),
            # A week's bookings by when they start (the program home's occupancy), without reading a year of them.
            models.Index(F("period__startswith"), name="booking_starts_at"),
        ]
        triggers = [changed_at_trigger()]

    def __str__(self):
        return f"{self.resource} — {self.person}"


class LedgerLine(models.Model):
    """What a booking costs and who pays it. Lines are only added: a cancellation in time adds the opposite
    line, so a statement or a budget is a sum of lines."""

    booking = models.ForeignKey(
        Booking, on_delete=models.PROTECT, related_name="ledger_lines", verbose_name=_("booking")
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("person")
    )
    plan = models.ForeignKey(
        SubsidyPlan, on_delete=models.PROTECT, null=True, blank=True, related_name="lines", verbose_name=_("plan")
    )
    month = models.DateField(_("month"))
    units = models.DecimalField(_("units"), max_digits=6, decimal_places=2)
    subsidised_units = models.DecimalField(_("subsidised units"), max_digits=6, decimal_places=2)
    list_price = models.DecimalField(_("list price"), max_digits=10, decimal_places=2)
    subsidy = models.DecimalField(_("subsidy"), max_digits=10, decimal_places=2)
    co_pay = models.DecimalField(_("co-pay"), max_digits=10, decimal_places=2)
    # The space's currency when the line was written: a statement never sums two currencies.
    currency = CurrencyField(_("currency"))
    # Written in English and translated when shown: the line is read in its reader's language, not its writer's.
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    changed_at = changed_at_field()

    class Meta:
        verbose_name = _("ledger line")
        verbose_name_plural = _("ledger lines")
        ordering = ["month", "created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(co_pay=F("list_price") - F("subsidy")), name="ledger_line_adds_up"),
            models.CheckConstraint(condition=Q(currency__regex=r"^[A-Z]{3}$"), name="ledger_line_currency_iso_4217"),
        ]
        indexes = [models.Index(fields=["person", "month"], name="ledger_person_month")]
        triggers = [changed_at_trigger()]

    def __str__(self):
        return f"{self.booking_id} {self.month:%Y-%m} {self.co_pay}"

    # The amounts as Money in the line's currency: code that adds them up cannot mix two currencies unnoticed.
    @property
    def list_price_money(self) -> Money:
        return Money(self.list_price, self.currency)

    @property
    def subsidy_money(self) -> Money:
        return Money(self.subsidy, self.currency)

    @property
    def co_pay_money(self) -> Money:
        return Money(self.co_pay, self.currency)

    @property
    def note_shown(self) -> str:
        return gettext(self.note) if self.note else ""
