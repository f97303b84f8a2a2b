"""Programs and cohorts (programs.py), the cohort's community: profiles, ventures, board, initiatives
(community.py), the ventures' monthly check-ins (checkins.py), the alumni survey (alumni.py) and people's
published time (availability.py)."""

from cohorts.models.alumni import AlumniSurvey
from cohorts.models.availability import Availability, AvailabilityException, AvailabilityWindow
from cohorts.models.checkins import CheckIn, CheckInAnswer, Metric, MetricSet
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
    "AlumniSurvey",
    "FIELD_CHOICES",
    "Answer",
    "Availability",
    "AvailabilityException",
    "AvailabilityWindow",
    "CheckIn",
    "CheckInAnswer",
    "Cohort",
    "Initiative",
    "InitiativeUpdate",
    "MemberNote",
    "MemberProfile",
    "Metric",
    "MetricSet",
    "Membership",
    "Milestone",
    "Post",
    "Program",
    "ProgramRoleInvitation",
    "Region",
    "Venture",
    "VentureMember",
]
