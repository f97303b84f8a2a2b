"""A program's roles page and the audited role services: its managers invite and remove reviewers and mentors of
their own program (an invitation lists nobody until it is accepted: tests/cohorts/role_invitations/); naming
managers is for superusers; a manager of another program gets a 404 and changes nothing."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from cohorts.invitations import program_role_invitation_accept
from cohorts.models import ProgramRoleInvitation
from cohorts.program_roles import program_role_grant, program_role_revoke
from incubator.roles import MENTOR, PROGRAM_MANAGER, REVIEWER
from tests.audit_trail import actions
from tests.factories import CohortFactory, ProgramFactory, UserFactory, program_manager, superuser


@pytest.fixture
def program(db):
    return ProgramFactory(name="BizUP test")


@pytest.fixture
def boss(program):
    return program_manager(program, name="Bina Boss")


@pytest.fixture
def other_boss(db):
    return program_manager(ProgramFactory(name="Elsewhere"), name="Otto Other")


def roles_url(program):
    return reverse("cohorts:program_roles", args=[program.slug])


def test_a_manager_invites_a_reviewer_and_a_mentor_who_are_listed_once_they_accept(
    client, program, boss, django_capture_on_commit_callbacks
):
    person = UserFactory(email="rina@example.org", name="Rina Reviewer")
    client.force_login(boss)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(roles_url(program), {"email": "RINA@example.org", "role": "reviewer"})
        assert response.status_code == 302
        client.post(roles_url(program), {"email": "rina@example.org", "role": "mentor"})
    assert not program.reviewers.exists() and not program.mentors.exists()  # nobody is listed without consent
    for invitation in ProgramRoleInvitation.objects.filter(program=program):
        assert invitation.email == "rina@example.org"
        program_role_invitation_accept(invitation=invitation, by=person)
    assert program.reviewers.filter(pk=person.pk).exists() and program.mentors.filter(pk=person.pk).exists()
    assert set(person.groups.values_list("name", flat=True)) == {REVIEWER, MENTOR}
    entry = actions(action="program.role_grant")[-1]  # the newest
    assert entry.actor == boss and entry.object_id == program.pk
    page = client.get(roles_url(program)).content.decode()
    assert "Rina Reviewer" in page and 'data-testid="role-reviewer"' in page


def test_a_manager_cannot_name_managers_nor_act_on_another_program(client, program, boss, other_boss):
    person = UserFactory(email="x@example.org")
    client.force_login(boss)
    response = client.post(roles_url(program), {"email": "x@example.org", "role": "manager"})
    assert response.status_code == 400 and "manager" not in [
        c[0] for c in response.context["form"].fields["role"].choices
    ]
    assert not program.managers.filter(pk=person.pk).exists()
    with pytest.raises(PermissionDenied):
        program_role_grant(program=program, person=person, role="manager", by=boss)
    other_program = other_boss.managed_programs.get()
    with pytest.raises(PermissionDenied):
        program_role_grant(program=other_program, person=person, role="reviewer", by=boss)


def test_a_manager_of_another_program_gets_404_and_changes_nothing(client, program, boss, other_boss):
    person = UserFactory(email="y@example.org")
    program_role_grant(program=program, person=person, role="reviewer", by=boss)
    client.force_login(other_boss)
    assert client.get(roles_url(program)).status_code == 404
    assert client.post(roles_url(program), {"email": "y@example.org", "role": "mentor"}).status_code == 404
    remove = reverse("cohorts:program_role_remove", args=[program.slug, "reviewer", person.pk])
    assert client.post(remove).status_code == 404
    assert program.reviewers.filter(pk=person.pk).exists() and not program.mentors.exists()


@pytest.mark.parametrize("persona", ["outsider", "reviewer"])
def test_outsiders_and_reviewers_get_404(client, program, boss, persona):
    person = UserFactory()
    if persona == "reviewer":
        program_role_grant(program=program, person=person, role="reviewer", by=boss)
    client.force_login(person)
    assert client.get(roles_url(program)).status_code == 404


def test_removing_a_mentor_takes_them_off_the_cohorts_and_the_group_once_no_program_lists_them(client, program, boss):
    cohort = CohortFactory(program=program)
    person = UserFactory(email="m@example.org")
    program_role_grant(program=program, person=person, role="mentor", by=boss)
    cohort.mentors.add(person)
    client.force_login(boss)
    response = client.post(reverse("cohorts:program_role_remove", args=[program.slug, "mentor", person.pk]))
    assert response.status_code == 302
    assert not program.mentors.exists() and not cohort.mentors.exists()
    assert not person.groups.filter(name=MENTOR).exists()
    assert actions(action="program.role_revoke", actor=boss)


def test_an_invalid_address_is_refused_and_the_form_stays_filled(client, program, boss):
    client.force_login(boss)
    response = client.post(roles_url(program), {"email": "nobody@", "role": "reviewer"})
    assert response.status_code == 400
    assert 'value="nobody@"' in response.content.decode()
    assert not ProgramRoleInvitation.objects.exists()


def test_a_superuser_names_a_manager_who_becomes_staff_and_leaves_both_when_removed(program):
    person = UserFactory()
    root = superuser()
    assert program_role_grant(program=program, person=person, role="manager", by=root) is True
    person.refresh_from_db()
    assert person.is_staff and person.groups.filter(name=PROGRAM_MANAGER).exists()
    program_role_revoke(program=program, person=person, role="manager", by=root)
    person.refresh_from_db()
    assert not person.is_staff and not person.groups.exists()


@pytest.mark.parametrize("size", [1, 20])
def test_the_roles_page_runs_a_fixed_number_of_queries(client, program, boss, django_assert_num_queries, size):
    for _ in range(size):
        program_role_grant(program=program, person=UserFactory(), role="reviewer", by=boss)
        program_role_grant(program=program, person=UserFactory(), role="mentor", by=boss)
    client.force_login(boss)
    client.get(roles_url(program))
    # session, user, the program, its managers, reviewers and mentors (three prefetches), its pending
    # invitations, the programs the user manages, the user's role names (navigation)
    with django_assert_num_queries(9):
        response = client.get(roles_url(program))
    assert response.content.decode().count("btn-outline-danger") == 2 * size
