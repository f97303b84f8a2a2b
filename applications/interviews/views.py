"""The managers' interview pages of a call: the plan (panel and availability), the shortlist, and the list of
interviews with what is recorded of each. Program managers of the call's program only
(`get_call_for_manager`)."""

from zoneinfo import ZoneInfo

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from applications.interviews import selectors
from applications.interviews.forms import ChosenForm, PanelForm, ShortlistForm
from applications.interviews.models import Interview
from applications.interviews.services import (
    InterviewError,
    interview_plan_save,
    interview_record,
    interviews_shortlist,
    record_refusal,
)
from applications.scoring import selectors as scoring_selectors
from applications.scoring.access import get_call_for_manager
from applications.scoring.selection import SelectionError, selection_propose
from cohorts.availability_forms import (
    AvailabilitySettingsForm,
    ExceptionFormSet,
    WindowFormSet,
    exceptions_initial,
    settings_initial,
    windows_initial,
)

# The ranking's first rows offered for ticking by hand; the "top N" proposal adds any it picks further down.
SHORTLIST_ROWS = 100


def _has_stage(call) -> bool:
    review_settings = getattr(call, "review_settings", None)  # the reverse one-to-one raises when missing
    return review_settings is not None and review_settings.has_interview


@login_required
def interview_list(request, slug):
    call = get_call_for_manager(request.user, slug)
    context = {
        "call": call,
        "has_stage": _has_stage(call),
        "plan": selectors.plan_summary(call),
        "interviews": selectors.interview_list(call),
        "zone": ZoneInfo(str(request.user.time_zone)),
        "now": timezone.now(),
    }
    return render(request, "interviews/list.html", context)


def _shortlist_rows(call, proposed: list[int]) -> list:
    rows = scoring_selectors.ranking(call, limit=SHORTLIST_ROWS)
    further = [pk for pk in proposed if pk not in {row.id for row in rows}]
    if further:
        rows += scoring_selectors.ranking(call, ids=further)
    return rows


def _shortlist_page(request, call, *, form, chosen_form=None, proposed=(), problems=(), notes=(), status=200):
    interviews = selectors.interviews_for_call(call)
    context = {
        "call": call,
        "has_stage": _has_stage(call),
        "has_plan": selectors.plan_summary(call) is not None,
        "form": form,
        "chosen_form": chosen_form,
        "lines": [(row, interviews.get(row.id)) for row in _shortlist_rows(call, list(proposed))],
        "proposed": set(proposed) - set(interviews),
        "problems": problems,
        "notes": notes,
    }
    return render(request, "interviews/shortlist.html", context, status=status)


@login_required
def shortlist(request, slug):
    call = get_call_for_manager(request.user, slug)
    regions = list(call.cohort.program.regions.all())
    quotas = {quota.region_id: quota for quota in call.quotas.all()}
    form = ShortlistForm(request.GET if "top" in request.GET else None, regions=regions, quotas=quotas)
    if request.method == "POST":
        positions = scoring_selectors.ranking_positions(call)
        chosen_form = ChosenForm(request.POST, ids=[row.id for row in positions])
        if not chosen_form.is_valid():
            return _shortlist_page(request, call, form=form, chosen_form=chosen_form, status=400)
        chosen = scoring_selectors.ranking(call, ids=chosen_form.cleaned_data["chosen"])
        if "confirm" not in request.POST:
            return render(request, "interviews/shortlist_confirm.html", {"call": call, "rows": chosen})
        try:
            created = interviews_shortlist(
                call=call, applications=call.applications.filter(pk__in=[row.id for row in chosen]), by=request.user
            )
        except InterviewError as error:
            return _shortlist_page(request, call, form=form, problems=[error.message], status=400)
        messages.success(request, _("%(count)s applicants invited to book an interview.") % {"count": len(created)})
        for left_out in created.left_out:
            messages.warning(request, left_out)
        return redirect("interviews:list", slug=call.slug)
    proposed, problems, notes = [], [], []
    if form.is_bound and form.is_valid():
        try:
            proposal = selection_propose(
                rows=scoring_selectors.ranking_positions(call),
                seats=form.cleaned_data["top"],
                quotas=form.quotas(),
                waitlist_size=0,
            )
        except SelectionError as error:
            problems = error.problems
        else:
            proposed = [line.row.id for line in proposal.accepted]
            notes = proposal.notes
    status = 400 if problems or (form.is_bound and not form.is_valid()) else 200
    return _shortlist_page(request, call, form=form, proposed=proposed, problems=problems, notes=notes, status=status)


