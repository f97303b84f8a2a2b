"""A venture's monthly check-in (its team answers it) and its history with the metrics over time (the team, the
cohort's mentors and the program's managers read it). Anyone else gets a 404, like every cohort page."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from cohorts import access, checkins
from cohorts.checkin_forms import CheckInForm, SkipForm
from cohorts.checkin_history import (
    answers_by_metric,
    can_read_checkins,
    chart_data,
    history_rows,
    metrics_of,
    on_team,
    venture_for_checkins,
)
from cohorts.cohort_page import cohort_page, form_errors
from cohorts.models import CheckIn


def _venture(request, slug, pk):
    cohort = access.get_cohort_for(request.user, slug)
    venture = venture_for_checkins(cohort, pk)
    if venture is None or not can_read_checkins(request.user, cohort, venture):
        raise Http404
    return cohort, venture


@login_required
def checkin_history(request, slug, pk):
    cohort, venture = _venture(request, slug, pk)
    metrics = metrics_of(venture)
    rows = history_rows(venture, metrics)
    context = {
        "venture": venture,
        "metrics": metrics,
        "numeric": [metric.is_numeric for metric in metrics],
        "rows": rows,
        "chart": chart_data(rows, metrics),
        "currency": venture.cohort.program.metric_set.currency if metrics else "",
        "can_answer": on_team(request.user, venture),
    }
    return cohort_page(request, "cohorts/checkin_history.html", cohort, context)


def _month(venture, metrics, year: int, month: int) -> datetime.date:
    try:
        first = datetime.date(year, month, 1)
    except (ValueError, OverflowError):
        raise Http404 from None
    if not metrics or not checkins.answerable(venture, first):
        raise Http404
    return first


@login_required
def checkin(request, slug, pk, year, month):
    cohort, venture = _venture(request, slug, pk)
    if not on_team(request.user, venture):
        raise Http404
    metrics = [metric for metric in metrics_of(venture) if not metric.retired]  # a retired metric is not asked
    first = _month(venture, metrics, year, month)
    current = venture.checkins.prefetch_related("answers").filter(month=first).first()
    currency = venture.cohort.program.metric_set.currency
    form = CheckInForm(request.POST or None, metrics=metrics, currency=currency, answers=answers_by_metric(current))
    skip_form = SkipForm(request.POST if request.POST.get("action") == "skip" else None)
    if request.method == "POST" and (current is None or current.status == CheckIn.Status.DRAFT):
        done = _act(request, venture, first, form, skip_form)
        if done:
            return redirect(done)
    context = {"venture": venture, "month": first, "checkin": current, "form": form, "skip_form": skip_form}
    return cohort_page(request, "cohorts/checkin.html", cohort, context)


def _act(request, venture, month, form, skip_form) -> str | None:
    """Run the posted action; the page to go to, or None to show the form again with what was typed."""
    action = request.POST.get("action")
    here = request.path
    history = reverse("cohorts:checkins", args=[venture.cohort.slug, venture.pk])
    form.is_valid()
    try:
        if action == "skip":
            skip_form.is_valid()
            checkins.checkin_skip(
                venture=venture, month=month, reason=skip_form.data.get("reason", ""), by=request.user
            )
            messages.success(request, _("The month is marked as skipped."))
            return history
        arguments = {"venture": venture, "month": month, "typed": form.typed(), "currency": form.posted_currency()}
        if action == "submit":
            checkins.checkin_submit(**arguments, by=request.user, language=translation.get_language())
            messages.success(request, _("Thank you: the check-in was sent."))
            return history
        checkins.checkin_save_draft(**arguments, by=request.user)
        messages.success(request, _("Your draft was saved."))
        return here
    except ValidationError as error:
        _show(error, form, skip_form)
        return None


def _show(error: ValidationError, form, skip_form) -> None:
    if not hasattr(error, "error_dict"):
        form_errors(form, error)
    elif "reason" in error.error_dict:
        skip_form.add_error("reason", error.error_dict["reason"])
    else:
        form.show_errors({key: list(ValidationError(value).messages) for key, value in error.error_dict.items()})
