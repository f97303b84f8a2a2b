"""Webhooks: emitted with the change that caused them, claimed once per endpoint, signed, delivered at least once
with one Webhook-Id, retried with back-off for 3 days; a 410 disables the endpoint, a redirect is not followed,
an endpoint that hangs times out, a private address is refused at registration and at delivery."""

import json
import socket
import threading
from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from incubator import tasks, webhook_delivery, webhooks
from incubator.models import WebhookDelivery, WebhookEndpoint, WebhookEvent, WebhookEventName
from tests.audit_trail import actions
from tests.factories import ProgramFactory, UserFactory, program_manager
from tests.incubator.webhook_receiver import Receiver, verified

BOOKED = WebhookEventName.BOOKING_CREATED


@pytest.fixture
def receiver():
    receiver = Receiver()
    yield receiver
    receiver.close()


@pytest.fixture
def local(settings):
    """The operator allows private addresses: the test's receiver listens on the loopback."""
    settings.WEBHOOKS_ALLOW_PRIVATE_ADDRESSES = True
    settings.WEBHOOK_TIMEOUT = 1
    return settings


@pytest.fixture
def program(db):
    return ProgramFactory()


@pytest.fixture
def endpoint(program, receiver, local):
    endpoint, secret = webhooks.webhook_endpoint_create(
        program=program, url=receiver.url, events=[BOOKED], by=program_manager(program)
    )
    receiver.secret = secret
    return endpoint


def emit(program, **data):
    return webhooks.webhook_event_emit(program_id=program.pk, event=BOOKED, data=data or {"booking": 1})


def emit_and_send(program, django_capture_on_commit_callbacks, **data):
    with django_capture_on_commit_callbacks(execute=True):
        return emit(program, **data)


def only_delivery() -> WebhookDelivery:
    return WebhookDelivery.objects.select_related("endpoint", "event").get()


def test_the_signature_is_an_hmac_of_timestamp_and_body():
    body = b'{"event":"booking.created"}'
    header = webhook_delivery.signature("whsec_abc", 1700000000, body)
    headers = {"Webhook-Timestamp": "1700000000", "Webhook-Signature": header}
    with time_machine.travel(1700000010):
        assert verified("whsec_abc", headers, body)
        assert not verified("whsec_abc", headers, body + b" ")
        assert not verified("whsec_other", headers, body)
    with time_machine.travel(1700000000 + 3600):
        assert not verified("whsec_abc", headers, body)  # a replay an hour later


def test_a_delivery_is_signed_and_carries_ids_only(program, endpoint, receiver, django_capture_on_commit_callbacks):
    event = emit_and_send(program, django_capture_on_commit_callbacks, booking=7, person=3)
    [request] = receiver.received()
    assert request["verified"]
    assert request["id"] == str(event.pk)
    assert request["headers"]["Content-Type"] == "application/json"
    payload = json.loads(request["body"])
    assert payload == {
        "id": str(event.pk),
        "event": "booking.created",
        "created_at": event.created_at.isoformat(),
        "program": program.pk,
        "data": {"booking": 7, "person": 3},
    }
    delivery = only_delivery()
    assert delivery.status == WebhookDelivery.Status.DELIVERED
    assert (delivery.attempts, delivery.response_status) == (1, 200)


def test_only_active_endpoints_subscribed_to_the_event_get_it(program, endpoint, receiver, local):
    manager = program_manager(program)
    other_event, _ = webhooks.webhook_endpoint_create(
        program=program, url=receiver.url, events=[WebhookEventName.MEMBER_JOINED], by=manager
    )
    disabled, _ = webhooks.webhook_endpoint_create(program=program, url=receiver.url, events=[BOOKED], by=manager)
    webhooks.webhook_endpoint_disable(endpoint=disabled, by=manager)
    other_program = ProgramFactory()
    webhooks.webhook_endpoint_create(program=other_program, url=receiver.url, events=[BOOKED], by=manager)
    emit(program)
    assert list(WebhookDelivery.objects.values_list("endpoint", flat=True)) == [endpoint.pk]


def test_nothing_is_written_when_nobody_listens(program, django_assert_num_queries):
    with django_assert_num_queries(1):  # the subscribed endpoints
        assert emit(program) is None
    assert not WebhookEvent.objects.exists()


def test_the_event_exists_only_if_the_change_committed(program, endpoint):
    with pytest.raises(RuntimeError), transaction.atomic():
        emit(program)
        raise RuntimeError("the change failed")
    assert not WebhookEvent.objects.exists()
    assert not WebhookDelivery.objects.exists()


