"""The cohort's board: members' offers and needs, and the answers to them."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from cohorts import access, selectors, services
from cohorts.cohort_page import cohort_page
from cohorts.forms import AnswerForm, PostForm
from incubator import ratelimit
from incubator.ratelimit import email_request_allowed

BOARD_PAGE_SIZE = 20


@login_required
def board(request, slug):
    cohort = access.get_cohort_for(request.user, slug)
    kind = request.GET.get("kind", "")
    form = PostForm(request.POST or None)
    if request.method == "POST":
        if not access.can_post(cohort):
            raise PermissionDenied
        if form.is_valid():
            post = services.post_create(cohort=cohort, author=request.user, **form.cleaned_data)
            messages.success(request, _("Your post is on the board."))
            return redirect("cohorts:post_detail", cohort.slug, post.pk)
    kind = kind if kind in ("offer", "need") else ""
    page_obj = Paginator(selectors.board_posts(cohort, kind=kind), BOARD_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "posts": page_obj.object_list,
        "page_obj": page_obj,
        "query": f"kind={kind}" if kind else "",
        "form": form,
        "kind": kind,
        "can_post": access.can_post(cohort),
    }
    return cohort_page(request, "cohorts/board.html", cohort, context, tab="board")


@login_required
def post_detail(request, slug, pk):
    cohort = access.get_cohort_for(request.user, slug)
    post = selectors.post_with_answers(cohort, pk)
    if post is None:
        raise Http404
    form = AnswerForm(request.POST or None)
    if request.method == "POST":
        if not access.can_answer(cohort):
            raise PermissionDenied
        if form.is_valid() and not email_request_allowed(
            action="board_answer", person=request.user, target=post.author_id
        ):
            form.add_error(None, ratelimit.REFUSED)
            context = {"post": post, "form": form, "can_answer": access.can_answer(cohort)}
            return cohort_page(request, "cohorts/post.html", cohort, context, tab="board", status=429)
        if form.is_valid():
            services.answer_create(post=post, author=request.user, body=form.cleaned_data["body"])
            messages.success(request, _("Your answer was posted; the author will get an email."))
            return redirect("cohorts:post_detail", cohort.slug, post.pk)
    context = {"post": post, "form": form, "can_answer": access.can_answer(cohort)}
    return cohort_page(request, "cohorts/post.html", cohort, context, tab="board")
