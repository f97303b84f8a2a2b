"""Reviewer pages (/review/) and the managers' ranking, selection and decision pages."""

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, HttpResponseForbidden
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from applications.models import ApplicationFile, Question
from applications.scoring import exports, final_views, selectors
from applications.scoring.access import (
    can_see_other_scores,
    can_use_review_pages,
    get_assignment_for,
    get_call_for_manager,
    reviewed_file_name,
)
from applications.scoring.decisions import cohort_fill, decision_skip_reason, decisions_publish, selection_apply
from applications.scoring.emails import decision_email
from applications.scoring.final import final_ranking, uses_final_ranking
from applications.scoring.forms import ConflictForm, PublishForm, ReviewForm, SelectionForm, score_field_name
from applications.scoring.models import Decision, Review, ReviewSettings
from applications.scoring.reviews import assignment_others_shown, review_lock_reason, review_save
from applications.scoring.selection import SelectionError, selection_propose
from applications.scoring.services import ScoringError, conflict_declare

RANKING_PAGE_SIZE = 50
QUEUE_PAGE_SIZE = 50


def _unfinished(assignment) -> bool:
    review = getattr(assignment, "review", None)  # the reverse one-to-one raises AttributeError when missing
    return review is None or review.status != Review.Status.SUBMITTED


@login_required
def queue(request):
    if not can_use_review_pages(request.user):
        raise PermissionDenied
    page_obj = Paginator(selectors.reviewer_queue(request.user), QUEUE_PAGE_SIZE).get_page(request.GET.get("page"))
    assignments = list(page_obj.object_list)
    if page_obj.number == 1:
        # The queue lists unfinished reviews first: the next one is the first line, unless that one is done too.
        next_up = assignments[0] if assignments and _unfinished(assignments[0]) else None
    else:
        next_up = selectors.next_assignment(request.user)
    context = {
        "assignments": assignments,
        "page_obj": page_obj,
        "next_up": next_up,
        "progress": selectors.reviewer_progress(request.user),
        "conflict_form": ConflictForm(),
    }
    return render(request, "scoring/queue.html", context)


def _answers(application, questions, *, anonymised=False):
    """(question, answer) pairs; a file question's answer is its stored file (served by `review_file`).
    Anonymised, contact details are left out."""
    files = {f.question_id: f for f in application.files.all()}
    return [
        (q, files.get(q.pk) if q.kind == Question.Kind.FILE else application.answers.get(str(q.pk)))
        for q in questions
        if not (anonymised and q.is_contact_detail)
    ]


def _initial(review: Review | None) -> dict:
    if review is None:
        return {}
    initial = {"comment": review.comment, "recommendation": review.recommendation}
    initial.update({f"score_{s.criterion_id}": s.score for s in review.scores.all()})
    return initial


def _review_saved(request, assignment, form):
    """Save the posted review; where to go next, or None when it was refused (the form then says why)."""
    submit = request.POST.get("action") == "submit"
    try:
        review_save(
            assignment=assignment,
            scores=form.scores(),
            comment=form.cleaned_data["comment"],
            recommendation=form.cleaned_data["recommendation"],
            submit=submit,
            by=request.user,
        )
    except ScoringError as error:
        form.add_error(None, error.message)
        return None
    if not submit:
        messages.success(request, _("Your draft review is saved."))
        return redirect("scoring:review", pk=assignment.pk)
    messages.success(request, _("Your review is submitted."))
    following = selectors.next_assignment(request.user, after=assignment)
    return redirect("scoring:review", pk=following.pk) if following else redirect("scoring:queue")


