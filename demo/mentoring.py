"""Mentoring demo data (facts from shared/PROGRAMS.md, our wording). Sessions are written directly, not through
the services, so that seeding again sends nobody an invitation; each is keyed by its program and title, so
seeding twice changes nothing.

Kawalis' first cohort: the source gives 18 projects, 5 in Souss-Massa and 4 in each other region, which adds up
to 17; the demo places the 18th project in Fès-Meknès."""

import datetime
from types import SimpleNamespace
from zoneinfo import ZoneInfo

from django.utils import timezone

from cohorts.models import Cohort, Membership, Program
from cohorts.services import membership_create_from_application
from demo.cohorts import PROGRAMS, _DemoAcceptance
from demo.users import demo_user
from incubator.models import User
from incubator.roles import MENTOR
from mentoring.claims import claims_backfill
from mentoring.models import (
    ActionItem,
    Assignment,
    Attendance,
    Feedback,
    MentorProfile,
    ParticipantProfile,
    Session,
    TimeClaim,
)
from mentoring.services import session_kinds_ensure

PRESENT, ABSENT, EXCUSED = Attendance.Status.PRESENT, Attendance.Status.ABSENT, Attendance.Status.EXCUSED

BIZUP_MENTORS = [
    # email, name, expertise, languages, capacity, bio
    ("mentor@example.org", None, ["graphic_design", "advertising"], ["he", "en"], 4,
     "Brand designer for 20 years; helps creatives price their work and talk to clients."),
    ("mentor.photo@example.org", "Natan Photo", ["photography", "video"], ["he"], 4,
     "Commercial photographer and video producer."),
    ("mentor.space@example.org", "Leah Spaces", ["interior_design", "crafts"], ["he", "en"], 4,
     "Interior architect; runs a small studio with five employees."),
    ("mentor.market@example.org", "Avi Market", ["advertising", "commerce"], ["he", "en"], 4,
     "Marketing director turned business coach."),
]  # fmt: skip
KAWALIS_REGION_SIZES = [
    5,
    4,
    5,
    4,
]  # Fès-Meknès (4 + the 18th project), Oriental, Souss-Massa, Tanger-Tétouan-Al Hoceïma
KAWALIS_GROUP_TRAININGS = [3, 3, 4, 3]  # 13 in all, Souss-Massa hosting one more
# Per tour (one per region): group trainings, visits and meetings, workshops, roundtables — 5 / 21 / 8 / 2 in all.
KAWALIS_TOURS = [(2, 6, 2, 1), (1, 5, 2, 1), (1, 5, 2, 0), (1, 5, 2, 0)]
KAWALIS_FIRST = ("kawalis-1", "Kawalis — first cohort", datetime.date(2022, 10, 1), datetime.date(2023, 9, 30))


def _at(program: Program, day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute), ZoneInfo(program.time_zone))


def _session(program, kind, title, starts_at, minutes, facilitators, attendance, *, status=None, **fields) -> Session:
    """One demo session keyed by (program, title); `attendance` maps people to their status."""
    status = status or (Session.Status.HELD if starts_at < timezone.now() else Session.Status.SCHEDULED)
    session, _created = Session.objects.update_or_create(
        program=program,
        title=title,
        defaults={
            "kind": kind,
            "starts_at": starts_at,
            "ends_at": starts_at + datetime.timedelta(minutes=minutes),
            "status": status,
            "logged_at": starts_at + datetime.timedelta(days=1) if status == Session.Status.HELD else None,
            **fields,
        },
    )
    session.facilitators.set(facilitators)
    # Seeding again may move it (dates follow the day of seeding): its claims are written afresh at the end.
    TimeClaim.objects.filter(session=session).delete()
    # In one query each rather than one per person: a tour invites the whole cohort.
    existing = {row.person_id: row for row in session.attendances.all()}
    new, changed = [], []
    for person, state in attendance.items():
        row = existing.get(person.pk)
        if row is None:
            new.append(Attendance(session=session, person=person, status=state))
        elif row.status != state:
            row.status = state
            changed.append(row)
    Attendance.objects.bulk_create(new)
    Attendance.objects.bulk_update(changed, ["status"])
    return session


def _assign(program, mentor, mentee) -> None:
    Assignment.objects.get_or_create(program=program, mentor=mentor, mentee=mentee, ended_at=None)


def _mentor(email, name, program, cohort, expertise, languages, capacity, bio, *, language="he", zone="Asia/Jerusalem"):
    mentor = (
        User.objects.get(email=email)
        if name is None
        else demo_user(email, name, language=language, time_zone=zone, role=MENTOR)
    )
    program.mentors.add(mentor)
    if cohort is not None:
        cohort.mentors.add(mentor)
    MentorProfile.objects.update_or_create(
        user=mentor,
        defaults={"expertise": expertise, "languages": languages, "capacity_mentees": capacity, "bio": bio},
    )
    return mentor


