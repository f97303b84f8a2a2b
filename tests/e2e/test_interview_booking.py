"""A Kawalis applicant shortlisted for an interview books it on her phone, in French: the private link from her
email asks her to sign in, brings her back, shows the panel's free times in her zone by day, and books one after
a confirmation. Then the manager on the panel, on her phone and in French too, records the interview as held once
its time has come, scores it on the interview rubric, and finds the applicant's line of the final ranking made of
both stages, explained."""

import datetime
import re
from zoneinfo import ZoneInfo

from django.contrib.postgres.fields.ranges import DateTimeTZRange
from django.utils import translation
from playwright.sync_api import expect

from applications.interviews.models import Interview
from applications.interviews.services import interview_plan_save, interviews_shortlist
from applications.models import Call
from applications.scoring.final import final_ranking
from applications.scoring.models import Criterion, Review, ReviewerAssignment, ReviewSettings, ReviewStage
from applications.scoring.setup import scoring_setup_change
from incubator.models import User
from tests.applications.scoring.factories import score
from tests.e2e.axe import assert_accessible
from tests.e2e.journeys import PHONE, open_page, sign_in
from tests.e2e.phone import layout_problems

EMAIL = "applicant.k3r.02@example.org"  # a French-speaking applicant of the demo's open Kawalis call
MANAGER = "manager.kawalis@example.org"  # Karima, the Kawalis manager: Arabic is her account's language
INTERVIEW_RUBRIC = ("Présentation du projet", "Réponses au jury")


def _interview_stage_on(call: Call) -> None:
    """What the manager saves in the admin: the call gets an interview stage and its interview rubric."""
    ReviewSettings.objects.filter(call=call).update(has_interview=True)
    Criterion.objects.bulk_create(
        Criterion(call=call, stage=ReviewStage.INTERVIEW, position=position, name=name, weight=1)
        for position, name in enumerate(INTERVIEW_RUBRIC, start=1)
    )


def _shortlist() -> Interview:
    """Two Kawalis reviewers have scored her application in writing; the manager turns the interview stage on, sets
    up the panel (herself, every day 09:00–17:00 in Casablanca) and shortlists her."""
    call = Call.objects.select_related("cohort__program").get(slug="kawalis-third-cohort")
    application = call.applications.get(applicant__email=EMAIL)
    score(application, User.objects.get(email="salma.reviewer@example.org"), 4)
    score(application, User.objects.get(email="karim.reviewer@example.org"), 3)
    karima = User.objects.get(email=MANAGER)
    scoring_setup_change(call=call, change=lambda: _interview_stage_on(call), by=karima)
    interview_plan_save(
        call=call,
        panel=[karima],
        settings={
            "time_zone": "Africa/Casablanca",
            "slot_minutes": 45,
            "notice_hours": 24,
            "horizon_days": 14,
            "cancel_hours": 24,
            "place": "Kawalis, Fès",
            "online_link": "https://meet.example.org/kawalis",
            "active": True,
        },
        windows=[{"weekday": day, "starts": datetime.time(9), "ends": datetime.time(17)} for day in range(7)],
        exceptions=[],
        by=karima,
    )
    (interview,) = interviews_shortlist(call=call, applications=[application], by=karima)
    return interview


def _the_day_has_come(interview: Interview) -> None:
    """The booked interview's day comes: it is moved to have ended an hour ago. A live server's clock cannot be
    moved, and no service books a time in the past (the panel's notice period keeps the earliest slot a day away),
    so the booked period is shifted back directly; its length and everything else stay as booked. Then the manager
    moves the call to its interview stage, as she does in the admin."""
    interview.refresh_from_db()
    shift = interview.ends_at - (datetime.datetime.now(tz=datetime.UTC) - datetime.timedelta(hours=1))
    Interview.objects.filter(pk=interview.pk).update(
        period=DateTimeTZRange(interview.starts_at - shift, interview.ends_at - shift, "[)")
    )
    call = interview.application.call
    karima = User.objects.get(email=MANAGER)
    stage = ReviewSettings.objects.filter(call=call)
    scoring_setup_change(call=call, change=lambda: stage.update(stage=ReviewSettings.Stage.INTERVIEW), by=karima)


def _book(page, base: str, interview: Interview) -> None:
    # The link of her invitation email, signed out: sign in first, then straight back to it.
    page.goto(f"{base}/fr/interview/{interview.token}/")
    page.wait_for_selector("input[name=login]")
    page.fill("input[name=login]", EMAIL)
    page.fill("input[name=password]", "demo-pass-2026")
    page.click("button[type=submit]")
    page.wait_for_selector("[data-testid=slot]")
    assert page.get_attribute("html", "lang") == "fr"
    expect(page.locator("h1")).to_have_text("Votre entretien")
    expect(page.get_by_text("Africa/Casablanca").first).to_be_visible()
    assert layout_problems(page) == []
    assert_accessible(page)

    first = page.locator("[data-testid=slot]").first
    chosen = first.inner_text()
    first.click()
    page.wait_for_selector("[data-testid=confirm]")
    expect(page.locator("[data-testid=confirm]")).to_contain_text(chosen)
    assert layout_problems(page) == []
    page.locator("[data-testid=confirm-book]").click()
    page.wait_for_selector("[data-testid=booked]")
    expect(page.locator("[data-testid=booked]")).to_contain_text(chosen)
    expect(page.locator("[data-testid=ics]")).to_be_visible()
    assert layout_problems(page) == []
    assert_accessible(page)

    interview.refresh_from_db()
    assert interview.status == "booked"
    assert 9 <= interview.starts_at.astimezone(ZoneInfo("Africa/Casablanca")).hour < 17


