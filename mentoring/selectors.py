"""Reads for the mentoring pages, each a fixed number of queries whatever the number of rows."""

import datetime
from zoneinfo import ZoneInfo

from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, Sum
from django.utils import timezone

from cohorts.access import managed_program_ids, mentored_program_ids
from cohorts.models import FIELD_CHOICES, MemberProfile, Membership, Program
from mentoring.models import ActionItem, Assignment, Attendance, Feedback, MentorProfile, Session

SESSION_LIST_SIZE = 20


def _session_rows(queryset):
    return queryset.select_related("program", "kind", "region").prefetch_related(
        Prefetch("attendances", queryset=Attendance.objects.select_related("person"))
    )


def mentor_home(user, *, now: datetime.datetime) -> dict:
    """A mentor's mentees (last session they attended), their upcoming sessions, the ones still to log, and the
    hours held this month against their monthly budget.

    Queries: mentees; upcoming sessions + their attendances; unlogged sessions + their attendances; hours this
    month; the mentor's profile."""
    programs = mentored_program_ids(user)
    mentees = (
        Assignment.objects.filter(mentor=user, ended_at__isnull=True, program_id__in=programs)
        .select_related("mentee", "program", "venture")
        .order_by("mentee__name")
    )
    mine = Session.objects.filter(facilitators=user, program_id__in=programs)
    upcoming = _session_rows(mine.filter(status=Session.Status.SCHEDULED, ends_at__gt=now).order_by("starts_at"))
    unlogged = _session_rows(mine.filter(status=Session.Status.SCHEDULED, ends_at__lte=now).order_by("starts_at"))
    month_start = timezone.localtime(now).replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    held = mine.filter(status=Session.Status.HELD, starts_at__gte=month_start, starts_at__lte=now).aggregate(
        duration=Sum(F("ends_at") - F("starts_at"))
    )["duration"]
    profile = MentorProfile.objects.filter(user=user).first() if programs else None
    return {
        "mentees": list(mentees),
        "upcoming": list(upcoming[:SESSION_LIST_SIZE]),
        "unlogged": list(unlogged[:SESSION_LIST_SIZE]),
        "hours_this_month": round(held.total_seconds() / 3600, 1) if held else 0,
        "hours_budget": profile.capacity_hours if profile else None,
    }


def participant_home(user, *, now: datetime.datetime) -> dict:
    """A participant's mentors, sessions and open action items.

    Queries: mentors; sessions + their action items; open action items."""
    mentors = (
        Assignment.objects.filter(mentee=user, ended_at__isnull=True)
        .select_related("mentor__mentor_profile", "program")
        .order_by("program__name", "mentor__name")
    )
    sessions = (
        Session.objects.filter(attendances__person=user)
        .select_related("program", "kind")
        .annotate(
            my_feedback=Exists(Feedback.objects.filter(session=OuterRef("pk"), person=user)),
            my_attendance=Attendance.objects.filter(session=OuterRef("pk"), person=user).values("status")[:1],
        )
        .order_by("-starts_at")
    )
    open_items = (
        ActionItem.objects.filter(session__attendances__person=user, done_at__isnull=True)
        .exclude(session__status=Session.Status.CANCELLED)
        .select_related("session__kind", "owner")
        .order_by("due_on", "id")
    )
    return {"mentors": list(mentors), "sessions": list(sessions[:50]), "open_items": list(open_items)}


def session_detail(session: Session, *, viewer) -> dict:
    """Everything on a session's page: attendances, action items, feedback, and the open action items of
    earlier sessions with the same people (carried into this one).

    Queries: facilitators; attendances; action items; feedback; carried-over items."""
    facilitators = list(session.facilitators.order_by("name"))
    attendances = list(session.attendances.select_related("person").order_by("person__name"))
    items = list(session.action_items.select_related("owner"))
    feedback = list(session.feedback.select_related("person")) if session.viewer_leads else []
    people = [a.person_id for a in attendances]
    carried = (
        ActionItem.objects.filter(
            done_at__isnull=True,
            session__program=session.program_id,
            session__starts_at__lt=session.starts_at,
            session__attendances__person__in=people,
        )
        .exclude(session__status=Session.Status.CANCELLED)
        .exclude(session=session)
        .select_related("session__kind", "owner")
        .distinct()
        .order_by("session__starts_at", "id")
    )
    return {
        "facilitators": facilitators,
        "attendances": attendances,
        "items": items,
        "feedback": feedback,
        "carried": list(carried) if people else [],
    }


