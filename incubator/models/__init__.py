import functools
from zoneinfo import available_timezones

from babel import Locale
from babel.dates import get_timezone_location
from babel.numbers import get_currency_name, get_territory_currencies
from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from pghistory.models import Context

from incubator.when import locale_name
from incubator.widgets import LongChoiceField, LongSelect

TIME_ZONE_NAMES = frozenset(name for name in available_timezones() if "/" in name or name == "UTC")
# The areas of the tz database, named in the reader's language. Names outside them (old aliases such as
# "US/Eastern") stay choosable under "Other", so that a zone chosen years ago still validates.
ZONE_AREAS = {
    "Africa": _("Africa"),
    "America": _("Americas"),
    "Antarctica": _("Antarctica"),
    "Arctic": _("Arctic"),
    "Asia": _("Asia"),
    "Atlantic": _("Atlantic Ocean"),
    "Australia": _("Australia"),
    "Europe": _("Europe"),
    "Indian": _("Indian Ocean"),
    "Pacific": _("Pacific Ocean"),
}


def time_zone_choices() -> list:
    """UTC, then the zones by area, each as "Varsovie (Europe/Warsaw)": the city in the language of the form being
    drawn (CLDR, through Babel), then the zone's own name, which is what is stored; the name alone where CLDR has
    no name for the city in that language."""
    return _time_zone_choices(locale_name())


@functools.lru_cache(maxsize=16)
def _time_zone_choices(locale: str) -> list:
    groups: dict[str, list[tuple[str, str]]] = {area: [] for area in [*ZONE_AREAS, ""]}
    english = locale_name("en")
    for name in TIME_ZONE_NAMES - {"UTC"}:
        area = name.split("/", 1)[0]
        city = _zone_city(name, locale)
        # A city CLDR does not name in this language would be English on the page: the zone's own name says it.
        label = name if locale != english and city == _zone_city(name, english) else f"{city} ({name})"
        groups[area if area in ZONE_AREAS else ""].append((name, label))
    labels = {**ZONE_AREAS, "": _("Other")}
    return [("UTC", "UTC")] + [
        (str(labels[area]), sorted(zones, key=lambda zone: zone[1].casefold())) for area, zones in groups.items()
    ]


@functools.lru_cache(maxsize=8192)
def _zone_city(name: str, locale: str) -> str:
    try:
        return get_timezone_location(name, locale=locale, return_city=True)
    except (LookupError, ValueError):
        return name.rsplit("/", 1)[-1].replace("_", " ")


class RunTimeChoicesField(models.CharField):
    """A code whose choices come from the machine's data at run time (`choices_at_run_time`). They stay out of
    migrations, which would otherwise differ from one machine (and one tzdata or CLDR release) to the next."""

    choices_at_run_time: object = ()

    def __init__(self, *args, **kwargs):
        kwargs["choices"] = self.choices_at_run_time
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs.pop("choices", None)
        return name, path, args, kwargs

    def formfield(self, **kwargs):
        return super().formfield(**{"widget": LongSelect, "choices_form_class": LongChoiceField, **kwargs})


class TimeZoneField(RunTimeChoicesField):
    """An IANA zone name, from the machine's tz database."""

    choices_at_run_time = staticmethod(time_zone_choices)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 64)
        super().__init__(*args, **kwargs)


# ISO 4217 codes that some country uses as legal tender today (CLDR, through Babel): no retired currencies, no
# metals or test codes.
CURRENCY_CODES = sorted(
    {code for territory in Locale("en").territories for code in get_territory_currencies(territory, tender=True)}
)


def currency_choices() -> list[tuple[str, str]]:
    """ "PLN — złoty polski": each code with its name in the language of the form being drawn."""
    locale = locale_name()
    return [(code, f"{code} — {get_currency_name(code, locale=locale)}") for code in CURRENCY_CODES]


class CurrencyField(RunTimeChoicesField):
    """An ISO 4217 code for amounts of money, named in the form's language; the database checks the shape (three
    capital letters) where the field's model declares it."""

    choices_at_run_time = staticmethod(currency_choices)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 3)
        super().__init__(*args, **kwargs)


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


