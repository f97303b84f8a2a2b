"""Journey of a reviewer, in French: Rachid opens his queue from the menu, opens the application whose review he
had begun, scores every criterion, recommends, comments, submits, and finds it done in his queue."""

import re

import pytest
from playwright.sync_api import expect

from applications.scoring.models import ReviewerAssignment
from tests.e2e.axe import assert_accessible
from tests.e2e.journeys import open_page, sign_in

EMAIL = "reviewer@example.org"


@pytest.mark.calendar("leap-day")
def test_reviewer_scores_an_application_in_french(seeded_demo, live_server, browser, screenshot):
    base = live_server.url
    assignment = (
        ReviewerAssignment.objects.select_related("application", "review")
        .filter(reviewer__email=EMAIL, application__call__slug="kawalis-third-cohort", review__isnull=False)
        .get()
    )
    criteria = list(assignment.application.call.criteria_set.order_by("position"))
    page = open_page(browser, locale="en-US")  # an English browser: the account's French wins once signed in
    try:
        sign_in(page, base, EMAIL)
        assert page.get_attribute("html", "lang") == "fr"
        page.locator("[data-testid=nav-review]").click()
        page.wait_for_selector("[data-testid=queue]")
        link = page.locator(f"a[href$='/{assignment.pk}/']")  # one name may appear in two calls
        row = page.locator("[data-testid=queue] tbody tr").filter(has=link)
        expect(row.locator(".badge")).to_have_text("brouillon")
        screenshot(page, "journey-reviewer-queue-fr", full_page=False)
        assert_accessible(page)

        row.get_by_role("link").click()
        page.wait_for_selector("[data-testid=review-form]")
        expect(page.locator("[data-testid=application-title]")).to_have_text(assignment.application.full_name)
        # The draft kept the first score he had given; he reconsiders it and scores the rest.
        scores = [4, 5, 3, 5]
        for criterion, value in zip(criteria, scores, strict=True):
            field = page.get_by_label(re.compile(re.escape(criterion.name)))
            field.fill(str(value))
        page.locator("#review-form input[name=recommendation][value=yes]").check()
        page.locator("#review-form textarea[name=comment]").fill(
            "Projet solide : l'équipe connaît son public ; le budget des tournées reste à préciser."
        )
        screenshot(page, "journey-reviewer-scoring-fr", full_page=False)
        assert_accessible(page)
        page.locator("[data-testid=submit-review]").click()
        # Straight on to the next application of his queue.
        page.wait_for_url(lambda url: f"/{assignment.pk}/" not in url)
        page.wait_for_selector("[data-testid=review-form]")

        assignment.review.refresh_from_db()
        assert assignment.review.status == "submitted"
        given = dict(assignment.review.scores.values_list("criterion__position", "score"))
        assert given == {1: 4, 2: 5, 3: 3, 4: 5}
        assert assignment.review.recommendation == "yes"

        page.locator("[data-testid=nav-review]").click()
        page.wait_for_selector("[data-testid=queue]")
        expect(row.locator(".badge")).to_have_text("soumise")
        screenshot(page, "journey-reviewer-done-fr", full_page=False)
        assert_accessible(page)
    finally:
        page.context.close()
