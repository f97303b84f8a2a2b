import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from cohorts.models import Initiative, InitiativeUpdate, Membership, Milestone
from cohorts.services import initiative_create, membership_status_change
from tests.audit_trail import actions
from tests.factories import accept


def test_member_creates_an_initiative_for_their_venture_with_a_team(client, cohort, member, second_member):
    client.force_login(member)
    venture = cohort.ventures.get()
    response = client.post(
        reverse("cohorts:initiative_create", args=[cohort.slug]),
        {"title": "Route 85 businesses", "venture": venture.pk, "team": [second_member.pk], "what": "Signs",
         "why": "Visibility", "how": "Forum", "status": "planning", "next_step": "Meet councils",
         "due_on": "2026-09-01"},
    )  # fmt: skip
    initiative = Initiative.objects.get()
    assert response.url == reverse("cohorts:initiative_detail", args=[cohort.slug, initiative.pk])
    assert set(initiative.team.all()) == {member, second_member}
    assert (initiative.venture, initiative.what, initiative.next_step) == (venture, "Signs", "Meet councils")


def test_team_members_must_belong_to_the_cohort(cohort, member, other_member):
    with pytest.raises(ValidationError):
        initiative_create(cohort=cohort, by=member, team=[other_member], title="T", what="W")


def test_a_venture_of_another_cohort_is_refused(cohort, other_cohort, member):
    other = accept(other_cohort, venture_name="Elsewhere").cohort.ventures.get()
    with pytest.raises(ValidationError):
        initiative_create(cohort=cohort, by=member, venture=other, title="T", what="W")


def test_team_adds_dated_progress_and_milestones(client, cohort, initiative, member):
    client.force_login(member)
    url = reverse("cohorts:initiative_detail", args=[cohort.slug, initiative.pk])
    client.post(url, {"on": "2026-04-02", "text": "Met 22 businesses", "status": "running", "next_step": "Print"})
    update = InitiativeUpdate.objects.get()
    assert (update.on, update.author) == (datetime.date(2026, 4, 2), member)
    initiative.refresh_from_db()
    assert initiative.next_step == "Print"

    client.post(reverse("cohorts:milestone_create", args=[cohort.slug, initiative.pk]),
                {"title": "Print run", "due_on": "2026-05-01"})  # fmt: skip
    milestone = Milestone.objects.get()
    assert not milestone.is_done
    client.post(reverse("cohorts:milestone_done", args=[cohort.slug, milestone.pk]), {"done": "1"})
    milestone.refresh_from_db()
    assert milestone.is_done
    client.post(reverse("cohorts:milestone_done", args=[cohort.slug, milestone.pk]), {"done": "0"})
    milestone.refresh_from_db()
    assert not milestone.is_done
    assert len([entry for entry in actions() if entry.action.startswith("milestone.")]) == 3
    assert "Met 22 businesses" in client.get(url).text


def test_member_outside_the_team_cannot_edit(client, cohort, initiative, milestone, second_member):
    client.force_login(second_member)
    detail = reverse("cohorts:initiative_detail", args=[cohort.slug, initiative.pk])
    assert client.post(detail, {"on": "2026-04-02", "text": "x", "status": "done"}).status_code == 403
    assert client.post(reverse("cohorts:milestone_create", args=[cohort.slug, initiative.pk]),
                       {"title": "x", "due_on": "2026-05-01"}).status_code == 403  # fmt: skip
    assert client.post(reverse("cohorts:milestone_done", args=[cohort.slug, milestone.pk]),
                       {"done": "1"}).status_code == 403  # fmt: skip
    assert not InitiativeUpdate.objects.exists()


def test_milestone_of_another_cohort_is_not_found(client, cohort, other_cohort, milestone, other_member, member):
    client.force_login(other_member)
    url = reverse("cohorts:milestone_done", args=[other_cohort.slug, milestone.pk])
    assert client.post(url, {"done": "1"}).status_code == 404


@pytest.mark.parametrize("size", [1, 20])
def test_initiative_list_runs_a_fixed_number_of_queries(client, cohort, member, django_assert_num_queries, size):
    for number in range(size):
        initiative_create(cohort=cohort, by=member, title=f"Initiative {number}", what="W")
    client.force_login(member)
    # 1 session, 2 user, 3 groups, 4 the cohort with the viewer's roles, 5 initiatives with venture and milestone
    # counts, 6 their teams (prefetch).
    with django_assert_num_queries(6):
        client.get(reverse("cohorts:initiatives", args=[cohort.slug]))


def test_an_existing_title_in_another_case_is_a_form_error(client, cohort, initiative, member):
    client.force_login(member)
    response = client.post(
        reverse("cohorts:initiative_create", args=[cohort.slug]),
        {"title": "SHARED catalogue", "what": "Again", "status": "idea"},
    )
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert Initiative.objects.filter(cohort=cohort).count() == 1


def test_the_same_title_in_another_cohort_is_fine(other_cohort, initiative, other_member):
    initiative_create(cohort=other_cohort, by=other_member, title="Shared catalogue", what="W")
    assert Initiative.objects.filter(title="Shared catalogue").count() == 2


def test_initiative_titles_differing_only_in_case_are_impossible_in_the_database(cohort, initiative):
    with pytest.raises(IntegrityError), transaction.atomic():
        Initiative.objects.create(cohort=cohort, title="shared CATALOGUE", what="W")


def test_a_withdrawn_member_cannot_be_put_on_a_team(cohort, member, second_member, manager):
    membership_status_change(membership=Membership.objects.get(person=second_member), status="withdrawn",
                             reason="Moved away", by=manager)  # fmt: skip
    with pytest.raises(ValidationError):
        initiative_create(cohort=cohort, by=member, team=[second_member], title="T", what="W")
    assert not Initiative.objects.exists()