def seed_mentoring(stdout) -> None:
    _seed_bizup()
    _seed_kawalis_first()
    _seed_leaders()
    claims_backfill()
    stdout.write(f"mentoring: {Session.objects.count()} sessions, {Assignment.objects.count()} mentor assignments")


def _seed_bizup() -> None:
    cohort = Cohort.objects.select_related("program").get(slug="bizup-2026")
    program = cohort.program
    kinds = {kind.code: kind for kind in session_kinds_ensure(program)}
    mentors = [_mentor(e, n, program, cohort, x, lang, cap, bio) for e, n, x, lang, cap, bio in BIZUP_MENTORS]
    members = [
        m.person for m in Membership.objects.filter(cohort=cohort).select_related("person").order_by("person__email")
    ]
    now = timezone.now()
    for index, mentee in enumerate(members):
        mentor = mentors[index % len(mentors)]
        _assign(program, mentor, mentee)
        _bizup_term(cohort, kinds, mentor, mentee, index, now)
    mine = [m for i, m in enumerate(members) if i % len(mentors) == 0]
    _bizup_next_sessions(cohort, kinds, mentors[0], mine, members, now)


def _bizup_term(cohort, kinds, mentor, mentee, index: int, now) -> None:
    """A term of sessions: every three weeks from the cohort's start until now, then the next one."""
    program = cohort.program
    day = cohort.starts_on + datetime.timedelta(days=7 + index % 10)
    number = 0
    while _at(program, day, 10) < now:
        number += 1
        session = _session(
            program,
            kinds["individual"],
            f"BizUP · {mentee.name} · {number}",
            _at(program, day, 10 + index % 6),
            60,
            [mentor],
            {mentee: PRESENT if number % 7 else ABSENT},
            summary="Pricing, portfolio and the next client meeting.",
            region=program.regions.first(),
            cohort=cohort,
        )
        if number % 3 == 0:
            ActionItem.objects.get_or_create(
                session=session,
                text="Send the updated price list to two clients",
                defaults={"owner": mentee, "due_on": day + datetime.timedelta(days=14), "done_at": None},
            )
        if number % 4 == 0 and number % 7:
            Feedback.objects.get_or_create(session=session, person=mentee, defaults={"rating": 4 + number % 2})
        day += datetime.timedelta(days=21)


def _bizup_next_sessions(cohort, kinds, mentor, mine, members, now) -> None:
    """The demo mentor's next sessions, relative to today, created once."""
    program = cohort.program
    if Session.objects.filter(program=program, title__startswith="BizUP · next ·").exists():
        return
    local_today = timezone.localtime(now, ZoneInfo(program.time_zone)).date()
    for offset, mentee in enumerate(mine[:3], start=1):
        _session(
            program,
            kinds["individual"],
            f"BizUP · next · {mentee.name}",
            _at(program, local_today + datetime.timedelta(days=2 * offset), 11),
            60,
            [mentor],
            {mentee: Attendance.Status.INVITED},
            place="BizMax, meeting room 2",
            cohort=cohort,
        )
    _session(
        program,
        kinds["workshop"],
        "BizUP · next · Pricing creative work",
        _at(program, local_today + datetime.timedelta(days=10), 17),
        120,
        [mentor],
        dict.fromkeys(members, Attendance.Status.INVITED),
        place="BizMax, main hall",
        agenda="How to quote a project, and when to say no.",
        cohort=cohort,
    )


def _kawalis_regions(program: Program) -> list:
    names = next(spec["regions"] for spec in PROGRAMS if spec["slug"] == "kawalis")
    regions = {region.name: region for region in program.regions.filter(name__in=names)}
    return [regions[name] for name in names]


def _kawalis_cohort(program: Program) -> tuple[Cohort, list[list[User]]]:
    slug, name, starts_on, ends_on = KAWALIS_FIRST
    cohort, _created = Cohort.objects.update_or_create(
        slug=slug,
        defaults={"program": program, "name": name, "starts_on": starts_on, "ends_on": ends_on, "capacity": 18,
                  "status": Cohort.Status.FINISHED},
    )  # fmt: skip
    regions = _kawalis_regions(program)
    by_region: list[list[User]] = []
    number = 0
    for region, size in zip(regions, KAWALIS_REGION_SIZES, strict=True):
        people = []
        for _ in range(size):
            number += 1
            person = demo_user(
                f"member.kawalis1.{number:02d}@example.org",
                f"Kawalis project {number:02d}",
                language=("ar", "fr")[number % 2],
                time_zone="Africa/Casablanca",
            )
            membership_create_from_application(
                application=_DemoAcceptance(applicant=person, call=SimpleNamespace(cohort=cohort), region=region),
                by=None,
            )
            # Most give their gender and year of birth for the funder's counts; a few do not consent.
            ParticipantProfile.objects.update_or_create(
                user=person,
                defaults={
                    "gender": ("woman", "man")[number % 2],
                    "birth_year": 1994 + number % 8,
                    "consent": number % 6 != 0,
                },
            )
            people.append(person)
        by_region.append(people)
    return cohort, by_region


