"""The invited person's pages: their open invitations to program roles and cohorts, one invitation from its email
link, and the two answers. Each is for the account whose confirmed email is the invited address, and no one else."""

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
    role_label,
    token_hash,
    verified_emails,
)
from cohorts.member_invitations import membership_invitation_accept, membership_invitation_decline
from cohorts.models import ProgramRoleInvitation


class NotTheInvitee(Exception):
    """A valid link opened by another account than the invited address's."""


def get_invitation_for_invitee(user, *, token: str | None = None, pk: int | None = None) -> ProgramRoleInvitation:
    """The invitation if `user` has confirmed its address. By its link's token, another account learns only that
    the link is not theirs (`NotTheInvitee`, nothing of the invitation); by its number, a 404 like a wrong one."""
    invitations = ProgramRoleInvitation.objects.select_related("program", "cohort", "invited_by")
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
    context = {"invitation": invitation, "role": role_label(invitation), "closed": closed}
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
        .select_related("program", "cohort", "invited_by")
        .order_by("expires_at")
    )
    items = [(invitation, role_label(invitation)) for invitation in rows]
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


def _answer(request, pk, services, done, then=None):
    """`services`: the answer's service for program roles and for cohorts, in that order."""
    invitation = get_invitation_for_invitee(request.user, pk=pk)
    service = services[1] if invitation.is_member_invitation else services[0]
    try:
        result = service(invitation=invitation, by=request.user)
    except InvitationClosed as error:
        return _invitation_page(request, error.invitation, status=410, closed=error.messages[0])
    messages.success(request, done(invitation, result))
    return then(invitation, result) if then is not None else redirect("cohorts:invitations")


@login_required
@require_POST
def invitation_accept(request, pk):
    def done(invitation, result):
        if invitation.is_member_invitation:
            names = {"cohort": invitation.cohort.name, "program": invitation.program.name}
            if result[1]:
                return _("You are now a member of %(cohort)s (%(program)s).") % names
            return _("You were already in %(cohort)s (%(program)s).") % names
        names = {"role": role_label(invitation), "program": invitation.program.name}
        if result:
            return _("You are now %(role)s in %(program)s.") % names
        return _("You were already %(role)s in %(program)s.") % names

    def then(invitation, result):
        # A new member goes to their cohort; anyone else back to their invitations.
        if invitation.is_member_invitation and result[1]:
            return redirect("cohorts:directory", invitation.cohort.slug)
        return redirect("cohorts:invitations")

    return _answer(request, pk, (program_role_invitation_accept, membership_invitation_accept), done, then)


@login_required
@require_POST
def invitation_decline(request, pk):
    def done(invitation, _result):
        return _("You declined the invitation to %(program)s.") % {"program": invitation.program.name}

    return _answer(request, pk, (program_role_invitation_decline, membership_invitation_decline), done)
