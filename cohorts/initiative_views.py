"""A cohort's initiatives, their progress updates and milestones."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cohorts import access, selectors, services
from cohorts.cohort_page import cohort_page, form_errors
from cohorts.dates import program_today
from cohorts.forms import InitiativeForm, MilestoneForm, ProgressForm
from cohorts.models import Milestone


@login_required
def initiative_list(request, slug):
    cohort = access.get_cohort_for(request.user, slug)
    context = {"initiatives": selectors.initiatives_list(cohort), "can_create": access.can_create_initiative(cohort)}
    return cohort_page(request, "cohorts/initiatives.html", cohort, context, tab="initiatives")


@login_required
def initiative_create(request, slug):
    cohort = access.get_cohort_for(request.user, slug)
    if not access.can_create_initiative(cohort):
        raise PermissionDenied
    form = InitiativeForm(request.POST or None, cohort=cohort)
    if request.method == "POST" and form.is_valid():
        fields = {key: value for key, value in form.cleaned_data.items() if key not in ("team", "venture")}
        try:
            initiative = services.initiative_create(
                cohort=cohort,
                by=request.user,
                team=form.cleaned_data["team"],
                venture=form.cleaned_data["venture"],
                **fields,
            )
        except ValidationError as error:
            form_errors(form, error)
        else:
            return redirect("cohorts:initiative_detail", cohort.slug, initiative.pk)
    return cohort_page(request, "cohorts/initiative_form.html", cohort, {"form": form}, tab="initiatives")


@login_required
def initiative_detail(request, slug, pk):
    cohort = access.get_cohort_for(request.user, slug)
    initiative = selectors.initiative_detail(cohort, pk)
    if initiative is None:
        raise Http404
    can_edit = access.can_edit_initiative(request.user, cohort, initiative)
    today = program_today(cohort.program)
    form = ProgressForm(request.POST or None, instance=initiative, initial={"on": today})
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        if form.is_valid():
            services.initiative_progress_add(initiative=initiative, by=request.user, **form.cleaned_data)
            messages.success(request, _("The progress update was saved."))
            return redirect("cohorts:initiative_detail", cohort.slug, initiative.pk)
    context = {
        "initiative": initiative,
        "form": form,
        "milestone_form": MilestoneForm(),
        "can_edit": can_edit,
        "today": today,
    }
    return cohort_page(request, "cohorts/initiative.html", cohort, context, tab="initiatives")


@login_required
@require_POST
def milestone_create(request, slug, pk):
    cohort = access.get_cohort_for(request.user, slug)
    initiative = selectors.initiative_detail(cohort, pk)
    if initiative is None:
        raise Http404
    if not access.can_edit_initiative(request.user, cohort, initiative):
        raise PermissionDenied
    form = MilestoneForm(request.POST)
    if form.is_valid():
        services.milestone_create(initiative=initiative, by=request.user, **form.cleaned_data)
        messages.success(request, _("The milestone was added."))
    else:
        messages.error(request, _("A milestone needs a title and a due date."))
    return redirect("cohorts:initiative_detail", cohort.slug, initiative.pk)


@login_required
@require_POST
def milestone_done(request, slug, pk):
    cohort = access.get_cohort_for(request.user, slug)
    milestone = get_object_or_404(Milestone.objects.select_related("initiative"), pk=pk, initiative__cohort=cohort)
    initiative = selectors.initiative_detail(cohort, milestone.initiative_id)
    if not access.can_edit_initiative(request.user, cohort, initiative):
        raise PermissionDenied
    services.milestone_set_done(milestone=milestone, done=request.POST.get("done") == "1", by=request.user)
    return redirect("cohorts:initiative_detail", cohort.slug, initiative.pk)
