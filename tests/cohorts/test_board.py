import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from cohorts.models import Answer, Post
from cohorts.services import answer_create, post_create
from incubator.models import Notification


def test_member_posts_a_need(client, cohort, member):
    client.force_login(member)
    response = client.post(
        reverse("cohorts:board", args=[cohort.slug]),
        {"kind": "need", "title": "Looking for a photographer for a client shoot", "field": "photography"},
    )
    post = Post.objects.get()
    assert response.url == reverse("cohorts:post_detail", args=[cohort.slug, post.pk])
    assert (post.author, post.cohort, post.kind) == (member, cohort, "need")


@pytest.mark.parametrize("persona", ["mentor", "manager"])
def test_only_members_post(client, cohort, persona, request):
    client.force_login(request.getfixturevalue(persona))
    response = client.post(reverse("cohorts:board", args=[cohort.slug]), {"kind": "offer", "title": "Hi"})
    assert response.status_code == 403
    assert not Post.objects.exists()


def test_non_member_posting_is_refused(client, cohort, other_member, outsider):
    for person in (other_member, outsider):
        client.force_login(person)
        response = client.post(reverse("cohorts:board", args=[cohort.slug]), {"kind": "offer", "title": "Spam"})
        assert response.status_code == 404
        with pytest.raises(PermissionDenied):
            post_create(cohort=cohort, author=person, kind="offer", title="Spam")
    assert not Post.objects.exists()


def test_answer_notifies_the_poster_once(
    client, cohort, post, member, second_member, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(second_member)
    url = reverse("cohorts:post_detail", args=[cohort.slug, post.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"body": "I shoot products, call me"})
    assert response.status_code == 302
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == [member.email]
    assert post.title in mailoutbox[0].subject
    assert "I shoot products, call me" in mailoutbox[0].body
    assert url in mailoutbox[0].body
    assert Notification.objects.get(kind="cohorts.post_answered").status == Notification.Status.SENT
    assert post.title in client.get(url).text


def test_answering_your_own_post_sends_nothing(cohort, post, member, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        answer_create(post=post, author=member, body="Still looking")
    assert mailoutbox == []


def test_mentor_may_answer(client, cohort, post, mentor, django_capture_on_commit_callbacks, mailoutbox):
    client.force_login(mentor)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("cohorts:post_detail", args=[cohort.slug, post.pk]), {"body": "Ask Pnina"})
    assert Answer.objects.get().author == mentor
    assert len(mailoutbox) == 1


def test_non_member_answering_is_refused(cohort, post, other_member):
    with pytest.raises(PermissionDenied):
        answer_create(post=post, author=other_member, body="Spam")


def test_board_filters_by_kind(client, cohort, post, member):
    post_create(cohort=cohort, author=member, kind="offer", title="Logo design for members")
    client.force_login(member)
    page = client.get(reverse("cohorts:board", args=[cohort.slug]), {"kind": "offer"}).text
    assert "Logo design for members" in page and post.title not in page


@pytest.mark.parametrize("size", [1, 20])
def test_board_runs_a_fixed_number_of_queries(client, cohort, member, second_member, django_assert_num_queries, size):
    for number in range(size):
        post = post_create(cohort=cohort, author=member, kind="need", title=f"Need {number}")
        answer_create(post=post, author=second_member, body="Me")
    client.force_login(member)
    # 1 session, 2 user, 3 groups, 4 the cohort with the viewer's roles, 5 the count of posts for the pager,
    # 6 the page of posts with authors and answer counts.
    with django_assert_num_queries(6):
        response = client.get(reverse("cohorts:board", args=[cohort.slug]))
    assert response.text.count('data-testid="board-post"') == size


def test_board_pages_long_lists_and_keeps_the_filter(client, cohort, member):
    for number in range(23):
        post_create(cohort=cohort, author=member, kind="need", title=f"Need {number}")
    client.force_login(member)
    url = reverse("cohorts:board", args=[cohort.slug])
    first = client.get(url, {"kind": "need"}).text
    assert first.count('data-testid="board-post"') == 20
    assert "?kind=need&amp;page=2" in first
    second = client.get(url, {"kind": "need", "page": "2"}).text
    assert second.count('data-testid="board-post"') == 3


@pytest.mark.parametrize("page", ["abc", "²", "99999999999999999999", "-1"])
def test_board_bad_page_number_shows_a_page_not_an_error(client, cohort, post, member, page):
    client.force_login(member)
    response = client.get(reverse("cohorts:board", args=[cohort.slug]), {"page": page})
    assert response.status_code == 200
    assert post.title in response.text
