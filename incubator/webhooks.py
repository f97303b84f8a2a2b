"""Webhooks: a program's events pushed to the addresses its managers registered, through an outbox.

`webhook_event_emit` runs inside the transaction of the change it reports (a submission, a booking ...): it writes
the event and one delivery per active endpoint subscribed to it, so the event exists if and only if the change
committed, and each (event, endpoint) pair is claimed exactly once (a unique constraint). Workers send the
deliveries once the transaction has committed (`incubator.webhook_delivery`, which documents the request and its
signature). Payloads carry ids and the event, never names, emails or answers.

Services for the endpoints (create, disable, enable, delete) and for "send again" are here too: each locks, checks,
audits. Programs are cohorts' concept: the program is named by id, so that incubator never imports cohorts.
"""

import secrets
from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from incubator.audit import audit_record
from incubator.models import WebhookDelivery, WebhookEndpoint, WebhookEvent, WebhookEventName
from incubator.tasks import webhook_deliver
from incubator.webhook_delivery import AddressRefused, endpoint_stop, resolve


def _deliveries_enqueue(delivery_ids: list[int]) -> None:
    for delivery_id in delivery_ids:
        transaction.on_commit(lambda pk=delivery_id: webhook_deliver.delay(pk))


def _retry_until(now):
    return now + timedelta(days=settings.WEBHOOK_RETRY_DAYS)


def webhook_events_emit(*, program_id: int, event: str, data: list[dict]) -> list[WebhookEvent]:
    """One event per entry of `data` (ids only), in the caller's transaction; nothing is written when no active
    endpoint of the program subscribes to `event`. Three queries whatever the number of events."""
    if event not in WebhookEventName.values:
        raise ValueError(f"unknown webhook event {event!r}")
    endpoint_ids = list(
        WebhookEndpoint.objects.filter(program_id=program_id, is_active=True, events__contains=[event]).values_list(
            "pk", flat=True
        )
    )
    if not endpoint_ids or not data:
        return []
    now = timezone.now()
    events = []
    for entry in data:
        row = WebhookEvent(program_id=program_id, event=event, created_at=now)
        row.payload = {
            "id": str(row.pk),
            "event": event,
            "created_at": now.isoformat(),
            "program": program_id,
            "data": entry,
        }
        events.append(row)
    WebhookEvent.objects.bulk_create(events)
    deliveries = WebhookDelivery.objects.bulk_create(
        WebhookDelivery(event=row, endpoint_id=endpoint_id, created_at=now, retry_until=_retry_until(now))
        for row in events
        for endpoint_id in endpoint_ids
    )
    _deliveries_enqueue([delivery.pk for delivery in deliveries])
    return events


def webhook_event_emit(*, program_id: int, event: str, data: dict) -> WebhookEvent | None:
    """One event (see `webhook_events_emit`)."""
    emitted = webhook_events_emit(program_id=program_id, event=event, data=[data])
    return emitted[0] if emitted else None


def webhook_url_check(url: str) -> None:
    """Refuse an address the portal must not call: not https (plain http only where private addresses are
    allowed), credentials in it, or a host that does not resolve or resolves to a private, loopback, link-local,
    multicast or reserved address (unless WEBHOOKS_ALLOW_PRIVATE_ADDRESSES)."""
    parts = urlsplit(url)
    allowed = ("https", "http") if settings.WEBHOOKS_ALLOW_PRIVATE_ADDRESSES else ("https",)
    if parts.scheme not in allowed:
        raise ValidationError(_("The address must start with https://."), code="scheme")
    if parts.username or parts.password:
        raise ValidationError(_("The address must not contain a user name or password."), code="credentials")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
        resolve(parts.hostname or "", port)
    except (AddressRefused, ValueError):
        raise ValidationError(
            _("This address cannot be reached from the internet (a private, local or unknown host)."), code="host"
        ) from None


def webhook_secret_new() -> str:
    return "whsec_" + secrets.token_urlsafe(32)


def webhook_endpoint_create(*, program, url: str, events: list[str], by) -> tuple[WebhookEndpoint, str]:
    """Register an endpoint; returns it and its signing secret, which is shown once, now, and never again."""
    webhook_url_check(url)
    with transaction.atomic():
        secret = webhook_secret_new()
        endpoint = WebhookEndpoint.objects.create(
            program=program,
            url=url,
            events=sorted(set(events)),
            secret=secret,
            secret_hint=WebhookEndpoint.hint_of(secret),
            created_by=by,
        )
        audit_record(
            actor=by, action="webhook.endpoint_create", obj=endpoint, after={"url": url, "events": endpoint.events}
        )
    return endpoint, secret


def webhook_endpoint_disable(*, endpoint: WebhookEndpoint, by) -> bool:
    return endpoint_stop(endpoint=endpoint, reason=WebhookEndpoint.DisabledBecause.MANAGER, by=by)


def webhook_endpoint_enable(*, endpoint: WebhookEndpoint, by) -> bool:
    """Deliveries start again with the next event; those failed meanwhile can be sent again from the log."""
    with transaction.atomic():
        locked = WebhookEndpoint.objects.select_for_update().filter(pk=endpoint.pk, is_active=False).first()
        if locked is None:
            return False
        before = {"is_active": False, "reason": locked.disabled_reason}
        locked.is_active = True
        locked.disabled_reason = ""
        locked.disabled_at = None
        locked.save(update_fields=["is_active", "disabled_reason", "disabled_at"])
        audit_record(actor=by, action="webhook.endpoint_enable", obj=locked, before=before, after={"is_active": True})
    return True


def webhook_endpoint_delete(*, endpoint: WebhookEndpoint, by) -> None:
    with transaction.atomic():
        locked = WebhookEndpoint.objects.select_for_update().get(pk=endpoint.pk)
        audit_record(actor=by, action="webhook.endpoint_delete", obj=locked, before={"url": locked.url})
        locked.delete()


def webhook_delivery_resend(*, delivery: WebhookDelivery, by) -> bool:
    """A fresh round of attempts (3 days of them) for a delivered or failed row of an active endpoint, with the
    same `Webhook-Id`; audited. False if it is still under way or its endpoint is disabled."""
    settled = (WebhookDelivery.Status.DELIVERED, WebhookDelivery.Status.FAILED)
    with transaction.atomic():
        locked = (
            WebhookDelivery.objects.select_for_update(of=("self",))
            .select_related("endpoint")
            .filter(pk=delivery.pk, status__in=settled, endpoint__is_active=True)
            .first()
        )
        if locked is None:
            return False
        before = {"status": locked.status, "attempts": locked.attempts, "last_error": locked.last_error}
        now = timezone.now()
        locked.status = WebhookDelivery.Status.PENDING
        locked.attempts = 0
        locked.next_attempt_at = None
        locked.retry_until = _retry_until(now)
        locked.save(update_fields=["status", "attempts", "next_attempt_at", "retry_until"])
        audit_record(
            actor=by,
            action="webhook.delivery_resend",
            obj=locked.endpoint,
            before={"delivery": locked.pk, **before},
            after={"delivery": locked.pk, "status": "pending"},
        )
        _deliveries_enqueue([locked.pk])
    return True
