"""A cohort member by invitation in Chromium, on the demo (issue 18): BizUP's manager invites the address of a
Kawalis member to a BizUP cohort; the page answers "Invitation sent" and shows only the address and the name typed,
never the account's name; nobody joins until the Kawalis member accepts on their invitations page, which takes
them to the cohort (screenshots in English and, for the invitee, in their own language)."""

from cohorts.models import Membership
from incubator.models import User
from tests.e2e.conftest import choose_language


def test_a_manager_invites_an_address_and_learns_no_name_until_it_is_accepted(
    seeded_demo, live_server, page, sign_in, screenshot
):
    stranger = User.objects.get(email="member.kawalis.01@example.org")
    sign_in(page, "manager.bizup@example.org")
    page.goto(f"{live_server.url}/cohorts/bizup-2026/members/invite/")
    choose_language(page, "en")
    page.fill("input[name=email]", stranger.email)
    page.fill("input[name=name]", "Typed By Manager")
    page.click(".form-card button[type=submit]")
    page.wait_for_selector(f".alert-success >> text=Invitation sent to {stranger.email}")
    page.wait_for_selector("[data-testid=member-invitations] [data-testid=member-invitation] >> text=Typed By Manager")
    assert stranger.name not in page.content()
    screenshot(page, "member-invitations-en")
    assert not Membership.objects.filter(person=stranger, cohort__slug="bizup-2026").exists()

    page.context.clear_cookies()
    sign_in(page, stranger.email)
    page.goto(f"{live_server.url}/cohorts/invitations/")
    page.wait_for_selector("[data-testid=invitation]")
    screenshot(page, f"member-invitation-{page.get_attribute('html', 'lang')}")
    page.click("[data-testid=invitation] [data-testid=accept]")
    page.wait_for_selector(".alert-success")
    assert page.url.rstrip("/").endswith("/cohorts/bizup-2026")
    assert Membership.objects.filter(person=stranger, cohort__slug="bizup-2026", status="active").exists()
