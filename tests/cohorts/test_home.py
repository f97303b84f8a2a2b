from django.urls import reverse

from incubator.roles import MENTOR, PARTICIPANT
from tests.factories import UserFactory, accept


def test_participant_card_links_to_their_cohort(client, cohort, other_cohort, member):
    client.force_login(member)
    html = client.get(reverse("home")).text
    assert reverse("cohorts:directory", args=[cohort.slug]) in html
    assert reverse("cohorts:directory", args=[other_cohort.slug]) not in html
    assert 'data-testid="card-participant"' in html and 'data-testid="nav-cohorts"' in html


def test_mentor_card_links_to_mentored_cohorts(client, cohort):
    mentor = UserFactory(roles=[MENTOR])
    cohort.mentors.add(mentor)
    client.force_login(mentor)
    html = client.get(reverse("home")).text
    assert 'data-testid="card-mentor"' in html
    assert reverse("cohorts:directory", args=[cohort.slug]) in html


def test_participant_without_cohort_keeps_the_empty_state(client, db):
    client.force_login(UserFactory(roles=[PARTICIPANT]))
    html = client.get(reverse("home")).text
    assert 'data-testid="home-cohorts"' not in html


def test_acceptance_gives_the_participant_role_and_the_nav_entry(client, cohort):
    person = UserFactory()
    client.force_login(person)
    assert 'data-testid="nav-cohorts"' not in client.get(reverse("home")).text
    accept(cohort, person)
    assert 'data-testid="nav-cohorts"' in client.get(reverse("home")).text
