"""Program roles are given by invitation: a manager names an email address, its owner accepts or declines.

`program_role_invite` stores the invitation with the SHA-256 hash of a random token and emails the link holding
the token, in the recipient's language: an account's saved language when the address is confirmed on one, the
program's language otherwise (with a way to create the account). The manager's answer is the same whether the
address belongs to an account or not, and the invitation never names the account.

Only the account whose confirmed email is the invited address may accept or decline it; accepting lists that
account through `program_role_grant`, in the name of whoever invited (so groups and staff flags stay in one
place), while they may still give that role. An open invitation is pending and not past `expires_at`."""

import hashlib
import logging
import secrets
from urllib.parse import urlsplit

from allauth.account.models import EmailAddress
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.utils import timezone, translation
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from cohorts.models import Program, ProgramRoleInvitation
from cohorts.models.invitations import INVITATION_VALID_FOR
from cohorts.program_roles import ROLES, _check, can_grant, program_role_grant
from incubator.audit import audit_record
from incubator.emails import render_email
from incubator.errors import ServiceError
from incubator.history import recorded_by
from incubator.language import absolute_url
from incubator.models import User

logger = logging.getLogger(__name__)

State = ProgramRoleInvitation.State


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def normalise_email(email: str) -> str:
    return (email or "").strip().lower()


def verified_emails(user) -> set[str]:
    """The addresses `user` has confirmed, lower case."""
    if not getattr(user, "is_authenticated", False):
        return set()
    cache = user.__dict__.setdefault("_verified_emails", None)
    if cache is None:
        cache = {
            normalise_email(email)
            for email in EmailAddress.objects.filter(user=user, verified=True).values_list("email", flat=True)
        }
        user.__dict__["_verified_emails"] = cache
    return cache


def account_for(email: str) -> User | None:
    """The active account on which `email` is confirmed, if any (for the email's language and wording only)."""
    found = (
        EmailAddress.objects.filter(email__iexact=email, verified=True, user__is_active=True)
        .select_related("user")
        .first()
    )
    return found.user if found else None


def is_invitee(user, invitation: ProgramRoleInvitation) -> bool:
    return bool(user.is_authenticated and user.is_active and invitation.email in verified_emails(user))


def _snapshot(invitation: ProgramRoleInvitation) -> dict:
    return {"role": invitation.role, "email": invitation.email, "state": invitation.state}


@recorded_by
def program_role_invite(*, program: Program, role: str, email: str, by: User) -> tuple[ProgramRoleInvitation, str]:
    """Invite `email` to `role` in the program; returns the invitation and its token (which only the email
    keeps). Inviting the same address again while an invitation is pending sends a fresh link (the old one stops
    working) and gives it a fresh fortnight. Refused for someone already listed with that address."""
    if by is None:
        raise PermissionDenied  # an invitation is always someone's request; the system grants directly
    relation = _check(program, role, by)
    email = normalise_email(email)
    token = secrets.token_urlsafe(32)
    now = timezone.now()
    with transaction.atomic():
        program = Program.objects.select_for_update().get(pk=program.pk)
        # The roles page shows the listed people's addresses: saying so tells the manager nothing new.
        if getattr(program, relation).filter(email__iexact=email).exists():
            raise ValidationError(
                _("%(email)s is already listed as %(role)s.") % {"email": email, "role": ROLES[role][2]}
            )
        invitation = (
            ProgramRoleInvitation.objects.select_for_update()
            .filter(program=program, role=role, email=email, state=State.PENDING)
            .first()
        )
        if invitation is None:
            invitation = ProgramRoleInvitation.objects.create(
                program=program,
                role=role,
                email=email,
                invited_by=by,
                token_hash=token_hash(token),
                created_at=now,
                expires_at=now + INVITATION_VALID_FOR,
            )
            note = ""
        else:
            invitation.token_hash = token_hash(token)
            invitation.invited_by = by
            invitation.created_at = now
            invitation.expires_at = now + INVITATION_VALID_FOR
            invitation.save(update_fields=["token_hash", "invited_by", "created_at", "expires_at"])
            note = "sent again"
        audit_record(actor=by, action="program.role_invite", obj=invitation, after=_snapshot(invitation), note=note)
        transaction.on_commit(lambda: role_invitation_email_send(invitation_id=invitation.pk, token=token))
    return invitation, token


def _locked(invitation: ProgramRoleInvitation) -> ProgramRoleInvitation:
    """The program row first, then the invitation: the same order as `program_role_invite` and the grant."""
    if invitation.is_member_invitation:
        raise PermissionDenied  # a cohort's invitations have their own services (cohorts/member_invitations.py)
    Program.objects.select_for_update().get(pk=invitation.program_id)
    return ProgramRoleInvitation.objects.select_for_update().select_related("program").get(pk=invitation.pk)


def _require_open(invitation: ProgramRoleInvitation) -> None:
    if invitation.state != State.PENDING:
        raise InvitationClosed(invitation)
    if invitation.is_expired:
        raise InvitationClosed(invitation, expired=True)


class InvitationClosed(ServiceError, ValidationError):
    """The invitation was answered, withdrawn or has expired: nothing to do any more."""

    def __init__(self, invitation: ProgramRoleInvitation, *, expired: bool = False, stale: bool = False):
        self.invitation, self.expired, self.stale = invitation, expired, stale
        super().__init__(closed_message(invitation, expired=expired, stale=stale))


