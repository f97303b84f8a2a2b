"""The program managers' mentoring pages: matching mentors to participants and the funder report. Every view
reaches its program through `_managed_program` or `managed_programs` (404 for anyone else)."""

import datetime
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cohorts.access import managed_programs, manages_program
from cohorts.dates import program_today
from cohorts.models import Membership, Program, Venture
from incubator import bounds
from mentoring import assignments as mentor_assignments
from mentoring import exports, selectors
from mentoring.figures import report_figures
from mentoring.forms import ReportForm
from mentoring.models import Assignment
from mentoring.report import mentoring_report
from mentoring.report_records import figure_records

ASSIGNMENT_PAGE_SIZE = 30
RECORDS_PAGE_SIZE = 50


def _managed_program(request, slug) -> Program:
    program = Program.objects.filter(slug=slug).first()
    if program is None or not manages_program(request.user, program):
        raise Http404
    return program


@login_required
def assignments(request, slug):
    program = _managed_program(request, slug)
    query = request.GET.get("q", "").strip()
    memberships = selectors.assignment_overview(program, query=query)
    page = Paginator(memberships, ASSIGNMENT_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "mentoring/assignments.html", {"program": program, "page": page, "q": query})


@login_required
def assignment_suggest(request, slug, user_id):
    program = _managed_program(request, slug)
    membership = (
        Membership.objects.filter(cohort__program=program, person_id=user_id, status=Membership.Status.ACTIVE)
        .select_related("person", "region")
        .first()
    )
    if membership is None:
        raise Http404
    mentee = membership.person
    # A mentor can be matched to the participant's venture as well (its team then shares the mentor).
    ventures = list(Venture.objects.filter(cohort=membership.cohort, team__user=mentee).order_by("name"))
    if request.method == "POST":
        # An id that is no whole number (or past bigint) names no mentor: 404, as an unknown one does.
        mentor = get_object_or_404(program.mentors, pk=bounds.parse_int(request.POST.get("mentor")) or 0)
        venture = next((v for v in ventures if str(v.pk) == request.POST.get("venture")), None)
        try:
            mentor_assignments.assignment_create(
                program=program, mentor=mentor, mentee=mentee, venture=venture, by=request.user
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("%(mentor)s now mentors %(mentee)s.") % {"mentor": mentor, "mentee": mentee})
            return redirect("mentoring:assignments", program.slug)
    rows = selectors.suggestions(program, mentee, membership)
    current = Assignment.objects.filter(program=program, mentee=mentee, ended_at__isnull=True).select_related("mentor")
    context = {
        "program": program,
        "membership": membership,
        "mentee": mentee,
        "rows": rows,
        "current": current,
        "ventures": ventures,
    }
    return render(request, "mentoring/suggest.html", context)


@login_required
@require_POST
def assignment_end(request, slug, pk):
    program = _managed_program(request, slug)
    assignment = get_object_or_404(Assignment, pk=pk, program=program)
    mentor_assignments.assignment_end(assignment=assignment, by=request.user)
    messages.success(request, _("The assignment ended."))
    return redirect("mentoring:assignments", program.slug)


def _report_form(request):
    programs = managed_programs(request.user).order_by("name")
    if not programs.exists():
        raise Http404
    data = request.GET.copy()
    first = programs.first()
    if "program" not in data:
        data["program"] = first.slug
    if "start" not in data or "end" not in data:
        today = program_today(first)
        data.setdefault("start", (today - datetime.timedelta(days=365)).isoformat())
        data.setdefault("end", today.isoformat())
    return ReportForm(data, programs=programs)


@login_required
def report(request):
    form = _report_form(request)
    result = None
    if form.is_valid():
        data = form.cleaned_data
        result = mentoring_report(data["program"], data["start"], data["end"])
    status = 200 if form.is_valid() else 400
    context = {
        "form": form,
        "report": result,
        "query": request.GET.urlencode(),
        "kind_bars": _bars(result),
        **_figure_links(result),
    }
    return render(request, "mentoring/report.html", context, status=status)


def _figure_links(result) -> dict:
    """The report's figures by key, and the query a figure's records page is asked with."""
    if result is None:
        return {"figures": {}, "outcome_figures": [], "report_query": ""}
    period = {"program": result.program.slug, "start": result.start.isoformat(), "end": result.end.isoformat()}
    figures = report_figures(result)
    return {
        "figures": {figure.key: figure for figure in figures},
        "outcome_figures": [figure for figure in figures if figure.section == "outcomes"],
        "report_query": urlencode(period),
    }


def _bars(result) -> list[tuple]:
    kinds = [kind for kind in result.kinds if kind["sessions"]] if result else []
    top = max((kind["sessions"] for kind in kinds), default=1)
    return [(kind["name"], f"kinds.{kind['id']}", round(100 * kind["sessions"] / top)) for kind in kinds]


@login_required
def report_records(request):
    """The records one figure of the report counts (`figure=<key>`): 404 for a figure that hides a count of people,
    an unknown one, or a program the person does not manage."""
    form = _report_form(request)
    if "program" in form.errors:
        raise Http404
    if not form.is_valid():
        return render(request, "mentoring/report_records.html", {"form": form}, status=400)
    data = form.cleaned_data
    result = mentoring_report(data["program"], data["start"], data["end"])
    figure = next((f for f in report_figures(result) if f.key == request.GET.get("figure")), None)
    if figure is None or not figure.linked:
        raise Http404
    page = Paginator(figure_records(result, figure), RECORDS_PAGE_SIZE).get_page(request.GET.get("page"))
    links = _figure_links(result)
    records_query = f"{links['report_query']}&{urlencode({'figure': figure.key})}"
    context = {"form": form, "report": result, "figure": figure, "page": page, "records_query": records_query, **links}
    return render(request, "mentoring/report_records.html", context)


@login_required
def report_export(request, fmt):
    form = _report_form(request)
    if not form.is_valid():
        return render(request, "mentoring/report.html", {"form": form, "report": None}, status=400)
    data = form.cleaned_data
    result = mentoring_report(data["program"], data["start"], data["end"])
    if fmt == "records.csv":
        return exports.records_export(request, result)
    return exports.report_export(request, result, fmt)
