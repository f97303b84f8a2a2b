"""Mentoring's part of a person's data: their download, and erasure.

Kept on erasure, under the anonymised account, because the funder report and the program's figures count them:
assignments, sessions with their attendance and hours, feedback ratings, action items' dates, and the
participant profile's gender, year of birth and consent (the report counts consenting profiles only, as
numbers). Removed: the mentor profile (bio, expertise, availability), the person's feedback comments, the
text of their own action items, and the summary and private notes of their individual sessions, which are
notes about them alone. A group session's summary and notes are the group's record and stay."""

from django.db.models import Count, Q

from incubator.personal_data import ERASED, PersonalDataSection
from mentoring.models import ActionItem, Assignment, Attendance, Feedback, MentorProfile, ParticipantProfile, Session


def _session_data(session) -> dict:
    return {
        "program": session.program.name,
        "kind": session.kind.name,
        "title": session.title,
        "starts_at": session.starts_at,
        "ends_at": session.ends_at,
        "place": session.place,
        "status": session.status,
    }


def _profiles(user) -> dict:
    mentor = MentorProfile.objects.filter(user=user).first()
    participant = ParticipantProfile.objects.filter(user=user).first()
    return {
        "mentor_profile": None
        if mentor is None
        else {
            "expertise": mentor.expertise,
            "languages": mentor.languages,
            "bio": mentor.bio,
            "capacity_mentees": mentor.capacity_mentees,
            "capacity_hours": mentor.capacity_hours,
            "availability": mentor.availability,
        },
        "participant_profile": None
        if participant is None
        else {
            "gender": participant.gender,
            "birth_year": participant.birth_year,
            "consent": participant.consent,
            "updated_at": participant.updated_at,
        },
    }


def _assignments(user) -> list[dict]:
    return [
        {
            "program": a.program.name,
            "role": "mentor" if a.mentor_id == user.pk else "mentee",
            "mentor": a.mentor.name,
            "mentee": a.mentee.name,
            "assigned_at": a.created_at,
            "ended_at": a.ended_at,
        }
        for a in Assignment.objects.filter(Q(mentor=user) | Q(mentee=user))
        .select_related("program", "mentor", "mentee")
        .order_by("created_at", "pk")
    ]


def _sessions(user) -> dict:
    """The sessions the person attended (with their summaries) and facilitated."""
    return {
        "sessions_attended": [
            {**_session_data(a.session), "attendance": a.status, "summary": a.session.summary}
            for a in Attendance.objects.filter(person=user)
            .select_related("session__program", "session__kind")
            .order_by("session__starts_at", "pk")
        ],
        "sessions_facilitated": [
            _session_data(session)
            for session in Session.objects.filter(facilitators=user)
            .select_related("program", "kind")
            .order_by("starts_at", "pk")
        ],
    }


def _follow_up(user) -> dict:
    """The person's action items and the feedback they gave."""
    items = ActionItem.objects.filter(owner=user).select_related("session").order_by("due_on", "pk")
    feedback = Feedback.objects.filter(person=user).select_related("session__program").order_by("created_at", "pk")
    return {
        "action_items": [
            {
                "text": item.text,
                "due_on": item.due_on,
                "done_at": item.done_at,
                "session_starts_at": item.session.starts_at,
            }
            for item in items
        ],
        "feedback_given": [
            {
                "session_starts_at": f.session.starts_at,
                "program": f.session.program.name,
                "rating": f.rating,
                "comment": f.comment,
                "anonymous": f.anonymous,
                "given_at": f.created_at,
            }
            for f in feedback
        ],
    }


def mentoring_export(user) -> PersonalDataSection:
    """Eight queries: the two profiles, assignments, sessions attended, sessions facilitated, action items,
    feedback given."""
    return PersonalDataSection(
        data={**_profiles(user), "assignments": _assignments(user), **_sessions(user), **_follow_up(user)}
    )


def mentoring_erase(user) -> None:
    MentorProfile.objects.filter(user=user).delete()
    Feedback.objects.filter(person=user).exclude(comment="").update(comment="")
    ActionItem.objects.filter(owner=user).update(text=ERASED)
    # Not a join on the person's attendance: the count must see every person invited.
    individual = (
        Session.objects.filter(pk__in=Attendance.objects.filter(person=user).values("session"))
        .annotate(people=Count("attendances"))
        .filter(people=1)
        .values_list("pk", flat=True)
    )
    Session.objects.filter(pk__in=list(individual)).update(summary="", private_notes="")
