"""A program's roles page: its managers list and remove its reviewers and mentors (superusers: its managers too);
and its history page: every recorded change of the program's records, for its managers."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from cohorts.access import manages_program
from cohorts.forms import HistoryFilterForm, RoleGrantForm
from cohorts.models import Program
from cohorts.program_roles import ROLES, grantable_roles, program_role_grant, program_role_revoke
from incubator import history
from incubator.models import User


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
    program = get_program_for_manager(request.user, slug)
    roles = grantable_roles(request.user, program)
    form = RoleGrantForm(request.POST or None, roles=roles)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            role = form.cleaned_data["role"]
            try:
                added = program_role_grant(program=program, person=form.person, role=role, by=request.user)
            except ValidationError as error:
                form.add_error(None, error.messages[0])
            else:
                label = ROLES[role][2]
                if added:
                    messages.success(request, _("%(role)s added: %(person)s.") % {"person": form.person, "role": label})
                else:
                    messages.info(request, _("%(role)s already: %(person)s.") % {"person": form.person, "role": label})
                return redirect("cohorts:program_roles", program.slug)
        status = 400
    context = {
        "program": program,
        "form": form,
        "lists": [
            (role, label, getattr(program, relation).all(), role in dict(roles))
            for role, (relation, _group, label) in ROLES.items()
        ],
    }
    return render(request, "cohorts/program_roles.html", context, status=status)


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
