"""Roles are Django groups; these helpers are the only place that knows their names."""

from django.utils.translation import gettext_lazy as _

PROGRAM_MANAGER = "Program manager"
REVIEWER = "Reviewer"
MENTOR = "Mentor"
PARTICIPANT = "Participant"
ALL_ROLES = [PROGRAM_MANAGER, REVIEWER, MENTOR, PARTICIPANT]
ROLE_LABELS = {
    PROGRAM_MANAGER: _("Program manager"),
    REVIEWER: _("Reviewer"),
    MENTOR: _("Mentor"),
    PARTICIPANT: _("Participant"),
}


def role_names(user) -> set[str]:
    """The user's role names, read once per request object and cached on it."""
    if not user.is_authenticated:
        return set()
    if not hasattr(user, "_role_names"):
        user._role_names = set(user.groups.values_list("name", flat=True))
    return user._role_names


def has_role(user, role: str) -> bool:
    return role in role_names(user)


def is_program_manager(user) -> bool:
    return user.is_authenticated and (user.is_superuser or has_role(user, PROGRAM_MANAGER))
