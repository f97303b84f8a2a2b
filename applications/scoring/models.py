"""Selection scoring: rubric, stages, reviewer assignments and conflicts, reviews, quotas, decisions, history.

These models live in the `applications` app (imported at the end of applications/models.py), so their
tables are `applications_*` and their migrations sit with the calls' ones."""

import re

import pghistory
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from applications.scoring.kept import ReviewerLoad, ScoreSummary
from cohorts.models import Region
from incubator.api.changes import changed_at_field, changed_at_trigger


# Row-level history (incubator/history.py): what is created, changed and deleted, whoever does it.
def _row_events():
    # Fresh trackers per model: a tracker resolves its condition against the first model it is given.
    return pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent()


__all__ = [
    "ConflictOfInterest",
    "Criterion",
    "CriterionScore",
    "Decision",
    "DecisionEmailTemplate",
    "RegionQuota",
    "Review",
    "ReviewSettings",
    "ReviewStage",
    "ReviewerAssignment",
    "ReviewerLoad",
    "ScoreSummary",
]

# A review's weighted score is expressed in points from 0 to 100, whatever each criterion's scale.
POINTS_MAX = 100


class ReviewStage(models.TextChoices):
    """What a criterion scores and an assignment reviews: the written application, or the interview."""

    WRITTEN = "written", _("written")
    INTERVIEW = "interview", _("interview")


@pghistory.track(*_row_events())
class ReviewSettings(models.Model):
    """How one call is reviewed: its stage, deadline, reviewers, visibility and normalisation."""

    class Stage(models.TextChoices):
        SCREENING = "screening", _("screening (eligibility)")
        SCORING = "scoring", _("scoring")
        INTERVIEW = "interview", _("interview")
        DECISION = "decision", _("decision")

    class Visibility(models.TextChoices):
        NEVER = "never", _("never")
        AFTER_SUBMIT = "after_submit", _("after submitting their own review")
        ALWAYS = "always", _("always")

    call = models.OneToOneField(
        "applications.Call", on_delete=models.CASCADE, related_name="review_settings", verbose_name=_("call")
    )
    stage = models.CharField(_("stage"), max_length=16, choices=Stage.choices, default=Stage.SCREENING)
    has_interview = models.BooleanField(_("interview stage"), default=False)
    review_deadline = models.DateTimeField(_("review deadline"), null=True, blank=True)
    reviewers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="+", verbose_name=_("reviewers of this call")
    )
    reviews_per_application = models.PositiveSmallIntegerField(_("reviewers per application"), default=3)
    others_visible = models.CharField(
        _("reviewers see others' scores"), max_length=16, choices=Visibility.choices, default=Visibility.AFTER_SUBMIT
    )
    anonymised = models.BooleanField(
        _("anonymised review"), default=False, help_text=_("Hide names, contact details and team names from reviewers.")
    )
    normalise = models.BooleanField(
        _("normalise per reviewer"),
        default=False,
        help_text=_("Rank by z-scores per reviewer rescaled to 0–100, so a harsh reviewer does not sink anyone."),
    )
    disagreement_threshold = models.DecimalField(
        _("disagreement threshold (standard deviation, points)"), max_digits=5, decimal_places=1, default=15
    )
    interview_weight = models.PositiveSmallIntegerField(
        _("interview weight (%)"),
        default=40,
        help_text=_("The interview's share of the final score; the written review counts for the rest."),
    )

    class Meta:
        verbose_name = _("review settings")
        verbose_name_plural = _("review settings")
        constraints = [
            models.CheckConstraint(condition=Q(reviews_per_application__gte=1), name="review_settings_k_positive"),
            models.CheckConstraint(condition=~Q(stage="interview") | Q(has_interview=True), name="review_interview_on"),
            models.CheckConstraint(
                condition=Q(interview_weight__gte=1, interview_weight__lte=99), name="review_interview_weight_range"
            ),
        ]

    def __str__(self):
        return str(self.call)

    @property
    def accepts_reviews(self) -> bool:
        return self.stage in (self.Stage.SCORING, self.Stage.INTERVIEW)


@pghistory.track(*_row_events())
class Criterion(models.Model):
    call = models.ForeignKey(
        "applications.Call", on_delete=models.CASCADE, related_name="criteria_set", verbose_name=_("call")
    )
    stage = models.CharField(_("stage"), max_length=16, choices=ReviewStage.choices, default=ReviewStage.WRITTEN)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    weight = models.DecimalField(_("weight"), max_digits=5, decimal_places=2, default=1)
    scale_min = models.SmallIntegerField(_("lowest score"), default=1)
    scale_max = models.SmallIntegerField(_("highest score"), default=5)
    informational = models.BooleanField(_("informational only"), default=False, help_text=_("Shown, not counted."))

    class Meta:
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        ordering = ["call", "position", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(scale_max__gt=F("scale_min")), name="criterion_scale_ordered"),
            models.CheckConstraint(condition=Q(weight__gt=0), name="criterion_weight_positive"),
        ]

    def __str__(self):
        return self.name