def _review_context(request, assignment, criteria, form, own) -> dict:
    call = assignment.call
    review_settings = selectors.settings_for(call)
    others_allowed = can_see_other_scores(assignment)
    # After submitting, the others' scores are shown only when the reviewer asks (`others`): seeing them makes
    # their own review final, so that must not happen by coming back to fix a typo.
    ask_first = (
        others_allowed
        and review_settings.others_visible == ReviewSettings.Visibility.AFTER_SUBMIT
        and assignment.others_seen_at is None
    )
    anonymised = review_settings.anonymised
    answers = _answers(assignment.application, call.questions.all(), anonymised=anonymised)
    return {
        "assignment": assignment,
        "application": assignment.application,
        "call": call,
        "form": form,
        "own": own,
        "anonymised": anonymised,
        "answers": [
            (q, a, reviewed_file_name(a, anonymised=anonymised) if q.kind == Question.Kind.FILE and a else "")
            for q, a in answers
        ],
        "locked": review_lock_reason(assignment=assignment, review=own, by=request.user),
        "others_allowed": others_allowed,
        "ask_first": ask_first,
        "others": list(selectors.other_reviews(assignment)) if others_allowed and not ask_first else [],
        "deadline": review_settings.review_deadline,
        "visibility": review_settings.others_visible,
        "next_up": selectors.next_assignment(request.user, after=assignment),
        "score_names": [score_field_name(c) for c in criteria],
    }


@login_required
def review(request, pk):
    assignment = get_assignment_for(request.user, pk)
    criteria = [c for c in assignment.call.criteria_set.all() if c.stage == assignment.stage]
    own = getattr(assignment, "review", None)
    form = ReviewForm(request.POST or None, criteria=criteria, initial=_initial(own))
    status = 200
    if request.method == "POST" and review_lock_reason(assignment=assignment, review=own, by=request.user):
        form = ReviewForm(None, criteria=criteria, initial=_initial(own))  # the page says why (`locked`)
        status = 400
    elif request.method == "POST":
        if form.is_valid() and (saved := _review_saved(request, assignment, form)):
            return saved
        status = 400
        own = getattr(assignment, "review", None)
    context = _review_context(request, assignment, criteria, form, own)
    return render(request, "scoring/review.html", context, status=status)


@login_required
def review_file(request, pk, file_pk):
    """An uploaded file of an application assigned to this reviewer, through the same gate as the review."""
    assignment = get_assignment_for(request.user, pk)
    stored = get_object_or_404(ApplicationFile, pk=file_pk, application_id=assignment.application_id)
    name = reviewed_file_name(stored, anonymised=selectors.settings_for(assignment.call).anonymised)
    return FileResponse(stored.file.open("rb"), as_attachment=True, filename=name, content_type=stored.content_type)


@login_required
@require_POST
def conflict_by_email(request):
    """A reviewer declares a conflict with a person, before or after being assigned to their application."""
    if not can_use_review_pages(request.user):
        raise PermissionDenied
    form = ConflictForm(request.POST)
    if form.is_valid():
        conflict_declare(reviewer=request.user, email=form.cleaned_data["email"], reason=form.cleaned_data["reason"])
        messages.info(request, _("Conflict of interest declared: you will not be assigned this person's applications."))
    else:
        messages.error(request, _("Enter the email address of the person you have a conflict of interest with."))
    return redirect("scoring:queue")


@login_required
def others(request, pk):
    assignment = get_assignment_for(request.user, pk)
    if not can_see_other_scores(assignment):
        body = _("You can see the other reviewers' scores only when this call allows it: after submitting yours.")
        if selectors.settings_for(assignment.call).others_visible == "never":
            body = _("In this call, reviewers do not see each other's scores.")
        return HttpResponseForbidden(render_to_string("scoring/refused.html", {"message": body}, request=request))
    others = list(selectors.other_reviews(assignment))
    if others:
        assignment_others_shown(assignment=assignment, by=request.user)
    return render(request, "scoring/others.html", {"assignment": assignment, "others": others})


@login_required
@require_POST
def conflict(request, pk):
    assignment = get_assignment_for(request.user, pk)
    following = selectors.next_assignment(request.user, after=assignment)
    conflict_declare(
        reviewer=request.user, application=assignment.application, reason=request.POST.get("reason", "").strip()
    )
    messages.info(request, _("Conflict of interest declared: this application is no longer assigned to you."))
    return redirect("scoring:review", pk=following.pk) if following else redirect("scoring:queue")


