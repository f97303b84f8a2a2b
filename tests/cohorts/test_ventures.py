from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from cohorts.models import Membership, Venture, VentureMember
from cohorts.services import (
    membership_create_from_application,
    membership_status_change,
    venture_create,
    venture_member_add,
    venture_update,
)
from tests.factories import Acceptance, UserFactory, accept


def test_team_member_adds_a_cohort_member_and_an_invitee_by_email(client, cohort, member, second_member):
    venture = cohort.ventures.get()
    client.force_login(member)
    url = reverse("cohorts:venture_detail", args=[cohort.slug, venture.pk])
    client.post(url, {"email": second_member.email.upper()})
    client.post(url, {"email": "invitee@example.org", "name": "Ines Invitee", "role": "sound"})
    assert venture.team.get(user=second_member).name == "Sami Second"
    invitee = venture.team.get(email="invitee@example.org")
    assert (invitee.user, invitee.role) == (None, "sound")
    page = client.get(url).text
    assert "Sami Second" in page and "Ines Invitee" in page


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


def test_an_account_outside_the_cohort_is_not_linked_and_its_name_stays_hidden(client, cohort, member, other_member):
    """Typing someone's email must not reveal the name on their account (nor link it)."""
    venture = cohort.ventures.get()
    UserFactory(email="known@example.org", name="Kim Known")
    client.force_login(member)
    url = reverse("cohorts:venture_detail", args=[cohort.slug, venture.pk])
    client.post(url, {"email": "KNOWN@example.org"})
    client.post(url, {"email": other_member.email, "name": "Typed Name"})
    known = venture.team.get(email__iexact="known@example.org")
    assert (known.user, known.name) == (None, "KNOWN@example.org")
    other = venture.team.get(email=other_member.email)
    assert (other.user, other.name) == (None, "Typed Name")
    page = client.get(url).text
    assert "Kim Known" not in page and "Otto Other" not in page
    assert "KNOWN@example.org" in page and "Typed Name" in page


def test_a_withdrawn_member_is_not_linked(cohort, member, second_member, manager):
    membership_status_change(membership=Membership.objects.get(person=second_member), status="withdrawn",
                             reason="Moved away", by=manager)  # fmt: skip
    row = venture_member_add(venture=cohort.ventures.get(), email=second_member.email, by=member)
    assert (row.user, row.name) == (None, second_member.email)


def test_an_invitee_who_joins_the_cohort_later_is_not_added_twice(cohort, member):
    venture = cohort.ventures.get()
    venture_member_add(venture=venture, email="late@example.org", by=member)
    accept(cohort, UserFactory(email="late@example.org"))
    with pytest.raises(ValidationError):
        venture_member_add(venture=venture, email="late@example.org", by=member)
    assert venture.team.filter(email__iexact="late@example.org").count() == 1


def test_renaming_a_venture_to_an_existing_name_in_another_case_is_a_form_error(client, cohort, member, second_member):
    venture_create(cohort=cohort, by=second_member, name="Sami Sound")
    venture = cohort.ventures.get(name="Mira Studio")
    client.force_login(member)
    response = client.post(reverse("cohorts:venture_edit", args=[cohort.slug, venture.pk]), {"name": "SAMI sound"})
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    venture.refresh_from_db()
    assert venture.name == "Mira Studio"


def test_a_venture_may_change_the_case_of_its_own_name(client, cohort, member):
    venture = cohort.ventures.get()
    client.force_login(member)
    response = client.post(reverse("cohorts:venture_edit", args=[cohort.slug, venture.pk]), {"name": "MIRA STUDIO"})
    assert response.status_code == 302
    venture.refresh_from_db()
    assert venture.name == "MIRA STUDIO"


def test_the_rename_service_refuses_an_existing_name(cohort, member, second_member):
    other = venture_create(cohort=cohort, by=second_member, name="Sami Sound")
    with pytest.raises(ValidationError):
        venture_update(venture=cohort.ventures.get(name="Mira Studio"), by=member, name=" sami SOUND")
    with pytest.raises(ValidationError):
        venture_create(cohort=cohort, by=member, name="SAMI SOUND")
    assert cohort.ventures.filter(name__iexact="sami sound").get() == other


def test_venture_names_differing_only_in_case_are_impossible_in_the_database(cohort, member):
    with pytest.raises(IntegrityError), transaction.atomic():
        Venture.objects.create(cohort=cohort, name="mira studio")


def test_a_carried_over_venture_name_in_another_case_joins_the_existing_venture(cohort, member):
    newcomer = UserFactory()
    acceptance = Acceptance(applicant=newcomer, call=SimpleNamespace(cohort=cohort), venture_name="MIRA STUDIO")
    membership_create_from_application(application=acceptance, by=None)
    venture = cohort.ventures.get()
    assert set(venture.team.values_list("user", flat=True)) == {member.pk, newcomer.pk}
