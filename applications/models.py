import uuid
from pathlib import PurePosixPath
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from cohorts.models import FIELD_CHOICES, Cohort, Region
from incubator.api.changes import changed_at_field, changed_at_trigger


def field_key(answer: str) -> str:
    """The cohort field (FIELD_CHOICES key) an answer names, in any of the portal's languages; "other" if none."""
    wanted = answer.strip().casefold()
    if wanted in dict(FIELD_CHOICES):
        return wanted
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            for key, label in FIELD_CHOICES:
                if wanted == str(label).casefold():
                    return key
    return "other"


DEFAULT_FILE_TYPES = "pdf,jpg,png"
DEFAULT_MAX_FILE_MB = 10


class Call(models.Model):
    """A call for applications that fills one cohort; its deadline is an instant, shown in the program's zone."""

    cohort = models.ForeignKey(Cohort, on_delete=models.PROTECT, related_name="calls", verbose_name=_("cohort"))
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    opens_at = models.DateTimeField(_("opens at"))
    closes_at = models.DateTimeField(_("closes at"), help_text=_("The last second at which a submission counts."))
    seats = models.PositiveIntegerField(_("seats"), default=0)
    editable_after_submit = models.BooleanField(
        _("applicants may edit after submitting"),
        default=False,
        help_text=_("Until the deadline; every submitted version is kept."),
    )
    is_published = models.BooleanField(
        _("published on the portal"),
        default=True,
        db_default=True,  # calls written by code that predates the field (an older migration's model) are public
        help_text=_("Shown on the public list of calls and open for applications between its dates."),
    )
    # Set by the decisions workflow (issue #4); once set, applicants can no longer withdraw.
    decisions_published_at = models.DateTimeField(_("decisions published at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    changed_at = changed_at_field()

    class Meta:
        verbose_name = _("call")
        verbose_name_plural = _("calls")
        ordering = ["-closes_at"]
        constraints = [models.CheckConstraint(condition=Q(closes_at__gt=F("opens_at")), name="call_closes_after_open")]
        triggers = [changed_at_trigger()]

    def __str__(self):
        return self.title

    @property
    def program(self):
        return self.cohort.program

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.cohort.program.time_zone)

    def is_open(self, now=None) -> bool:
        now = now or timezone.now()
        return self.is_published and self.opens_at <= now <= self.closes_at

    def is_upcoming(self, now=None) -> bool:
        return (now or timezone.now()) < self.opens_at


class Question(models.Model):
    class Kind(models.TextChoices):
        SHORT_TEXT = "short_text", _("short text")
        LONG_TEXT = "long_text", _("long text")
        NUMBER = "number", _("number")
        DATE = "date", _("date")
        YES_NO = "yes_no", _("yes / no")
        SINGLE_CHOICE = "single_choice", _("single choice")
        MULTIPLE_CHOICE = "multiple_choice", _("multiple choice")
        URL = "url", _("web address")
        EMAIL = "email", _("email address")
        PHONE = "phone", _("phone number")
        FILE = "file", _("file upload")

    class VentureRole(models.TextChoices):
        # An accepted applicant's venture is carried into the cohort from the answers marked with these.
        NONE = "", _("—")
        NAME = "name", _("venture name")
        FIELD = "field", _("venture field")
        DESCRIPTION = "description", _("venture description")
        WEBSITE = "website", _("venture website")

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="questions", verbose_name=_("call"))
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    label = models.CharField(_("question"), max_length=300)
    help_text = models.TextField(_("help text"), blank=True)
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices, default=Kind.SHORT_TEXT)
    required = models.BooleanField(_("required"), default=True)
    choices = models.TextField(_("choices"), blank=True, help_text=_("For choice questions: one choice per line."))
    word_limit = models.PositiveIntegerField(_("word limit"), null=True, blank=True)
    allowed_file_types = models.CharField(
        _("allowed file types"),
        max_length=100,
        default=DEFAULT_FILE_TYPES,
        help_text=_("For file questions: extensions checked against the content, e.g. pdf,jpg,png."),
    )
    max_file_size_mb = models.PositiveSmallIntegerField(_("size limit (MB)"), default=DEFAULT_MAX_FILE_MB)
    is_contact = models.BooleanField(
        _("contact detail"),
        default=False,
        help_text=_("Hidden from reviewers when the review is anonymised (email and phone questions always are)."),
    )
    venture_role = models.CharField(
        _("carried into the cohort as"),
        max_length=16,
        choices=VentureRole.choices,
        blank=True,
        default="",
        help_text=_("When the applicant is accepted, this answer becomes part of their venture in the cohort."),
    )

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["call", "position", "id"]

    def __str__(self):
        return self.label

    def choice_list(self) -> list[str]:
        return [line.strip() for line in self.choices.splitlines() if line.strip()]

    def file_types(self) -> list[str]:
        return [ext.strip().lower().lstrip(".") for ext in self.allowed_file_types.split(",") if ext.strip()]

    @property
    def is_contact_detail(self) -> bool:
        """What an anonymised review leaves out: the questions marked as contact details, and every email and
        phone question, whatever their label and language."""
        return self.is_contact or self.kind in (self.Kind.EMAIL, self.Kind.PHONE)


