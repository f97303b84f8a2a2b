"""A draft is never lost from sight: "My applications" and the home page offer to continue it, with its progress and
what is still missing, while its call is open."""

import datetime
import re

from django.urls import reverse
from django.utils import timezone

from applications.services import application_start
from applications.submission import application_submit
from tests.applications.factories import make_call


def _page(client, name) -> str:
    return client.get(reverse(name)).content.decode()


def test_a_new_draft_says_what_is_missing_and_links_to_the_form(client, call, applicant):
    application_start(call=call, applicant=applicant)
    client.force_login(applicant)
    page = _page(client, "applications:list")
    assert f'href="{reverse("applications:apply", args=[call.slug])}" data-testid="continue-link"' in page
    assert re.search(r"\d+ of \d+ required answers given", page)
    assert 'data-testid="still-missing"' in page and "more" in page  # three named, the rest counted


def test_a_complete_draft_has_nothing_missing_but_still_waits_to_be_submitted(client, draft, applicant):
    client.force_login(applicant)
    page = _page(client, "applications:list")
    assert 'data-testid="continue-link"' in page and 'data-testid="still-missing"' not in page


def test_submitted_applications_and_drafts_of_closed_calls_are_not_offered(client, call, draft, applicant):
    application_submit(application=draft, by=applicant)
    client.force_login(applicant)
    assert 'data-testid="continue-draft"' not in _page(client, "applications:list")
    closed = make_call(slug="closed", program=call.cohort.program)
    application_start(call=closed, applicant=applicant)
    assert _page(client, "applications:list").count('data-testid="continue-draft"') == 1
    closed.closes_at = timezone.now() - datetime.timedelta(minutes=1)
    closed.save(update_fields=["closes_at"])
    assert 'data-testid="continue-draft"' not in _page(client, "applications:list")


def test_the_home_page_offers_to_continue_in_the_applicants_language(client, call, applicant):
    application_start(call=call, applicant=applicant)
    client.force_login(applicant)
    page = client.get("/ar/").content.decode()
    assert 'data-testid="continue-link"' in page and f"/ar/calls/{call.slug}/apply/" in page
    assert "أكمل طلبك" in page


def test_nobody_else_sees_a_persons_draft(client, call, applicant, other_applicant):
    application_start(call=call, applicant=applicant)
    client.force_login(other_applicant)
    assert 'data-testid="continue-draft"' not in _page(client, "home")
    assert 'data-testid="continue-draft"' not in _page(client, "applications:list")


def test_the_home_page_lists_a_call_once_either_to_continue_or_to_open(client, call, applicant, other_applicant):
    client.force_login(other_applicant)
    assert _page(client, "home").count(f'href="/calls/{call.slug}/"') == 1
    application_start(call=call, applicant=applicant)
    client.force_login(applicant)
    page = _page(client, "home")
    assert f'href="/calls/{call.slug}/"' not in page and page.count(f'href="/calls/{call.slug}/apply/"') == 1
