"""The alumni survey: the member's form (answered once, then shown with thanks) and the results for the program's
managers. Anyone else gets a 404, like every cohort page; the emailed link leads through sign-in (`next=`)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from cohorts import access
from cohorts.alumni import TOTALS, cohort_results, result_figures
from cohorts.alumni_forms import AlumniSurveyForm
from cohorts.alumni_survey import (
    SURVEYED,
    alumni_survey_answer,
    program_currency,
    survey_closes,
    survey_is_open,
    survey_opens,
)
from cohorts.cohort_page import cohort_page, form_errors
from cohorts.models import AlumniSurvey, Membership


def _membership(request, cohort) -> Membership:
    membership = Membership.objects.filter(cohort=cohort, person=request.user, status__in=SURVEYED).first()
    if membership is None:
        raise Http404
    return membership


@login_required
def alumni_survey(request, slug):
    cohort = access.get_cohort_for(request.user, slug)
    membership = _membership(request, cohort)
    answer = AlumniSurvey.objects.filter(membership=membership).first()
    is_open = answer is None and survey_is_open(cohort)
    currency = program_currency(cohort.program_id)
    opens = survey_opens(cohort)
    form = AlumniSurveyForm(request.POST if request.method == "POST" else None, currency=currency)
    if request.method == "POST" and _answer(request, membership, form):
        messages.success(request, _("Thank you: your answer was sent."))
        return redirect(request.path)
    context = {
        "answer": answer,
        "is_open": is_open,
        "form": form,
        "opens": opens,
        "closes": survey_closes(cohort),
        "not_yet": answer is None and opens is not None and timezone.now() < opens,
        "band": dict(form.fields["revenue_band"].choices).get(answer.revenue_band, "") if answer else "",
    }
    return cohort_page(request, "cohorts/alumni_survey.html", cohort, context, status=400 if form.errors else 200)


def _answer(request, membership, form) -> bool:
    """Send the answer; False with the messages beside their fields (what was typed stays in the form)."""
    try:
        alumni_survey_answer(
            membership=membership, typed=form.typed(), by=request.user, language=translation.get_language()
        )
    except ValidationError as error:
        form.is_valid()
        if hasattr(error, "error_dict"):
            form.show_errors(error.message_dict)
        else:
            form_errors(form, error)
        return False
    return True


@login_required
@require_safe
def alumni_results(request, slug):
    cohort = access.get_cohort_for(request.user, slug)
    if not access.can_manage(cohort):
        raise Http404
    results = cohort_results(cohort)
    totals = [(label, value) for code, label, value in result_figures(results) if code in TOTALS]
    return cohort_page(request, "cohorts/alumni_results.html", cohort, {"results": results, "totals": totals})


def dashboard_panel(request, cohort):
    """A link to the results on the cohort's manager dashboard once the survey went out (no query)."""
    opens = survey_opens(cohort)
    if opens is None or timezone.now() < opens:
        return None
    return render_to_string("cohorts/_alumni_panel.html", {"cohort": cohort, "opens": opens}, request=request)