def _positive_int(value: str | None) -> int | None:
    """A plain ASCII number of at most 9 digits (so it fits any integer column), else None: "²", "-1", "1e9",
    "99999999999999999999" are ignored rather than failing the page."""
    return int(value) if value and re.fullmatch(r"[0-9]{1,9}", value) else None


def _ranking_params(request) -> dict:
    return {
        "region_id": _positive_int(request.GET.get("region")),
        "status": request.GET.get("status", "") if request.GET.get("status") in selectors.STATUS_FILTERS else "",
        "order": request.GET.get("sort", "rank") if request.GET.get("sort") in selectors.SORT_COLUMNS else "rank",
        "descending": request.GET.get("dir") == "desc",
    }


def _page_columns(normalise: bool) -> set[str]:
    """The ranking page's columns: without normalisation the score is the mean, shown once as "Score"; with it,
    the raw mean and the normalised score (which ranks) side by side."""
    hidden = {"score"} if normalise else {"mean", "normalised"}
    return {key for key, _title, _value in exports.COLUMNS} - hidden


def _sort_headers(request, params, columns: set[str]) -> list[tuple[str, str, bool, bool, str]]:
    """(title, link, active, descending, key) per column; a second click on the active column reverses it."""
    keep = {k: request.GET[k] for k in ("view", "region", "status") if request.GET.get(k)}
    headers = []
    for key, title, _value in exports.COLUMNS:
        if key not in columns:
            continue
        active = params["order"] == key
        descending = not params["descending"] if active else key not in ("rank", "name", "region")
        link = "?" + urlencode({**keep, "sort": key, "dir": "desc" if descending else "asc"})
        headers.append((title, link, active, params["descending"] if active else False, key))
    return headers


