import pytest
from django.urls import reverse

from incubator.roles import MENTOR, PARTICIPANT, PROGRAM_MANAGER, REVIEWER
from tests.factories import ProgramFactory, UserFactory, grant, program_manager


@pytest.mark.parametrize(
    ("roles", "cards", "absent"),
    [
        ([PROGRAM_MANAGER], ["card-manager", "card-applicant"], ["card-reviewer", "card-mentor"]),
        ([REVIEWER], ["card-reviewer", "card-applicant"], ["card-manager", "nav-admin"]),
        ([MENTOR], ["card-mentor"], ["card-manager", "card-participant"]),
        ([PARTICIPANT], ["card-participant"], ["card-mentor", "nav-admin"]),
        ([], ["card-applicant"], ["card-manager", "card-reviewer", "card-mentor", "card-participant", "nav-admin"]),
    ],
)
def test_home_shows_each_role_its_own_entries(client, db, roles, cards, absent):
    client.force_login(UserFactory(roles=roles))
    html = client.get(reverse("home")).content.decode()
    for card in cards:
        assert f'data-testid="{card}"' in html
    for card in absent:
        assert f'data-testid="{card}"' not in html


def test_home_for_visitors_offers_sign_in(client, db):
    html = client.get("/").content.decode()
    assert reverse("account_login") in html
    assert 'dir="ltr"' in html


@pytest.mark.parametrize("code", ["he", "ar"])
def test_rtl_languages_render_right_to_left(client, db, code):
    html = client.get(f"/{code}/").content.decode()
    assert 'dir="rtl"' in html
    assert "bootstrap.rtl.min.css" in html


@pytest.mark.parametrize(
    ("code", "phrase"), [("fr", "Se connecter"), ("pl", "Zaloguj"), ("ar", "تسجيل الدخول"), ("he", "התחברות")]
)
def test_home_is_translated(client, db, code, phrase):
    assert phrase in client.get(f"/{code}/").content.decode()


@pytest.mark.parametrize("programs", [1, 20])
def test_home_query_count_is_fixed(client, db, django_assert_num_queries, programs):
    person = UserFactory(roles=[PROGRAM_MANAGER, REVIEWER])
    for _ in range(programs):
        grant(ProgramFactory(), person, "manager")
    client.force_login(person)
    # session, user, the user's role names, the user's cohorts (participant and mentor cards), the programs
    # they manage (manager card), their drafts and the open calls (applicant card), the reviewer's assignment counts
    # (reviewer card)
    with django_assert_num_queries(8):
        html = client.get(reverse("home")).content.decode()
    assert html.count("/roles/") == programs


def test_the_manager_card_lists_only_the_managers_own_programs(client, db):
    ours = ProgramFactory(name="Our program")
    ProgramFactory(name="Their program")
    client.force_login(program_manager(ours, roles=[PROGRAM_MANAGER]))
    html = client.get(reverse("home")).content.decode()
    assert "Our program" in html and "Their program" not in html


def test_the_footer_says_deadlines_are_in_their_programs_zone(client, user):
    assert "Deadlines are in their program" in client.get("/").content.decode()
    user.time_zone = "Europe/Warsaw"
    user.save()
    client.force_login(user)
    assert "other times in yours (Europe/Warsaw)" in client.get("/").content.decode()


def test_a_participants_home_links_mentoring_and_desks(client, db):
    client.force_login(UserFactory(roles=[PARTICIPANT]))
    html = client.get("/").content.decode()
    assert 'data-testid="home-mentoring"' in html and 'data-testid="home-workspaces"' in html