class EligibilityRule(models.Model):
    """One condition an application must meet; evaluated at submit, each failure gives a readable reason."""

    class Kind(models.TextChoices):
        AGE_RANGE = "age_range", _("age range on a date")
        REGIONS = "regions", _("allowed regions")
        ANSWER = "answer", _("required answer")

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="eligibility_rules", verbose_name=_("call"))
    kind = models.CharField(_("rule"), max_length=16, choices=Kind.choices)
    min_age = models.PositiveSmallIntegerField(_("minimum age"), null=True, blank=True)
    max_age = models.PositiveSmallIntegerField(_("maximum age"), null=True, blank=True)
    age_on = models.DateField(
        _("age on"), null=True, blank=True, help_text=_("Empty: the deadline's date in the program's time zone.")
    )
    regions = models.ManyToManyField(Region, blank=True, related_name="+", verbose_name=_("allowed regions"))
    question = models.ForeignKey(
        Question, on_delete=models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("question")
    )
    expected_answer = models.CharField(_("expected answer"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("eligibility rule")
        verbose_name_plural = _("eligibility rules")
        ordering = ["call", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="age_range") | Q(min_age__isnull=False) | Q(max_age__isnull=False),
                name="eligibility_age_rule_has_bound",
            ),
            models.CheckConstraint(
                condition=~Q(kind="answer") | Q(question__isnull=False), name="eligibility_answer_rule_has_question"
            ),
        ]

    def __str__(self):
        return self.get_kind_display()


