from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cohorts.models.programs import Cohort
from cohorts.photos import sniff_photo, stored_name
from incubator.api.changes import changed_at_field, changed_at_trigger

FIELD_CHOICES = [
    ("graphic_design", _("graphic design")),
    ("photography", _("photography")),
    ("video", _("video")),
    ("advertising", _("advertising")),
    ("interior_design", _("interior design")),
    ("crafts", _("crafts")),
    ("culture", _("culture")),
    ("technology", _("technology")),
    ("commerce", _("commerce")),
    ("social", _("social and civic")),
    ("public", _("public sector")),
    ("other", _("other")),
]


def photo_upload_to(instance, filename: str) -> str:
    """A random name whose extension comes from the photo's bytes: the uploaded name is never trusted."""
    mime = sniff_photo(instance.photo) if instance.photo else None
    return f"profiles/{instance.user_id}/{stored_name(mime)}"


class MemberProfile(models.Model):
    """What a person shows in the directories of their cohorts. Contact details only with their consent."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="member_profile", verbose_name=_("person")
    )
    # Served by a view that checks the viewer shares a cohort with the person, never from a public URL.
    photo = models.FileField(_("photo"), upload_to=photo_upload_to, max_length=255, blank=True)
    headline = models.CharField(_("headline"), max_length=160, blank=True)
    field = models.CharField(_("field"), max_length=32, choices=FIELD_CHOICES, blank=True)
    skills = ArrayField(models.CharField(max_length=60), verbose_name=_("skills"), default=list, blank=True)
    offers = models.TextField(_("what I offer"), blank=True)
    needs = models.TextField(_("what I need"), blank=True)
    languages = ArrayField(models.CharField(max_length=40), verbose_name=_("languages"), default=list, blank=True)
    contact_email = models.EmailField(_("contact email"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    contact_consent = models.BooleanField(_("show my contact details to my cohort"), default=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("member profile")
        verbose_name_plural = _("member profiles")

    def __str__(self):
        return str(self.user)


class Venture(models.Model):
    """A member's business or project in a cohort, with its team."""

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="ventures", verbose_name=_("cohort"))
    name = models.CharField(_("name"), max_length=200)
    field = models.CharField(_("field"), max_length=32, choices=FIELD_CHOICES, blank=True)
    description = models.TextField(_("short description"), blank=True)
    website = models.URLField(_("website"), blank=True)
    social_link = models.URLField(_("social media link"), blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    changed_at = changed_at_field()

    class Meta:
        verbose_name = _("venture")
        verbose_name_plural = _("ventures")
        ordering = ["name"]
        constraints = [
            # "Studio" and "studio" are one name: the services check it case-insensitively too.
            models.UniqueConstraint(Lower("name"), "cohort", name="venture_name_unique_per_cohort_ci"),
        ]
        triggers = [changed_at_trigger()]

    def __str__(self):
        return self.name


class VentureMember(models.Model):
    """A person on a venture's team: a user of the portal, or someone invited by email who has no account."""

    venture = models.ForeignKey(Venture, on_delete=models.CASCADE, related_name="team", verbose_name=_("venture"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="venture_memberships",
        verbose_name=_("user"),
    )
    name = models.CharField(_("name"), max_length=150)
    email = models.EmailField(_("email address"), blank=True)
    role = models.CharField(_("role in the team"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("team member")
        verbose_name_plural = _("team members")
        ordering = ["venture", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(user__isnull=False) | ~Q(email=""), name="venture_member_user_or_email"),
            models.UniqueConstraint(
                fields=["venture", "user"], condition=Q(user__isnull=False), name="venture_member_user_once"
            ),
            models.UniqueConstraint(
                "venture", Lower("email"), condition=~Q(email=""), name="venture_member_email_once"
            ),
        ]

    def __str__(self):
        return self.name


class Post(models.Model):
    """An offer or a need on the cohort's collaboration board."""

    class Kind(models.TextChoices):
        OFFER = "offer", _("offer")
        NEED = "need", _("need")

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="posts", verbose_name=_("cohort"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("author")
    )
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("details"), blank=True)
    field = models.CharField(_("field"), max_length=32, choices=FIELD_CHOICES, blank=True)
    created_at = models.DateTimeField(_("posted at"), default=timezone.now)

    class Meta:
        verbose_name = _("board post")
        verbose_name_plural = _("board posts")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["cohort", "-created_at"], name="post_cohort_recent_idx")]

    def __str__(self):
        return self.title


class Answer(models.Model):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="answers", verbose_name=_("post"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("author")
    )
    body = models.TextField(_("answer"))
    created_at = models.DateTimeField(_("answered at"), default=timezone.now)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"{self.author} → {self.post}"


class Initiative(models.Model):
    """A piece of work of a venture or of a team of members, written as what / why / how / status / next step."""

    class Status(models.TextChoices):
        IDEA = "idea", _("idea")
        PLANNING = "planning", _("planning")
        RUNNING = "running", _("in progress")
        DONE = "done", _("done")
        STOPPED = "stopped", _("stopped")

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="initiatives", verbose_name=_("cohort"))
    venture = models.ForeignKey(
        Venture,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="initiatives",
        verbose_name=_("venture"),
    )
    team = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="initiatives", verbose_name=_("team")
    )
    title = models.CharField(_("title"), max_length=200)
    what = models.TextField(_("what"))
    why = models.TextField(_("why"), blank=True)
    how = models.TextField(_("how"), blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.IDEA)
    next_step = models.TextField(_("next step"), blank=True)
    due_on = models.DateField(_("due on"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("initiative")
        verbose_name_plural = _("initiatives")
        ordering = ["title"]
        constraints = [
            models.UniqueConstraint(Lower("title"), "cohort", name="initiative_title_unique_per_cohort_ci"),
        ]

    def __str__(self):
        return self.title


class InitiativeUpdate(models.Model):
    """A dated note of progress on an initiative."""

    initiative = models.ForeignKey(
        Initiative, on_delete=models.CASCADE, related_name="updates", verbose_name=_("initiative")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("author")
    )
    on = models.DateField(_("date"))
    text = models.TextField(_("progress"))
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("progress update")
        verbose_name_plural = _("progress updates")
        ordering = ["-on", "-id"]

    def __str__(self):
        return f"{self.initiative} {self.on}"


class Milestone(models.Model):
    initiative = models.ForeignKey(
        Initiative, on_delete=models.CASCADE, related_name="milestones", verbose_name=_("initiative")
    )
    title = models.CharField(_("title"), max_length=200)
    due_on = models.DateField(_("due on"))
    done_on = models.DateField(_("done on"), null=True, blank=True)

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["due_on", "id"]

    def __str__(self):
        return self.title

    @property
    def is_done(self) -> bool:
        return self.done_on is not None
