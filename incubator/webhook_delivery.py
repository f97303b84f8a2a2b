"""Sending the deliveries the outbox claimed (`incubator.webhooks`), by the workers (`incubator.tasks`).

Delivery is at least once, like the email ledger's (`incubator.delivery`):
1. in a short transaction the row is locked and marked `sending` (attempt counted, time noted), and committed;
2. the request leaves, outside any transaction, under `WEBHOOK_TIMEOUT` seconds per socket operation and the
   task's time limits, to the address checked just before (a name that resolved to a public address at
   registration and now resolves to a private one is refused: DNS rebinding). Redirects are never followed;
3. the row is marked `delivered` (any 2xx), or failed for this attempt.
A failed attempt backs off (1, 2, 4 ... minutes, at most 6 hours) until `retry_until`, 3 days after the event or
after a manager's "send again", then the row is `failed`. A 410 Gone disables the endpoint and stops its pending
deliveries. A worker that dies between 1 and 3 leaves the row `sending`; after `WEBHOOK_SENDING_TIMEOUT` the sweep
sends it again, with the same `Webhook-Id`, so the receiver can drop the duplicate.

The request, for a receiver to check (the README has the ten lines of Python):

    POST <endpoint url>
    Content-Type: application/json
    Webhook-Id: <the event's id: the same on every attempt and every "send again"; deduplicate on it>
    Webhook-Event: <event name, e.g. booking.created>
    Webhook-Timestamp: <Unix time in seconds when this attempt was signed>
    Webhook-Signature: v1=<hex HMAC-SHA256, keyed with the endpoint's secret (UTF-8, whole, "whsec_" included),
                           of "{Webhook-Timestamp}.{raw request body}">

    {"created_at": "...", "data": {...ids...}, "event": "booking.created", "id": "<event id>", "program": 7}

A receiver recomputes the HMAC over the raw body it received, compares in constant time, and refuses a timestamp
more than a few minutes from its clock (a replayed request).
"""

import hashlib
import hmac
import http.client
import ipaddress
import json
import logging
import socket
import ssl
import time
from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from incubator import delivery as email_delivery
from incubator.audit import audit_record
from incubator.models import WebhookDelivery, WebhookEndpoint, WebhookEvent

logger = logging.getLogger(__name__)

# A delivery no worker picked up (the broker lost the task) is sent by the sweep after this long.
RETRY_AFTER = timedelta(minutes=2)
GONE = 410


class AddressRefused(Exception):
    """The endpoint's host is not one the portal may call."""


def _settings_seconds(name: str) -> timedelta:
    return timedelta(seconds=getattr(settings, name))


def backoff(attempts: int) -> timedelta:
    """1, 2, 4, 8 ... minutes after the last attempt (WEBHOOK_FIRST_BACKOFF), at most WEBHOOK_MAX_BACKOFF."""
    first, cap = _settings_seconds("WEBHOOK_FIRST_BACKOFF"), _settings_seconds("WEBHOOK_MAX_BACKOFF")
    return email_delivery.backoff(attempts, first=first, cap=cap)


def signature(secret: str, timestamp: int, body: bytes) -> str:
    """The `Webhook-Signature` header's value for `body` sent at `timestamp` (Unix seconds)."""
    signed = f"{timestamp}.".encode() + body
    return "v1=" + hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()


def is_public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address):
        # An IPv4 address inside an IPv6 one (mapped, or 6to4, which this Python counts as global) is judged as
        # itself: 2002:7f00:1:: reaches 127.0.0.1 through a host's 6to4 interface.
        ip = ip.ipv4_mapped or ip.sixtofour or ip
    return ip.is_global and not (ip.is_multicast or ip.is_reserved or ip.is_private or ip.is_link_local)