def test_many_events_cost_three_queries(program, endpoint, django_assert_num_queries):
    # the subscribed endpoints; the events; the deliveries
    with django_assert_num_queries(3):
        webhooks.webhook_events_emit(program_id=program.pk, event=BOOKED, data=[{"booking": n} for n in range(20)])
    assert WebhookDelivery.objects.count() == 20


def test_unknown_events_are_refused(program):
    with pytest.raises(ValueError):
        webhooks.webhook_event_emit(program_id=program.pk, event="no.such_event", data={})


@pytest.mark.django_db(transaction=True)
def test_two_sweeps_at_once_send_each_delivery_once(receiver, local, monkeypatch):
    program = ProgramFactory()
    endpoint, receiver.secret = webhooks.webhook_endpoint_create(
        program=program, url=receiver.url, events=[BOOKED], by=UserFactory()
    )
    receiver.answer = "hang"  # slow: the second sweep runs while the first is still sending
    local.WEBHOOK_TIMEOUT = 10
    monkeypatch.setattr(webhooks, "_deliveries_enqueue", lambda ids: None)  # the broker lost the task
    with transaction.atomic():
        emit(program)
    delivery_id = WebhookDelivery.objects.get().pk
    results = []
    sweeps = [
        threading.Thread(target=lambda: results.append(webhook_delivery.webhook_delivery_send(delivery_id=delivery_id)))
        for _ in range(2)
    ]
    for sweep in sweeps:
        sweep.start()
    for sweep in sweeps:
        sweep.join()
    assert sorted(results) == [False, True]
    assert len(receiver.received()) == 1
    tasks.webhooks_retry_pending()
    assert len(receiver.received()) == 1
    assert WebhookDelivery.objects.get().attempts == 1


def test_410_disables_the_endpoint_and_stops_its_deliveries(
    program, endpoint, receiver, django_capture_on_commit_callbacks
):
    receiver.answer = 410
    emit(program, booking=1)  # waiting: not sent until the next sweep
    emit_and_send(program, django_capture_on_commit_callbacks, booking=2)
    endpoint.refresh_from_db()
    assert not endpoint.is_active
    assert endpoint.disabled_at is not None and endpoint.disabled_reason == WebhookEndpoint.DisabledBecause.GONE
    statuses = set(WebhookDelivery.objects.values_list("status", flat=True))
    assert statuses == {WebhookDelivery.Status.FAILED}
    [disabled] = actions(action="webhook.endpoint_disable", object_id=endpoint.pk)
    assert disabled.actor is None
    assert tasks.webhooks_retry_pending() == 0
    assert len(receiver.received()) == 1
    assert emit(program) is None  # a disabled endpoint claims no new events


def test_a_redirect_is_not_followed(program, endpoint, receiver, django_capture_on_commit_callbacks):
    receiver.answer = 302
    emit_and_send(program, django_capture_on_commit_callbacks)
    assert len(receiver.received()) == 1
    delivery = only_delivery()
    assert delivery.status == WebhookDelivery.Status.PENDING
    assert delivery.response_status == 302
    assert "redirects are not followed" in delivery.last_error
    assert delivery.next_attempt_at == delivery.last_attempt_at + timedelta(minutes=1)


def test_a_hanging_endpoint_times_out_and_is_retried(program, endpoint, receiver, django_capture_on_commit_callbacks):
    receiver.answer = "hang"
    emit_and_send(program, django_capture_on_commit_callbacks)
    delivery = only_delivery()
    assert delivery.status == WebhookDelivery.Status.PENDING
    assert "timed out" in delivery.last_error
    receiver.answer = 200
    assert tasks.webhooks_retry_pending() == 0  # still backing off
    with time_machine.travel(delivery.next_attempt_at + timedelta(seconds=1)):
        assert tasks.webhooks_retry_pending() == 1
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (WebhookDelivery.Status.DELIVERED, 2)
    ids = {request["id"] for request in receiver.received()}
    assert ids == {str(delivery.event_id)}  # the same Webhook-Id on every attempt


def test_retries_back_off_and_stop_three_days_after_the_event(
    program, endpoint, receiver, django_capture_on_commit_callbacks
):
    receiver.answer = 500
    emit_and_send(program, django_capture_on_commit_callbacks)
    delivery = only_delivery()
    waits = []
    while delivery.status == WebhookDelivery.Status.PENDING:
        waits.append(delivery.next_attempt_at - delivery.last_attempt_at)
        with time_machine.travel(delivery.next_attempt_at, tick=False):
            tasks.webhooks_retry_pending()
        delivery.refresh_from_db()
    assert waits[:4] == [timedelta(minutes=minutes) for minutes in (1, 2, 4, 8)]
    assert max(waits) == timedelta(hours=6)
    assert delivery.status == WebhookDelivery.Status.FAILED
    assert delivery.last_attempt_at <= delivery.event.created_at + timedelta(days=3)
    assert delivery.last_attempt_at > delivery.event.created_at + timedelta(days=2, hours=18)


