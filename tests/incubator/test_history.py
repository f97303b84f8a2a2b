"""Audit history (incubator/history.py, django-pghistory): the database records changes made through services
and through the admin with who made them; a program's managers read their program's history and nobody else's;
the event tables refuse UPDATE and DELETE; an erasure leaves no one's words in them."""

import json

import pytest
from django.contrib import admin
from django.db import connection, transaction
from django.db.utils import DatabaseError
from django.urls import reverse

from cohorts.models import ProgramMentorEvent, ProgramReviewerEvent, ProgramRoleInvitation
from cohorts.program_roles import program_role_grant, program_role_revoke
from cohorts.services import membership_status_change
from incubator import history
from incubator.personal_data import account_erase
from tests.applications.scoring.factories import reviewer as make_reviewer
from tests.factories import CohortFactory, ProgramFactory, UserFactory, accept, program_manager, superuser
from tests.incubator.personal_data_world import World
from tests.workspaces.factories import make_plan, make_resource, make_space
from workspaces.models import SubsidyPlanEvent


@pytest.fixture
def program(db):
    return ProgramFactory(name="BizUP history", time_zone="Asia/Jerusalem")


@pytest.fixture
def boss(program):
    return program_manager(program, name="Bina Boss", is_staff=True)


@pytest.fixture
def other_boss(db):
    return program_manager(ProgramFactory(name="Elsewhere"), name="Otto Other", is_staff=True)


def history_url(program, **query):
    url = reverse("cohorts:program_history", args=[program.slug])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def page_of(client, program, **query):
    response = client.get(history_url(program, **query))
    assert response.status_code == 200
    return response.content.decode()


def test_a_service_change_is_recorded_with_its_acting_person_before_and_after(client, program, boss):
    person = UserFactory(name="Rina Reviewer")
    program_role_grant(program=program, person=person, role="reviewer", by=boss)
    program_role_revoke(program=program, person=person, role="reviewer", by=boss)
    events = list(ProgramReviewerEvent.objects.filter(user=person).select_related("pgh_context").order_by("pgh_id"))
    assert [event.pgh_label for event in events] == ["insert", "delete"]
    assert {event.pgh_context.metadata["user"] for event in events} == {boss.pk}

    membership = accept(CohortFactory(program=program, name="Spring"), UserFactory(name="Mona Member"))
    membership_status_change(membership=membership, status="paused", reason="Travelling", by=boss)
    client.force_login(boss)
    page = page_of(client, program)
    assert "<bdi>Rina Reviewer</bdi> as <bdi>reviewer</bdi> — granted" in page and "— revoked" in page
    assert "Membership of <bdi>Mona Member</bdi> in <bdi>Spring</bdi>" in page
    assert 'active</bdi> → <bdi dir="auto">paused' in page and "Travelling" in page
    assert "(Asia/Jerusalem)" in page and "Bina Boss" in page
    # An acceptance made by no one (a publish run by the system) says so.
    assert "the system" in page


