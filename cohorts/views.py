"""Thin views: `get_cohort_for` is every view's one gate (404 for outsiders), then a form and a service."""

import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cohorts import access, dashboard_panels, member_invitations, selectors, services
from cohorts.dates import program_today
from cohorts.forms import (
    AnswerForm,
    DirectoryFilterForm,
    InitiativeForm,
    InviteForm,
    MilestoneForm,
    PostForm,
    ProfileForm,
    ProgressForm,
    StatusForm,
    TeamMemberForm,
    VentureForm,
)
from cohorts.models import MemberProfile, Membership, Milestone, ProgramRoleInvitation
from cohorts.photos import sniff_photo
from incubator import ratelimit
from incubator.csv import csv_writer_row
from incubator.ratelimit import email_request_allowed

BOARD_PAGE_SIZE = 20
# A country-wide cohort has hundreds of members: 30 cards a page keep the page light (see docs/performance.md).
DIRECTORY_PAGE_SIZE = 30


def _page(request, template: str, cohort, context: dict, tab: str = "", status: int = 200):
    return render(request, template, {"cohort": cohort, "tab": tab, **context}, status=status)


def _require_manager(cohort) -> None:
    if not access.can_manage(cohort):
        raise PermissionDenied


def _form_errors(form, error: ValidationError) -> None:
    for message in error.messages:
        form.add_error(None, message)


@login_required
def cohort_index(request):
    return render(request, "cohorts/index.html", {"cohorts": access.cohorts_for(request.user)})


@login_required
def directory(request, slug):
    cohort = access.get_cohort_for(request.user, slug)
    regions = list(cohort.program.regions.all())
    form = DirectoryFilterForm(request.GET or None, regions=regions, skills=selectors.directory_skills(cohort))
    filters = form.cleaned_data if form.is_valid() else {}
    members = selectors.directory_members(
        cohort,
        q=filters.get("q", ""),
        field=filters.get("field", ""),
        skill=filters.get("skill", ""),
        region_id=filters.get("region"),
    )
    page_obj = Paginator(members, DIRECTORY_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "members": page_obj.object_list,
        "page_obj": page_obj,
        # The pager's links keep the filters.
        "query": urlencode({k: v for k, v in request.GET.items() if k != "page" and k in form.fields and v}),
        "filtered": bool(filters and any(filters.values())),
    }
    return _page(request, "cohorts/directory.html", cohort, context, tab="directory")


@login_required
def profile_edit(request, slug):
    cohort = access.get_cohort_for(request.user, slug)
    if not cohort.viewer_is_member:
        raise PermissionDenied
    profile = MemberProfile.objects.filter(user=request.user).first() or MemberProfile(user=request.user)
    form = ProfileForm(request.POST or None, request.FILES or None, instance=profile)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your profile was saved."))
        return redirect("cohorts:directory", cohort.slug)
    return _page(request, "cohorts/profile_form.html", cohort, {"form": form}, tab="directory")


@login_required
def member_photo(request, slug, user_id):
    """Photos are private to the cohort: served only to those who may open its directory."""
    cohort = access.get_cohort_for(request.user, slug)
    profile = get_object_or_404(
        MemberProfile,
        user_id=user_id,
        user__memberships__cohort=cohort,
        user__memberships__status__in=access.COMMUNITY_STATUSES,
    )
    if not profile.photo:
        raise Http404
    photo = profile.photo.open("rb")
    # The bytes decide the content type, never the stored name: anything that is not a photo is not served.
    mime = sniff_photo(photo)
    if mime is None:
        photo.close()
        raise Http404
    response = FileResponse(photo, content_type=mime)
    response["Cache-Control"] = "private, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


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
                _form_errors(form, error)
            else:
                messages.success(request, _("The team member was added."))
                return redirect("cohorts:venture_detail", cohort.slug, venture.pk)
    return _page(request, "cohorts/venture.html", cohort, {"venture": venture, "form": form, "can_edit": can_edit})


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
            _form_errors(form, error)
        else:
            return redirect("cohorts:venture_detail", cohort.slug, venture.pk)
    return _page(request, "cohorts/venture_form.html", cohort, {"form": form})


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
            _form_errors(form, error)
        else:
            messages.success(request, _("The venture was saved."))
            return redirect("cohorts:venture_detail", cohort.slug, venture.pk)
    return _page(request, "cohorts/venture_form.html", cohort, {"form": form, "venture": venture})


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
    return _page(request, "cohorts/board.html", cohort, context, tab="board")


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
            return _page(request, "cohorts/post.html", cohort, context, tab="board", status=429)
        if form.is_valid():
            services.answer_create(post=post, author=request.user, body=form.cleaned_data["body"])
            messages.success(request, _("Your answer was posted; the author will get an email."))
            return redirect("cohorts:post_detail", cohort.slug, post.pk)
    context = {"post": post, "form": form, "can_answer": access.can_answer(cohort)}
    return _page(request, "cohorts/post.html", cohort, context, tab="board")


@login_required
def initiative_list(request, slug):
    cohort = access.get_cohort_for(request.user, slug)
    context = {"initiatives": selectors.initiatives_list(cohort), "can_create": access.can_create_initiative(cohort)}
    return _page(request, "cohorts/initiatives.html", cohort, context, tab="initiatives")


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
            _form_errors(form, error)
        else:
            return redirect("cohorts:initiative_detail", cohort.slug, initiative.pk)
    return _page(request, "cohorts/initiative_form.html", cohort, {"form": form}, tab="initiatives")


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
    return _page(request, "cohorts/initiative.html", cohort, context, tab="initiatives")


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


