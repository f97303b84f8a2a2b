import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from cohorts.models import VentureMember
from cohorts.services import venture_member_add
from tests.factories import UserFactory


def test_team_member_adds_a_user_and_an_invitee_by_email(client, cohort, member):
    venture = cohort.ventures.get()
    existing = UserFactory(email="known@example.org", name="Kim Known")
    client.force_login(member)
    url = reverse("cohorts:venture_detail", args=[cohort.slug, venture.pk])
    client.post(url, {"email": "KNOWN@example.org"})
    client.post(url, {"email": "invitee@example.org", "name": "Ines Invitee", "role": "sound"})
    assert venture.team.get(user=existing).name == "Kim Known"
    invitee = venture.team.get(email="invitee@example.org")
    assert (invitee.user, invitee.role) == (None, "sound")
    page = client.get(url).text
    assert "Kim Known" in page and "Ines Invitee" in page


def test_the_same_person_twice_is_refused(cohort, member):
    venture = cohort.ventures.get()
    venture_member_add(venture=venture, email="a@example.org", by=member)
    with pytest.raises(ValidationError):
        venture_member_add(venture=venture, email="A@example.org", by=member)
    with pytest.raises(ValidationError):
        venture_member_add(venture=venture, email=member.email, by=member)
    assert VentureMember.objects.count() == 2


def test_member_outside_the_team_cannot_add(client, cohort, member, second_member):
    venture = cohort.ventures.get()
    client.force_login(second_member)
    response = client.post(
        reverse("cohorts:venture_detail", args=[cohort.slug, venture.pk]), {"email": "x@example.org"}
    )
    assert response.status_code == 403


def test_member_creates_a_venture_and_joins_its_team(client, cohort, second_member):
    client.force_login(second_member)
    response = client.post(
        reverse("cohorts:venture_create", args=[cohort.slug]),
        {"name": "Sami Sound", "field": "video", "website": "https://sami.example"},
    )
    venture = cohort.ventures.get(name="Sami Sound")
    assert response.url == reverse("cohorts:venture_detail", args=[cohort.slug, venture.pk])
    assert list(venture.team.values_list("user", flat=True)) == [second_member.pk]

    response = client.post(reverse("cohorts:venture_create", args=[cohort.slug]), {"name": "sami sound"})
    assert response.status_code == 200 and cohort.ventures.filter(name__iexact="sami sound").count() == 1


def test_team_edits_its_venture_and_others_cannot(client, cohort, member, second_member):
    venture = cohort.ventures.get()
    url = reverse("cohorts:venture_edit", args=[cohort.slug, venture.pk])
    client.force_login(second_member)
    assert client.post(url, {"name": "Hijacked"}).status_code == 403
    client.force_login(member)
    client.post(url, {"name": "Mira Studio", "field": "photography", "description": "Portraits and products"})
    venture.refresh_from_db()
    assert venture.description == "Portraits and products"
