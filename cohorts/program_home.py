"""A program's home for its managers: `/programs/` lists the programs one manages (straight to the one when there is
exactly one) and `/programs/<slug>/` gathers the program's calls, cohorts, mentoring and workspaces.

Each app renders its own section through cohorts.program_home_panels, so cohorts imports none of them. Anyone who
does not manage the program (managers of other programs included) gets a 404, as on the roles and history pages."""

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from cohorts import program_home_panels
from cohorts.access import managed_programs, manages_program
from cohorts.models import Cohort, Membership, Program
from cohorts.needs_you import needs_you_lines

# Members who are in the cohort today, against its places.
CURRENT = (Membership.Status.ACTIVE, Membership.Status.PAUSED)


@login_required
@require_GET
def program_list(request):
    programs = list(managed_programs(request.user).only("pk", "name", "slug", "organisation").order_by("name"))
    if not programs:
        raise Http404
    if len(programs) == 1:
        return redirect("programs:home", programs[0].slug)
    return render(request, "cohorts/program_list.html", {"programs": programs})


def get_managed_program(user, slug: str) -> Program:
    """The program if `user` manages it; 404 for anyone else, managers of other programs included."""
    program = Program.objects.filter(slug=slug).first()
    if program is None or not manages_program(user, program):
        raise Http404
    return program


@login_required
@require_GET
def program_home(request, slug):
    program = get_managed_program(request.user, slug)
    context = {
        "program": program,
        "needs_you": needs_you_lines(request.user, [program]),
        "setup_actions": program_home_panels.render_setup_actions(request, program),
        "sections": program_home_panels.render_sections(request, program),
    }
    return render(request, "cohorts/program_home.html", context)


def program_cohorts(program: Program):
    """The program's cohorts, newest first, with their current members counted: one query."""
    return (
        Cohort.objects.filter(program=program)
        .annotate(current_members=Count("memberships", filter=Q(memberships__status__in=CURRENT)))
        .order_by("-starts_on", "-pk")
    )


def cohorts_section(request, program):
    """The cohorts section (cohorts' own contribution): one query."""
    context = {"program": program, "cohorts": list(program_cohorts(program))}
    return render_to_string("cohorts/_program_home_cohorts.html", context, request=request)


def new_cohort_action(request, program):
    url = reverse("admin:cohorts_cohort_add") + "?" + urlencode({"program": program.pk})
    context = {"url": url, "label": _("New cohort"), "testid": "new-cohort"}
    return render_to_string("cohorts/_program_home_action.html", context, request=request)