OUTCOME_WORDS = {
    Interview.Status.HELD: (gettext_lazy("Record this interview as held?"), gettext_lazy("Record as held")),
    Interview.Status.NO_SHOW: (
        gettext_lazy("Record that the applicant did not come?"),
        gettext_lazy("Record a no-show"),
    ),
    Interview.Status.CANCELLED: (
        gettext_lazy("Cancel this interview? The applicant is told by email."),
        gettext_lazy("Cancel the interview"),
    ),
}


@login_required
def record(request, slug, pk, outcome):
    """Held, no-show or cancelled: a confirmation (GET), then the change (POST)."""
    call = get_call_for_manager(request.user, slug)
    interview = get_object_or_404(
        Interview.objects.select_related("application__applicant", "plan__availability"), pk=pk, plan__call=call
    )
    refusal = ""
    if request.method == "POST":
        try:
            interview_record(interview=interview, outcome=outcome, by=request.user)
        except InterviewError as error:
            refusal = error.message
        else:
            messages.success(request, _("Recorded."))
            return redirect("interviews:list", slug=call.slug)
    else:
        refusal = record_refusal(interview, outcome, timezone.now())
    context = {
        "call": call,
        "interview": interview,
        "outcome": outcome,
        "question": OUTCOME_WORDS[outcome][0],
        "button": OUTCOME_WORDS[outcome][1],
        "refusal": refusal,
        "zone": ZoneInfo(str(request.user.time_zone)),
    }
    return render(request, "interviews/record.html", context, status=400 if refusal else 200)


@login_required
def plan(request, slug):
    """The panel and the panel's availability: weekly windows, exceptions, slot length, notice, horizon, zone."""
    call = get_call_for_manager(request.user, slug)
    if not _has_stage(call):
        return render(request, "interviews/plan.html", {"call": call, "has_stage": False})
    current = selectors.plan_for(call)
    availability = current.availability if current else None
    data = request.POST if request.method == "POST" else None
    bound = {
        "panel_form": PanelForm(
            data,
            people=selectors.panel_candidates(call),
            initial={"panel": list(current.panel.all()) if current else [request.user]},
        ),
        "settings_form": AvailabilitySettingsForm(
            data, prefix="settings", initial=settings_initial(availability, time_zone=str(request.user.time_zone))
        ),
        "windows": WindowFormSet(data, prefix="windows", initial=windows_initial(availability)),
        "exceptions": ExceptionFormSet(
            data, prefix="exceptions", initial=exceptions_initial(availability, since=timezone.localdate())
        ),
    }
    problem = ""
    if data is not None and all(form.is_valid() for form in bound.values()):
        try:
            interview_plan_save(
                call=call,
                panel=bound["panel_form"].cleaned_data["panel"],
                settings=bound["settings_form"].cleaned_data,
                windows=bound["windows"].rows(),
                exceptions=bound["exceptions"].rows(),
                by=request.user,
            )
        except InterviewError as error:
            problem = error.message
        except ValidationError as error:
            problem = " ".join(error.messages)
        else:
            messages.success(request, _("The interview plan is saved."))
            return redirect("interviews:list", slug=call.slug)
    context = {"call": call, "has_stage": True, "plan": current, "problem": problem, **bound}
    return render(request, "interviews/plan.html", context, status=200 if data is None else 400)