class Application(models.Model):
    """One person's application to one call. Its status changes only in `applications.services`."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        SUBMITTED = "submitted", _("submitted")
        WITHDRAWN = "withdrawn", _("withdrawn")
        # Published decisions (issue #4 records them as pending, then publishes them into these).
        ACCEPTED = "accepted", _("accepted")
        WAITLISTED = "waitlisted", _("waitlisted")
        REJECTED = "rejected", _("not selected")

    class Eligibility(models.TextChoices):
        UNKNOWN = "unknown", _("not checked yet")
        ELIGIBLE = "eligible", _("eligible")
        INELIGIBLE = "ineligible", _("ineligible")

    call = models.ForeignKey(Call, on_delete=models.PROTECT, related_name="applications", verbose_name=_("call"))
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="applications", verbose_name=_("applicant")
    )
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.DRAFT)
    full_name = models.CharField(_("full name"), max_length=150, blank=True)
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("region")
    )
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("email address"), blank=True)
    # {str(question id): value}; files are ApplicationFile rows, not answers.
    answers = models.JSONField(_("answers"), default=dict, blank=True)
    # What the applicant typed that did not validate, exactly as typed, by form field name ("q_12", "email",
    # "team": the team rows): a draft never loses text. Corrected answers leave it; submitting needs it empty.
    invalid_answers = models.JSONField(_("answers still to correct"), default=dict, blank=True)
    eligibility = models.CharField(
        _("eligibility"), max_length=16, choices=Eligibility.choices, default=Eligibility.UNKNOWN
    )
    eligibility_reasons = models.JSONField(_("eligibility reasons"), default=list, blank=True)
    eligibility_override = models.CharField(
        _("eligibility set by a manager"),
        max_length=16,
        choices=[(Eligibility.ELIGIBLE, _("eligible")), (Eligibility.INELIGIBLE, _("ineligible"))],
        blank=True,
    )
    override_reason = models.TextField(_("reason for the override"), blank=True)
    override_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("overridden by"),
    )
    override_at = models.DateTimeField(_("overridden at"), null=True, blank=True)
    created_at = models.DateTimeField(_("started at"), default=timezone.now)
    updated_at = models.DateTimeField(_("last saved at"), default=timezone.now)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    # Set once by `applications.personal_data.application_personal_data_erase`; the row stays for the counts.
    personal_data_erased_at = models.DateTimeField(_("personal data erased at"), null=True, blank=True)

    changed_at = changed_at_field()

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["-updated_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["applicant", "call"], name="application_once_per_call"),
            models.CheckConstraint(
                condition=Q(eligibility_override="") | ~Q(override_reason=""), name="application_override_has_reason"
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["submitted", "accepted", "waitlisted", "rejected"])
                | Q(submitted_at__isnull=False),
                name="application_submitted_has_time",
            ),
            models.CheckConstraint(
                condition=~Q(status="withdrawn") | Q(withdrawn_at__isnull=False), name="application_withdrawn_has_time"
            ),
        ]
        indexes = [
            # With what the program home counts per call, so it reads this index, not every application's answers.
            models.Index(
                fields=["call", "status"],
                include=["id", "eligibility", "eligibility_override"],
                name="application_call_counts_idx",
            )
        ]
        triggers = [changed_at_trigger()]

    def __str__(self):
        return f"{self.full_name or self.applicant} — {self.call}"

    @property
    def final_eligibility(self) -> str:
        return self.eligibility_override or self.eligibility

    def get_final_eligibility_display(self) -> str:
        return self.Eligibility(self.final_eligibility).label

    # What `cohorts.services.membership_create_from_application` carries into the cohort: the answers to the
    # call's questions marked with a venture role (read from `call.questions`, prefetched by the publisher).
    def _venture_answer(self, role: str) -> str:
        for question in self.call.questions.all():
            if question.venture_role == role:
                value = self.answers.get(str(question.pk))
                return ", ".join(map(str, value)) if isinstance(value, list) else str(value or "").strip()
        return ""

    @property
    def venture_name(self) -> str:
        return self._venture_answer(Question.VentureRole.NAME)[:200]

    @property
    def venture_field(self) -> str:
        """A cohort field key: the answer matched against the fields' keys and their names in every language."""
        answer = self._venture_answer(Question.VentureRole.FIELD)
        return field_key(answer) if answer else ""

    @property
    def venture_description(self) -> str:
        return self._venture_answer(Question.VentureRole.DESCRIPTION)

    @property
    def venture_website(self) -> str:
        website = self._venture_answer(Question.VentureRole.WEBSITE)
        return website if website.startswith(("http://", "https://")) else ""


class TeamMember(models.Model):
    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="team_members", verbose_name=_("application")
    )
    name = models.CharField(_("name"), max_length=150)
    email = models.EmailField(_("email address"), blank=True)
    role = models.CharField(_("role in the team"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("team member")
        verbose_name_plural = _("team members")
        ordering = ["application", "id"]

    def __str__(self):
        return self.name


def upload_to(instance, filename: str) -> str:
    # A random name: the applicant's file name is kept in `original_name`, never trusted as a path.
    extension = PurePosixPath(filename).suffix.lower()
    return f"applications/{instance.application.call_id}/{instance.application_id}/{uuid.uuid4().hex}{extension}"


class ApplicationFile(models.Model):
    """The answer to a file question; stored through Django's storage API, served by a checking view."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="files", verbose_name=_("application")
    )
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="+", verbose_name=_("question"))
    file = models.FileField(_("file"), upload_to=upload_to, max_length=255)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size"))
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)

    class Meta:
        verbose_name = _("uploaded file")
        verbose_name_plural = _("uploaded files")
        constraints = [
            models.UniqueConstraint(fields=["application", "question"], name="application_file_once_per_question")
        ]

    def __str__(self):
        return self.original_name


class ApplicationVersion(models.Model):
    """A frozen copy of what was submitted; one per submission, never changed."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="versions", verbose_name=_("application")
    )
    number = models.PositiveIntegerField(_("version"))
    submitted_at = models.DateTimeField(_("submitted at"))
    data = models.JSONField(_("submitted data"))

    class Meta:
        verbose_name = _("submitted version")
        verbose_name_plural = _("submitted versions")
        ordering = ["application", "number"]
        constraints = [
            models.UniqueConstraint(fields=["application", "number"], name="application_version_unique_number")
        ]

    def __str__(self):
        return f"{self.application} v{self.number}"


# Selection scoring and the interview stage live in their own subpackages; imported here so Django registers them
# in this app.
from applications.interviews.models import *  # noqa: E402,F401,F403
from applications.scoring.models import *  # noqa: E402,F401,F403
