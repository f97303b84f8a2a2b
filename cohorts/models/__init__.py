"""Programs and cohorts (programs.py), and the cohort's community: profiles, ventures, board, initiatives."""

from cohorts.models.community import (
    FIELD_CHOICES,
    Answer,
    Initiative,
    InitiativeUpdate,
    MemberProfile,
    Milestone,
    Post,
    Venture,
    VentureMember,
)
from cohorts.models.invitations import ProgramRoleInvitation
from cohorts.models.programs import Cohort, MemberNote, Membership, Program, Region

__all__ = [
    "FIELD_CHOICES",
    "Answer",
    "Cohort",
    "Initiative",
    "InitiativeUpdate",
    "MemberNote",
    "MemberProfile",
    "Membership",
    "Milestone",
    "Post",
    "Program",
    "ProgramRoleInvitation",
    "Region",
    "Venture",
    "VentureMember",
]
