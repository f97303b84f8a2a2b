"""Groups of the permission matrix's personas (tests/security/matrix_world.py) that the API matrix's rows name."""

from tests.security.matrix_world import PERSONAS

# Everyone but the anonymous visitor holds a token naming both of the world's programs; what the token may reach is
# then decided by the person's roles, never by the programs a token names.
TOKEN_HOLDERS = PERSONAS[1:]
PROGRAM_STAFF = ("manager", "superuser")
# Whoever holds a role in the world's program: its reviewers, mentors, members and managers.
PROGRAM_PEOPLE = (
    "reviewer_assigned",
    "reviewer_unassigned",
    "reviewer_conflicted",
    "mentor",
    "other_mentor",
    "participant",
    "other_participant",
    *PROGRAM_STAFF,
)
