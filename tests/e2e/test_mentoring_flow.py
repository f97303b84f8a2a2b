"""Mentoring at phone size: the mentor logs a held individual session and a group workshop with attendance;
the participant ticks an action item and leaves feedback; the manager's funder report counts both.
Screenshots of the log form, attendance, the participant's session and the report, in English and Arabic."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from mentoring import assignments
from mentoring.models import ActionItem, Attendance, Feedback, Session
from tests.factories import CohortFactory, ProgramFactory, RegionFactory, UserFactory, accept

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport=PHONE, locale="en-US", is_mobile=True, has_touch=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def world(transactional_db):
    program = ProgramFactory(name="BizUP", slug="bizup-e2e", time_zone="Asia/Jerusalem", language="he")
    region = RegionFactory(program=program, name="Jerusalem")
    cohort = CohortFactory(program=program, name="BizUP 2026", slug="bizup-e2e-2026")
    manager = UserFactory(email="maya@example.org", name="Maya Manager")
    program.managers.add(manager)
    mentee = accept(cohort, UserFactory(email="mira@example.org", name="Mira Mentee"), region=region).person
    others = [accept(cohort, UserFactory(name=name), region=region).person for name in ("Noa Second", "Eli Third")]
    mentor = UserFactory(email="meir@example.org", name="Meir Mentor")
    program.mentors.add(mentor)
    assignments.assignment_create(program=program, mentor=mentor, mentee=mentee, by=manager)
    return {"program": program, "mentor": mentor, "mentee": mentee, "others": others, "manager": manager}


def sign_in(page, base, email, password="demo-pass-2026"):
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def log(page, base, *, kind, people, day, time, minutes, summary, actions=""):
    page.goto(f"{base}/mentoring/")
    page.click("[data-testid=log-session]")
    page.select_option("select[name=kind]", label=kind)
    for person in people:
        page.check(f"input[name=participants][value='{person.pk}']")
    page.fill("input[name=date]", day.isoformat())
    page.fill("input[name=time]", time)
    page.select_option("select[name=minutes]", str(minutes))
    page.fill("textarea[name=summary]", summary)
    if actions:
        page.fill("textarea[name=actions]", actions)


@pytest.mark.calendar("jerusalem-new-year")
def test_mentor_logs_two_sessions_participant_ticks_and_rates_report_counts_both(
    world, live_server, phone, browser, screenshot
):
    base = live_server.url
    program, mentor, mentee, others = world["program"], world["mentor"], world["mentee"], world["others"]
    yesterday = timezone.localtime(timezone.now(), ZoneInfo(program.time_zone)).date() - datetime.timedelta(days=1)

    # The mentor logs yesterday's individual session from their phone.
    sign_in(phone, base, mentor.email)
    log(phone, base, kind="Individual session", people=[mentee], day=yesterday, time="10:00", minutes=60,
        summary="Pricing and the portfolio.", actions="Send the new price list to two clients")  # fmt: skip
    screenshot(phone, "mentoring-log-phone-en")
    phone.click("[data-testid=save-log]")
    phone.wait_for_selector("[data-testid=summary]")
    individual = Session.objects.get(kind__code="individual")
    assert individual.status == "held" and individual.attendances.get().status == "present"

    # Then a group workshop, and who came.
    log(phone, base, kind="Workshop", people=[mentee, *others], day=yesterday, time="17:00", minutes=120,
        summary="Workshop: quoting a project.")  # fmt: skip
    phone.click("[data-testid=save-log]")
    phone.wait_for_selector("[data-testid=save-attendance]")
    phone.click(f"label[for=id_person_{others[1].pk}_1]")  # absent
    screenshot(phone, "mentoring-attendance-phone-en")
    phone.click("[data-testid=save-attendance]")
    phone.wait_for_selector("[data-testid=summary]")
    workshop = Session.objects.get(kind__code="workshop")
    assert dict(workshop.attendances.values_list("person", "status")) == {
        mentee.pk: Attendance.Status.PRESENT,
        others[0].pk: Attendance.Status.PRESENT,
        others[1].pk: Attendance.Status.ABSENT,
    }
    phone.context.clear_cookies()

    # The participant ticks the action item and rates the individual session.
    sign_in(phone, base, mentee.email)
    phone.goto(f"{base}/mentoring/")
    phone.click("[data-testid=my-actions] [data-testid=tick]")
    phone.wait_for_selector("[data-testid=my-actions] >> text=Nothing open.")
    assert ActionItem.objects.get().done_at is not None
    phone.goto(f"{base}/mentoring/sessions/{individual.pk}/")
    phone.check("input[name=rating][value='5']")
    phone.fill("textarea[name=comment]", "Very practical.")
    screenshot(phone, "mentoring-session-participant-phone-en")
    phone.click("[data-testid=feedback-form] button[type=submit]")
    phone.wait_for_selector("[data-testid=feedback-given]")
    assert Feedback.objects.get().rating == 5
    phone.context.clear_cookies()

    # The manager's report counts both.
    sign_in(phone, base, world["manager"].email)
    phone.goto(f"{base}/mentoring/report/?program={program.slug}&start={yesterday}&end={yesterday}")
    assert phone.inner_text("[data-testid=total-individual]") == "1"
    assert phone.inner_text("[data-testid=total-group]") == "1"
    assert phone.inner_text("[data-testid=reached]") == "<5"
    screenshot(phone, "mentoring-report-phone-en")
    phone.goto(f"{base}/ar/mentoring/report/?program={program.slug}&start={yesterday}&end={yesterday}")
    assert phone.get_attribute("html", "dir") == "rtl"
    screenshot(phone, "mentoring-report-phone-ar")
    phone.context.clear_cookies()
    sign_in(phone, base, mentor.email)
    phone.goto(f"{base}/ar/mentoring/log/")
    screenshot(phone, "mentoring-log-phone-ar")
    phone.goto(f"{base}/ar/mentoring/")
    screenshot(phone, "mentoring-home-phone-ar")


def test_the_demo_report_for_kawalis_first_cohort_and_the_bizup_dashboard(
    seeded_demo, live_server, page, sign_in, screenshot
):
    sign_in(page, "manager@example.org")
    page.goto(f"{live_server.url}/mentoring/report/?program=kawalis&start=2022-10-01&end=2023-09-30")
    assert page.inner_text("[data-testid=total-individual]") == "81"
    assert page.inner_text("[data-testid=total-group]") == "13"
    assert page.inner_text("[data-testid=total-tours]") == "4"
    assert page.locator("[data-testid=by-region] tbody tr").count() == 4
    screenshot(page, "mentoring-report-kawalis-en")
    page.goto(f"{live_server.url}/fr/mentoring/report/?program=kawalis&start=2022-10-01&end=2023-09-30")
    screenshot(page, "mentoring-report-kawalis-fr")
    page.goto(f"{live_server.url}/cohorts/bizup-2026/dashboard/")
    page.wait_for_selector("[data-testid=mentoring-figures]")
    screenshot(page, "mentoring-cohort-dashboard-en")
    page.goto(f"{live_server.url}/he/mentoring/programs/bizup/assignments/")
    screenshot(page, "mentoring-assignments-he")
