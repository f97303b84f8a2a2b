"""A program's webhook pages (`/programs/<slug>/webhooks/`): its managers and superusers add, disable, enable and
delete endpoints and read their delivery logs; everyone else gets a 404 (a manager of another program too), and
an anonymous visitor is sent to sign in. The secret is shown once, in the answer that creates the endpoint."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from incubator import webhooks
from incubator.models import WebhookDelivery, WebhookEndpoint, WebhookEventName
from tests.audit_trail import actions
from tests.factories import CohortFactory, ProgramFactory, UserFactory, accept, program_manager, superuser

BOOKED = WebhookEventName.BOOKING_CREATED
PUBLIC_URL = "https://93.184.216.34/hook"


@pytest.fixture
def program(db):
    return ProgramFactory(name="Kawalis", time_zone="Asia/Jerusalem")


@pytest.fixture
def maya(program):
    return program_manager(program, name="Maya Manager")


@pytest.fixture
def endpoint(program, maya):
    endpoint, _secret = webhooks.webhook_endpoint_create(program=program, url=PUBLIC_URL, events=[BOOKED], by=maya)
    return endpoint


def deliveries(endpoint, count: int, status=WebhookDelivery.Status.FAILED):
    webhooks.webhook_events_emit(
        program_id=endpoint.program_id, event=BOOKED, data=[{"booking": n} for n in range(count)]
    )
    WebhookDelivery.objects.update(status=status, attempts=3, response_status=500, last_error="HTTP 500")


def url(name, endpoint, **extra):
    program = endpoint.program
    return reverse(f"programs:{name}", args=[program.slug, endpoint.pk, *extra.values()])


def _personas(program):
    other_program = ProgramFactory()
    return {
        "co_manager": program_manager(program),
        "superuser": superuser(),
        "other_manager": program_manager(other_program),
        "participant": accept_in(program),
        "outsider": UserFactory(),
    }


def accept_in(program):
    return accept(CohortFactory(program=program)).person


ALLOWED = ("co_manager", "superuser")


@pytest.mark.parametrize("persona", ["co_manager", "superuser", "other_manager", "participant", "outsider"])
def test_only_the_program_s_managers_reach_its_webhooks(client, program, endpoint, persona):
    person = _personas(program)[persona]
    client.force_login(person)
    gets = [
        reverse("programs:webhooks", args=[program.slug]),
        reverse("programs:webhook_create", args=[program.slug]),
        url("webhook_log", endpoint),
        url("webhook_delete", endpoint),
    ]
    for address in gets:
        assert client.get(address).status_code == (200 if persona in ALLOWED else 404), address
    response = client.post(url("webhook_disable", endpoint))
    assert response.status_code == (302 if persona in ALLOWED else 404)
    endpoint.refresh_from_db()
    assert endpoint.is_active == (persona not in ALLOWED)


def test_anonymous_visitors_are_sent_to_sign_in(client, program, endpoint):
    for address in (reverse("programs:webhooks", args=[program.slug]), url("webhook_log", endpoint)):
        response = client.get(address)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert client.post(url("webhook_delete", endpoint)).status_code == 302
    assert WebhookEndpoint.objects.filter(pk=endpoint.pk).exists()


def test_the_secret_is_shown_once_then_only_its_hint(client, program, maya):
    client.force_login(maya)
    address = reverse("programs:webhook_create", args=[program.slug])
    response = client.post(address, {"url": PUBLIC_URL, "events": [BOOKED, WebhookEventName.MEMBER_JOINED]})
    assert response.status_code == 200
    endpoint = WebhookEndpoint.objects.get()
    assert endpoint.secret in response.content.decode()
    assert endpoint.events == sorted([BOOKED, WebhookEventName.MEMBER_JOINED])
    listing = client.get(reverse("programs:webhooks", args=[program.slug])).content.decode()
    assert endpoint.secret not in listing and endpoint.secret_hint in listing
    [created] = actions(action="webhook.endpoint_create", actor=maya)
    assert endpoint.secret not in str(created.after)


def test_the_answer_showing_the_secret_is_never_stored_by_a_cache(client, program, maya):
    """As the API token's page: a browser's or a proxy's cache would show the secret again."""
    client.force_login(maya)
    response = client.post(
        reverse("programs:webhook_create", args=[program.slug]), {"url": PUBLIC_URL, "events": [BOOKED]}
    )
    assert WebhookEndpoint.objects.get().secret in response.content.decode()
    assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize("address", ["https://127.0.0.1/hook", "http://93.184.216.34/hook", "not an address"])
def test_a_refused_address_keeps_the_form_filled(client, program, maya, address):
    client.force_login(maya)
    response = client.post(
        reverse("programs:webhook_create", args=[program.slug]), {"url": address, "events": [BOOKED]}
    )
    assert response.status_code == 400
    assert not WebhookEndpoint.objects.exists()
    assert response.context["form"]["url"].value() == address


