"""The selection, end to end in Chromium: a reviewer scores three applications from the keyboard on /review/;
the manager opens the ranking, proposes the 24-seat selection with regional minimums and publishes it."""

import io

import pytest
from playwright.sync_api import expect

from applications.scoring.assignments import assignment_create
from applications.scoring.models import Decision, ReviewerAssignment
from cohorts.models import Membership
from demo.users import seed_users
from incubator.models import User
from tests.applications.scoring.factories import reviewer, score, scoring_call, submitted
from tests.e2e.conftest import choose_language
from tests.factories import grant

REGIONS = ("Fès-Meknès", "Oriental", "Souss-Massa", "Tanger-Tétouan-Al Hoceïma")


@pytest.fixture
def selection_call(transactional_db):
    seed_users(stdout=io.StringIO())
    call = scoring_call(slug="kawalis-e2e", seats=24, regions=REGIONS, others_visible="after_submit")
    others = [reviewer(name="Salma Benali"), reviewer(name="Karim Idrissi")]
    applications = [submitted(call, name=f"Porteur {n:02d}", region=REGIONS[n % 4]) for n in range(30)]
    for n, application in enumerate(applications):
        for k, who in enumerate(others):
            value = min(5, 1 + (n * 7) % 5 + k)  # the two reviewers mostly agree, one point apart
            score(application, who, value, recommendation=("no", "maybe", "maybe", "yes", "yes")[value - 1])
    rachid = grant(call.cohort.program, User.objects.get(email="reviewer@example.org"), "reviewer")
    grant(call.cohort.program, User.objects.get(email="manager@example.org"), "manager")
    for application in applications[:3]:
        assignment_create(application=application, reviewer=rachid, by=None)
    return call


def score_from_the_keyboard(page, values, comment):
    """The first score has the focus: type, Tab to the next, Space picks the recommendation, Ctrl+Enter submits."""
    # Typed before the page gives the focus, the keys land nowhere and the form comes back incomplete.
    expect(page.locator("[data-testid=review-form] input[autofocus]")).to_be_focused()
    for n, value in enumerate(values):
        if n:
            page.keyboard.press("Tab")
        page.keyboard.type(str(value))
    page.keyboard.press("Tab")  # the recommendation group
    page.keyboard.press("Space")  # "yes"
    page.keyboard.press("Tab")  # the comment
    page.keyboard.type(comment)
    page.keyboard.press("Control+Enter")


def test_review_rank_select_and_publish(selection_call, live_server, browser, page, sign_in, screenshot, mailoutbox):
    call = selection_call
    sign_in(page, "reviewer@example.org")
    choose_language(page, "en")  # Rachid's account is in French; this run reads English
    page.goto(f"{live_server.url}/review/")
    assert page.locator("[data-testid=progress]").inner_text().count("0 of 3") == 1
    page.keyboard.press("Enter")  # "Review the next application" has the focus
    page.wait_for_selector("[data-testid=review-form]")
    first_url = page.url
    screenshot(page, "review-en")
    page.goto(first_url.replace(live_server.url, f"{live_server.url}/ar"))
    assert page.get_attribute("html", "dir") == "rtl"
    screenshot(page, "review-ar")
    page.goto(first_url)

    # Five scores each: the fifth criterion is informational (shown and scored, not counted).
    for n, values in enumerate([[5, 4, 4, 5, 3], [3, 3, 2, 4, 4], [2, 5, 3, 3, 5]]):
        before = page.url
        score_from_the_keyboard(page, values, f"Avis {n + 1}")
        if n < 2:  # straight on to the next application
            page.wait_for_url(lambda url, before=before: url != before)
            page.wait_for_selector("[data-testid=review-form]")
    page.wait_for_url(f"{live_server.url}/review/")
    assert "3 of 3" in page.locator("[data-testid=progress]").inner_text()
    rachid_reviews = ReviewerAssignment.objects.filter(
        reviewer__email="reviewer@example.org", review__status="submitted"
    )
    assert rachid_reviews.count() == 3

    manager = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    manager.set_default_timeout(15_000)
    sign_in(manager, "manager@example.org")
    manager.goto(f"{live_server.url}/review/calls/{call.slug}/ranking/")
    assert manager.locator("[data-testid=rank-row]").count() == 30
    screenshot(manager, "ranking-en")
    manager.goto(f"{live_server.url}/ar/review/calls/{call.slug}/ranking/")
    assert manager.get_attribute("html", "dir") == "rtl"
    screenshot(manager, "ranking-ar")

    manager.goto(f"{live_server.url}/review/calls/{call.slug}/selection/")
    manager.fill("#id_seats", "24")
    for region in REGIONS:
        manager.get_by_label(f"Minimum for {region}").fill("5")
    manager.click("[data-testid=propose]")
    expect(manager.locator("[data-testid=proposal-accept]")).to_have_count(24)
    assert "in the Souss-Massa quota" in manager.locator("[data-testid=proposal]").inner_text()
    screenshot(manager, "selection-en")
    manager.click("[data-testid=apply-proposal]")
    manager.wait_for_selector("[data-testid=previews]")
    screenshot(manager, "decisions-en")
    manager.on("dialog", lambda dialog: dialog.accept())
    manager.click("[data-testid=publish]")
    manager.wait_for_selector("[data-testid=published]")

    # The admin's change page: the reviews beside the applicant's answers, and the history below.
    first = Decision.objects.filter(call=call, outcome="accept").first().application_id
    manager.goto(f"{live_server.url}/admin/applications/application/{first}/change/")
    assert manager.locator(".scoring-columns").is_visible()
    screenshot(manager, "admin-application-en")

    accepted = Decision.objects.filter(call=call, outcome="accept", status="published")
    assert accepted.count() == 24
    assert Membership.objects.filter(cohort=call.cohort).count() == 24
    for region in REGIONS:
        assert accepted.filter(application__region__name=region).count() >= 5
    results = [m for m in mailoutbox if "/applications/" in m.body and m.subject.startswith(("You are", "Your app"))]
    assert len(results) == 30
    assert len({m.to[0] for m in results}) == 30
