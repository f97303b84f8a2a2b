"""How an invitation is kept: its token random and stored only hashed, one pending per program, role and address,
none left once the invitee's account is erased."""

import datetime
import hashlib

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from cohorts.invitations import program_role_invitation_revoke, program_role_invite
from cohorts.models import ProgramRoleInvitation
from tests.audit_trail import actions
from tests.cohorts.role_invitations.pages import State, link


def test_the_token_is_random_long_and_stored_only_as_its_hash(program, boss):
    tokens = {
        program_role_invite(program=program, role="mentor", email=f"t{n}@example.org", by=boss)[1] for n in range(5)
    }
    assert len(tokens) == 5 and all(len(token) >= 43 for token in tokens)  # 256 random bits each
    for invitation in ProgramRoleInvitation.objects.all():
        assert any(invitation.token_hash == hashlib.sha256(token.encode()).hexdigest() for token in tokens)
    table = ProgramRoleInvitation._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT row_to_json(t)::text FROM {table} t")  # noqa: S608 - the model's own table
        rows = " ".join(row[0] for row in cursor.fetchall())
    assert not any(token in rows for token in tokens)
    assert "token_hash" not in [field.name for field in ProgramRoleInvitation._meta.fields if field.editable]


def test_a_wrong_or_guessed_token_is_a_404(client, invitee, invited):
    client.force_login(invitee)
    invitation, token = invited
    assert client.get(link(token[:-1] + ("A" if token[-1] != "A" else "B"))).status_code == 404
    assert client.get(link(invitation.token_hash)).status_code == 404  # the stored hash is no key
    assert client.get(link(token)).status_code == 200


def test_inviting_the_same_address_again_sends_a_fresh_link_and_the_old_one_stops_working(
    client, program, boss, invitee, invited
):
    old_invitation, old_token = invited
    again, new_token = program_role_invite(program=program, role="reviewer", email="rina@example.org", by=boss)
    assert again.pk == old_invitation.pk and new_token != old_token
    assert ProgramRoleInvitation.objects.filter(state=State.PENDING).count() == 1
    client.force_login(invitee)
    assert client.get(link(old_token)).status_code == 404
    assert client.get(link(new_token)).status_code == 200


@pytest.mark.calendar
def test_the_database_allows_one_pending_invitation_per_program_role_and_address(program, boss, invited):
    invitation = invited[0]
    fields = {"program": program, "role": "reviewer", "email": "rina@example.org", "invited_by": boss}
    later = timezone.now() + datetime.timedelta(days=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        ProgramRoleInvitation.objects.create(**fields, token_hash="x" * 64, expires_at=later)
    # Once answered, a new one may be pending.
    program_role_invitation_revoke(invitation=invitation, by=boss)
    ProgramRoleInvitation.objects.create(**fields, token_hash="y" * 64, expires_at=later)
    with pytest.raises(IntegrityError), transaction.atomic():
        ProgramRoleInvitation.objects.filter(pk=invitation.pk).update(state="maybe")
    with pytest.raises(IntegrityError), transaction.atomic():
        ProgramRoleInvitation.objects.create(
            **{**fields, "email": "Upper@example.org"}, token_hash="z" * 64, expires_at=later
        )


def test_erasing_an_account_removes_the_invitations_to_its_addresses(program, boss, invitee, invited):
    from incubator.personal_data import account_erase, personal_data_export
    from tests.incubator.personal_data_world import unzip

    data, _files = unzip(personal_data_export(user=invitee))
    [received] = data["cohorts"]["role_invitations_received"]
    assert received["program__name"] == "BizUP invitations" and received["state"] == State.PENDING
    account_erase(user=invitee, by=invitee)
    assert not ProgramRoleInvitation.objects.exists()
    for entry in actions(object_type="cohorts.programroleinvitation"):
        assert "rina@example.org" not in str(entry.before) + str(entry.after)
