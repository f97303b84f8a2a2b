"""Cohort members are invited, like program roles: a manager names an email address, its owner accepts or declines.

`membership_invite` stores an invitation (a `ProgramRoleInvitation` of role "member" naming the cohort, the region
and the name the manager typed) with the hash of a random token, and emails the link in the recipient's language
(cohorts/invitations.py writes it: an account's saved language when the address is confirmed on one, the
program's otherwise, with a way to create the account). The manager's answer is the same whether an account has
the address or not: no account is created, looked at or named, and nobody joins the cohort, until the account
whose confirmed email is the invited address accepts. Accepting creates the membership (region, start date,
participant group, audit), in the name of the person who accepts, while the inviter still manages the program.

Every service locks the cohort row first (as `membership_create_from_application` does), then the invitation."""

import secrets

from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cohorts.access import manages_program
from cohorts.dates import program_today
from cohorts.invitations import (
    InvitationClosed,
    _answer,
    normalise_email,
    role_invitation_email_send,
    token_hash,
)
from cohorts.models import Cohort, Membership, ProgramRoleInvitation, Region
from cohorts.models.invitations import INVITATION_VALID_FOR
from cohorts.services import member_joined_emit
from incubator.audit import audit_record
from incubator.history import recorded_by
from incubator.models import User
from incubator.roles import PARTICIPANT

State = ProgramRoleInvitation.State
MEMBER = ProgramRoleInvitation.Role.MEMBER


def _snapshot(invitation: ProgramRoleInvitation) -> dict:
    return {
        "role": invitation.role,
        "cohort": invitation.cohort_id,
        "email": invitation.email,
        "name": invitation.name,
        "region": invitation.region_id,
        "state": invitation.state,
    }


def _membership_snapshot(membership: Membership) -> dict:
    return {
        "status": membership.status,
        "started_on": membership.started_on.isoformat() if membership.started_on else None,
        "region": membership.region_id,
    }


def _locked(invitation: ProgramRoleInvitation) -> ProgramRoleInvitation:
    """The cohort row first, then the invitation: the same order as `membership_invite`."""
    if not invitation.is_member_invitation:
        raise PermissionDenied  # program roles have their own services (cohorts/invitations.py)
    Cohort.objects.select_for_update().get(pk=invitation.cohort_id)
    return (
        ProgramRoleInvitation.objects.select_for_update(of=("self",))
        .select_related("program", "cohort__program", "region")
        .get(pk=invitation.pk)
    )


@recorded_by
def membership_invite(
    *, cohort: Cohort, email: str, name: str, region: Region | None = None, by: User
) -> tuple[ProgramRoleInvitation, str]:
    """Invite `email` to join the cohort; returns the invitation and its token (which only the email keeps).

    Inviting the same address to the same cohort again while an invitation is pending sends a fresh link (the old
    one stops working), with the name and region now typed. Refused for an address the cohort's member list
    already shows (the manager sees it there anyway); nothing is said about any other account."""
    if by is None or not manages_program(by, cohort.program_id):
        raise PermissionDenied  # an invitation is a manager's request; the system creates memberships directly
    email = normalise_email(email)
    name = (name or "").strip()
    token = secrets.token_urlsafe(32)
    now = timezone.now()
    with transaction.atomic():
        cohort = Cohort.objects.select_for_update().select_related("program").get(pk=cohort.pk)
        if region is not None and region.program_id != cohort.program_id:
            raise ValidationError(_("This region belongs to another program."))
        # The member list shows every membership with its account's address: saying so tells nothing new.
        if Membership.objects.filter(cohort=cohort, person__email__iexact=email).exists():
            raise ValidationError(_("%(email)s is already in this cohort.") % {"email": email})
        invitation = (
            ProgramRoleInvitation.objects.select_for_update()
            .filter(program=cohort.program, role=MEMBER, cohort=cohort, email=email, state=State.PENDING)
            .first()
        )
        fields = {"name": name, "region": region, "invited_by": by, "token_hash": token_hash(token)}
        fields |= {"created_at": now, "expires_at": now + INVITATION_VALID_FOR}
        if invitation is None:
            invitation = ProgramRoleInvitation.objects.create(
                program=cohort.program, role=MEMBER, cohort=cohort, email=email, **fields
            )
            before, note = None, ""
        else:
            before = _snapshot(invitation)
            for key, value in fields.items():
                setattr(invitation, key, value)
            invitation.save(update_fields=list(fields))
            note = "sent again"
        audit_record(
            actor=by,
            action="membership.invite",
            obj=invitation,
            before=before,
            after=_snapshot(invitation),
            note=note,
        )
        transaction.on_commit(lambda: role_invitation_email_send(invitation_id=invitation.pk, token=token))
    return invitation, token


@recorded_by
def membership_invitation_accept(*, invitation: ProgramRoleInvitation, by: User) -> tuple[Membership, bool]:
    """The invited person joins the cohort; returns the membership and whether it is new (an account that was
    already in the cohort, under another of its addresses, keeps its membership as it is)."""
    with transaction.atomic():
        invitation, before = _answer(invitation, by, State.ACCEPTED, lock=_locked)
        inviter = invitation.invited_by
        if inviter is None or not inviter.is_active or not manages_program(inviter, invitation.program_id):
            raise InvitationClosed(invitation, stale=True)
        cohort = invitation.cohort
        region = invitation.region if invitation.region and invitation.region.program_id == cohort.program_id else None
        # Joining a running cohort starts today, not on the cohort's first day.
        today = program_today(cohort.program)
        membership, created = Membership.objects.get_or_create(
            person=by,
            cohort=cohort,
            defaults={"region": region, "started_on": max(cohort.starts_on or today, today)},
        )
        audit_record(
            actor=by,
            action="membership.invitation_accept",
            obj=invitation,
            before=before,
            after={**_snapshot(invitation), "person": by.pk},
        )
        if created:
            audit_record(
                actor=by,
                action="membership.accept",
                obj=membership,
                after=_membership_snapshot(membership),
                note=f"invited by {inviter.pk}",
            )
            by.groups.add(Group.objects.get(name=PARTICIPANT))
            member_joined_emit(membership)
    return membership, created


@recorded_by
def membership_invitation_decline(*, invitation: ProgramRoleInvitation, by: User) -> None:
    with transaction.atomic():
        invitation, before = _answer(invitation, by, State.DECLINED, lock=_locked)
        audit_record(
            actor=by,
            action="membership.invitation_decline",
            obj=invitation,
            before=before,
            after=_snapshot(invitation),
        )


@recorded_by
def membership_invitation_revoke(*, invitation: ProgramRoleInvitation, by: User) -> bool:
    """Withdraw a pending member invitation (expired ones too); False if it was no longer pending. Its link stops
    working at once."""
    with transaction.atomic():
        invitation = _locked(invitation)
        if by is None or not manages_program(by, invitation.program_id):
            raise PermissionDenied
        if invitation.state != State.PENDING:
            return False
        before = _snapshot(invitation)
        invitation.state = State.REVOKED
        invitation.answered_at = timezone.now()
        invitation.save(update_fields=["state", "answered_at"])
        audit_record(
            actor=by,
            action="membership.invitation_revoke",
            obj=invitation,
            before=before,
            after=_snapshot(invitation),
        )
    return True


def pending_member_invitations(cohort: Cohort):
    """The cohort's invitations waiting for an answer (expired ones too, until withdrawn or sent again), by the
    address and name typed: one query, no account read."""
    return ProgramRoleInvitation.objects.filter(cohort=cohort, role=MEMBER, state=State.PENDING).order_by("email")
