import pghistory
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from incubator.api.changes import changed_at_field, changed_at_trigger
from incubator.models import TimeZoneField

RESERVED_COHORT_SLUGS = frozenset({"invitations", "programs", "digest"})


class Program(models.Model):
    """An incubator program: it speaks one language and keeps its deadlines in one time zone."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES, default="en")
    time_zone = TimeZoneField(_("time zone"), default="UTC")
    managers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="managed_programs", verbose_name=_("managers")
    )
    # Reviewers and mentors work for a program, not for the whole portal: see cohorts.access.
    reviewers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="reviewed_programs", verbose_name=_("reviewers")
    )
    mentors = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="mentored_programs", verbose_name=_("mentors")
    )
    rejected_data_retention_days = models.PositiveIntegerField(
        _("keep rejected applications' personal data for (days)"),
        null=True,
        blank=True,
        help_text=_(
            "Counted from the day the decision was published; then names, contact details, answers and files "
            "are erased, and the status, region and scores are kept. Empty: keep them."
        ),
    )

    changed_at = changed_at_field()

    class Meta:
        verbose_name = _("program")
        verbose_name_plural = _("programs")
        ordering = ["name"]
        triggers = [changed_at_trigger()]

    def __str__(self):
        return self.name


# Role grants are rows of the three auto-created M2M tables; a proxy of each lets the database record every
# grant and revocation (the admin's widget and the services alike). No link back to the row: a revoked row is gone.


@pghistory.track(pghistory.InsertEvent(), pghistory.DeleteEvent(), obj_field=None)
class ProgramManager(Program.managers.through):
    class Meta:
        proxy = True


@pghistory.track(pghistory.InsertEvent(), pghistory.DeleteEvent(), obj_field=None)
class ProgramReviewer(Program.reviewers.through):
    class Meta:
        proxy = True


@pghistory.track(pghistory.InsertEvent(), pghistory.DeleteEvent(), obj_field=None)
class ProgramMentor(Program.mentors.through):
    class Meta:
        proxy = True


class Region(models.Model):
    """One of a program's regions (Kawalis has four); applicants and members name theirs."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="regions", verbose_name=_("program"))
    name = models.CharField(_("name"), max_length=120)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["program", "position", "name"]
        constraints = [models.UniqueConstraint(fields=["program", "name"], name="region_unique_per_program")]

    def __str__(self):
        return self.name


class Cohort(models.Model):
    class Status(models.TextChoices):
        UPCOMING = "upcoming", _("upcoming")
        RUNNING = "running", _("running")
        FINISHED = "finished", _("finished")

    program = models.ForeignKey(Program, on_delete=models.PROTECT, related_name="cohorts", verbose_name=_("program"))
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    starts_on = models.DateField(_("starts on"), null=True, blank=True)
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.UPCOMING)
    capacity = models.PositiveIntegerField(_("capacity"), null=True, blank=True)
    # Mentors see the cohort's directory and board; the mentoring capability assigns them to mentees.
    mentors = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="mentored_cohorts", verbose_name=_("mentors")
    )

    changed_at = changed_at_field()

    class Meta:
        verbose_name = _("cohort")
        verbose_name_plural = _("cohorts")
        ordering = ["program", "-starts_on", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(starts_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                name="cohort_ends_after_start",
            ),
        ]
        triggers = [changed_at_trigger()]

    def __str__(self):
        return f"{self.program} — {self.name}"

    def clean(self):
        # /cohorts/<slug>/ would be shadowed by the portal's own pages under /cohorts/.
        if self.slug in RESERVED_COHORT_SLUGS:
            raise ValidationError({"slug": _("This address is taken by the portal's own pages; choose another.")})


# Its history leaves out `changed_at`: a row rewritten with the same values is no event, and no history line.
@pghistory.track(exclude=["changed_at"])
class Membership(models.Model):
    """A person in a cohort. Created by `cohorts.services`, never by assigning fields in a view."""

    class Role(models.TextChoices):
        PARTICIPANT = "participant", _("participant")

    class Status(models.TextChoices):
        ACTIVE = "active", _("active")
        PAUSED = "paused", _("paused")
        GRADUATED = "graduated", _("graduated")
        WITHDRAWN = "withdrawn", _("withdrawn")

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("person")
    )
    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("cohort"))
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.PARTICIPANT)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.ACTIVE)
    region = models.ForeignKey(
        Region, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("region")
    )
    started_on = models.DateField(_("started on"), null=True, blank=True)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    status_reason = models.TextField(_("reason for the status"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    changed_at = changed_at_field()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["person", "cohort"], name="membership_once_per_cohort"),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(started_on__isnull=True) | Q(ended_on__gte=F("started_on")),
                name="membership_ends_after_start",
            ),
            # A membership that ended says when; one that is paused or withdrawn says why.
            models.CheckConstraint(
                condition=~Q(status__in=["graduated", "withdrawn"]) | Q(ended_on__isnull=False),
                name="membership_ended_has_date",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["paused", "withdrawn"]) | ~Q(status_reason=""),
                name="membership_pause_or_withdrawal_has_reason",
            ),
        ]
        triggers = [changed_at_trigger()]

    def __str__(self):
        return _("%(person)s in %(cohort)s") % {"person": self.person, "cohort": self.cohort}


class MemberNote(models.Model):
    """A program manager's note on a member, read by the program's managers only. Added by
    `cohorts.services.member_note_add`."""

    membership = models.ForeignKey(
        Membership, on_delete=models.CASCADE, related_name="notes", verbose_name=_("membership")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("author")
    )
    text = models.TextField(_("note"))
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    changed_at = changed_at_field()

    class Meta:
        verbose_name = _("member note")
        verbose_name_plural = _("member notes")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=~Q(text__regex=r"^\s*$"), name="member_note_text_not_blank"),
        ]
        triggers = [changed_at_trigger()]

    def __str__(self):
        return _("Note on %(membership)s") % {"membership": self.membership}
