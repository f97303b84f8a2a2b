"""The final ranking page of a call with an interview stage (the written score, the interview score and their
weighted combination, each line explained), its interview weight form and its export."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from applications.scoring import exports, selectors
from applications.scoring.access import get_call_for_manager
from applications.scoring.final import final_ranking
from applications.scoring.forms import InterviewWeightForm
from applications.scoring.interview import interview_weight_set
from applications.scoring.services import ScoringError

PAGE_SIZE = 50


def shows_final(call, request) -> bool:
    """A call with an interview stage shows its final ranking, unless the written one is asked for."""
    return selectors.settings_for(call).has_interview and request.GET.get("view") != "written"


def final_page(request, call, *, params: dict, page_number: int, form=None, status: int = 200):
    shape = {k: params[k] for k in ("region_id", "status")}
    rows = final_ranking(call, **shape, limit=PAGE_SIZE, offset=(page_number - 1) * PAGE_SIZE)
    if not rows and page_number > 1:
        # Past the last page (an old or edited link): show the last page instead.
        first = final_ranking(call, **shape, limit=1)
        page_number = max(1, -(-(first[0].total if first else 0) // PAGE_SIZE))
        rows = final_ranking(call, **shape, limit=PAGE_SIZE, offset=(page_number - 1) * PAGE_SIZE)
    total = rows[0].total if rows else 0
    review_settings = selectors.settings_for(call)
    context = {
        "call": call,
        "rows": rows,
        "total": total,
        "page": Paginator(range(total), PAGE_SIZE).get_page(page_number) if total else None,
        "params": params,
        "regions": call.cohort.program.regions.all(),
        "review_settings": review_settings,
        "written_weight": 100 - review_settings.interview_weight,
        "weight_form": form or InterviewWeightForm(initial={"interview_weight": review_settings.interview_weight}),
        "filters": urlencode({k: request.GET[k] for k in ("region", "status") if request.GET.get(k)}),
    }
    return render(request, "scoring/final_ranking.html", context, status=status)


def final_export(request, call, params: dict, fmt: str):
    rows = final_ranking(call, region_id=params["region_id"], status=params["status"])
    return exports.final_export(request, call, rows, fmt)


@login_required
@require_POST
def interview_weight(request, slug):
    call = get_call_for_manager(request.user, slug)
    form = InterviewWeightForm(request.POST)
    if form.is_valid():
        try:
            interview_weight_set(call=call, weight=form.cleaned_data["interview_weight"], by=request.user)
        except ScoringError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The interview's weight is saved: the final ranking follows it."))
            return redirect("scoring:ranking", slug=call.slug)
    params = {"region_id": None, "status": "", "order": "rank", "descending": False}
    return final_page(request, call, params=params, page_number=1, form=form, status=400)