class RegionQuota(models.Model):
    """Seats a selection must (minimum) or may at most (maximum) give to one region."""

    call = models.ForeignKey(
        "applications.Call", on_delete=models.CASCADE, related_name="quotas", verbose_name=_("call")
    )
    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+", verbose_name=_("region"))
    minimum = models.PositiveSmallIntegerField(_("minimum"), default=0)
    maximum = models.PositiveSmallIntegerField(_("maximum"), null=True, blank=True)

    class Meta:
        verbose_name = _("regional quota")
        verbose_name_plural = _("regional quotas")
        constraints = [
            models.UniqueConstraint(fields=["call", "region"], name="quota_once_per_region"),
            models.CheckConstraint(
                condition=Q(maximum__isnull=True) | Q(maximum__gte=F("minimum")), name="quota_max_not_below_min"
            ),
        ]

    def __str__(self):
        return f"{self.region}: {self.minimum}–{self.maximum if self.maximum is not None else '∞'}"


class ConflictOfInterest(models.Model):
    """A reviewer must not judge this application, or anyone applying with this email (applicant or team)."""

    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="conflicts", verbose_name=_("reviewer")
    )
    application = models.ForeignKey(
        "applications.Application",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="conflicts",
        verbose_name=_("application"),
    )
    email = models.EmailField(_("email of the person"), blank=True)
    reason = models.TextField(_("reason"), blank=True)
    declared_at = models.DateTimeField(_("declared at"), default=timezone.now)

    class Meta:
        verbose_name = _("conflict of interest")
        verbose_name_plural = _("conflicts of interest")
        constraints = [
            models.CheckConstraint(
                condition=Q(application__isnull=False) | ~Q(email=""), name="conflict_names_application_or_email"
            ),
        ]

    def __str__(self):
        return f"{self.reviewer} ↔ {self.application or self.email}"


class ReviewerAssignment(models.Model):
    call = models.ForeignKey("applications.Call", on_delete=models.CASCADE, related_name="+", verbose_name=_("call"))
    application = models.ForeignKey(
        "applications.Application", on_delete=models.CASCADE, related_name="assignments", verbose_name=_("application")
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="assignments", verbose_name=_("reviewer")
    )
    # The written application, or the interview (a panel member's scores of it, on the interview rubric).
    stage = models.CharField(_("stage"), max_length=16, choices=ReviewStage.choices, default=ReviewStage.WRITTEN)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("assigned by"),
    )
    assigned_at = models.DateTimeField(_("assigned at"), default=timezone.now)
    # When the reviewer was first shown the other reviewers' scores after submitting: from then on their own
    # submitted review is final (a throwaway review must not unlock the others' scores to be rewritten after).
    others_seen_at = models.DateTimeField(_("others' scores seen at"), null=True, blank=True)
    # The reviewer queue's sort key, copied from the review, the call and the application by PostgreSQL triggers
    # (migration 0016) whatever writes them, so the queue's first page is read from an index and the "needs you"
    # counts of unfinished reviews need not join every review. Never written by Python.
    review_status = models.CharField(
        _("review status"), max_length=16, blank=True, default="", db_default="", editable=False
    )
    call_closes_at = models.DateTimeField(_("call closes at"), null=True, editable=False)
    application_submitted_at = models.DateTimeField(_("application submitted at"), null=True, editable=False)

    class Meta:
        verbose_name = _("reviewer assignment")
        verbose_name_plural = _("reviewer assignments")
        ordering = ["call", "application", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "reviewer", "stage"], name="assignment_once_per_reviewer_stage"
            ),
        ]
        indexes = [
            models.Index(fields=["reviewer", "call"], name="assignment_reviewer_call_idx"),
            # The queue order: no review yet (""), then drafts, then submitted; by call deadline, then submission.
            models.Index(
                fields=["reviewer", "review_status", "call_closes_at", "call", "application_submitted_at", "id"],
                name="assignment_queue_idx",
            ),
            # The few assignments still to review (the "reviews late" line), not all of them.
            models.Index(
                fields=["application"], condition=~Q(review_status="submitted"), name="assignment_unfinished_idx"
            ),
        ]

    def __str__(self):
        return str(self.reviewer)  # shown under the application it belongs to (the admin's review inline)