def closed_message(invitation: ProgramRoleInvitation, *, expired=False, stale=False) -> str:
    if stale and invitation.is_member_invitation:
        return _(
            "This invitation is no longer valid: whoever sent it no longer manages the program. "
            "Ask the program's team for a new one."
        )
    if stale:
        return _(
            "This invitation is no longer valid: whoever sent it can no longer give this role. "
            "Ask the program's team for a new one."
        )
    if expired or (invitation.state == State.PENDING and invitation.is_expired):
        return _("This invitation has expired. Ask the program's team to send you a new one.")
    return {
        State.ACCEPTED: _("This invitation was already accepted."),
        State.DECLINED: _("This invitation was already declined."),
        State.REVOKED: _("This invitation was withdrawn by the program's team."),
    }.get(invitation.state, _("This invitation is no longer open."))


def _answer(invitation, by, state, lock=_locked) -> tuple[ProgramRoleInvitation, dict]:
    """Lock (`lock`: the rows the invitation's kind serialises on, then the invitation), check that `by` is the
    invitee and the invitation open, and record the answer."""
    invitation = lock(invitation)
    if not is_invitee(by, invitation):
        raise PermissionDenied
    _require_open(invitation)
    before = _snapshot(invitation)
    invitation.state = state
    invitation.answered_at = timezone.now()
    invitation.save(update_fields=["state", "answered_at"])
    return invitation, before


@recorded_by
def program_role_invitation_accept(*, invitation: ProgramRoleInvitation, by: User) -> bool:
    """The invited person takes the role; True if they were not listed in it yet."""
    with transaction.atomic():
        invitation, before = _answer(invitation, by, State.ACCEPTED)
        inviter = invitation.invited_by
        if inviter is None or not inviter.is_active or not can_grant(inviter, invitation.program, invitation.role):
            raise InvitationClosed(invitation, stale=True)
        added = program_role_grant(program=invitation.program, person=by, role=invitation.role, by=inviter)
        audit_record(
            actor=by,
            action="program.role_invitation_accept",
            obj=invitation,
            before=before,
            after={**_snapshot(invitation), "person": by.pk},
        )
    return added


@recorded_by
def program_role_invitation_decline(*, invitation: ProgramRoleInvitation, by: User) -> None:
    with transaction.atomic():
        invitation, before = _answer(invitation, by, State.DECLINED)
        audit_record(
            actor=by,
            action="program.role_invitation_decline",
            obj=invitation,
            before=before,
            after=_snapshot(invitation),
        )


@recorded_by
def program_role_invitation_revoke(*, invitation: ProgramRoleInvitation, by: User) -> bool:
    """Withdraw a pending invitation (expired ones too); False if it was no longer pending. Its link stops working
    at once."""
    with transaction.atomic():
        invitation = _locked(invitation)
        _check(invitation.program, invitation.role, by)
        if invitation.state != State.PENDING:
            return False
        before = _snapshot(invitation)
        invitation.state = State.REVOKED
        invitation.answered_at = timezone.now()
        invitation.save(update_fields=["state", "answered_at"])
        audit_record(
            actor=by,
            action="program.role_invitation_revoke",
            obj=invitation,
            before=before,
            after=_snapshot(invitation),
        )
    return True


def role_label(invitation: ProgramRoleInvitation) -> str:
    """What the invitation offers, as the invitee reads it: the role, or membership of the cohort."""
    if invitation.is_member_invitation:
        return invitation.get_role_display()
    return ROLES[invitation.role][2]


def role_invitation_email(invitation: ProgramRoleInvitation, token: str) -> EmailMultiAlternatives:
    """The invitation email, in the language of the account the address is confirmed on, else the program's.
    A member invitation names its cohort and program; a role invitation its role and program."""
    account = account_for(invitation.email)
    language = account.preferred_language if account is not None else invitation.program.language
    with translation.override(language), timezone.override(invitation.program.time_zone):
        invitation_url = absolute_url("cohorts:invitation", language, kwargs={"token": token})
        # Signed up and confirmed, the new account comes back to the invitation (allauth's `next`).
        signup_url = absolute_url("account_signup", language) + "?" + urlencode({"next": urlsplit(invitation_url).path})
        content = render_email(
            "cohorts/member_invitation" if invitation.is_member_invitation else "cohorts/role_invitation",
            {
                "invitation": invitation,
                "program": invitation.program,
                "cohort": invitation.cohort,
                "role": role_label(invitation),
                "inviter": invitation.invited_by,
                "has_account": account is not None,
                "invitation_url": invitation_url,
                "signup_url": signup_url,
                "expires_at": invitation.expires_at,
                "time_zone": invitation.program.time_zone,
            },
        )
    message = EmailMultiAlternatives(content.subject, content.body, to=[invitation.email])
    message.attach_alternative(content.html, "text/html")
    return message


def role_invitation_email_send(*, invitation_id: int, token: str) -> None:
    """After the commit: send the invitation if it is still pending and the token still its own (a later
    invitation of the same address replaced it otherwise). The token is never stored, so this email cannot be
    written again later: a failure is logged, and the manager sends the invitation again from the roles page (the
    cohort's dashboard for a member invitation)."""
    invitation = (
        ProgramRoleInvitation.objects.select_related("program", "cohort", "invited_by")
        .filter(pk=invitation_id, state=State.PENDING, token_hash=token_hash(token))
        .first()
    )
    if invitation is None:
        return
    try:
        role_invitation_email(invitation, token).send()
    except Exception:  # noqa: BLE001 - the manager sees no error; the log does, and sending again is one click
        logger.exception("role invitation %s: the email could not be sent", invitation_id)
