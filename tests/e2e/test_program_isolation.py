"""Two programs, two managers, in Chromium: each sees only their own program; a program's manager invites a reviewer
on its roles page (screenshots in English and Arabic), who accepts on their invitations page."""

from cohorts.models import Program
from incubator.models import User


def test_each_programs_manager_sees_only_their_program_and_invites_a_reviewer_who_accepts(
    seeded_demo, live_server, page, sign_in, screenshot
):
    ranking = f"{live_server.url}/review/calls/kawalis-second-cohort/ranking/"
    sign_in(page, "manager.bizup@example.org")
    assert page.goto(ranking).status == 404
    assert page.goto(f"{live_server.url}/cohorts/kawalis-2/dashboard/").status == 404
    page.goto(f"{live_server.url}/admin/applications/application/")
    assert page.locator("#result_list").count() == 0 or "kawalis" not in page.content().lower()

    page.goto(f"{live_server.url}/cohorts/programs/bizup/roles/")
    page.fill("input[name=email]", "member.bizup.01@example.org")
    page.select_option("select[name=role]", "reviewer")
    page.click(".form-card button[type=submit]")
    page.wait_for_selector(
        "[data-testid=role-invitations] [data-testid=invitation] >> text=member.bizup.01@example.org"
    )
    screenshot(page, "program-roles-en")
    page.goto(f"{live_server.url}/ar/cohorts/programs/bizup/roles/")
    assert page.get_attribute("html", "dir") == "rtl"
    screenshot(page, "program-roles-ar")
    person = User.objects.get(email="member.bizup.01@example.org")
    assert not Program.objects.get(slug="bizup").reviewers.filter(pk=person.pk).exists()  # not before accepting

    page.context.clear_cookies()
    sign_in(page, "member.bizup.01@example.org")
    page.goto(f"{live_server.url}/cohorts/invitations/")
    page.click("[data-testid=invitation] [data-testid=accept]")
    page.wait_for_selector(".alert-success")
    assert Program.objects.get(slug="bizup").reviewers.filter(pk=person.pk).exists()

    page.context.clear_cookies()
    sign_in(page, "manager.kawalis@example.org")
    assert page.goto(ranking).status == 200
    assert page.goto(f"{live_server.url}/cohorts/programs/bizup/roles/").status == 404
