"""The one audit trail (incubator/audit.py): each service action is kept in pghistory's context beside the row
events it caused, every action of one context is kept, an action that changed no tracked row is kept, the
program it concerns is named, staff sign-ins are kept, and an account's erasure blanks the notes it wrote."""

import pghistory
import pytest
from django.db import transaction
from django.urls import reverse
from pghistory.models import Context

from cohorts.models import MembershipEvent
from cohorts.services import membership_status_change
from incubator.audit import audit_record
from incubator.personal_data import account_erase, personal_data_export
from tests.audit_trail import action, actions
from tests.factories import CohortFactory, ProgramFactory, UserFactory, accept, program_manager


@pytest.fixture
def program(db):
    return ProgramFactory(name="Trail")


@pytest.fixture
def boss(program):
    return program_manager(program, name="Bina Boss", is_staff=True)


def test_an_action_shares_its_context_with_the_rows_it_changed_and_names_its_program(program, boss):
    membership = accept(CohortFactory(program=program), UserFactory())
    membership_status_change(membership=membership, status="paused", reason="Travelling", by=boss)
    entry = action(action="membership.status")
    assert (entry.actor, entry.object_id, entry.program) == (boss, membership.pk, program.pk)
    assert entry.before["status"] == "active" and entry.after["status"] == "paused"
    event = MembershipEvent.objects.filter(pgh_obj=membership).latest("pgh_id")
    assert str(event.pgh_context_id) == entry.context


def test_every_action_of_one_context_is_kept_and_one_that_changed_no_row_too(program, boss):
    person = UserFactory()
    with transaction.atomic(), pghistory.context(user=boss.pk):
        for n in range(3):
            audit_record(actor=boss, action="test.export", obj=program, after={"n": n})
    [context] = Context.objects.filter(metadata__actions__contains=[{"action": "test.export"}])
    assert [entry["after"]["n"] for entry in context.metadata["actions"]] == [0, 1, 2]
    personal_data_export(user=person)  # outside any context: it gets its own
    assert action(action="personal_data.export").actor == person


def test_an_action_rolled_back_with_its_transaction_is_not_kept_by_a_later_change_in_its_context(program, boss):
    membership = accept(CohortFactory(program=program), UserFactory())
    with pghistory.context(user=boss.pk):
        with pytest.raises(RuntimeError), transaction.atomic():
            audit_record(actor=boss, action="test.undone", obj=program)
            raise RuntimeError
        membership_status_change(membership=membership, status="paused", reason="Travelling", by=boss)
    assert not actions(action="test.undone")
    assert action(action="membership.status").actor == boss


def test_a_staff_sign_in_is_kept_and_an_applicants_is_not(client, boss):
    applicant = UserFactory()
    client.force_login(boss)
    client.force_login(applicant)
    assert [entry.actor for entry in actions(action="account.staff_sign_in")] == [boss]


def test_an_account_erasure_blanks_the_notes_it_wrote(program):
    person = program_manager(program, name="Nora Note")
    audit_record(actor=person, action="test.note", obj=program, note="Nora's own words")
    account_erase(user=person, by=person)
    assert action(action="test.note").note == ""


def test_the_admin_lists_the_trail_for_superusers_only(admin_client, client, boss, program):
    audit_record(actor=boss, action="test.listed", obj=program)
    page = admin_client.get(reverse("admin:incubator_audittrail_changelist")).content.decode()
    assert "test.listed" in page and boss.email in page
    client.force_login(boss)
    assert client.get(reverse("admin:incubator_audittrail_changelist")).status_code == 403
