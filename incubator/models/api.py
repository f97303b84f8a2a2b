"""What the API (incubator/api) and the webhooks (incubator/webhooks.py) keep: tokens, endpoints, the event outbox
and its deliveries. Part of `incubator.models`, which imports them."""

import uuid

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ApiScope(models.TextChoices):
    """What a token may do, per area of the portal: reading, and for some areas writing."""

    APPLICATIONS_READ = "applications:read", _("Calls, applications, reviews, rankings and decisions: read")
    COHORTS_READ = "cohorts:read", _("Cohorts, members and ventures: read")
    COHORTS_WRITE = "cohorts:write", _("Member notes: write")
    MENTORING_READ = "mentoring:read", _("Mentoring sessions and attendance: read")
    MENTORING_WRITE = "mentoring:write", _("Mentoring sessions: log")
    WORKSPACES_READ = "workspaces:read", _("Spaces, resources, bookings and ledger lines: read")
    WORKSPACES_WRITE = "workspaces:write", _("Bookings: create and cancel")


class ApiToken(models.Model):
    """A person's key to the API (incubator/api): it acts as its person, narrowed to the programs and scopes it
    names, until it expires or is revoked. Only a hash of the secret is kept; the secret is shown once."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("person")
    )
    name = models.CharField(_("name"), max_length=100)
    programs = models.ManyToManyField("cohorts.Program", related_name="+", verbose_name=_("programs"))
    scopes = ArrayField(models.CharField(max_length=32, choices=ApiScope.choices), verbose_name=_("scopes"))
    # Public, unique: finds the row in one index lookup and names the token in lists without its secret.
    prefix = models.CharField(_("prefix"), max_length=16, unique=True)
    secret_hash = models.CharField(_("secret hash"), max_length=64)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires at"))
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    last_used_from = models.GenericIPAddressField(_("last used from"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(expires_at__gt=models.F("created_at")), name="api_token_expires_later"
            ),
            models.CheckConstraint(
                condition=models.Q(scopes__contained_by=[scope.value for scope in ApiScope]) & ~models.Q(scopes=[]),
                name="api_token_known_scopes",
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @property
    def scope_labels(self) -> list[str]:
        return [ApiScope(scope).label for scope in self.scopes]


class WebhookEventName(models.TextChoices):
    """The events a program's endpoints may subscribe to (the check constraint on `WebhookEndpoint.events`)."""

    APPLICATION_SUBMITTED = "application.submitted", _("an application is submitted")
    DECISION_PUBLISHED = "decision.published", _("a decision is published")
    MEMBER_JOINED = "member.joined", _("a member joins a cohort")
    SESSION_LOGGED = "session.logged", _("a mentoring session is logged")
    BOOKING_CREATED = "booking.created", _("a booking is made")
    BOOKING_CANCELLED = "booking.cancelled", _("a booking is cancelled")
    CHECKIN_SUBMITTED = "checkin.submitted", _("a venture sends its monthly check-in")


class WebhookEndpoint(models.Model):
    """An address a program's manager registered to receive the program's events (incubator.webhooks)."""

    class DisabledBecause(models.TextChoices):
        GONE = "gone", _("the endpoint answered 410 Gone")
        MANAGER = "manager", _("a manager disabled it")  # who: the audit trail

    program = models.ForeignKey(
        "cohorts.Program", on_delete=models.CASCADE, related_name="webhook_endpoints", verbose_name=_("program")
    )
    url = models.URLField(_("address"), max_length=500)
    events = ArrayField(models.CharField(max_length=64, choices=WebhookEventName.choices), verbose_name=_("events"))
    # Signs every delivery; shown once, when the endpoint is created, then only as `secret_hint` (stored apart, so
    # that the pages listing endpoints never read the secret).
    secret = models.CharField(_("signing secret"), max_length=64)
    secret_hint = models.CharField(_("signing secret"), max_length=16, blank=True, default="", db_default="")
    is_active = models.BooleanField(_("active"), default=True, db_default=True)
    disabled_reason = models.CharField(
        _("why it was disabled"), max_length=16, choices=DisabledBecause.choices, blank=True, default=""
    )
    disabled_at = models.DateTimeField(_("disabled at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("webhook endpoint")
        verbose_name_plural = _("webhook endpoints")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(events__contained_by=WebhookEventName.values, events__len__gt=0),
                name="webhook_endpoint_known_events",
            ),
            models.CheckConstraint(
                condition=models.Q(is_active=True) | models.Q(disabled_at__isnull=False),
                name="webhook_endpoint_disabled_has_time",
            ),
        ]

    def __str__(self):
        return self.url

    @staticmethod
    def hint_of(secret: str) -> str:
        """Enough of a secret to tell two apart, never enough to sign with."""
        return f"{secret[:6]}…{secret[-4:]}"


class WebhookEvent(models.Model):
    """The outbox: one row per event, written in the transaction of the change it reports, so that the event
    exists if and only if the change committed."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    program = models.ForeignKey(
        "cohorts.Program", on_delete=models.CASCADE, related_name="+", verbose_name=_("program")
    )
    event = models.CharField(_("event"), max_length=64, choices=WebhookEventName.choices)
    payload = models.JSONField(_("payload"))
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("webhook event")
        verbose_name_plural = _("webhook events")

    def __str__(self):
        return f"{self.event} {self.pk}"


class WebhookDelivery(models.Model):
    """One event to one endpoint: claimed exactly once (the unique pair), delivered at least once with the same
    `Webhook-Id` on every attempt (incubator.webhook_delivery)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("pending")
        SENDING = "sending", _("sending")
        DELIVERED = "delivered", _("delivered")
        FAILED = "failed", _("failed")

    event = models.ForeignKey(
        WebhookEvent, on_delete=models.CASCADE, related_name="deliveries", verbose_name=_("event")
    )
    endpoint = models.ForeignKey(
        WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries", verbose_name=_("endpoint")
    )
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    # Attempts back off from the last one and stop after this (3 days after the event, or after "send again").
    retry_until = models.DateTimeField(_("retried until"))
    next_attempt_at = models.DateTimeField(_("next attempt at"), null=True, blank=True)
    last_attempt_at = models.DateTimeField(_("last attempt at"), null=True, blank=True)
    response_status = models.PositiveSmallIntegerField(_("last response status"), null=True, blank=True)
    last_error = models.CharField(_("last error"), max_length=300, blank=True, default="")
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        constraints = [
            models.UniqueConstraint(fields=["event", "endpoint"], name="webhook_delivery_once_per_endpoint"),
            models.CheckConstraint(
                condition=~models.Q(status="delivered") | models.Q(delivered_at__isnull=False),
                name="webhook_delivery_delivered_has_time",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="sending") | models.Q(last_attempt_at__isnull=False),
                name="webhook_delivery_sending_has_attempt_time",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="webhook_delivery_due_idx"),
            models.Index(fields=["endpoint", "-created_at"], name="webhook_delivery_log_idx"),
        ]

    def __str__(self):
        return f"{self.event.event} → {self.endpoint.url}"
