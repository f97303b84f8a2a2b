"""Every cohort view for every persona: the cohort's member, a member of another cohort, an outsider, the
cohort's mentor and manager. Outsiders and members of other cohorts get 404 everywhere (they learn nothing)."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from cohorts.models import MemberProfile, Membership
from tests.cohorts.conftest import PNG
from tests.factories import UserFactory

MEMBER_PAGES = ["directory", "profile_edit", "photo", "venture", "venture_create", "venture_edit", "board", "post",
                "initiatives", "initiative_create", "initiative"]  # fmt: skip
MANAGER_PAGES = ["dashboard", "members_csv", "member_invite", "membership_status"]
ALL_PAGES = MEMBER_PAGES + MANAGER_PAGES


@pytest.fixture
def urls(cohort, member, post, initiative):
    MemberProfile.objects.create(user=member, photo=ContentFile(PNG, name="me.png"))
    slug = cohort.slug
    venture = cohort.ventures.get()
    membership = Membership.objects.get(cohort=cohort, person=member)
    return {
        "directory": reverse("cohorts:directory", args=[slug]),
        "profile_edit": reverse("cohorts:profile_edit", args=[slug]),
        "photo": reverse("cohorts:member_photo", args=[slug, member.pk]),
        "venture": reverse("cohorts:venture_detail", args=[slug, venture.pk]),
        "venture_create": reverse("cohorts:venture_create", args=[slug]),
        "venture_edit": reverse("cohorts:venture_edit", args=[slug, venture.pk]),
        "board": reverse("cohorts:board", args=[slug]),
        "post": reverse("cohorts:post_detail", args=[slug, post.pk]),
        "initiatives": reverse("cohorts:initiatives", args=[slug]),
        "initiative_create": reverse("cohorts:initiative_create", args=[slug]),
        "initiative": reverse("cohorts:initiative_detail", args=[slug, initiative.pk]),
        "dashboard": reverse("cohorts:dashboard", args=[slug]),
        "members_csv": reverse("cohorts:members_csv", args=[slug]),
        "member_invite": reverse("cohorts:member_invite", args=[slug]),
        "membership_status": reverse("cohorts:membership_status", args=[slug, membership.pk]),
    }


@pytest.mark.parametrize("page", ALL_PAGES)
def test_outsider_gets_404_everywhere(client, urls, outsider, page):
    client.force_login(outsider)
    assert client.get(urls[page]).status_code == 404


@pytest.mark.parametrize("page", ALL_PAGES)
def test_manager_of_another_program_gets_404_everywhere(client, urls, other_cohort, page):
    other_manager = UserFactory(roles=["Program manager"], is_staff=True)
    other_cohort.program.managers.add(other_manager)
    client.force_login(other_manager)
    assert client.get(urls[page]).status_code == 404
    assert client.post(urls[page], {"status": "withdrawn", "reason": "x"}).status_code == 404


@pytest.mark.parametrize("page", ALL_PAGES)
def test_member_of_another_cohort_gets_404_everywhere(client, urls, other_member, page):
    client.force_login(other_member)
    assert client.get(urls[page]).status_code == 404


@pytest.mark.parametrize("page", ALL_PAGES)
def test_anonymous_visitor_is_sent_to_sign_in(client, urls, page):
    response = client.get(urls[page])
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


@pytest.mark.parametrize("page", ALL_PAGES)
def test_member_sees_member_pages_and_not_manager_pages(client, urls, member, page):
    client.force_login(member)
    assert client.get(urls[page]).status_code == (200 if page in MEMBER_PAGES else 403)


@pytest.mark.parametrize("page", ALL_PAGES)
def test_manager_sees_everything_but_edits_no_profile(client, urls, manager, page):
    client.force_login(manager)
    # A manager is not a member: there is no directory profile of theirs to edit.
    assert client.get(urls[page]).status_code == (403 if page == "profile_edit" else 200)


@pytest.mark.parametrize("page", ALL_PAGES)
def test_mentor_reads_the_community_but_neither_manages_nor_creates(client, urls, mentor, page):
    client.force_login(mentor)
    forbidden = {"profile_edit", "initiative_create", "venture_create", "venture_edit", *MANAGER_PAGES}
    assert client.get(urls[page]).status_code == (403 if page in forbidden else 200)


def test_withdrawn_member_leaves_the_community(client, urls, cohort, member, manager):
    from cohorts.services import membership_status_change

    membership_status_change(
        membership=Membership.objects.get(person=member), status="withdrawn", reason="moved away", by=manager
    )
    client.force_login(member)
    assert client.get(urls["directory"]).status_code == 404


def test_index_lists_only_the_users_own_cohorts(client, cohort, other_cohort, member, other_member, outsider):
    client.force_login(member)
    response = client.get(reverse("cohorts:index"))
    assert cohort.name in response.text
    assert other_cohort.name not in response.text

    client.force_login(outsider)
    response = client.get(reverse("cohorts:index"))
    assert response.status_code == 200
    assert cohort.name not in response.text and other_cohort.name not in response.text
