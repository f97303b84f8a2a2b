"""A cohort's community in a real browser: profile in Hebrew, the directory, the board; screenshots of the
directory and the manager's dashboard in English and Hebrew."""

import pytest
from playwright.sync_api import expect

from cohorts.models import Answer, MemberProfile, Post
from incubator.models import Notification, User

DIRECTORY = "/cohorts/bizup-2026/"
PHOTOGRAPHER = "יהודה כץ"  # member.bizup.01, a product photographer in the demo cohort


def test_participant_completes_profile_finds_photographer_and_gets_an_answer(
    seeded_demo, live_server, browser, page, sign_in, screenshot
):
    sign_in(page, "participant@example.org")

    # The profile, in Hebrew, right to left.
    page.goto(f"{live_server.url}/he{DIRECTORY}profile/")
    assert page.get_attribute("html", "dir") == "rtl"
    page.fill("input[name=headline]", "נגר ומעצב רהיטים")
    page.select_option("select[name=field]", "crafts")
    page.fill("input[name=skills]", "נגרות, עיצוב רהיטים")
    page.fill("textarea[name=offers]", "רהיטים בהזמנה אישית לחללי עבודה")
    page.fill("textarea[name=needs]", "צלם למוצרים שלי")
    page.fill("input[name=languages]", "עברית, polski")
    page.check("input[name=contact_consent]")
    screenshot(page, "cohort-profile-he")
    page.click("[data-testid=profile-form] button[type=submit]")
    page.wait_for_url(f"{live_server.url}/he{DIRECTORY}")
    profile = MemberProfile.objects.get(user__email="participant@example.org")
    assert (profile.field, profile.skills) == ("crafts", ["נגרות", "עיצוב רהיטים"])

    # Find a photographer.
    page.select_option("#id_field", "photography")
    page.click("[data-testid=directory-filters] button[type=submit]")
    page.wait_for_url("**field=photography**")
    cards = page.locator("[data-testid=member-card]")
    assert cards.filter(has_text=PHOTOGRAPHER).count() == 1
    photographers = MemberProfile.objects.filter(field="photography", user__memberships__cohort__slug="bizup-2026")
    assert cards.count() == photographers.count() == 2

    # Post a need on the board.
    page.goto(f"{live_server.url}/he{DIRECTORY}board/")
    page.select_option("select[name=kind]", "need")
    page.fill("input[name=title]", "מחפש צלם למוצרים לקטלוג של לקוח")
    page.select_option("select[name=field]", "photography")
    page.fill("textarea[name=body]", "עשרה פריטי עץ, רקע לבן")
    page.click("[data-testid=post-form] button[type=submit]")
    page.wait_for_selector("[data-testid=post-title]")
    post = Post.objects.get(title="מחפש צלם למוצרים לקטלוג של לקוח")

    # The photographer answers it, in a browser of their own.
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="he-IL")
    other = context.new_page()
    sign_in(other, "member.bizup.01@example.org")
    other.goto(f"{live_server.url}/he{DIRECTORY}board/")
    other.click(f"[data-testid=board-post]:has-text('{post.title}')")
    other.fill("textarea[name=body]", "אשמח לצלם, יש לי סטודיו עם רקע לבן")
    other.click("[data-testid=answer-form] button[type=submit]")
    other.wait_for_selector("[data-testid=answer]:has-text('אשמח לצלם')")
    context.close()

    answer = Answer.objects.get(post=post)
    assert answer.author.email == "member.bizup.01@example.org"
    notification = Notification.objects.get(kind="cohorts.post_answered", object_id=answer.pk)
    assert notification.recipient.email == "participant@example.org"
    assert notification.status == Notification.Status.SENT

    page.reload()
    assert page.locator("[data-testid=answer]").filter(has_text="אשמח לצלם").count() == 1
    screenshot(page, "cohort-board-post-he")


@pytest.mark.parametrize("language", ["en", "he"])
def test_screenshots_of_directory_and_dashboard(seeded_demo, live_server, page, sign_in, screenshot, language):
    prefix = "" if language == "en" else f"/{language}"
    User.objects.filter(email="manager@example.org").update(preferred_language=language)
    sign_in(page, "manager@example.org")

    page.goto(f"{live_server.url}{prefix}{DIRECTORY}")
    assert page.get_attribute("html", "dir") == ("rtl" if language == "he" else "ltr")
    assert page.locator("[data-testid=member-card]").count() == 16
    screenshot(page, f"cohort-directory-{language}")

    page.goto(f"{live_server.url}{prefix}/cohorts/kawalis-2/dashboard/")
    expect(page.locator("canvas")).to_have_count(4)
    for canvas in page.locator("canvas").all():
        expect(canvas).not_to_have_attribute("width", "0")
    assert page.locator("[data-testid=members-table] tbody tr").count() == 24
    screenshot(page, f"cohort-dashboard-{language}")

    page.goto(f"{live_server.url}{prefix}/cohorts/regional-leaders-1/initiatives/")
    assert page.locator("[data-testid=initiatives] article").count() == 6
    screenshot(page, f"cohort-initiatives-{language}")