def _seed_kawalis_first() -> None:
    program = Program.objects.get(slug="kawalis")
    kinds = {kind.code: kind for kind in session_kinds_ensure(program)}
    cohort, by_region = _kawalis_cohort(program)
    regions = _kawalis_regions(program)
    coaches = [
        _mentor(f"coach.kawalis.{i + 1}@example.org", f"Kawalis coach {region.name}", program, cohort,
                ["culture", "crafts"], ["ar", "fr"], 6, "Regional coach of the incubator.",
                language="fr", zone="Africa/Casablanca")
        for i, region in enumerate(regions)
    ]  # fmt: skip
    start = cohort.starts_on
    individual = 0
    projects = [(r, person) for r, people in enumerate(by_region) for person in people]
    for index, (r, person) in enumerate(projects):
        _assign(program, coaches[r], person)
        # 81 individual sessions: four per project, a fifth for the first nine.
        for number in range(5 if index < 9 else 4):
            individual += 1
            day = start + datetime.timedelta(days=20 + 60 * number + index)
            session = _session(program, kinds["individual"], f"Kawalis 1 · individual {individual:02d}",
                               _at(program, day, 10), 90, [coaches[r]], {person: PRESENT}, region=regions[r],
                               cohort=cohort, summary="Business model and next steps of the project.")  # fmt: skip
            if individual % 3 == 0:
                Feedback.objects.get_or_create(session=session, person=person, defaults={"rating": 3 + individual % 3})
    group = 0
    for r, count in enumerate(KAWALIS_GROUP_TRAININGS):
        for number in range(count):
            group += 1
            day = start + datetime.timedelta(days=45 + 75 * number + 3 * r)
            attendance = {p: (PRESENT if (i + number) % 5 else EXCUSED) for i, p in enumerate(by_region[r])}
            _session(program, kinds["training"], f"Kawalis 1 · group training {group:02d}", _at(program, day, 9),
                     240, [coaches[r]], attendance, region=regions[r], cohort=cohort,
                     summary="Collective training: marketing, finance or legal status.")  # fmt: skip
    everyone = [p for people in by_region for p in people]
    for r, (trainings, visits, workshops, roundtables) in enumerate(KAWALIS_TOURS):
        day = start + datetime.timedelta(days=200 + 21 * r)
        tour = _session(program, kinds["tour"], f"Kawalis 1 · creative tour {regions[r].name}", _at(program, day, 8),
                        3 * 24 * 60 - 16 * 60, coaches, dict.fromkeys(everyone, PRESENT), region=regions[r],
                        cohort=cohort, summary="Three days of visits, workshops and meetings with the region's "
                        "cultural actors.")  # fmt: skip
        plan = [("training", trainings), ("visit", visits), ("workshop", workshops), ("roundtable", roundtables)]
        slot = 0
        for code, count in plan:
            for number in range(count):
                at = _at(program, day + datetime.timedelta(days=slot // 4), 9 + 2 * (slot % 4))
                slot += 1
                _session(program, kinds[code], f"{tour.title} · {kinds[code].name} {number + 1}", at, 90,
                         [coaches[r]], dict.fromkeys(everyone[:6 + slot % 6], PRESENT), region=regions[r],
                         cohort=cohort, series=tour, summary="Part of the creative tour.")  # fmt: skip


def _seed_leaders() -> None:
    cohort = Cohort.objects.select_related("program").get(slug="regional-leaders-1")
    program = cohort.program
    kinds = {kind.code: kind for kind in session_kinds_ensure(program)}
    facilitator = _mentor("facilitator.leaders@example.org", "Dana Facilitator", program, cohort, ["public", "social"],
                          ["he", "ar"], 0, "Leads the program's meetings.")  # fmt: skip
    leaders = [m.person for m in Membership.objects.filter(cohort=cohort).select_related("person").order_by("pk")]
    topics = ["Opening: the valley's challenges", "Regional economy", "Creative thinking tools", "Municipal budgets",
              "Shared services", "Social entrepreneurship", "Working with ministries", "Pitching initiatives",
              "Closing: next steps"]  # fmt: skip
    for number, topic in enumerate(topics):
        day = cohort.starts_on + datetime.timedelta(days=14 + 30 * number)
        attendance = {
            p: (PRESENT if (i + number) % 8 else (ABSENT if i % 2 else EXCUSED)) for i, p in enumerate(leaders)
        }
        _session(program, kinds["full_day"], f"Regional Leaders · day {number + 1}: {topic}", _at(program, day, 9),
                 8 * 60, [facilitator], attendance, place="Karmiel, cluster offices", cohort=cohort,
                 summary="Lectures, a workshop and work in the initiative teams.")  # fmt: skip
    day = cohort.starts_on + datetime.timedelta(days=230)
    _session(program, kinds["tour"], "Regional Leaders · 2-day study tour", _at(program, day, 7), 36 * 60,
             [facilitator], {p: (PRESENT if i % 9 else ABSENT) for i, p in enumerate(leaders)}, cohort=cohort,
             summary="Visits to regional clusters and their initiatives.")  # fmt: skip
