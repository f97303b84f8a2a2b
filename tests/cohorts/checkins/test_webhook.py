"""The `checkin.submitted` webhook event: written in the transaction that sends a check-in, ids and codes only;
none for a draft, a skipped month or a refused sending, none to an endpoint of another program."""

import pytest
from django.core.exceptions import ValidationError

from cohorts.checkins import checkin_save_draft, checkin_skip, checkin_submit
from incubator.models import WebhookEvent, WebhookEventName
from incubator.webhooks import webhook_endpoint_create
from tests.cohorts.checkins.conftest import FULL, NOVEMBER, answers
from tests.factories import ProgramFactory

SUBMITTED = WebhookEventName.CHECKIN_SUBMITTED


@pytest.fixture
def endpoint(cohort, manager):
    endpoint, _secret = webhook_endpoint_create(
        program=cohort.program, url="https://93.184.216.34/hook", events=[SUBMITTED], by=manager
    )
    return endpoint


def test_a_sent_check_in_is_one_event_of_ids_and_codes(clock, endpoint, metric_set, venture, member):
    checkin = checkin_submit(
        venture=venture, month=NOVEMBER, typed=answers(metric_set, **FULL), currency="ILS", by=member
    )
    [event] = WebhookEvent.objects.all()
    assert event.event == "checkin.submitted" and event.program_id == venture.cohort.program_id
    assert event.payload["data"] == {
        "checkin": checkin.pk,
        "venture": venture.pk,
        "cohort": venture.cohort_id,
        "month": "2026-11",
        "late": False,
    }
    assert "12500" not in str(event.payload) and "Mira" not in str(event.payload)
    assert endpoint.deliveries.count() == 1


def test_no_event_for_a_draft_a_skip_or_a_refused_sending(clock, endpoint, metric_set, venture, member):
    typed = answers(metric_set, **{**FULL, "clients": "many"})
    checkin_save_draft(venture=venture, month=NOVEMBER, typed=typed, currency="ILS", by=member)
    with pytest.raises(ValidationError):
        checkin_submit(venture=venture, month=NOVEMBER, typed=typed, currency="ILS", by=member)
    checkin_skip(venture=venture, month=NOVEMBER, reason="Closed", by=member)
    assert not WebhookEvent.objects.exists()


def test_another_program_s_endpoint_gets_nothing(clock, metric_set, venture, member, manager):
    other = ProgramFactory()
    webhook_endpoint_create(program=other, url="https://93.184.216.34/other", events=[SUBMITTED], by=None)
    checkin_submit(venture=venture, month=NOVEMBER, typed=answers(metric_set, **FULL), currency="ILS", by=member)
    assert not WebhookEvent.objects.exists()


def test_the_event_is_offered_on_the_endpoint_form(client, cohort, manager):
    client.force_login(manager)
    html = client.get(f"/programs/{cohort.program.slug}/webhooks/new/").content.decode()
    assert 'value="checkin.submitted"' in html
