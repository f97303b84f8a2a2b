from django.conf import settings
from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import ArrayField, BigIntegerRangeField, DateTimeRangeField, RangeOperators
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Case, F, Func, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cohorts.models import FIELD_CHOICES, Cohort, Program, Region, Venture
from incubator.api.changes import changed_at_field, changed_at_trigger
from mentoring.report_models import ReportSnapshot, ReportTemplate  # noqa: F401  (the app's models, in a module)

# Longest individual session a person can plausibly hold; anything longer is a typo or a group event.
MAX_INDIVIDUAL_HOURS = 8


class MentorProfile(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mentor_profile", verbose_name=_("mentor")
    )
    expertise = ArrayField(
        models.CharField(max_length=32, choices=FIELD_CHOICES), verbose_name=_("expertise"), default=list, blank=True
    )
    languages = ArrayField(
        models.CharField(max_length=8, choices=settings.LANGUAGES),
        verbose_name=_("languages"),
        default=list,
        blank=True,
    )
    bio = models.TextField(_("bio"), blank=True)
    capacity_mentees = models.PositiveSmallIntegerField(_("mentees at most"), default=4)
    capacity_hours = models.PositiveSmallIntegerField(_("hours a month at most"), default=8)
    availability = models.CharField(_("availability"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("mentor profile")
        verbose_name_plural = _("mentor profiles")

    def __str__(self):
        return str(self.user)


class ParticipantProfile(models.Model):
    """Optional facts a funder counts. Only used in reports when the person consented, and only as counts."""

    class Gender(models.TextChoices):
        WOMAN = "woman", _("woman")
        MAN = "man", _("man")
        OTHER = "other", _("another gender")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="participant_profile",
        verbose_name=_("participant"),
    )
    gender = models.CharField(_("gender"), max_length=8, choices=Gender.choices, blank=True)
    birth_year = models.PositiveSmallIntegerField(
        _("year of birth"), null=True, blank=True, validators=[MinValueValidator(1900), MaxValueValidator(2100)]
    )
    consent = models.BooleanField(_("my program may count these in anonymous reports"), default=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("participant profile")
        verbose_name_plural = _("participant profiles")

    def __str__(self):
        return str(self.user)


class Assignment(models.Model):
    """A mentor matched to a participant (and optionally their venture) by the program's managers."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="+", verbose_name=_("program"))
    mentor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mentee_assignments", verbose_name=_("mentor")
    )
    mentee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mentor_assignments", verbose_name=_("mentee")
    )
    venture = models.ForeignKey(
        Venture, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("venture")
    )
    created_at = models.DateTimeField(_("assigned at"), default=timezone.now)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    # When the mentee last attended a held session of the program, kept by PostgreSQL triggers (migration 0003)
    # whatever changes sessions or attendances, so the mentor's page does not search every mentee's sessions.
    # Never written by Python.
    last_session_at = models.DateTimeField(_("last session attended"), null=True, editable=False)

    class Meta:
        verbose_name = _("mentor assignment")
        verbose_name_plural = _("mentor assignments")
        constraints = [
            models.UniqueConstraint(
                fields=["program", "mentor", "mentee"],
                condition=Q(ended_at__isnull=True),
                name="assignment_active_once",
            ),
            models.CheckConstraint(condition=~Q(mentor=F("mentee")), name="assignment_not_self"),
        ]

    def __str__(self):
        return f"{self.mentor} → {self.mentee}"


class SessionKind(models.Model):
    """A program's kinds of session; each is counted as individual or group, or is a series (a tour) whose
    activities are counted on their own."""

    class CountsAs(models.TextChoices):
        INDIVIDUAL = "individual", _("individual")
        GROUP = "group", _("group")
        SERIES = "series", _("tour or series")

    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, related_name="session_kinds", verbose_name=_("program")
    )
    code = models.SlugField(_("code"), max_length=32)
    name = models.CharField(_("name"), max_length=80)
    counts_as = models.CharField(_("counted as"), max_length=12, choices=CountsAs.choices)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("session kind")
        verbose_name_plural = _("session kinds")
        ordering = ["program", "position", "name"]
        constraints = [models.UniqueConstraint(fields=["program", "code"], name="session_kind_code_once")]

    def __str__(self):
        return self.name


class Session(models.Model):
    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("scheduled")
        HELD = "held", _("held")
        CANCELLED = "cancelled", _("cancelled")

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="+", verbose_name=_("program"))
    cohort = models.ForeignKey(
        Cohort, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("cohort")
    )
    kind = models.ForeignKey(SessionKind, on_delete=models.PROTECT, related_name="sessions", verbose_name=_("kind"))
    series = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="activities",
        verbose_name=_("part of"),
    )
    title = models.CharField(_("title"), max_length=200, blank=True)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    online_link = models.URLField(_("online link"), blank=True)
    region = models.ForeignKey(
        Region, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("region")
    )
    facilitators = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="facilitated_sessions", verbose_name=_("facilitators")
    )
    agenda = models.TextField(_("agenda"), blank=True)
    summary = models.TextField(_("summary"), blank=True)
    # Seen by the facilitators and the program's managers only, never by participants.
    private_notes = models.TextField(_("private notes"), blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.SCHEDULED)
    # iCalendar SEQUENCE: raised at every change sent to calendars, so theirs replace the old copy.
    sequence = models.PositiveIntegerField(_("revision"), default=0)
    logged_at = models.DateTimeField(_("logged at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    changed_at = changed_at_field()

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["-starts_at"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="session_ends_after_start"),
            models.CheckConstraint(
                condition=~Q(status="held") | Q(logged_at__isnull=False), name="session_held_is_logged"
            ),
        ]
        indexes = [
            models.Index(fields=["program", "starts_at"], name="session_program_start_idx"),
            # The few sessions still scheduled, by end: a mentor's upcoming and unlogged ones, the sessions to log.
            models.Index(fields=["program", "ends_at"], condition=Q(status="scheduled"), name="session_scheduled_idx"),
        ]
        triggers = [changed_at_trigger()]

    def __str__(self):
        return self.title or f"{self.kind} {self.starts_at:%Y-%m-%d}"

    @property
    def hours(self) -> float:
        return (self.ends_at - self.starts_at).total_seconds() / 3600

    @property
    def uid(self) -> str:
        """Stable across moves and cancellation: calendars update the event instead of adding another."""
        return f"mentoring-session-{self.pk}@incubator-portal"


class Attendance(models.Model):
    """One invited person and, once the session is logged, whether they came."""

    class Status(models.TextChoices):
        INVITED = "invited", _("invited")
        PRESENT = "present", _("present")
        ABSENT = "absent", _("absent")
        EXCUSED = "excused", _("excused")

    session = models.ForeignKey(
        Session, on_delete=models.CASCADE, related_name="attendances", verbose_name=_("session")
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="session_attendances", verbose_name=_("person")
    )
    status = models.CharField(_("attendance"), max_length=10, choices=Status.choices, default=Status.INVITED)

    changed_at = changed_at_field()

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendances")
        ordering = ["session", "person__name"]
        constraints = [models.UniqueConstraint(fields=["session", "person"], name="attendance_once_per_session")]
        triggers = [changed_at_trigger()]

    def __str__(self):
        return f"{self.person} — {self.get_status_display()}"


def _point(field: str) -> Func:
    """A one-point bigint range: there is no btree_gist here, and core GiST compares ranges with &&."""
    return Func(F(field), F(field), Value("[]"), function="int8range", output_field=BigIntegerRangeField())


class TimeClaim(models.Model):
    """A person's time taken by a session they facilitate or are invited to (not cancelled), written by the
    services with the session. The database refuses one person two overlapping exclusive claims: a tour and its
    activities overlap on purpose, so their claims are not exclusive and only clash with exclusive ones."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("person")
    )
    session = models.ForeignKey(
        Session, on_delete=models.CASCADE, related_name="time_claims", verbose_name=_("session")
    )
    period = DateTimeRangeField(_("period"))
    exclusive = models.BooleanField(_("exclusive"))

    class Meta:
        verbose_name = _("time claim")
        verbose_name_plural = _("time claims")
        constraints = [
            # Third element: an exclusive claim spans every session (an infinite range), so it clashes with any
            # overlapping claim of the person; a shared one is its session's point, so two shared ones never clash.
            ExclusionConstraint(
                name="time_claim_no_overlap",
                expressions=[
                    (_point("person_id"), RangeOperators.OVERLAPS),
                    ("period", RangeOperators.OVERLAPS),
                    (
                        Case(
                            When(
                                exclusive=True,
                                then=Func(
                                    Value(None),
                                    Value(None),
                                    function="int8range",
                                    output_field=BigIntegerRangeField(),
                                ),
                            ),
                            default=_point("session_id"),
                            output_field=BigIntegerRangeField(),
                        ),
                        RangeOperators.OVERLAPS,
                    ),
                ],
            ),
        ]

    def __str__(self):
        return f"{self.person} — {self.session}"


class ActionItem(models.Model):
    session = models.ForeignKey(
        Session, on_delete=models.CASCADE, related_name="action_items", verbose_name=_("session")
    )
    text = models.CharField(_("action"), max_length=300)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="mentoring_action_items",
        verbose_name=_("owner"),
    )
    due_on = models.DateField(_("due on"), null=True, blank=True)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)

    class Meta:
        verbose_name = _("action item")
        verbose_name_plural = _("action items")
        ordering = ["session", "due_on", "id"]

    def __str__(self):
        return self.text


class Feedback(models.Model):
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="feedback", verbose_name=_("session"))
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="session_feedback", verbose_name=_("person")
    )
    rating = models.PositiveSmallIntegerField(_("rating"), validators=[MinValueValidator(1), MaxValueValidator(5)])
    comment = models.TextField(_("comment"), blank=True)
    # Hides the name from the mentor; managers always see who wrote it.
    anonymous = models.BooleanField(_("hide my name from the mentor"), default=False)
    created_at = models.DateTimeField(_("given at"), default=timezone.now)

    class Meta:
        verbose_name = _("feedback")
        verbose_name_plural = _("feedback")
        constraints = [
            models.UniqueConstraint(fields=["session", "person"], name="feedback_once_per_session"),
            models.CheckConstraint(condition=Q(rating__gte=1, rating__lte=5), name="feedback_rating_1_to_5"),
        ]

    def __str__(self):
        return f"{self.rating}/5"