@login_required
def ranking(request, slug):
    call = get_call_for_manager(request.user, slug)
    params = _ranking_params(request)
    page_number = max(_positive_int(request.GET.get("page")) or 1, 1)
    if final_views.shows_final(call, request):
        return final_views.final_page(request, call, params=params, page_number=page_number)
    rows = selectors.ranking(call, **params, limit=RANKING_PAGE_SIZE, offset=(page_number - 1) * RANKING_PAGE_SIZE)
    total = rows[0].total if rows else 0
    if not rows and page_number > 1:
        # Past the last page (an old or edited link): show the last page instead.
        first = selectors.ranking(call, **params, limit=1)
        total = first[0].total if first else 0
        page_number = max(1, -(-total // RANKING_PAGE_SIZE))
        rows = selectors.ranking(call, **params, limit=RANKING_PAGE_SIZE, offset=(page_number - 1) * RANKING_PAGE_SIZE)
    paginator = Paginator(range(total), RANKING_PAGE_SIZE)
    review_settings = selectors.settings_for(call)
    columns = _page_columns(review_settings.normalise)
    context = {
        "call": call,
        "rows": rows,
        "total": total,
        "page": paginator.get_page(page_number) if total else None,
        "params": params,
        "regions": call.cohort.program.regions.all(),
        "review_settings": review_settings,
        "columns": columns,
        "headers": _sort_headers(request, params, columns),
        "filters": urlencode(
            {k: request.GET[k] for k in ("view", "region", "status", "sort", "dir") if request.GET.get(k)}
        ),
    }
    return render(request, "scoring/ranking.html", context)


@login_required
def ranking_csv(request, slug):
    call = get_call_for_manager(request.user, slug)
    if final_views.shows_final(call, request):
        return final_views.final_export(request, call, _ranking_params(request), "csv")
    return exports.ranking_export(request, call, selectors.ranking(call, **_ranking_params(request)), "csv")


@login_required
def ranking_xlsx(request, slug):
    call = get_call_for_manager(request.user, slug)
    if final_views.shows_final(call, request):
        return final_views.final_export(request, call, _ranking_params(request), "xlsx")
    return exports.ranking_export(request, call, selectors.ranking(call, **_ranking_params(request)), "xlsx")


@login_required
def selection(request, slug):
    call = get_call_for_manager(request.user, slug)
    regions = list(call.cohort.program.regions.all())
    quotas = {q.region_id: q for q in call.quotas.all()}
    data = request.POST if request.method == "POST" else (request.GET if "seats" in request.GET else None)
    form = SelectionForm(data, regions=regions, quotas=quotas, initial={"seats": call.seats, "waitlist_size": 10})
    proposal, problems = None, []
    # A call with scored interviews selects by its final ranking (both stages, weighted).
    final = uses_final_ranking(call)
    if data is not None and form.is_valid():
        try:
            proposal = selection_propose(
                rows=final_ranking(call) if final else selectors.ranking_positions(call),
                seats=form.cleaned_data["seats"],
                quotas=form.quotas(),
                waitlist_size=form.cleaned_data["waitlist_size"],
            )
        except SelectionError as error:
            problems = error.problems
    if request.method == "POST" and proposal is not None:
        try:
            selection_apply(call=call, proposal=proposal, by=request.user)
        except ScoringError as error:
            problems = [error.message]
        else:
            messages.success(request, _("The proposal is recorded as pending decisions. Review them, then publish."))
            return redirect("scoring:decisions", slug=call.slug)
    if proposal is not None:
        shown = [line.row.id for line in proposal.shown]
        proposal.rows_show(final_ranking(call, ids=shown) if final else selectors.ranking(call, ids=shown))
    context = {"call": call, "form": form, "proposal": proposal, "problems": problems, "final": final}
    return render(request, "scoring/selection.html", context, status=400 if problems else 200)


def _publish_as_asked(request, call, form):
    """Publish as the form asks: where to go next, or (None, the refusal to show on the page)."""
    try:
        result = decisions_publish(
            call=call, by=request.user, override=form.cleaned_data["override"], reason=form.cleaned_data["reason"]
        )
    except ScoringError as error:
        call.refresh_from_db(fields=["decisions_published_at"])
        return None, error.message
    messages.success(
        request, _("%(count)s decisions published; the applicants are being told.") % {"count": result.published}
    )
    for application, reason in result.skipped:
        messages.warning(
            request,
            _("Not published for %(name)s: %(reason)s. The decision is cancelled.")
            % {"name": application.full_name or application.applicant, "reason": reason},
        )
    return redirect("scoring:decisions", slug=call.slug), ""


def _decisions_context(call) -> dict:
    pending = list(
        Decision.objects.filter(call=call)
        .exclude(status=Decision.Status.CANCELLED)  # withdrawn applicants: their history keeps the decision
        .select_related("application__applicant", "application__region", "application__call__cohort__program")
        .order_by("outcome", "waitlist_position", "application__full_name")
    )
    # One preview per outcome and language actually used, as each applicant will receive it.
    previews, seen = [], set()
    for decision in pending:
        key = (decision.outcome, decision.application.applicant.preferred_language)
        if key not in seen:
            seen.add(key)
            previews.append((decision, key[1], decision_email(decision.application, *key)))
    counts = {o: sum(1 for d in pending if d.outcome == o) for o in Decision.Outcome.values}
    published = call.decisions_published_at is not None
    fill = None
    if not published:
        fill = cohort_fill(
            call=call,
            decisions=[d for d in pending if d.status == Decision.Status.PENDING and not decision_skip_reason(d)],
        )
    return {
        "call": call,
        "decisions": pending,
        "previews": previews,
        "counts": counts,
        "published": published,
        "over_seats": counts["accept"] > call.seats,
        "fill": fill,
    }


@login_required
def decisions(request, slug):
    """The decisions and, before publishing, what publishing would make of the call's cohort. A refusal (already
    published, a finished cohort, past its places) re-renders the page with a 400 and the form as typed, as the
    selection page does."""
    call = get_call_for_manager(request.user, slug)
    form = PublishForm(request.POST if request.method == "POST" else None)
    status, refusal = 200, ""
    if request.method == "POST":
        if form.is_valid():
            published, refusal = _publish_as_asked(request, call, form)
            if published:
                return published
        status = 400
    context = {**_decisions_context(call), "form": form, "refusal": refusal, "may_override": request.user.is_superuser}
    return render(request, "scoring/decisions.html", context, status=status)
