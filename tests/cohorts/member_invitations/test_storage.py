"""How an invitation is kept: a fresh link for each invitation of an address, one pending per cohort and address,
none left once the invitee's account is erased."""

import datetime

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from cohorts.member_invitations import membership_invitation_revoke, membership_invite
from cohorts.models import ProgramRoleInvitation
from tests.audit_trail import actions
from tests.cohorts.member_invitations.pages import State, link
from tests.factories import CohortFactory


def test_inviting_again_sends_a_fresh_link_and_the_old_one_stops_working(client, cohort, boss, invitee, invited):
    old, old_token = invited
    again, new_token = membership_invite(cohort=cohort, email="rina@example.org", name="Rina T.", by=boss)
    assert again.pk == old.pk and new_token != old_token and again.name == "Rina T." and again.region is None
    assert ProgramRoleInvitation.objects.filter(state=State.PENDING).count() == 1
    assert actions(action="membership.invite", object_id=old.pk, note="sent again")
    client.force_login(invitee)
    assert client.get(link(old_token)).status_code == 404
    assert client.get(link(new_token)).status_code == 200


@pytest.mark.calendar
def test_one_pending_invitation_per_cohort_and_address_in_the_database(cohort, boss, invited):
    invitation = invited[0]
    fields = {"program": cohort.program, "role": "member", "cohort": cohort, "email": "rina@example.org"}
    later = timezone.now() + datetime.timedelta(days=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        ProgramRoleInvitation.objects.create(**fields, token_hash="x" * 64, expires_at=later)
    # Another cohort of the program may invite the same address at the same time.
    twin = CohortFactory(program=cohort.program)
    membership_invite(cohort=twin, email="rina@example.org", name="Rina", by=boss)
    # A member invitation names its cohort; a role invitation names none.
    with pytest.raises(IntegrityError), transaction.atomic():
        ProgramRoleInvitation.objects.create(**{**fields, "cohort": None}, token_hash="y" * 64, expires_at=later)
    with pytest.raises(IntegrityError), transaction.atomic():
        ProgramRoleInvitation.objects.create(**{**fields, "role": "mentor"}, token_hash="z" * 64, expires_at=later)
    # Once withdrawn, a new one may be pending.
    membership_invitation_revoke(invitation=invitation, by=boss)
    ProgramRoleInvitation.objects.create(**fields, token_hash="w" * 64, expires_at=later)


def test_erasing_an_account_removes_its_member_invitations_and_the_name_typed(cohort, boss, invitee, invited):
    from incubator.personal_data import account_erase, personal_data_export
    from tests.incubator.personal_data_world import unzip

    data, _files = unzip(personal_data_export(user=invitee))
    [received] = data["cohorts"]["role_invitations_received"]
    assert received["cohort__name"] == "BizUP test cohort" and received["name"] == "R. Typed"
    account_erase(user=invitee, by=invitee)
    assert not ProgramRoleInvitation.objects.exists()
    for entry in actions(object_type="cohorts.programroleinvitation"):
        assert "rina@example.org" not in str(entry.before) + str(entry.after)
        assert "R. Typed" not in str(entry.before) + str(entry.after)
