"""The cohort's manager pages: the dashboard, the members' list and export, member invitations, status changes.

Every cohort page passes `get_cohort_for` first, its one gate (404 for outsiders); see cohorts/access.py."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cohorts import access, dashboard_panels, member_invitations, selectors, services
from cohorts.cohort_page import cohort_page, form_errors, require_manager
from cohorts.dates import program_today
from cohorts.forms import InviteForm, MemberNoteForm, StatusForm
from cohorts.models import Membership, ProgramRoleInvitation
from incubator import ratelimit
from incubator.exports import Column, Kind, Table, export_response
from incubator.ratelimit import email_request_allowed


@login_required
def dashboard(request, slug):
    cohort = access.get_cohort_for(request.user, slug)
    require_manager(cohort)
    figures = selectors.dashboard(cohort, today=program_today(cohort.program))
    context = {
        "figures": figures,
        "chart_data": _chart_data(figures),
        "members": selectors.members_table(cohort),
        "invitations": member_invitations.pending_member_invitations(cohort),
        "extra_panels": dashboard_panels.render_panels(request, cohort),
    }
    return cohort_page(request, "cohorts/dashboard.html", cohort, context, tab="dashboard")


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


def _member_columns() -> list[Column]:
    return [
        Column(_("Name")),
        Column(_("Email address")),
        Column(_("Status")),
        Column(_("Region")),
        Column(_("Started on"), Kind.DATE),
        Column(_("Ended on"), Kind.DATE),
        Column(_("Reason for the status")),
        Column(_("Field")),
        Column(_("Ventures")),
        Column(_("Contact phone")),
    ]


def _member_row(membership) -> list:
    profile = getattr(membership.person, "member_profile", None)
    return [
        membership.person.name,
        membership.person.email,
        membership.get_status_display(),
        membership.region.name if membership.region else "",
        membership.started_on,
        membership.ended_on,
        membership.status_reason,
        profile.get_field_display() if profile else "",
        "; ".join(member.venture.name for member in membership.person.cohort_ventures),
        # Phone numbers leave the portal only with the member's consent.
        profile.contact_phone if profile and profile.contact_consent else "",
    ]


@login_required
def members_csv(request, slug):
    cohort = access.get_cohort_for(request.user, slug)
    require_manager(cohort)
    rows = [_member_row(membership) for membership in selectors.members_table(cohort)]
    return export_response(
        request,
        Table(_member_columns(), rows),
        fmt="csv",
        filename=f"{cohort.slug}-members",
        about=cohort,
        note=f"members ({len(rows)})",
    )


@login_required
def member_invite(request, slug):
    """Inviting answers "Invitation sent" for every address, an account's or not, and nobody joins the cohort until
    the invited address's account accepts: the page never tells whether, or whose, an account has that address."""
    cohort = access.get_cohort_for(request.user, slug)
    require_manager(cohort)
    form = InviteForm(request.POST or None, cohort=cohort)
    if request.method == "POST" and form.is_valid():
        address = form.cleaned_data["email"]
        if not email_request_allowed(action="member_invite", person=request.user, target=address):
            form.add_error(None, ratelimit.REFUSED)
            return cohort_page(request, "cohorts/invite.html", cohort, {"form": form}, tab="dashboard", status=429)
        try:
            member_invitations.membership_invite(cohort=cohort, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _("Invitation sent to %(email)s.") % {"email": address})
            return redirect("cohorts:dashboard", cohort.slug)
    return cohort_page(request, "cohorts/invite.html", cohort, {"form": form}, tab="dashboard")


@login_required
@require_POST
def member_invitation_revoke(request, slug, pk):
    cohort = access.get_cohort_for(request.user, slug)
    require_manager(cohort)
    invitation = get_object_or_404(ProgramRoleInvitation, pk=pk, cohort=cohort, role=ProgramRoleInvitation.Role.MEMBER)
    if member_invitations.membership_invitation_revoke(invitation=invitation, by=request.user):
        messages.success(request, _("Invitation to %(email)s withdrawn.") % {"email": invitation.email})
    return redirect("cohorts:dashboard", cohort.slug)


@login_required
def membership_status(request, slug, pk):
    """The manager's page of one member: the status, and the managers' notes on the member."""
    cohort = access.get_cohort_for(request.user, slug)
    require_manager(cohort)
    membership = get_object_or_404(Membership.objects.select_related("person"), pk=pk, cohort=cohort)
    adding_note = request.POST.get("which") == "note"
    posted = request.POST if request.method == "POST" else None
    form = StatusForm(
        None if adding_note else posted, membership=membership, initial={"on": program_today(cohort.program)}
    )
    note_form = MemberNoteForm(posted if adding_note else None, prefix="note")
    if adding_note and note_form.is_valid():
        try:
            services.member_note_add(membership=membership, text=note_form.cleaned_data["text"], by=request.user)
        except ValidationError as error:
            form_errors(note_form, error)
        else:
            messages.success(request, _("The note was added."))
            return redirect("cohorts:membership_status", cohort.slug, membership.pk)
    if not adding_note and form.is_bound and form.is_valid():
        try:
            services.membership_status_change(membership=membership, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _("The membership status was changed."))
            return redirect("cohorts:dashboard", cohort.slug)
    notes = membership.notes.select_related("author")
    context = {"membership": membership, "form": form, "note_form": note_form, "notes": notes}
    return cohort_page(request, "cohorts/membership_status.html", cohort, context, tab="dashboard")
