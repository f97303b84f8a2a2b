"""The funders' report templates of a program, the report read through one, submitting (freezing) it, and the
submitted reports. Program managers only: every view reaches its program through the funder report's gate
(`_managed_program`, 404 for anyone else) and its rows through that program."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language_info
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from cohorts.dates import program_today
from incubator.when import format_number
from mentoring import exports
from mentoring import report_templates as services
from mentoring.manager_views import _managed_program
from mentoring.report_models import ReportSnapshot, ReportTemplate
from mentoring.report_template_forms import PeriodForm, ReportTemplateForm, SubmitForm

PAGE_SIZE = 20


@login_required
@require_GET
def report_templates(request, slug):
    program = _managed_program(request, slug)
    templates = Paginator(ReportTemplate.objects.filter(program=program), PAGE_SIZE)
    snapshots = Paginator(
        ReportSnapshot.objects.filter(program=program).select_related("submitted_by").defer("figures", "intro"),
        PAGE_SIZE,
    )
    context = {
        "program": program,
        "templates": templates.get_page(request.GET.get("templates")),
        "page_obj": snapshots.get_page(request.GET.get("page")),
    }
    return render(request, "mentoring/report_templates.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def report_template_create(request, slug):
    return _template_form(request, _managed_program(request, slug), None)


@login_required
@require_http_methods(["GET", "POST"])
def report_template_edit(request, slug, pk):
    program = _managed_program(request, slug)
    return _template_form(request, program, get_object_or_404(ReportTemplate, program=program, pk=pk))


def _template_form(request, program, template):
    if request.method != "POST":
        form = ReportTemplateForm(template=template)
        context = {"program": program, "form": form, "template": template}
        return render(request, "mentoring/report_template_form.html", context)
    form = ReportTemplateForm(request.POST)
    if form.is_valid():
        try:
            if template is None:
                template = services.report_template_create(program=program, data=form.data_for_service(),
                                                           by=request.user)  # fmt: skip
            else:
                services.report_template_update(template=template, data=form.data_for_service(), by=request.user)
        except ValidationError as error:
            for field, problems in error.message_dict.items():
                form.add_error(field if field in form.fields else None, problems)
        else:
            messages.success(request, _("The template “%(name)s” is saved.") % {"name": template.name})
            return redirect("mentoring:report_templates", program.slug)
    context = {"program": program, "form": form, "template": template}
    return render(request, "mentoring/report_template_form.html", context, status=400)


@login_required
@require_http_methods(["GET", "POST"])
def report_template_delete(request, slug, pk):
    program = _managed_program(request, slug)
    template = get_object_or_404(ReportTemplate, program=program, pk=pk)
    if request.method == "POST":
        services.report_template_delete(template=template, by=request.user)
        messages.success(request, _("The template “%(name)s” is deleted.") % {"name": template.name})
        return redirect("mentoring:report_templates", program.slug)
    return render(request, "mentoring/report_template_delete.html", {"program": program, "template": template})


def _period_form(request, program, form_class=PeriodForm):
    """The period asked for; a page opened without one shows the year to today. A submission names its period."""
    if request.method == "POST":
        return form_class(request.POST)
    data = request.GET.copy()
    if "start" not in data and "end" not in data:
        today = program_today(program)
        data.update({"start": (today - datetime.timedelta(days=365)).isoformat(), "end": today.isoformat()})
    return form_class(data)


def _kept(form):
    """A valid period form again, its dates written as the date inputs read them (ISO, whatever the language)."""
    return type(form)(initial=form.cleaned_data)


@login_required
@require_GET
def report_template_report(request, slug, pk):
    program = _managed_program(request, slug)
    template = get_object_or_404(ReportTemplate, program=program, pk=pk)
    form = _period_form(request, program)
    if not form.is_valid():
        context = {"program": program, "template": template, "form": form}
        return render(request, "mentoring/report_template_report.html", context, status=400)
    start, end = form.cleaned_data["start"], form.cleaned_data["end"]
    figures = services.template_figures(template, start, end)
    context = {
        "program": program,
        "template": template,
        "form": _kept(form),
        "period": {"start": start.isoformat(), "end": end.isoformat()},
        "groups": figure_groups([figure.__dict__ for figure in figures], template.language),
        **_language(template.language),
    }
    return render(request, "mentoring/report_template_report.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def report_template_submit(request, slug, pk):
    program = _managed_program(request, slug)
    template = get_object_or_404(ReportTemplate, program=program, pk=pk)
    form = _period_form(request, program, SubmitForm)
    context = {"program": program, "template": template, "form": form}
    if not form.is_valid():
        return render(request, "mentoring/report_template_submit.html", context, status=400)
    if request.method == "POST":
        data = form.cleaned_data
        snapshot = services.report_submit(
            template=template, start=data["start"], end=data["end"], by=request.user, note=data["note"]
        )
        messages.success(request, _("The report is submitted and frozen."))
        return redirect("mentoring:report_snapshot", program.slug, snapshot.pk)
    context["form"] = _kept(form)
    return render(request, "mentoring/report_template_submit.html", context)


def _snapshot(request, slug, pk):
    program = _managed_program(request, slug)
    return get_object_or_404(ReportSnapshot.objects.select_related("submitted_by", "program"), program=program, pk=pk)


@login_required
@require_GET
def report_snapshot(request, slug, pk):
    snapshot = _snapshot(request, slug, pk)
    context = {
        "program": snapshot.program,
        "snapshot": snapshot,
        "groups": figure_groups(snapshot.figures, snapshot.language),
        **_language(snapshot.language),
    }
    return render(request, "mentoring/report_snapshot.html", context)


@login_required
@require_GET
def report_snapshot_export(request, slug, pk, fmt):
    return exports.snapshot_export(request, _snapshot(request, slug, pk), fmt)


def _language(code: str) -> dict:
    return {"report_language": code, "report_dir": "rtl" if get_language_info(code)["bidi"] else "ltr"}


def figure_groups(figures: list[dict], language: str) -> list[tuple[str, list[tuple[str, str]]]]:
    """(heading, [(item, value as written in `language`)]) in the figures' order; "—" where there is no value."""
    groups: list[tuple[str, list]] = []
    for figure in figures:
        if not groups or groups[-1][0] != figure["heading"]:
            groups.append((figure["heading"], []))
        groups[-1][1].append((figure["item"], _shown(figure["value"], language)))
    return groups


def _shown(value, language: str) -> str:
    if value is None:
        return "—"
    if isinstance(value, int | float) and not isinstance(value, bool):
        return format_number(value, language=language)
    return str(value)