def test_disable_enable_and_delete_are_audited(client, program, maya, endpoint):
    client.force_login(maya)
    client.post(url("webhook_disable", endpoint))
    endpoint.refresh_from_db()
    assert not endpoint.is_active and endpoint.disabled_reason == WebhookEndpoint.DisabledBecause.MANAGER
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    listing = client.get(reverse("programs:webhooks", args=[program.slug]), follow=True).content.decode()
    assert "un responsable l’a désactivé" in listing
    client.post(url("webhook_enable", endpoint))
    endpoint.refresh_from_db()
    assert endpoint.is_active and endpoint.disabled_at is None
    confirm = client.get(url("webhook_delete", endpoint))
    assert PUBLIC_URL in confirm.content.decode()
    assert WebhookEndpoint.objects.filter(pk=endpoint.pk).exists()
    client.post(url("webhook_delete", endpoint))
    assert not WebhookEndpoint.objects.filter(pk=endpoint.pk).exists()
    done = [entry.action for entry in actions(actor=maya) if entry.action.startswith("webhook.")]
    assert done == [
        "webhook.endpoint_create",
        "webhook.endpoint_disable",
        "webhook.endpoint_enable",
        "webhook.endpoint_delete",
    ]


def test_the_log_lists_the_last_30_days_newest_first_filtered_by_status(client, program, maya, endpoint):
    deliveries(endpoint, 2)
    old = WebhookDelivery.objects.order_by("pk").first()
    WebhookDelivery.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=31))
    newest = WebhookDelivery.objects.order_by("pk").last()
    WebhookDelivery.objects.filter(pk=newest.pk).update(
        status=WebhookDelivery.Status.DELIVERED, delivered_at=timezone.now()
    )
    client.force_login(maya)
    response = client.get(url("webhook_log", endpoint))
    assert [d.pk for d in response.context["deliveries"]] == [newest.pk]
    assert "Asia/Jerusalem" in response.content.decode()
    failed = client.get(url("webhook_log", endpoint), {"status": "failed"})
    assert list(failed.context["deliveries"]) == []
    assert client.get(url("webhook_log", endpoint), {"status": "nonsense"}).status_code == 400


def test_send_again_from_the_log(client, program, maya, endpoint, django_capture_on_commit_callbacks, monkeypatch):
    monkeypatch.setattr(webhooks, "_deliveries_enqueue", lambda ids: None)
    deliveries(endpoint, 1)
    delivery = WebhookDelivery.objects.get()
    client.force_login(maya)
    response = client.post(url("webhook_resend", endpoint, delivery=delivery.pk))
    assert response.status_code == 302
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (WebhookDelivery.Status.PENDING, 0)
    assert actions(action="webhook.delivery_resend", actor=maya)
    other_endpoint, _ = webhooks.webhook_endpoint_create(
        program=ProgramFactory(), url=PUBLIC_URL, events=[BOOKED], by=None
    )
    assert client.post(url("webhook_resend", other_endpoint, delivery=delivery.pk)).status_code == 404


def test_the_program_home_links_the_webhooks(client, program, maya):
    client.force_login(maya)
    html = client.get(reverse("programs:home", args=[program.slug])).content.decode()
    assert reverse("programs:webhooks", args=[program.slug]) in html


@pytest.mark.parametrize("count", [1, 20])
def test_the_endpoint_list_runs_a_fixed_number_of_queries(client, program, maya, count, django_assert_num_queries):
    for _n in range(count):
        endpoint, _ = webhooks.webhook_endpoint_create(program=program, url=PUBLIC_URL, events=[BOOKED], by=maya)
        deliveries(endpoint, 1)
    client.force_login(maya)
    # session, user, the program, the managed programs' ids, the endpoints with their latest delivery, the
    # person's groups (the navigation)
    with django_assert_num_queries(6):
        response = client.get(reverse("programs:webhooks", args=[program.slug]))
    assert len(response.context["endpoints"]) == count


@pytest.mark.parametrize("count", [1, 20])
def test_the_delivery_log_runs_a_fixed_number_of_queries(
    client, program, maya, endpoint, count, django_assert_num_queries
):
    deliveries(endpoint, count)
    client.force_login(maya)
    # session, user, the program, the managed programs' ids, the endpoint, the count, the page with its events,
    # the person's groups (the navigation)
    with django_assert_num_queries(8):
        response = client.get(url("webhook_log", endpoint))
    assert len(response.context["deliveries"]) == count


def test_another_program_s_manager_reaches_no_endpoint_or_delivery_through_their_own_program_s_address(
    client, program, endpoint, monkeypatch
):
    """Ids of this program's endpoint and delivery, put in the addresses of another program's webhook pages."""
    monkeypatch.setattr(webhooks, "_deliveries_enqueue", lambda ids: None)
    deliveries(endpoint, 1)
    delivery = WebhookDelivery.objects.get()
    other = ProgramFactory()
    intruder = program_manager(other)
    own_endpoint, _ = webhooks.webhook_endpoint_create(program=other, url=PUBLIC_URL, events=[BOOKED], by=intruder)
    client.force_login(intruder)
    base = f"/programs/{other.slug}/webhooks"
    for name in ("disable/", "enable/", "delete/", f"deliveries/{delivery.pk}/send-again/"):
        assert client.post(f"{base}/{endpoint.pk}/{name}").status_code == 404, name
    assert client.get(f"{base}/{endpoint.pk}/").status_code == 404
    assert client.post(f"{base}/{own_endpoint.pk}/deliveries/{delivery.pk}/send-again/").status_code == 404
    delivery.refresh_from_db()
    endpoint.refresh_from_db()
    assert (delivery.status, delivery.attempts, endpoint.is_active) == (WebhookDelivery.Status.FAILED, 3, True)
