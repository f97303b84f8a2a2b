"""A cohort's ventures and their teams."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from cohorts import access, selectors, services
from cohorts.checkin_history import can_read_checkins
from cohorts.cohort_page import cohort_page, form_errors
from cohorts.forms import TeamMemberForm, VentureForm


@login_required
def venture_detail(request, slug, pk):
    cohort = access.get_cohort_for(request.user, slug)
    venture = selectors.venture_detail(cohort, pk)
    if venture is None:
        raise Http404
    can_edit = access.can_edit_venture(request.user, cohort, venture)
    form = TeamMemberForm(request.POST or None)
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.venture_member_add(venture=venture, by=request.user, **form.cleaned_data)
            except ValidationError as error:
                form_errors(form, error)
            else:
                messages.success(request, _("The team member was added."))
                return redirect("cohorts:venture_detail", cohort.slug, venture.pk)
    context = {
        "venture": venture,
        "form": form,
        "can_edit": can_edit,
        "can_read_checkins": can_read_checkins(request.user, cohort, venture),
    }
    return cohort_page(request, "cohorts/venture.html", cohort, context)


@login_required
def venture_create(request, slug):
    cohort = access.get_cohort_for(request.user, slug)
    if not access.can_create_venture(cohort):
        raise PermissionDenied
    form = VentureForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            venture = services.venture_create(cohort=cohort, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form_errors(form, error)
        else:
            return redirect("cohorts:venture_detail", cohort.slug, venture.pk)
    return cohort_page(request, "cohorts/venture_form.html", cohort, {"form": form})


@login_required
def venture_edit(request, slug, pk):
    cohort = access.get_cohort_for(request.user, slug)
    venture = selectors.venture_detail(cohort, pk)
    if venture is None:
        raise Http404
    if not access.can_edit_venture(request.user, cohort, venture):
        raise PermissionDenied
    form = VentureForm(request.POST or None, instance=venture)
    if request.method == "POST" and form.is_valid():
        try:
            services.venture_update(venture=venture, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _("The venture was saved."))
            return redirect("cohorts:venture_detail", cohort.slug, venture.pk)
    return cohort_page(request, "cohorts/venture_form.html", cohort, {"form": form, "venture": venture})
