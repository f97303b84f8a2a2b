"""The alumni survey in a real browser: a Kawalis member of the second cohort who has not answered yet follows the
link on the cohort's page and answers on a phone in Arabic (jobs typed with Arabic digits); a refused answer keeps
what was typed; the answer is then shown with thanks."""

from cohorts.models import AlumniSurvey, Cohort, Membership
from tests.e2e.phone import PHONE, layout_problems
from tests.e2e.test_checkins import signed_in_in_arabic


def test_a_member_answers_the_alumni_survey_on_a_phone_in_arabic(seeded_demo, live_server, browser):
    kawalis = Cohort.objects.get(slug="kawalis-2")
    membership = (
        Membership.objects.filter(cohort=kawalis, status="active", alumni_survey__isnull=True)
        .order_by("person__email")
        .first()
    )
    context = browser.new_context(**PHONE, locale="ar-MA")
    page = context.new_page()
    page.set_default_timeout(15_000)
    signed_in_in_arabic(page, live_server.url, membership.person)

    page.goto(f"{live_server.url}/ar/cohorts/{kawalis.slug}/")
    page.click("[data-testid=alumni-survey-link] a")
    page.wait_for_selector("[data-testid=alumni-form]")
    assert page.get_attribute("html", "dir") == "rtl"
    assert layout_problems(page) == []
    page.check("#id_venture_0")  # active
    page.fill("#id_jobs", "١٫٥")
    page.check("#id_revenue_band_1")  # under 50 k MAD
    page.fill("#id_comment", "ورشات التسويق ساعدتنا كثيرًا")
    page.click("[data-testid=alumni-form] button[type=submit]")  # nothing chosen as what helped most: refused
    page.wait_for_selector(".invalid-feedback, .is-invalid")
    assert page.input_value("#id_jobs") == "١٫٥"
    assert page.input_value("#id_comment") == "ورشات التسويق ساعدتنا كثيرًا"
    page.check("#id_helped_most_3")  # training and workshops
    page.click("[data-testid=alumni-form] button[type=submit]")
    page.wait_for_selector("[data-testid=alumni-thanks]")
    assert layout_problems(page) == []

    survey = AlumniSurvey.objects.get(membership=membership)
    assert (survey.venture, str(survey.jobs), survey.revenue_band, survey.helped_most) == (
        "active", "1.50", "under_50k", "training"
    )  # fmt: skip
    context.close()