def resolve(host: str, port: int) -> str:
    """The address to connect to: every address `host` resolves to must be public (unless the operator allows
    private ones, WEBHOOKS_ALLOW_PRIVATE_ADDRESSES); raises AddressRefused otherwise."""
    if not host:
        raise AddressRefused("no host")
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as error:
        raise AddressRefused(f"{host} does not resolve ({error})") from None
    addresses = [info[4][0] for info in found]
    if not addresses:
        raise AddressRefused(f"{host} does not resolve")
    if not settings.WEBHOOKS_ALLOW_PRIVATE_ADDRESSES:
        refused = [address for address in addresses if not is_public(address)]
        if refused:
            raise AddressRefused(f"{host} resolves to a private or reserved address ({refused[0]})")
    return addresses[0]


def _connection(url: str, timeout: float) -> tuple[http.client.HTTPConnection, str]:
    """A connection to the address `url`'s host resolves to now, checked: the one the request goes to. http.client
    never follows a redirect."""
    parts = urlsplit(url)
    https = parts.scheme == "https"
    if not https and not (parts.scheme == "http" and settings.WEBHOOKS_ALLOW_PRIVATE_ADDRESSES):
        raise AddressRefused(f"{parts.scheme}: is not https")
    port = parts.port or (443 if https else 80)
    address = resolve(parts.hostname or "", port)
    if https:
        connection = http.client.HTTPSConnection(
            parts.hostname, port, timeout=timeout, context=ssl.create_default_context()
        )
    else:
        connection = http.client.HTTPConnection(parts.hostname, port, timeout=timeout)

    def connect_to_checked_address(_host_port, connect_timeout, source_address=None):
        # TLS still names (and verifies) the host: only the address looked up is pinned.
        return socket.create_connection((address, port), connect_timeout, source_address)

    connection._create_connection = connect_to_checked_address
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return connection, path


def post(url: str, body: bytes, headers: dict) -> int:
    """POST `body` to `url`; the response's status code. Raises AddressRefused or OSError (timeouts included)."""
    connection, path = _connection(url, settings.WEBHOOK_TIMEOUT)
    try:
        connection.request("POST", path, body=body, headers=headers)
        response = connection.getresponse()
        response.read(4096)
        return response.status
    finally:
        connection.close()


def request_body(delivery: WebhookDelivery) -> bytes:
    return json.dumps(delivery.event.payload, separators=(",", ":"), sort_keys=True).encode()


def request_headers(delivery: WebhookDelivery, body: bytes, timestamp: int) -> dict:
    return {
        "Content-Type": "application/json",
        "User-Agent": "incubator-portal-webhooks/1",
        "Webhook-Id": str(delivery.event_id),
        "Webhook-Event": delivery.event.event,
        "Webhook-Timestamp": str(timestamp),
        "Webhook-Signature": signature(delivery.endpoint.secret, timestamp, body),
    }


def _due_q(now) -> Q:
    return Q(endpoint__is_active=True) & (
        Q(status=WebhookDelivery.Status.PENDING, next_attempt_at__lte=now)
        | Q(status=WebhookDelivery.Status.PENDING, next_attempt_at__isnull=True)
        | Q(
            status=WebhookDelivery.Status.SENDING,
            last_attempt_at__lt=now - _settings_seconds("WEBHOOK_SENDING_TIMEOUT"),
        )
    )


def _take(delivery_id: int, now) -> WebhookDelivery | None:
    """Step 1: mark the row `sending` and commit, so that a crash after the request is seen as one."""
    with transaction.atomic():
        delivery = (
            WebhookDelivery.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("endpoint", "event")
            .filter(_due_q(now), pk=delivery_id)
            .first()
        )
        if delivery is None:
            return None
        delivery.status = WebhookDelivery.Status.SENDING
        delivery.attempts += 1
        delivery.last_attempt_at = now
        delivery.next_attempt_at = None
        delivery.save(update_fields=["status", "attempts", "last_attempt_at", "next_attempt_at"])
    return delivery


def _sending(delivery: WebhookDelivery):
    return WebhookDelivery.objects.filter(pk=delivery.pk, status=WebhookDelivery.Status.SENDING)


def _mark_delivered(delivery: WebhookDelivery, status: int) -> None:
    _sending(delivery).update(
        status=WebhookDelivery.Status.DELIVERED, response_status=status, delivered_at=timezone.now(), last_error=""
    )


