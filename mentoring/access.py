"""Who may do what in mentoring. Every view reaches a session through `get_session_for`, its one gate."""

from django.db.models import Exists, OuterRef
from django.http import Http404

from cohorts.access import manages_program, mentored_program_ids, mentors_for_program
from cohorts.models import Membership
from mentoring.models import Assignment, Attendance, Session


def active_members(program):
    """People who are active members of a cohort of the program: the only ones a session may invite."""
    return Membership.objects.filter(cohort__program=program, status=Membership.Status.ACTIVE)


def is_participant_of(user, program) -> bool:
    return active_members(program).filter(person=user).exists()


def mentee_ids(mentor, program) -> set[int]:
    return set(
        Assignment.objects.filter(program=program, mentor=mentor, ended_at__isnull=True).values_list(
            "mentee_id", flat=True
        )
    )


def can_lead_sessions(user, program) -> bool:
    return mentors_for_program(user, program) or manages_program(user, program)


def allowed_participant_ids(user, program, *, individual: bool) -> set[int]:
    """Whom `user` may invite: a manager anyone active in the program; a mentor their own mentees for an
    individual session, and the program's active participants for a group one."""
    members = set(active_members(program).values_list("person_id", flat=True))
    if manages_program(user, program):
        return members
    if not mentors_for_program(user, program):
        return set()
    return members & mentee_ids(user, program) if individual else members


def get_session_for(user, pk: int) -> Session:
    """The session with the viewer's roles on it, or 404 for anyone who is none of facilitator, invited person or
    manager of its program (outsiders learn nothing about which sessions exist)."""
    if not user.is_authenticated:
        raise Http404
    session = (
        Session.objects.select_related("program", "kind", "region", "series")
        .annotate(
            viewer_facilitates=Exists(Session.facilitators.through.objects.filter(session=OuterRef("pk"), user=user)),
            viewer_invited=Exists(Attendance.objects.filter(session=OuterRef("pk"), person=user)),
        )
        .filter(pk=pk)
        .first()
    )
    if session is None:
        raise Http404
    # A mentor removed from the program keeps no reach into its sessions.
    session.viewer_facilitates = session.viewer_facilitates and (
        session.program_id in mentored_program_ids(user) or manages_program(user, session.program)
    )
    session.viewer_manages = manages_program(user, session.program)
    if not (session.viewer_facilitates or session.viewer_invited or session.viewer_manages):
        raise Http404
    session.viewer_leads = session.viewer_facilitates or session.viewer_manages
    return session
