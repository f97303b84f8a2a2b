"""A program's home for its managers (`/programs/<slug>/`) and the list of one's programs (`/programs/`)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from applications.models import Application
from applications.scoring.decisions import decisions_record
from applications.services import DraftData, application_eligibility_override, application_save_draft, application_start
from cohorts.models import Cohort
from tests.applications.factories import make_call
from tests.applications.scoring.factories import manager, reviewer, score, scoring_call, submitted
from tests.factories import CohortFactory, UserFactory, accept, superuser

pytestmark = pytest.mark.calendar


@pytest.fixture
def call(db):
    return scoring_call(slug="kawalis-2")


@pytest.fixture
def program(call):
    return call.cohort.program


@pytest.fixture
def maya(program):
    return manager(program, name="Maya Manager")


@pytest.fixture
def scenario(call, program):
    """One draft, three submitted (one of them ruled ineligible by the manager), two reviewed, one decided."""
    boss = manager(program, name="Scenario Boss")
    draft = application_start(call=call, applicant=UserFactory())
    application_save_draft(
        application=draft, data=DraftData(standard={"full_name": "Still typing"}), by=draft.applicant
    )
    first, second, third = (submitted(call, name=f"Applicant {n}") for n in range(3))
    application_eligibility_override(application=third, eligibility="ineligible", reason="Too old", by=boss)
    rita = reviewer(program, name="Rita")
    score(first, rita, 4)
    score(second, rita, 3)
    decisions_record(applications=[Application.objects.get(pk=first.pk)], outcome="accept", by=boss)
    return call


def test_the_manager_sees_the_program_s_calls_with_exact_counts_and_one_click_links(client, scenario, maya):
    client.force_login(maya)
    response = client.get(reverse("programs:home", args=[scenario.cohort.program.slug]))
    assert response.status_code == 200
    [call] = _calls(response)
    assert (call.drafts, call.submitted, call.eligible, call.reviewed, call.decided) == (1, 3, 2, 2, 1)
    assert call.state == "open"
    html = response.content.decode()
    for name in ("scoring:ranking", "scoring:selection", "scoring:decisions", "applications:call"):
        assert f'href="{reverse(name, args=[scenario.slug])}"' in html
    assert reverse("admin:applications_call_change", args=[scenario.pk]) in html
    # The deadline in the program's zone, the zone named.
    assert "(Africa/Casablanca)" in html
    assert 'data-testid="needs-you"' in html and "Nothing needs you today." in html


def _calls(response):
    from applications.selectors import program_calls

    calls = list(program_calls(response.context["program"]))
    now = timezone.now()
    for call in calls:
        call.state = "upcoming" if call.is_upcoming(now) else "open" if call.is_open(now) else "closed"
    return calls


def test_the_page_shows_the_counts_in_its_cells(client, scenario, maya):
    client.force_login(maya)
    html = client.get(reverse("programs:home", args=[scenario.cohort.program.slug])).content.decode()
    for testid, value in (("drafts", 1), ("submitted", 3), ("eligible", 2), ("reviewed", 2), ("decided", 1)):
        assert f'data-testid="count-{testid}">{value}</td>' in html


def test_the_cohorts_section_counts_members_against_places_and_links_roles_and_history(client, program, call, maya):
    cohort = call.cohort
    cohort.capacity = 24
    cohort.save(update_fields=["capacity"])
    for _n in range(3):
        accept(cohort)
    client.force_login(maya)
    response = client.get(reverse("programs:home", args=[program.slug]))
    html = response.content.decode()
    assert "3 members for 24 places" in html
    assert reverse("cohorts:dashboard", args=[cohort.slug]) in html
    assert reverse("cohorts:program_roles", args=[program.slug]) in html
    assert reverse("cohorts:program_history", args=[program.slug]) in html


def test_setup_buttons_open_the_admin_pre_filled_with_the_program(client, program, call, maya):
    client.force_login(maya)
    html = client.get(reverse("programs:home", args=[program.slug])).content.decode()
    assert f"{reverse('admin:cohorts_cohort_add')}?program={program.pk}" in html
    assert f"{reverse('admin:workspaces_space_add')}?programs={program.pk}" in html
    assert reverse("applications:program_call_copy", args=[program.slug]) in html  # the last call is copied


def test_without_a_call_new_call_opens_the_admin_add_form_for_the_newest_cohort(client, db):
    cohort = CohortFactory()
    boss = manager(cohort.program)
    client.force_login(boss)
    html = client.get(reverse("programs:home", args=[cohort.program.slug])).content.decode()
    assert f"{reverse('admin:applications_call_add')}?cohort={cohort.pk}" in html
    assert "This program has no call for applications yet." in html


def test_a_superuser_sees_any_program(client, program, call):
    client.force_login(superuser())
    assert client.get(reverse("programs:home", args=[program.slug])).status_code == 200


@pytest.mark.parametrize("persona", ["other_manager", "reviewer", "mentor", "participant", "outsider"])
def test_anyone_but_the_program_s_managers_gets_404(client, program, call, persona):
    from tests.factories import grant

    people = {
        "other_manager": lambda: manager(scoring_call(slug="elsewhere").cohort.program),
        "reviewer": lambda: reviewer(program),
        "mentor": lambda: grant(program, UserFactory(), "mentor"),
        "participant": lambda: accept(call.cohort).person,
        "outsider": UserFactory,
    }
    client.force_login(people[persona]())
    assert client.get(reverse("programs:home", args=[program.slug])).status_code == 404
    listing = client.get(reverse("programs:index"), follow=True)
    # A manager of another program is taken to their own program only; anyone else manages nothing.
    assert program.slug not in listing.content.decode()
    if persona != "other_manager":
        assert listing.status_code == 404


def test_anonymous_is_sent_to_sign_in(client, program):
    for url in (reverse("programs:home", args=[program.slug]), reverse("programs:index")):
        response = client.get(url)
        assert response.status_code == 302 and reverse("account_login") in response["Location"]


def test_the_list_redirects_to_the_one_program_or_lists_several(client, program, maya):
    client.force_login(maya)
    response = client.get(reverse("programs:index"))
    assert response.status_code == 302 and response["Location"] == reverse("programs:home", args=[program.slug])
    second = scoring_call(slug="second").cohort.program
    from tests.factories import grant

    grant(second, maya, "manager")
    response = client.get(reverse("programs:index"))
    assert response.status_code == 200
    assert [p.slug for p in response.context["programs"]] == sorted([program.slug, second.slug])


def test_the_site_home_and_the_nav_link_a_manager_to_their_programs(client, program, maya):
    client.force_login(maya)
    html = client.get(reverse("home")).content.decode()
    assert reverse("programs:home", args=[program.slug]) in html
    assert 'data-testid="nav-programs"' in html and 'data-testid="your-programs"' in html
    assert reverse("cohorts:program_roles", args=[program.slug]) in html  # the existing links stay


@pytest.mark.parametrize("size", [1, 20])
def test_the_program_home_runs_a_fixed_number_of_queries(client, program, maya, django_assert_num_queries, size):
    from tests.workspaces.factories import make_plan, make_resource, make_space

    space = make_space([program], slug="program-space")
    make_resource(space)
    now = timezone.now()
    for number in range(size):
        cohort = CohortFactory(
            program=program, slug=f"c-{number}", starts_on=datetime.date(2026, 1, 1) + datetime.timedelta(days=number)
        )
        make_call(
            slug=f"call-{number}", program=program, questions=False, opens_at=now - datetime.timedelta(days=number + 1)
        )
        make_plan(cohort, space)
        accept(cohort)
    client.force_login(maya)
    # 1 session, 2 user, 3 the user's groups (navigation), 4 the program, 5 its managers' ids (the gate);
    # setup buttons: 6 the last call (applications), 7 the program's spaces (workspaces);
    # sections: 8 the calls with their counts in one aggregate (applications), 9 the cohorts with their members
    # (cohorts), 10 the session figures, 11 feedback this month, 12 the cohorts for the funder report links
    # (mentoring), 13 the spaces with their desks, 14 opening hours, 15 closed dates this week, 16 this week's
    # desk bookings, 17 the subsidy plans with what they spent (workspaces); "needs you" (the gate's managed programs
    # read once): 18 failed emails, 19 unanswered invitations, 20 reviews late, 21 reviewer load, 22 calls closing
    # with drafts, 23 sessions not logged, 24 action items overdue, 25 inductions expiring, 26 budgets nearly spent.
    with django_assert_num_queries(26):
        response = client.get(reverse("programs:home", args=[program.slug]))
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('data-testid="call-row"') == size + 1  # the scenario's call and the new ones
    assert html.count('data-testid="cohort-card"') == Cohort.objects.filter(program=program).count() == 2 * size + 1
    assert html.count('data-testid="plan-row"') == size