def _open_menu(page) -> None:
    """On a phone the navigation is folded behind its toggle."""
    page.locator(".navbar-toggler").click()
    expect(page.locator("#main-nav")).to_be_visible()


def _record_held(page, base: str, interview: Interview, name: str) -> None:
    page.goto(f"{base}/fr/review/calls/kawalis-third-cohort/interviews/")
    row = page.locator("[data-testid=interviews] tbody tr").filter(has_text=name)
    expect(row).to_have_attribute("data-testid", "interview-booked")
    assert layout_problems(page) == []
    assert_accessible(page)
    row.locator(f"[data-testid=held-{interview.pk}]").click()
    page.wait_for_selector("[data-testid=confirm-record]")
    expect(page.locator("h1")).to_contain_text("tenu")
    assert layout_problems(page) == []
    assert_accessible(page)
    page.locator("[data-testid=confirm-record]").click()
    page.wait_for_url(re.compile(r"/interviews/$"))
    expect(page.get_by_text("Noté.")).to_be_visible()
    expect(row).to_have_attribute("data-testid", "interview-held")
    expect(row.locator(".badge")).to_have_text("tenu")  # an interview: masculine in French
    interview.refresh_from_db()
    assert interview.status == "held"


def _score_interview(page, assignment: ReviewerAssignment, name: str) -> None:
    _open_menu(page)
    page.locator("[data-testid=nav-review]").click()
    page.wait_for_selector("[data-testid=queue]")
    row = page.locator("[data-testid=queue] tbody tr").filter(has=page.locator(f"a[href$='/{assignment.pk}/']"))
    expect(row).to_contain_text(name)
    expect(row.locator("[data-testid=interview-label]")).to_have_text("Entretien")
    assert layout_problems(page) == []
    assert_accessible(page)

    row.get_by_role("link").click()
    page.wait_for_selector("[data-testid=review-form]")
    expect(page.locator("[data-testid=application-title]")).to_contain_text(name)
    expect(page.get_by_role("heading", name=re.compile("Vos notes d’entretien"))).to_be_visible()
    # The interview rubric alone: the written criteria are the reviewers' business.
    expect(page.locator("#review-form input[type=number]")).to_have_count(len(INTERVIEW_RUBRIC))
    for criterion, value in zip(INTERVIEW_RUBRIC, (5, 4), strict=True):
        page.get_by_label(re.compile(re.escape(criterion))).fill(str(value))
    page.locator("#review-form input[name=recommendation][value=yes]").check()
    page.locator("#review-form textarea[name=comment]").fill("Projet clair, réponses précises sur le budget.")
    assert layout_problems(page) == []
    assert_accessible(page)
    page.locator("[data-testid=submit-review]").click()
    page.wait_for_url(lambda url: f"/{assignment.pk}/" not in url)

    review = Review.objects.get(assignment=assignment)
    assert review.status == "submitted"
    assert sorted(review.scores.values_list("criterion__name", "score")) == sorted(
        zip(INTERVIEW_RUBRIC, (5, 4), strict=True)
    )


def _see_final_ranking(page, base: str, interview: Interview, name: str) -> None:
    call = interview.application.call
    page.goto(f"{base}/fr/review/calls/{call.slug}/ranking/")
    page.wait_for_selector("[data-testid=final-ranking]")
    row = page.locator("[data-testid=final-row]").filter(has_text=name)
    with translation.override("fr"):
        (line,) = final_ranking(call, ids=[interview.application_id])
    assert line.written is not None and line.interview is not None
    explanation = row.locator("[data-testid=explanation]")
    expect(explanation).to_have_text(line.explanation)
    expect(explanation).to_have_text(
        re.compile(r"^écrit \d+,\d × 60 % \+ entretien \d+,\d × 40 % = \d+,\d$".replace(" ", r"\s"))
    )
    cells = row.locator("td")
    expect(cells.nth(0)).to_have_text(str(line.rank))
    expect(cells.nth(3)).to_contain_text("(2)")  # two written reviews
    expect(cells.nth(4)).to_contain_text("(1)")  # one interview score, the panel's
    assert layout_problems(page) == []
    assert_accessible(page)


def test_a_shortlisted_applicant_books_her_interview_and_the_panel_scores_it_in_french_on_phones(
    seeded_demo, live_server, browser
):
    base = live_server.url
    interview = _shortlist()
    name = interview.application.full_name
    page = open_page(browser, locale="fr-FR", device=PHONE)
    try:
        _book(page, base, interview)
    finally:
        page.context.close()

    _the_day_has_come(interview)
    assignment = ReviewerAssignment.objects.get(
        application=interview.application, reviewer__email=MANAGER, stage=ReviewStage.INTERVIEW
    )
    page = open_page(browser, locale="fr-FR", device=PHONE)
    try:
        # Her account speaks Arabic; she switches the portal to French from the language menu.
        sign_in(page, base, MANAGER)
        assert page.get_attribute("html", "lang") == "ar"
        _open_menu(page)
        page.select_option("#language-select", "fr")
        expect(page.locator("html")).to_have_attribute("lang", "fr")

        _record_held(page, base, interview, name)
        _score_interview(page, assignment, name)
        _see_final_ranking(page, base, interview, name)
    finally:
        page.context.close()
