"""A program's roles page: its managers invite, list and remove its reviewers and mentors (superusers: its managers
too) and withdraw pending invitations; and its history page: every recorded change of the program's records, for
its managers."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from cohorts.access import manages_program
from cohorts.forms import HistoryFilterForm, RoleInviteForm
from cohorts.invitations import program_role_invitation_revoke, program_role_invite
from cohorts.models import Program, ProgramRoleInvitation
from cohorts.program_roles import ROLES, grantable_roles, program_role_revoke
from incubator import history, ratelimit
from incubator.models import User
from incubator.ratelimit import email_request_allowed


def get_program_for_manager(user, slug: str) -> Program:
    """The program if `user` manages it; 404 for anyone else, managers of other programs included."""
    people = User.objects.order_by("name", "email").only("pk", "name", "email")
    program = (
        Program.objects.prefetch_related(
            Prefetch("managers", queryset=people),
            Prefetch("reviewers", queryset=people),
            Prefetch("mentors", queryset=people),
        )
        .filter(slug=slug)
        .first()
    )
    if program is None or not manages_program(user, program):
        raise Http404
    return program


@login_required
def program_roles(request, slug):
    """Inviting answers "Invitation sent" for every address, an account's or not, and the page lists invitations by
    the address typed alone: it never tells whether, or whose, an account has that address."""
    program = get_program_for_manager(request.user, slug)
    roles = grantable_roles(request.user, program)
    form = RoleInviteForm(request.POST or None, roles=roles)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            email, role = form.cleaned_data["email"], form.cleaned_data["role"]
            if not email_request_allowed(action="role_invite", person=request.user, target=email):
                form.add_error(None, ratelimit.REFUSED)
                status = 429
            else:
                try:
                    program_role_invite(program=program, role=role, email=email, by=request.user)
                except ValidationError as error:
                    form.add_error(None, error.messages[0])
                else:
                    messages.success(request, _("Invitation sent to %(email)s.") % {"email": email})
                    return redirect("cohorts:program_roles", program.slug)
    grantable = dict(roles)
    invitations = [
        (invitation, invitation.role in grantable)
        # Invitations to join a cohort are listed on that cohort's dashboard.
        for invitation in program.role_invitations.filter(state=ProgramRoleInvitation.State.PENDING)
        .exclude(role=ProgramRoleInvitation.Role.MEMBER)
        .order_by("email", "role")
    ]
    context = {
        "program": program,
        "form": form,
        "lists": [
            (role, label, getattr(program, relation).all(), role in grantable)
            for role, (relation, _group, label) in ROLES.items()
        ],
        "invitations": invitations,
    }
    return render(request, "cohorts/program_roles.html", context, status=status)


@login_required
@require_POST
def program_invitation_revoke(request, slug, pk):
    program = get_program_for_manager(request.user, slug)
    invitation = get_object_or_404(ProgramRoleInvitation, pk=pk, program=program)
    if invitation.role not in dict(grantable_roles(request.user, program)):
        raise Http404
    if program_role_invitation_revoke(invitation=invitation, by=request.user):
        messages.success(request, _("Invitation to %(email)s withdrawn.") % {"email": invitation.email})
    return redirect("cohorts:program_roles", program.slug)


@login_required
@require_POST
def program_role_remove(request, slug, role, user_id):
    program = get_program_for_manager(request.user, slug)
    if role not in ROLES or role not in dict(grantable_roles(request.user, program)):
        raise Http404
    person = get_object_or_404(User, pk=user_id)
    if program_role_revoke(program=program, person=person, role=role, by=request.user):
        messages.success(request, _("%(role)s removed: %(person)s.") % {"person": person, "role": ROLES[role][2]})
    return redirect("cohorts:program_roles", program.slug)


@login_required
@require_GET
def program_history(request, slug):
    program = Program.objects.filter(slug=slug).first()
    if program is None or not manages_program(request.user, program):
        raise Http404
    kinds = history.kinds()
    form = HistoryFilterForm(request.GET or None, kinds=kinds)
    filters = form.cleaned_data if form.is_valid() else {}
    kind = filters.get("kind")
    page, lines = history.program_history(
        program,
        kind_keys=(kind,) if kind else (),
        person=filters.get("person", "").strip(),
        page_number=request.GET.get("page"),
    )
    query = request.GET.copy()
    query.pop("page", None)
    context = {"program": program, "form": form, "lines": lines, "page_obj": page, "query": query.urlencode()}
    return render(request, "cohorts/program_history.html", context, status=400 if form.errors else 200)
