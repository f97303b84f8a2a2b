"""The invited person's pages: their open invitations to program roles, one invitation from its email link, and the
two answers. Each is for the account whose confirmed email is the invited address, and no one else."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from cohorts.invitations import (
    InvitationClosed,
    closed_message,
    is_invitee,
    program_role_invitation_accept,
    program_role_invitation_decline,
    token_hash,
    verified_emails,
)
from cohorts.models import ProgramRoleInvitation
from cohorts.program_roles import ROLES


class NotTheInvitee(Exception):
    """A valid link opened by another account than the invited address's."""


def get_invitation_for_invitee(user, *, token: str | None = None, pk: int | None = None) -> ProgramRoleInvitation:
    """The invitation if `user` has confirmed its address. By its link's token, another account learns only that
    the link is not theirs (`NotTheInvitee`, nothing of the invitation); by its number, a 404 like a wrong one."""
    invitations = ProgramRoleInvitation.objects.select_related("program", "invited_by")
    if token is not None:
        invitation = invitations.filter(token_hash=token_hash(token)).first()
    else:
        invitation = invitations.filter(pk=pk).first()
    if invitation is None:
        raise Http404
    if not is_invitee(user, invitation):
        if token is not None:
            raise NotTheInvitee
        raise Http404
    return invitation


def _invitation_page(request, invitation, *, status=200, closed=""):
    context = {"invitation": invitation, "role": ROLES[invitation.role][2], "closed": closed}
    if not closed and not invitation.is_open:
        closed, status = closed_message(invitation), 410
        context["closed"] = closed
    return render(request, "cohorts/invitation.html", context, status=status)


@login_required
@require_GET
def invitations(request):
    """The signed-in person's open invitations, sent to any address confirmed on their account."""
    rows = (
        ProgramRoleInvitation.objects.filter(
            email__in=verified_emails(request.user),
            state=ProgramRoleInvitation.State.PENDING,
            expires_at__gt=timezone.now(),
        )
        .select_related("program", "invited_by")
        .order_by("expires_at")
    )
    items = [(invitation, ROLES[invitation.role][2]) for invitation in rows]
    return render(request, "cohorts/invitations.html", {"items": items})


@never_cache
@login_required
@require_GET
def invitation(request, token):
    try:
        found = get_invitation_for_invitee(request.user, token=token)
    except NotTheInvitee:
        return render(request, "cohorts/invitation_other_account.html", status=403)
    return _invitation_page(request, found)


def _answer(request, pk, service, done):
    invitation = get_invitation_for_invitee(request.user, pk=pk)
    try:
        result = service(invitation=invitation, by=request.user)
    except InvitationClosed as error:
        return _invitation_page(request, error.invitation, status=410, closed=error.messages[0])
    messages.success(request, done(invitation, result))
    return redirect("cohorts:invitations")


@login_required
@require_POST
def invitation_accept(request, pk):
    def done(invitation, added):
        names = {"role": ROLES[invitation.role][2], "program": invitation.program.name}
        if added:
            return _("You are now %(role)s in %(program)s.") % names
        return _("You were already %(role)s in %(program)s.") % names

    return _answer(request, pk, program_role_invitation_accept, done)


@login_required
@require_POST
def invitation_decline(request, pk):
    def done(invitation, _result):
        return _("You declined the invitation to %(program)s.") % {"program": invitation.program.name}

    return _answer(request, pk, program_role_invitation_decline, done)