def _mark_failed(delivery: WebhookDelivery, error: str, status: int | None = None) -> None:
    """This attempt failed: back off, or give up once the next attempt would come after `retry_until`."""
    next_attempt = delivery.last_attempt_at + backoff(delivery.attempts)
    gave_up = next_attempt > delivery.retry_until
    _sending(delivery).update(
        status=WebhookDelivery.Status.FAILED if gave_up else WebhookDelivery.Status.PENDING,
        response_status=status,
        last_error=error[:300],
        next_attempt_at=None if gave_up else next_attempt,
    )


def endpoint_stop(*, endpoint: WebhookEndpoint, reason: str, by=None) -> bool:
    """Disable an active endpoint and fail its waiting deliveries; audited. False if it was not active. The
    caller holds no lock on it (the 410 path) or runs in its own transaction (a manager's click)."""
    with transaction.atomic():
        locked = WebhookEndpoint.objects.select_for_update().filter(pk=endpoint.pk, is_active=True).first()
        if locked is None:
            return False
        locked.is_active = False
        locked.disabled_reason = reason
        locked.disabled_at = timezone.now()
        locked.save(update_fields=["is_active", "disabled_reason", "disabled_at"])
        WebhookDelivery.objects.filter(endpoint=locked, status=WebhookDelivery.Status.PENDING).update(
            status=WebhookDelivery.Status.FAILED, next_attempt_at=None, last_error="endpoint disabled"
        )
        audit_record(
            actor=by,
            action="webhook.endpoint_disable",
            obj=locked,
            before={"is_active": True},
            after={"is_active": False, "reason": locked.disabled_reason},
        )
    return True


def webhook_delivery_send(*, delivery_id: int) -> bool:
    """Make one attempt at a due delivery; True when it was delivered."""
    delivery = _take(delivery_id, timezone.now())
    if delivery is None:
        return False
    body = request_body(delivery)
    headers = request_headers(delivery, body, int(time.time()))
    try:
        status = post(delivery.endpoint.url, body, headers)
    except Exception as error:  # noqa: BLE001 - refused, unreachable, timed out, a time limit: recorded and retried
        logger.info("webhook delivery %s failed (attempt %s): %s", delivery_id, delivery.attempts, error)
        _mark_failed(delivery, f"{type(error).__name__}: {error}")
        return False
    if 200 <= status < 300:
        _mark_delivered(delivery, status)
        return True
    if status == GONE:
        _sending(delivery).update(
            status=WebhookDelivery.Status.FAILED, response_status=status, last_error="410 Gone: endpoint disabled"
        )
        endpoint_stop(endpoint=delivery.endpoint, reason=WebhookEndpoint.DisabledBecause.GONE)
        return False
    redirect = " (redirects are not followed)" if 300 <= status < 400 else ""
    _mark_failed(delivery, f"HTTP {status}{redirect}", status)
    return False


def webhook_deliveries_due(now=None, limit: int = 500) -> list[int]:
    """Deliveries to attempt again: failed attempts whose back-off is over, rows claimed but never taken by a
    worker, and rows left `sending` by a worker that died."""
    now = now or timezone.now()
    stale = now - _settings_seconds("WEBHOOK_SENDING_TIMEOUT")
    due = Q(endpoint__is_active=True) & (
        Q(status=WebhookDelivery.Status.PENDING, next_attempt_at__lte=now)
        | Q(status=WebhookDelivery.Status.PENDING, next_attempt_at__isnull=True, created_at__lt=now - RETRY_AFTER)
        | Q(status=WebhookDelivery.Status.SENDING, last_attempt_at__lt=stale)
    )
    return list(WebhookDelivery.objects.filter(due).order_by("pk").values_list("pk", flat=True)[:limit])


def webhooks_log_prune(now=None) -> int:
    """Delete events (and their deliveries) older than the delivery log keeps: WEBHOOK_LOG_DAYS."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.WEBHOOK_LOG_DAYS)
    deleted, _per_model = WebhookDelivery.objects.filter(event__created_at__lt=cutoff).delete()
    WebhookEvent.objects.filter(created_at__lt=cutoff).delete()
    return deleted
