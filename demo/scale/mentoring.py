"""The scale program's mentoring for `seed_scale` (see demo/scale/__init__.py): each participant assigned to one of the
`mentors`, and `sessions` sessions over a year (eleven months held and logged, one month ahead scheduled), four in
five individual, the others group trainings of ten, with attendance."""

import datetime

from django.utils import timezone

from cohorts.models.community import FIELD_CHOICES
from demo.scale import BATCH, Scale
from mentoring.claims import claims_backfill
from mentoring.models import Assignment, Attendance, MentorProfile, ParticipantProfile, Session
from mentoring.services import session_kinds_ensure

GROUP_EVERY = 5  # one session in five is a group training
GROUP_SIZE = 10
UNLOGGED_EVERY = 50  # one round in fifty of every mentor's sessions is still waiting for its log
DAYS_BACK, DAYS_AHEAD = 335, 30


def seed_sessions(scale: Scale) -> None:
    _profiles_and_assignments(scale)
    sessions, invited = _planned_sessions(scale)
    sessions = Session.objects.bulk_create(sessions, batch_size=BATCH)
    attendances = _facilitators_and_attendance(sessions, invited)
    claims_backfill()
    scale.say(
        f"mentoring: {len(scale.participants)} assignments, {len(sessions)} sessions, {len(attendances)} attendances"
    )


def _profiles_and_assignments(scale: Scale) -> None:
    program, mentors, participants = scale.program, scale.mentors, scale.participants
    MentorProfile.objects.bulk_create(
        [
            MentorProfile(
                user=mentor,
                expertise=[FIELD_CHOICES[n % len(FIELD_CHOICES)][0]],
                languages=["fr", "ar"],
                capacity_mentees=12,
            )
            for n, mentor in enumerate(mentors)
        ],
        batch_size=BATCH,
    )
    ParticipantProfile.objects.bulk_create(
        [
            ParticipantProfile(user=person, gender=("woman", "man", "other")[n % 3], birth_year=1980 + n % 25,
                               consent=n % 4 != 0)
            for n, person in enumerate(participants)
        ],
        batch_size=BATCH,
    )  # fmt: skip
    Assignment.objects.bulk_create(
        [
            Assignment(program=program, mentor=mentors[n % len(mentors)], mentee=person)
            for n, person in enumerate(participants)
        ],
        batch_size=BATCH,
    )


def _planned_sessions(scale: Scale) -> tuple[list[Session], list[tuple]]:
    """The sessions spread over the year (unsaved), each with its mentor, invited people and whether it was held."""
    program, mentors, participants = scale.program, scale.mentors, scale.participants
    kinds = {kind.code: kind for kind in session_kinds_ensure(program)}
    individual, training = kinds["individual"], kinds["training"]
    # Each mentor's mentees, as assigned above: an individual session is with one of them.
    mentees = {mentor.pk: participants[n :: len(mentors)] for n, mentor in enumerate(mentors)}
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    first = now - datetime.timedelta(days=DAYS_BACK)
    span_hours = (DAYS_BACK + DAYS_AHEAD) * 24
    count = scale.sizes.sessions
    sessions, invited = [], []
    for n in range(count):
        mentor = mentors[n % len(mentors)]
        # Spread evenly over the year, in working hours.
        starts = first + datetime.timedelta(hours=(n * span_hours // max(count, 1)) // 24 * 24 + 9 + n % 8)
        group = n % GROUP_EVERY == GROUP_EVERY - 1
        ends = starts + datetime.timedelta(hours=2 if group else 1)
        held = ends <= now and (n // len(mentors)) % UNLOGGED_EVERY != 0
        sessions.append(
            Session(
                program=program,
                cohort=None,
                kind=training if group else individual,
                title="Pricing and export" if group else "",
                starts_at=starts,
                ends_at=ends,
                place="Hub, room 2",
                agenda="Costing a product; choosing a price; first export order.",
                summary="Worked through the costing sheet; next: supplier quotes." if held else "",
                status=Session.Status.HELD if held else Session.Status.SCHEDULED,
                logged_at=ends if held else None,
                created_at=starts - datetime.timedelta(days=7),
            )
        )
        own = mentees[mentor.pk] or participants
        people = (
            [participants[(n + k * 37) % len(participants)] for k in range(GROUP_SIZE)]
            if group
            else [own[n % len(own)]]
        )
        invited.append((mentor, {p.pk: p for p in people}.values(), held))
    return sessions, invited


def _facilitators_and_attendance(sessions: list[Session], invited: list[tuple]) -> list[Attendance]:
    Session.facilitators.through.objects.bulk_create(
        [
            Session.facilitators.through(session_id=session.pk, user_id=mentor.pk)
            for session, (mentor, _people, _held) in zip(sessions, invited, strict=True)
        ],
        batch_size=BATCH,
    )
    attendances = [
        Attendance(
            session=session,
            person=person,
            status=(Attendance.Status.ABSENT if (session.pk + person.pk) % 7 == 0 else Attendance.Status.PRESENT)
            if held
            else Attendance.Status.INVITED,
        )
        for session, (_mentor, people, held) in zip(sessions, invited, strict=True)
        for person in people
    ]
    Attendance.objects.bulk_create(attendances, batch_size=BATCH)
    return attendances