# The points are recomputed from the scores and would only repeat them; `changed_at` (the API's) is the time of
# every write, the history's own.
@pghistory.track(*_row_events(), exclude=["points", "updated_at", "changed_at"])
class Review(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        SUBMITTED = "submitted", _("submitted")

    class Recommendation(models.TextChoices):
        YES = "yes", _("yes")
        MAYBE = "maybe", _("maybe")
        NO = "no", _("no")

    assignment = models.OneToOneField(
        ReviewerAssignment, on_delete=models.CASCADE, related_name="review", verbose_name=_("assignment")
    )
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.DRAFT)
    comment = models.TextField(_("comment"), blank=True)
    recommendation = models.CharField(_("recommendation"), max_length=8, choices=Recommendation.choices, blank=True)
    # The weighted score in points (0–100), computed in SQL from the scores by `services.review_points_refresh`
    # whenever the review or the call's rubric changes, so that the ranking need not re-add 4 scores per review.
    points = models.FloatField(_("weighted score (points)"), null=True, blank=True, editable=False)
    updated_at = models.DateTimeField(_("last saved at"), default=timezone.now)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)

    changed_at = changed_at_field()

    class Meta:
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        constraints = [
            models.CheckConstraint(
                condition=Q(status="draft") | (Q(submitted_at__isnull=False) & ~Q(recommendation="")),
                name="review_submitted_is_complete",
            ),
        ]
        triggers = [changed_at_trigger()]

    def __str__(self):
        return f"{self.assignment} ({self.get_status_display()})"


@pghistory.track(*_row_events())
class CriterionScore(models.Model):
    """One score; the criterion's scale is copied in so the database itself refuses an out-of-range score."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="scores", verbose_name=_("review"))
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="+", verbose_name=_("criterion"))
    score = models.SmallIntegerField(_("score"))
    scale_min = models.SmallIntegerField(_("lowest score"))
    scale_max = models.SmallIntegerField(_("highest score"))

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [
            models.UniqueConstraint(fields=["review", "criterion"], name="score_once_per_criterion"),
            models.CheckConstraint(
                condition=Q(score__gte=F("scale_min")) & Q(score__lte=F("scale_max")), name="score_within_scale"
            ),
        ]

    def __str__(self):
        return f"{self.criterion}: {self.score}"


# `changed_at` (the API's) is the time of every write, the history's own.
@pghistory.track(*_row_events(), exclude=["changed_at"])
class Decision(models.Model):
    """The selection outcome for one application: pending until the manager publishes the call's decisions."""

    class Outcome(models.TextChoices):
        ACCEPT = "accept", _("accept")
        WAITLIST = "waitlist", _("waitlist")
        REJECT = "reject", _("reject")

    class Status(models.TextChoices):
        PENDING = "pending", _("pending")
        PUBLISHED = "published", _("published")
        # The applicant withdrew before publishing, or was no longer submitted or eligible when it came.
        CANCELLED = "cancelled", _("cancelled")

    application = models.OneToOneField(
        "applications.Application", on_delete=models.CASCADE, related_name="decision", verbose_name=_("application")
    )
    call = models.ForeignKey("applications.Call", on_delete=models.CASCADE, related_name="+", verbose_name=_("call"))
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PENDING)
    reason = models.CharField(_("why"), max_length=300, blank=True)
    waitlist_position = models.PositiveIntegerField(_("waitlist position"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), default=timezone.now)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    changed_at = changed_at_field()

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["pending", "cancelled"]) | Q(published_at__isnull=False),
                name="decision_published_has_time",
            ),
        ]
        indexes = [models.Index(fields=["call", "outcome"], name="decision_call_outcome_idx")]
        triggers = [changed_at_trigger()]

    def __str__(self):
        return f"{self.application_id}: {self.get_outcome_display()} ({self.get_status_display()})"


# The placeholders a decision email template may use, and how `emails.decision_email` finds them.
PLACEHOLDERS = ("name", "call", "program", "url")
PLACEHOLDER = re.compile(r"\{(" + "|".join(PLACEHOLDERS) + r")\}")


class DecisionEmailTemplate(models.Model):
    """A program's wording of a result email in one language. Rows without a program are the portal's defaults (a
    superuser's): each new program gets its own copy, and a program without wording of its own still reads them;
    without either, the built-in wording is used.

    Subject and body may use {name}, {call}, {program} and {url}; any other brace is refused."""

    program = models.ForeignKey(
        "cohorts.Program",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="decision_email_templates",
        verbose_name=_("program"),
        help_text=_("Empty: the default for every program without its own wording (superusers only)."),
    )
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    outcome = models.CharField(_("outcome"), max_length=16, choices=Decision.Outcome.choices)
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("body"))

    class Meta:
        verbose_name = _("decision email")
        verbose_name_plural = _("decision emails")
        constraints = [
            models.UniqueConstraint(fields=["program", "language", "outcome"], name="decision_email_once_per_program"),
            models.UniqueConstraint(
                fields=["language", "outcome"],
                condition=models.Q(program__isnull=True),
                name="decision_email_default_once",
            ),
        ]

    def __str__(self):
        return f"{self.get_outcome_display()} ({self.language})"

    def clean(self):
        super().clean()
        errors = {}
        for field in ("subject", "body"):
            rest = PLACEHOLDER.sub("", getattr(self, field) or "")
            bad = re.search(r"\{[^{}]*\}?|\}", rest)
            if bad:
                errors[field] = _(
                    "“%(placeholder)s” is not a placeholder you can use: write {name}, {call}, {program} or {url}, "
                    "and no other braces."
                ) % {"placeholder": bad.group(0)}
        if errors:
            raise ValidationError(errors)