def test_a_change_in_the_admin_is_recorded_with_the_admin_user(client, program, boss):
    cohort = CohortFactory(program=program)
    plan = make_plan(cohort, make_space([program], slug="hub"), share=75)
    client.force_login(boss)
    url = reverse("admin:workspaces_subsidyplan_change", args=[plan.pk])
    response = client.post(
        url,
        {
            "cohort": cohort.pk,
            "space": plan.space.pk,
            "share_percent": 50,
            "monthly_cap": "10",
            "budget": "10000",
            "over_cap": plan.over_cap,
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    change = SubsidyPlanEvent.objects.select_related("pgh_context").get(pgh_obj=plan, pgh_label="update")
    assert change.share_percent == 50 and change.pgh_context.metadata["user"] == boss.pk
    assert change.pgh_context.metadata["url"] == url
    page = page_of(client, program, kind="subsidy_plan")
    assert '75</bdi> → <bdi dir="auto">50' in page and "Bina Boss" in page


def test_a_role_accepted_from_an_invitation_is_recorded_as_granted_by_the_inviter(client, program, boss):
    person = UserFactory(name="Mo Mentor", email="mo@example.org")
    client.force_login(boss)
    url = reverse("cohorts:program_roles", args=[program.slug])
    assert client.post(url, {"email": "mo@example.org", "role": "mentor"}).status_code == 302
    invitation = ProgramRoleInvitation.objects.get(program=program)
    client.force_login(person)
    accept_url = reverse("cohorts:invitation_accept", args=[invitation.pk])
    assert client.post(accept_url).status_code == 302
    event = ProgramMentorEvent.objects.select_related("pgh_context").get(user=person)
    assert event.pgh_context.metadata == {"user": boss.pk, "url": accept_url}
    client.force_login(boss)
    page = page_of(client, program, kind="role_mentor")
    assert "<bdi>Mo Mentor</bdi> as <bdi>mentor</bdi> — granted" in page and "<bdi>Bina Boss</bdi>" in page


def test_a_manager_of_another_program_and_everyone_else_get_404(client, program, boss, other_boss):
    program_role_grant(program=program, person=UserFactory(name="Secret Sam"), role="reviewer", by=boss)
    reviewer = make_reviewer(name="Rev")
    program.reviewers.add(reviewer)
    member = accept(CohortFactory(program=program)).person
    for person in (other_boss, reviewer, member, UserFactory()):
        client.force_login(person)
        assert client.get(history_url(program)).status_code == 404
    client.logout()
    assert client.get(history_url(program)).status_code == 302  # to sign in
    # Their own program's history holds nothing of this one.
    client.force_login(other_boss)
    page = page_of(client, other_boss.managed_programs.get())
    assert "Secret Sam" not in page
    client.force_login(superuser())
    assert "Secret Sam" in page_of(client, program)


def test_filters_by_kind_and_by_person(client, program, boss):
    second = program_manager(program, name="Second Boss")
    program_role_grant(program=program, person=UserFactory(name="By Bina"), role="reviewer", by=boss)
    program_role_grant(program=program, person=UserFactory(name="By Second"), role="mentor", by=second)
    client.force_login(boss)
    page = page_of(client, program, person="Second")
    assert "By Second" in page and "By Bina" not in page
    page = page_of(client, program, kind="role_reviewer")
    assert "By Bina" in page and "By Second" not in page
    response = client.get(history_url(program, kind="nonsense"))
    assert response.status_code == 400 and "By Second" in response.content.decode()


def test_the_database_refuses_to_change_or_delete_an_event(program, boss):
    program_role_grant(program=program, person=UserFactory(), role="reviewer", by=boss)
    event = ProgramReviewerEvent.objects.get()
    table = ProgramReviewerEvent._meta.db_table
    for statement in (f"UPDATE {table} SET user_id = %s", f"DELETE FROM {table} WHERE user_id <> %s"):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement, [boss.pk])
    with pytest.raises(DatabaseError), transaction.atomic():
        ProgramReviewerEvent.objects.filter(pk=event.pk).delete()
    assert ProgramReviewerEvent.objects.filter(pk=event.pk, user_id=event.user_id).exists()


def test_no_one_edits_history_in_the_admin(db):
    tracked = {kind.event_model for kind in history.kinds()}
    assert not tracked & set(admin.site._registry)


def _event_text() -> str:
    """Every row of every tracked event table, as text."""
    rows = []
    for kind in history.kinds():
        rows += [json.dumps(row, default=str) for row in kind.event_model.objects.values()]
    return "\n".join(rows)


def test_erasure_leaves_no_personal_words_in_history_and_keeps_the_counts(db):
    world = World()
    membership_status_change(membership=world.membership, status="paused", reason="Amina is unwell", by=world.manager)
    text = _event_text()
    assert "Amina is a strong weaver" in text and "Amina is unwell" in text
    counts = {kind.key: kind.event_model.objects.count() for kind in history.kinds()}

    account_erase(user=world.amina, by=world.amina)

    text = _event_text()
    for words in ("Amina is a strong weaver", "Amina is unwell", "Amina", "amina@example.org"):
        assert words not in text
    assert "Bilal lacks a plan" in text  # someone else's record is untouched
    after = {kind.key: kind.event_model.objects.count() for kind in history.kinds()}
    assert all(after[key] >= counts[key] for key in counts)  # nothing deleted (the erasure itself adds events)


def test_the_page_runs_the_same_queries_for_one_and_for_many_events(client, program, boss, django_assert_num_queries):
    cohort = CohortFactory(program=program)
    space = make_space([program], slug="hub")
    plan = make_plan(cohort, space, share=70)
    make_resource(space)
    client.force_login(boss)
    client.get(history_url(program))  # session and caches warm

    def count_with(n_members):
        for _ in range(n_members):
            membership = accept(cohort)
            membership_status_change(membership=membership, status="paused", reason="Away", by=boss)
        program_role_grant(program=program, person=UserFactory(), role="mentor", by=boss)
        plan.share_percent = 60 + n_members
        plan.save()

    count_with(1)
    # 1 session, 1 user, 1 program, 1 the manager's programs (access), 1 count and 1 page of the union of every
    # event table; per kind on the page (membership, mentor grants, subsidy plan, manager grants) 1 for its events
    # and, where events have a before, 1 for those (membership, subsidy plan); 1 for the people who acted; 1 the
    # navigation's role groups.
    with django_assert_num_queries(14):
        assert client.get(history_url(program)).status_code == 200
    count_with(20)
    with django_assert_num_queries(14):
        assert client.get(history_url(program)).status_code == 200


def test_selection_records_read_as_sentences(client, db):
    world = World()
    client.force_login(world.manager)
    page = page_of(client, world.program, kind="decision")
    assert "Decision on <bdi>Amina Owner</bdi>" in page and "accept" in page
    page = page_of(client, world.program, kind="review")
    assert "Review by <bdi>Rita Reviewer</bdi> of <bdi>Bilal Other</bdi>" in page
    assert "comment: changed (not shown here)" in " ".join(page.split())  # a reviewer's words stay out of it
    assert "Amina is a strong weaver" not in page
    page = page_of(client, world.program, kind="score")
    assert "Score for “<bdi>Viability</bdi>” by <bdi>Rita Reviewer</bdi>" in page
    page = page_of(client, world.program, kind="criterion")
    assert "Criterion “<bdi>Impact</bdi>”" in page