class User(AbstractBaseUser, PermissionsMixin):
    """A person: the email address is the login; language and time zone shape every page and email."""

    email = models.EmailField(_("email address"), unique=True)
    name = models.CharField(_("full name"), max_length=150)
    preferred_language = models.CharField(
        _("preferred language"), max_length=8, choices=settings.LANGUAGES, default="en"
    )
    time_zone = TimeZoneField(_("time zone"), default="UTC")
    # Program managers get "what needs you" every Monday (cohorts/digest.py) unless they turn it off.
    weekly_digest = models.BooleanField(
        _("weekly email of what needs me"),
        default=True,
        db_default=True,  # rows written by code that predates the field (an older migration's model) opt in too
        help_text=_("Every Monday, what needs you in the programs you manage. Nothing is sent on a quiet week."),
    )
    is_staff = models.BooleanField(_("staff status"), default=False)
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["name"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_ci_unique"),
        ]

    def __str__(self):
        return self.name or self.email

    def get_full_name(self):
        return self.name

    def get_short_name(self):
        return self.name.split(" ")[0] if self.name else self.email


class Notification(models.Model):
    """The ledger: one row per (kind, object, recipient, threshold), claimed exactly once, then delivered at least
    once with a stable Message-ID (see incubator.notifications and incubator.delivery)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("pending")
        SENDING = "sending", _("sending")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed")

    kind = models.CharField(_("kind"), max_length=64)
    object_id = models.BigIntegerField(_("object id"))
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications", verbose_name=_("recipient")
    )
    threshold = models.CharField(_("threshold"), max_length=32, blank=True, default="")
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True, default="")
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    last_attempt_at = models.DateTimeField(_("last attempt at"), null=True, blank=True)
    # Retries back off from the last attempt; empty: send as soon as a worker takes it.
    next_attempt_at = models.DateTimeField(_("next attempt at"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    # The program the email is about, so its managers (and only they) see the row and can send it again.
    program = models.ForeignKey(
        "cohorts.Program",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("program"),
    )

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "object_id", "recipient", "threshold"], name="notification_once_per_key"
            ),
            models.CheckConstraint(
                condition=~models.Q(status="sent") | models.Q(sent_at__isnull=False),
                name="notification_sent_has_time",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="sending") | models.Q(last_attempt_at__isnull=False),
                name="notification_sending_has_attempt_time",
            ),
        ]
        indexes = [models.Index(fields=["status", "created_at"], name="notification_status_idx")]

    def __str__(self):
        return f"{self.kind} #{self.object_id} → {self.recipient_id} ({self.threshold or '-'})"


class CalendarToken(models.Model):
    """The secret in a person's private calendar feed address; resetting it replaces the row's token."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_token", verbose_name=_("person")
    )
    token = models.CharField(_("token"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("calendar token")
        verbose_name_plural = _("calendar tokens")

    def __str__(self):
        return f"calendar of {self.user}"


class AuditTrail(Context):
    """The audit trail's contexts (django-pghistory) as the admin lists those holding actions: who acted and the
    actions services recorded (incubator/audit.py); the rows that changed are the events of the context each
    names under "context"."""

    class Meta:
        proxy = True
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        ordering = ["-created_at"]

    def __str__(self):
        return ", ".join(entry["action"] for entry in self.metadata.get("actions", [])) or str(self.pk)


# Django finds a package's models in its `models` module: the API's and the webhooks' are in models/api.py.
from incubator.models.api import (  # noqa: E402
    ApiScope,
    ApiToken,
    WebhookDelivery,
    WebhookEndpoint,
    WebhookEvent,
    WebhookEventName,
)

__all__ = [
    "ApiScope",
    "ApiToken",
    "AuditTrail",
    "CalendarToken",
    "Notification",
    "User",
    "WebhookDelivery",
    "WebhookEndpoint",
    "WebhookEvent",
    "WebhookEventName",
]
