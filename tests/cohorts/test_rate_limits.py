"""The cohort pages that make the portal send email (an invitation, a board answer) are limited per person and
per target: the request past the limit is refused with 429, sends nothing, keeps the form filled, and leaves
other people and other targets alone."""

import pytest
from django.urls import reverse

from cohorts.models import Answer, ProgramRoleInvitation
from incubator import ratelimit
from tests.factories import UserFactory


@pytest.fixture
def tight(monkeypatch):
    monkeypatch.setitem(ratelimit.LIMITS, "member_invite", ratelimit.Limit(per_person=3, per_target=2))
    monkeypatch.setitem(ratelimit.LIMITS, "board_answer", ratelimit.Limit(per_person=3, per_target=2))


def invite(client, cohort, email, capture):
    with capture(execute=True):
        return client.post(reverse("cohorts:member_invite", args=[cohort.slug]), {"email": email, "name": "Nia New"})


def test_invitations_past_the_person_limit_are_refused_with_429_and_send_nothing(
    client, cohort, manager, tight, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(manager)
    for n in range(3):
        assert invite(client, cohort, f"p{n}@example.org", django_capture_on_commit_callbacks).status_code == 302
    assert len(mailoutbox) == 3
    refused = invite(client, cohort, "p9@example.org", django_capture_on_commit_callbacks)
    assert refused.status_code == 429
    page = refused.content.decode()
    assert "Too many emails" in page and 'value="p9@example.org"' in page  # the form stays filled
    assert len(mailoutbox) == 3 and not ProgramRoleInvitation.objects.filter(email="p9@example.org").exists()
    # Another manager of the same cohort is not affected.
    colleague = UserFactory(name="Cora Colleague")
    cohort.program.managers.add(colleague)
    client.force_login(colleague)
    assert invite(client, cohort, "p9@example.org", django_capture_on_commit_callbacks).status_code == 302
    assert len(mailoutbox) == 4


def test_one_address_is_not_invited_over_and_over_whoever_asks(
    client, cohort, other_cohort, manager, tight, mailoutbox, django_capture_on_commit_callbacks
):
    other_cohort.program.managers.add(manager)
    client.force_login(manager)
    assert invite(client, cohort, "Same@example.org", django_capture_on_commit_callbacks).status_code == 302
    assert invite(client, other_cohort, "same@example.org", django_capture_on_commit_callbacks).status_code == 302
    third = UserFactory()
    cohort.program.managers.add(third)
    client.force_login(third)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("cohorts:member_invite", args=[cohort.slug]), {"email": "SAME@example.org", "name": "Again"}
        )
    assert response.status_code == 429 and len(mailoutbox) == 2
    assert invite(client, cohort, "different@example.org", django_capture_on_commit_callbacks).status_code == 302


def answer(client, post, body, capture):
    with capture(execute=True):
        return client.post(reverse("cohorts:post_detail", args=[post.cohort.slug, post.pk]), {"body": body})


def test_board_answers_past_the_limit_are_refused_and_mail_the_author_nothing(
    client, post, second_member, mentor, tight, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(second_member)
    for n in range(2):
        assert answer(client, post, f"Answer {n}", django_capture_on_commit_callbacks).status_code == 302
    assert len(mailoutbox) == 2
    refused = answer(client, post, "One more", django_capture_on_commit_callbacks)
    assert refused.status_code == 429 and "One more" in refused.content.decode()
    assert len(mailoutbox) == 2 and not Answer.objects.filter(body="One more").exists()
    # The author's inbox is protected whoever writes; the writer's own limit is theirs alone.
    client.force_login(mentor)
    assert answer(client, post, "From the mentor", django_capture_on_commit_callbacks).status_code == 429
    assert len(mailoutbox) == 2