def suggestions(program: Program, mentee, membership: Membership | None) -> list[dict]:
    """The program's mentors ranked for one participant, each with the reasons: matching expertise, a shared
    language, the same region (where they already mentor) and free places.

    Queries: mentors with their profile and load; the participant's profile; mentors' regions."""
    mentors = list(
        program.mentors.select_related("mentor_profile").annotate(
            load=Count("mentee_assignments", filter=Q(mentee_assignments__ended_at__isnull=True), distinct=True),
            already=Exists(
                Assignment.objects.filter(program=program, mentor=OuterRef("pk"), mentee=mentee, ended_at__isnull=True)
            ),
        )
    )
    profile = MemberProfile.objects.filter(user=mentee).first()
    field = profile.field if profile else ""
    region_id = membership.region_id if membership else None
    mentor_regions = (
        set(
            Assignment.objects.filter(
                program=program, ended_at__isnull=True, mentee__memberships__region_id=region_id
            ).values_list("mentor_id", flat=True)
        )
        if region_id
        else set()
    )
    rows = []
    for mentor in mentors:
        mp = getattr(mentor, "mentor_profile", None) or MentorProfile(user=mentor)
        score, reasons = 0, []
        if field and field in mp.expertise:
            score += 3
            reasons.append(("expertise", dict(FIELD_CHOICES)[field]))
        shared = mentee.preferred_language in mp.languages or mentee.preferred_language == mentor.preferred_language
        if shared:
            score += 2
            reasons.append(("language", mentee.get_preferred_language_display()))
        if mentor.pk in mentor_regions:
            score += 1
            reasons.append(("region", membership.region.name))
        free = max(mp.capacity_mentees - mentor.load, 0)
        score += 1 if free else -5
        rows.append({"mentor": mentor, "score": score, "reasons": reasons, "free": free,
                     "capacity": mp.capacity_mentees, "already": mentor.already})  # fmt: skip
    return sorted(rows, key=lambda row: (-row["score"], -row["free"], row["mentor"].name))


def assignment_overview(program: Program, *, query: str = "") -> list[Membership]:
    """The program's active participants with their current mentors. Queries: memberships; assignments."""
    memberships = Membership.objects.filter(cohort__program=program, status=Membership.Status.ACTIVE)
    if query:
        memberships = memberships.filter(Q(person__name__icontains=query) | Q(person__email__icontains=query))
    memberships = list(
        memberships.select_related("person", "cohort", "region").order_by("cohort__name", "person__name")
    )
    mentors: dict[int, list] = {}
    for assignment in Assignment.objects.filter(program=program, ended_at__isnull=True).select_related("mentor"):
        mentors.setdefault(assignment.mentee_id, []).append(assignment)
    for membership in memberships:
        membership.assignments = mentors.get(membership.person_id, [])
    return memberships


def cohort_figures(cohort, *, now: datetime.datetime) -> dict:
    """The mentoring figures on a cohort's dashboard: three queries."""
    members = Membership.objects.filter(cohort=cohort, status=Membership.Status.ACTIVE).values("person_id")
    # The program's month, whoever looks at the dashboard from wherever.
    month_start = timezone.localtime(now, ZoneInfo(cohort.program.time_zone)).replace(
        day=1, hour=0, minute=0, second=0, microsecond=0
    )
    held = (
        Session.objects.filter(
            program=cohort.program_id,
            status=Session.Status.HELD,
            starts_at__gte=month_start,
            starts_at__lte=now,
            attendances__person__in=members,
        )
        .values("pk")
        .distinct()
        .count()
    )
    recent = Attendance.objects.filter(
        person=OuterRef("mentee"),
        status=Attendance.Status.PRESENT,
        session__program=cohort.program_id,
        session__starts_at__gte=now - datetime.timedelta(days=30),
    )
    quiet = (
        Assignment.objects.filter(program=cohort.program_id, ended_at__isnull=True, mentee__in=members)
        .exclude(Exists(recent))
        .values("mentee")
        .distinct()
        .count()
    )
    unlogged = (
        Session.objects.filter(
            program=cohort.program_id,
            status=Session.Status.SCHEDULED,
            ends_at__lte=now,
            attendances__person__in=members,
        )
        .values("pk")
        .distinct()
        .count()
    )
    return {"held_this_month": held, "quiet_mentees": quiet, "unlogged": unlogged}


def programs_led(user):
    """Programs where the user mentors or manages: where they can log sessions."""
    ids = managed_program_ids(user)
    if ids is None:
        return Program.objects.all()
    return Program.objects.filter(pk__in=set(ids) | set(mentored_program_ids(user)))


def program_figures(program, *, now: datetime.datetime) -> dict:
    """The mentoring figures on a program's home: two queries. Sessions this month (the program's month, not
    cancelled) and how many of them were held, past sessions still not logged (whenever they were), and feedback
    received this month."""
    month_start = timezone.localtime(now, ZoneInfo(program.time_zone)).replace(
        day=1, hour=0, minute=0, second=0, microsecond=0
    )
    next_month = (month_start + datetime.timedelta(days=32)).replace(day=1)
    this_month = Q(starts_at__gte=month_start, starts_at__lt=next_month)
    unlogged = Q(status=Session.Status.SCHEDULED, ends_at__lte=now)
    # Only the rows some count needs (this month's, the unlogged ones), each found by an index, not every session.
    figures = (
        Session.objects.filter(program=program)
        .filter(this_month | unlogged)
        .aggregate(
            this_month=Count("pk", filter=this_month & ~Q(status=Session.Status.CANCELLED)),
            held_this_month=Count("pk", filter=this_month & Q(status=Session.Status.HELD)),
            unlogged=Count("pk", filter=unlogged),
        )
    )
    figures["feedback_this_month"] = Feedback.objects.filter(
        session__program=program, created_at__gte=month_start, created_at__lt=next_month
    ).count()
    figures["month"] = month_start.date()
    return figures