@login_required
def dashboard(request, slug):
    cohort = access.get_cohort_for(request.user, slug)
    _require_manager(cohort)
    figures = selectors.dashboard(cohort, today=program_today(cohort.program))
    context = {
        "figures": figures,
        "chart_data": _chart_data(figures),
        "members": selectors.members_table(cohort),
        "invitations": member_invitations.pending_member_invitations(cohort),
        "extra_panels": dashboard_panels.render_panels(request, cohort),
    }
    return _page(request, "cohorts/dashboard.html", cohort, context, tab="dashboard")


def _chart_data(figures: dict) -> dict:
    """The dashboard's figures as Chart.js series, labels already in the page's language."""

    def one_series(rows, label):
        return {
            "labels": [str(row[-2]) for row in rows],
            "datasets": [{"label": label, "values": [row[-1] for row in rows]}],
        }

    milestones = figures["milestones"]
    return {
        "status": one_series(figures["by_status"], _("Members")),
        "region": one_series([(name or _("no region"), n) for name, n in figures["by_region"]], _("Members")),
        "milestones": {
            "labels": [_("Due so far"), _("All")],
            "datasets": [
                {"label": _("Done"), "values": [milestones["done_of_due"], milestones["done"]], "color": "#3f8f6b"},
                {
                    "label": _("Not done"),
                    "values": [milestones["due"] - milestones["done_of_due"], milestones["total"] - milestones["done"]],
                    "color": "#b5473a",
                },
            ],
        },
        "initiatives": one_series(figures["initiatives"], _("Initiatives")),
    }


@login_required
def members_csv(request, slug):
    cohort = access.get_cohort_for(request.user, slug)
    _require_manager(cohort)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{cohort.slug}-members.csv"'
    response.write("\ufeff")  # so spreadsheet programs read Hebrew and Arabic names as UTF-8
    writer = csv.writer(response)
    # Every cell goes through `spreadsheet_safe`: a name like "=HYPERLINK(...)" stays text in a spreadsheet.
    writer.writerow(
        csv_writer_row(
            [
                _("Name"),
                _("Email address"),
                _("Status"),
                _("Region"),
                _("Started on"),
                _("Ended on"),
                _("Reason for the status"),
                _("Field"),
                _("Ventures"),
                _("Contact phone"),
            ]
        )
    )
    for membership in selectors.members_table(cohort):
        profile = getattr(membership.person, "member_profile", None)
        writer.writerow(
            csv_writer_row(
                [
                    membership.person.name,
                    membership.person.email,
                    membership.get_status_display(),
                    membership.region.name if membership.region else "",
                    membership.started_on or "",
                    membership.ended_on or "",
                    membership.status_reason,
                    profile.get_field_display() if profile else "",
                    "; ".join(member.venture.name for member in membership.person.cohort_ventures),
                    # Phone numbers leave the portal only with the member's consent.
                    profile.contact_phone if profile and profile.contact_consent else "",
                ]
            )
        )
    return response


@login_required
def member_invite(request, slug):
    """Inviting answers "Invitation sent" for every address, an account's or not, and nobody joins the cohort until
    the invited address's account accepts: the page never tells whether, or whose, an account has that address."""
    cohort = access.get_cohort_for(request.user, slug)
    _require_manager(cohort)
    form = InviteForm(request.POST or None, cohort=cohort)
    if request.method == "POST" and form.is_valid():
        address = form.cleaned_data["email"]
        if not email_request_allowed(action="member_invite", person=request.user, target=address):
            form.add_error(None, ratelimit.REFUSED)
            return _page(request, "cohorts/invite.html", cohort, {"form": form}, tab="dashboard", status=429)
        try:
            member_invitations.membership_invite(cohort=cohort, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("Invitation sent to %(email)s.") % {"email": address})
            return redirect("cohorts:dashboard", cohort.slug)
    return _page(request, "cohorts/invite.html", cohort, {"form": form}, tab="dashboard")


@login_required
@require_POST
def member_invitation_revoke(request, slug, pk):
    cohort = access.get_cohort_for(request.user, slug)
    _require_manager(cohort)
    invitation = get_object_or_404(ProgramRoleInvitation, pk=pk, cohort=cohort, role=ProgramRoleInvitation.Role.MEMBER)
    if member_invitations.membership_invitation_revoke(invitation=invitation, by=request.user):
        messages.success(request, _("Invitation to %(email)s withdrawn.") % {"email": invitation.email})
    return redirect("cohorts:dashboard", cohort.slug)


@login_required
def membership_status(request, slug, pk):
    cohort = access.get_cohort_for(request.user, slug)
    _require_manager(cohort)
    membership = get_object_or_404(Membership.objects.select_related("person"), pk=pk, cohort=cohort)
    form = StatusForm(request.POST or None, membership=membership, initial={"on": program_today(cohort.program)})
    if request.method == "POST" and form.is_valid():
        try:
            services.membership_status_change(membership=membership, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("The membership status was changed."))
            return redirect("cohorts:dashboard", cohort.slug)
    context = {"membership": membership, "form": form}
    return _page(request, "cohorts/membership_status.html", cohort, context, tab="dashboard")
