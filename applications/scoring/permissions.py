"""Who may do what in scoring: one gate per object, used by every view."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from applications.models import Call
from applications.scoring import selectors
from applications.scoring.models import Review, ReviewerAssignment, ReviewSettings
from applications.scoring.services import is_conflicted
from incubator.roles import REVIEWER, has_role, is_program_manager


def can_use_review_pages(user) -> bool:
    return user.is_authenticated and (has_role(user, REVIEWER) or is_program_manager(user))


def get_assignment_for(user, pk: int) -> ReviewerAssignment:
    """The user's own assignment; anyone else's (or none), or one they have a conflict of interest with, is a 404,
    so ids reveal nothing."""
    assignment = selectors.assignment_detail(pk).first()
    if assignment is None or assignment.reviewer_id != user.pk or is_conflicted(user, assignment.application):
        raise Http404
    return assignment


def can_see_other_scores(assignment: ReviewerAssignment) -> bool:
    visibility = selectors.settings_for(assignment.call).others_visible
    if visibility == ReviewSettings.Visibility.ALWAYS:
        return True
    if visibility == ReviewSettings.Visibility.NEVER:
        return False
    own = getattr(assignment, "review", None)  # the reverse one-to-one raises AttributeError when missing
    return own is not None and own.status == Review.Status.SUBMITTED


def get_call_for_manager(user, slug: str) -> Call:
    """A call's manager pages (ranking, selection, decisions) are for program managers only."""
    if not is_program_manager(user):
        raise PermissionDenied
    return get_object_or_404(Call.objects.select_related("cohort__program", "review_settings"), slug=slug)