def test_a_row_left_sending_by_a_dead_worker_is_sent_again(program, endpoint, receiver, settings):
    emit(program)
    delivery = only_delivery()
    taken = webhook_delivery._take(delivery.pk, timezone.now())  # the worker died after this
    assert taken is not None and tasks.webhooks_retry_pending() == 0
    later = timezone.now() + timedelta(seconds=settings.WEBHOOK_SENDING_TIMEOUT + 1)
    with time_machine.travel(later):
        assert tasks.webhooks_retry_pending() == 1
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (WebhookDelivery.Status.DELIVERED, 2)


def test_send_again_starts_a_fresh_round(program, endpoint, receiver, django_capture_on_commit_callbacks):
    manager = program_manager(program)
    emit_and_send(program, django_capture_on_commit_callbacks)
    delivery = only_delivery()
    WebhookDelivery.objects.filter(pk=delivery.pk).update(status=WebhookDelivery.Status.FAILED, attempts=9)
    with django_capture_on_commit_callbacks(execute=True):
        assert webhooks.webhook_delivery_resend(delivery=delivery, by=manager)
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (WebhookDelivery.Status.DELIVERED, 1)
    assert [r["id"] for r in receiver.received()] == [str(delivery.event_id)] * 2
    [resent] = actions(action="webhook.delivery_resend", actor=manager)
    assert resent.after == {"delivery": delivery.pk, "status": "pending"}
    assert resent.program == program.pk


@pytest.mark.parametrize(
    "url",
    [
        "https://127.0.0.1/hook",
        "https://10.1.2.3/hook",
        "https://169.254.169.254/latest",
        "https://[::1]/hook",
        "https://[::ffff:192.168.0.1]/hook",
        "https://[2002:7f00:1::]/hook",  # 6to4 around the loopback
        "https://[2002:a9fe:a9fe::]/latest",  # 6to4 around the metadata service
        "https://224.0.0.1/hook",
        "https://0.0.0.0/hook",
        "http://93.184.216.34/hook",
        "https://user:pass@93.184.216.34/hook",
        "https://nowhere.invalid/hook",
    ],
)
def test_private_plain_or_unknown_addresses_are_refused_at_registration(program, url):
    with pytest.raises(ValidationError):
        webhooks.webhook_endpoint_create(program=program, url=url, events=[BOOKED], by=None)
    assert not WebhookEndpoint.objects.exists()


def test_a_public_address_is_accepted(program):
    endpoint, secret = webhooks.webhook_endpoint_create(
        program=program, url="https://93.184.216.34/hook", events=[BOOKED], by=None
    )
    assert secret.startswith("whsec_") and len(secret) > 40
    assert endpoint.secret_hint.startswith("whsec_") and secret not in endpoint.secret_hint


def test_a_name_resolving_to_a_private_address_at_delivery_is_refused(
    program, receiver, settings, monkeypatch, django_capture_on_commit_callbacks
):
    """DNS rebinding: public when registered, the loopback when the delivery goes out."""
    answers = {"hooks.example": "93.184.216.34"}
    real = socket.getaddrinfo

    def getaddrinfo(host, port, *args, **kwargs):
        if host in answers:
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (answers[host], port))]
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    webhooks.webhook_endpoint_create(program=program, url="https://hooks.example/hook", events=[BOOKED], by=None)
    answers["hooks.example"] = "127.0.0.1"
    emit_and_send(program, django_capture_on_commit_callbacks)
    delivery = only_delivery()
    assert delivery.status == WebhookDelivery.Status.PENDING
    assert delivery.last_error.startswith("AddressRefused: hooks.example resolves to a private")
    assert receiver.received() == []


def test_the_log_keeps_30_days(program, endpoint):
    with time_machine.travel(timezone.now() - timedelta(days=31)):
        emit(program, booking=1)
    emit(program, booking=2)
    tasks.webhooks_log_prune()
    assert [event.payload["data"] for event in WebhookEvent.objects.all()] == [{"booking": 2}]
    assert WebhookDelivery.objects.count() == 1


def test_the_endpoint_constraint_refuses_unknown_events(program):
    with pytest.raises(IntegrityError), transaction.atomic():
        WebhookEndpoint.objects.create(program=program, url="https://a.example", events=["no.such_event"])
    with pytest.raises(IntegrityError), transaction.atomic():
        WebhookEndpoint.objects.create(program=program, url="https://a.example", events=[])
