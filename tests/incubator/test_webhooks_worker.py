"""The delivery guarantee end to end: a real Celery worker on the real (embedded) Redis sends a program's events
to a receiver running as a process of its own, which checks every signature. The receiver dies in the middle of
a delivery (the request recorded, never answered), stays down while more events happen, and comes back; the
retry sweep then brings it every event: each exactly once, or the one caught mid-delivery twice with the same
Webhook-Id, which the receiver drops as a duplicate."""

import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from celery.contrib.testing.worker import start_worker
from django.conf import settings as django_settings
from django.db import transaction

from incubator import tasks, webhooks
from incubator.celery import app
from incubator.models import WebhookDelivery, WebhookEventName
from tests.factories import ProgramFactory, UserFactory

BOOKED = WebhookEventName.BOOKING_CREATED
ROOT = Path(django_settings.BASE_DIR)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class ReceiverProcess:
    def __init__(self, port: int, secret: str, log: Path):
        self.port, self.secret, self.log = port, secret, log
        self.process = None

    def start(self, die_after: int = 0):
        command = [sys.executable, "-m", "tests.incubator.webhook_receiver"]
        args = [str(self.port), self.secret, str(self.log), str(die_after)]
        self.process = subprocess.Popen([*command, *args], cwd=ROOT, stdout=subprocess.PIPE, text=True)
        assert self.process.stdout.readline().strip() == "ready"

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.kill()
        if self.process:
            self.process.wait(timeout=10)

    def lines(self) -> list[tuple[str, str, str]]:
        if not self.log.exists():
            return []
        return [tuple(line.split()) for line in self.log.read_text().splitlines()]


def wait_for(condition, seconds: float = 30, step: float = 0.1):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(step)
    return False


@pytest.fixture
def real_worker(transactional_db):
    app.conf.task_always_eager = False
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
            yield
    finally:
        app.conf.task_always_eager = True


@pytest.fixture
def quick_retries(settings):
    settings.WEBHOOKS_ALLOW_PRIVATE_ADDRESSES = True
    settings.WEBHOOK_TIMEOUT = 2
    settings.WEBHOOK_FIRST_BACKOFF = 1
    settings.WEBHOOK_MAX_BACKOFF = 2
    return settings


def emit(program, bookings):
    with transaction.atomic():
        events = webhooks.webhook_events_emit(
            program_id=program.pk, event=BOOKED, data=[{"booking": n} for n in bookings]
        )
    return {str(event.pk) for event in events}


def statuses() -> list[str]:
    return list(WebhookDelivery.objects.order_by("pk").values_list("status", flat=True))


@pytest.mark.celery_worker
def test_a_receiver_killed_and_restarted_gets_every_event_once(quick_retries, real_worker, tmp_path):
    program = ProgramFactory()
    port = free_port()
    endpoint, secret = webhooks.webhook_endpoint_create(
        program=program, url=f"http://127.0.0.1:{port}/hook", events=[BOOKED], by=UserFactory()
    )
    receiver = ReceiverProcess(port, secret, tmp_path / "received.log")
    try:
        receiver.start(die_after=3)  # the third request is recorded, then the process dies without answering
        first = emit(program, range(1, 3))
        assert wait_for(lambda: len(receiver.lines()) == 2), receiver.lines()
        caught = emit(program, [3])
        assert wait_for(lambda: receiver.process.poll() is not None)
        down = emit(program, range(4, 7))  # sent while nobody listens: refused, backing off
        every = first | caught | down
        assert wait_for(lambda: WebhookDelivery.objects.filter(attempts__gte=1).count() == len(every))
        assert wait_for(lambda: statuses().count(WebhookDelivery.Status.PENDING) == 4)

        receiver.start()
        time.sleep(2.5)  # the back-off is over
        tasks.webhooks_retry_pending()  # what celery beat runs every minute
        assert wait_for(lambda: set(statuses()) == {WebhookDelivery.Status.DELIVERED}), statuses()
    finally:
        receiver.stop()

    lines = receiver.lines()
    assert {verified for _id, _payload_id, verified in lines} == {"verified"}
    assert all(webhook_id == payload_id for webhook_id, payload_id, _v in lines)
    received = [webhook_id for webhook_id, _payload_id, _v in lines]
    assert set(received) == every
    twice = {webhook_id for webhook_id in received if received.count(webhook_id) > 1}
    # The one caught mid-delivery arrived twice (the sender never heard it had): same id, deduplicable.
    assert twice == caught and all(received.count(webhook_id) <= 2 for webhook_id in received)
    assert endpoint.deliveries.count() == len(every)  # one delivery per event and endpoint, however many attempts
