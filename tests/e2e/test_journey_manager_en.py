"""Journey of a program manager, in English: Maya goes from the administration's list of calls to the ranking of
Kawalis' second-cohort call, proposes the 24-seat selection with its regional minimums, records it as accept /
waitlist / reject decisions and reads the email previews. The call's cohort, the second, is finished and already has
its 24 members: the confirmation page says so with the numbers, and publishing is refused to her. A superuser
publishes anyway with a written reason (audited), after the confirmation, and sees the result and one result email
per applicant."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from applications.models import Application, Call
from applications.scoring.decisions import DECISION_KIND
from applications.scoring.models import Decision
from cohorts.models import Membership
from demo.users import demo_user
from incubator.models import Notification
from tests.audit_trail import action
from tests.e2e.axe import assert_accessible
from tests.e2e.journeys import open_page, sign_in

EMAIL = "manager@example.org"


@pytest.mark.calendar("jerusalem-new-year")
def test_manager_selects_and_publishes_in_english(seeded_demo, live_server, browser, screenshot):
    base = live_server.url
    call = Call.objects.select_related("cohort").get(slug="kawalis-second-cohort")
    page = open_page(browser, locale="en-GB", device={"viewport": {"width": 1440, "height": 900}})
    try:
        sign_in(page, base, EMAIL)
        assert page.get_attribute("html", "lang") == "en"
        # From the home to the program's home, where its calls are listed with their ranking, selection and
        # decisions, and what needs her: the reviewer she invited nine days ago has not answered.
        page.locator("[data-testid=program-home-link]", has_text="Kawalis").click()
        expect(page.locator("[data-testid=needs-you]")).to_contain_text("not been answered")
        page.locator(f"[data-call={call.slug}] [data-testid=call-ranking]").click()
        page.wait_for_selector("[data-testid=ranking]")
        ranked = page.locator("[data-testid=rank-row]")
        expect(ranked.first).to_be_visible()
        page.locator("[data-testid=ranking-legend] summary").click()  # folds the columns' explanations
        screenshot(page, "journey-manager-ranking-en", full_page=False)
        assert_accessible(page)

        page.locator("[data-testid=tab-selection]").click()
        page.wait_for_selector("[data-testid=selection-form]")
        # The call's seats and its regional minimums come filled in; the waitlist is the manager's choice.
        expect(page.locator("#id_seats")).to_have_value("24")
        page.locator("#id_waitlist_size").fill("5")
        page.locator("[data-testid=propose]").click()
        page.wait_for_selector("[data-testid=proposal]")
        expect(page.locator("[data-testid=proposal-accept]")).to_have_count(24)
        expect(page.locator("[data-testid=proposal-waitlist]")).to_have_count(5)
        screenshot(page, "journey-manager-selection-en", full_page=False)
        assert_accessible(page)

        page.locator("[data-testid=apply-proposal]").click()
        page.wait_for_selector("[data-testid=previews]")
        counts = page.locator("[data-testid=decision-counts]")
        expect(counts).to_contain_text("accept: 24 / 24")
        expect(counts).to_contain_text("waitlist: 5")
        assert not mail.outbox or all(DECISION_KIND not in m.subject for m in mail.outbox)
        sent_before = len(mail.outbox)
        screenshot(page, "journey-manager-decisions-en", full_page=False)
        assert_accessible(page)

        # The confirmation page names the cohort and what publishing would make of it: refused, for Maya.
        expect(page.locator("[data-testid=cohort-fill]")).to_contain_text("Kawalis — second cohort")
        expect(page.locator("[data-testid=cohort-fill]")).to_contain_text("finished")
        expect(page.locator("[data-testid=cohort-numbers]")).to_have_text(
            "23 members now + 24 accepted = 47 of 24 places"  # one of the 24 withdrew
        )
        expect(page.locator("[data-testid=publish-refused-warning]")).to_contain_text("is finished")
        expect(page.locator("[data-testid=publish]")).to_be_disabled()
        assert not Decision.objects.filter(call=call, status="published").exists()
    finally:
        page.context.close()

    # A superuser may publish anyway, ticking the override and writing why.
    root = demo_user("root@example.org", "Rina Root", language="en", time_zone="Asia/Jerusalem")
    root.is_superuser = root.is_staff = True
    root.save(update_fields=["is_superuser", "is_staff"])
    page = open_page(browser, locale="en-GB", device={"viewport": {"width": 1440, "height": 900}})
    try:
        sign_in(page, base, root.email)
        page.goto(f"{base}/review/calls/{call.slug}/decisions/")
        page.get_by_label("Publish anyway, past the cohort's places or into a finished cohort").check()
        page.get_by_label("Why publish anyway").fill("Recording the 2024 selection as it was decided.")
        # Publishing asks first; dismissing the question publishes nothing.
        page.once("dialog", lambda dialog: dialog.dismiss())
        page.locator("[data-testid=publish]").click()
        expect(page.locator("[data-testid=published]")).to_have_count(0)
        assert not Decision.objects.filter(call=call, status="published").exists()
        questions = []
        page.once("dialog", lambda dialog: (questions.append(dialog.message), dialog.accept()))
        page.locator("[data-testid=publish]").click()
        page.wait_for_selector("[data-testid=published]")
        assert "cannot be undone" in questions[0]
        expect(page.locator("[data-testid=published]")).to_contain_text("(Africa/Casablanca)")  # the program's zone
        screenshot(page, "journey-manager-published-en", full_page=False)
        assert_accessible(page)
        override = action(action="scoring.decisions_publish_override", object_id=call.pk)
        assert override.actor == root and override.note == "Recording the 2024 selection as it was decided."

        published = Decision.objects.filter(call=call, status="published")
        outcomes = {o: published.filter(outcome=o).count() for o in ("accept", "waitlist", "reject")}
        assert outcomes["accept"] == 24 and outcomes["waitlist"] == 5 and outcomes["reject"] > 0
        assert Membership.objects.filter(cohort=call.cohort).count() >= 24
        assert Application.objects.filter(call=call, status="accepted").count() == 24
        # One ledger row per applicant, each sent, and one email each, in their own language.
        ledger = Notification.objects.filter(kind=DECISION_KIND, object_id__in=published.values("application_id"))
        assert ledger.count() == published.count()
        assert set(ledger.values_list("status", flat=True)) == {"sent"}
        results = mail.outbox[sent_before:]
        assert len(results) == published.count()
        assert len({m.to[0] for m in results}) == len(results)
        # The ranking now shows each decision.
        page.goto(f"{base}/review/calls/{call.slug}/ranking/")
        expect(page.locator("[data-testid=rank-row] .badge.decision-accept").first).to_have_text(re.compile("accept"))
    finally:
        page.context.close()
