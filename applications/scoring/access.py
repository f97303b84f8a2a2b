"""Who may do what in scoring: one gate per object, used by every view."""

import os
import re

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from applications.models import Call
from applications.scoring import selectors
from applications.scoring.models import Review, ReviewerAssignment, ReviewSettings
from applications.scoring.services import is_conflicted
from cohorts.access import manages_any_program, manages_program, reviewed_program_ids
from incubator.roles import REVIEWER, has_role


def can_use_review_pages(user) -> bool:
    """Reviewers (by role or listed on a program) and program managers; each sees only their own assignments."""
    if not user.is_authenticated:
        return False
    return has_role(user, REVIEWER) or bool(reviewed_program_ids(user)) or manages_any_program(user)


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


def reviewed_file_name(stored, *, anonymised: bool) -> str:
    """The name a reviewer sees for an uploaded file: its own, or on an anonymised call a neutral one (a file name
    often names its author)."""
    if not anonymised:
        return stored.original_name
    extension = os.path.splitext(stored.original_name)[1].lower()
    extension = extension if re.fullmatch(r"\.[a-z0-9]{1,8}", extension) else ""
    return f"application-{stored.application_id}-{stored.question_id}{extension}"


def get_call_for_manager(user, slug: str) -> Call:
    """A call's manager pages (ranking, selection, decisions, exports) are for the managers of its program only.

    Someone who manages no program at all is refused (403); a manager of another program gets a 404, as if the
    call did not exist, so its slug reveals nothing."""
    if not manages_any_program(user):
        raise PermissionDenied
    call = get_object_or_404(Call.objects.select_related("cohort__program", "review_settings"), slug=slug)
    if not manages_program(user, call.cohort.program_id):
        raise Http404
    return call
