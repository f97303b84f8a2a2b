"""The four programs of shared/PROGRAMS.md, each in its language and time zone, with their cohorts and, for
three of them, their community (people in demo/cohort_people.py)."""

import datetime
from dataclasses import dataclass, field
from types import SimpleNamespace

from django.utils import timezone

from cohorts.invitations import program_role_invite
from cohorts.models import (
    Answer,
    Cohort,
    Initiative,
    InitiativeUpdate,
    MemberProfile,
    Membership,
    Milestone,
    Post,
    Program,
    ProgramRoleInvitation,
    Region,
)
from cohorts.models.invitations import INVITATION_VALID_FOR
from cohorts.program_roles import MANAGER, MENTOR_ROLE, REVIEWER_ROLE, program_role_grant
from cohorts.services import membership_create_from_application, membership_status_change
from demo import cohort_people
from demo.users import demo_user
from incubator.models import User

PROGRAMS = [
    {
        "slug": "bizup",
        "name": "BizUP",
        "organisation": "BizMax coworking space with JDC Israel",
        "description": "An incubator for young creatives in graphic design, photography, video, advertising "
        "and interior design: subsidised desks, personal mentoring and a community of clients and partners.",
        "language": "he",
        "time_zone": "Asia/Jerusalem",
        "regions": ["Jerusalem"],
        # From December 2025: its first year of monthly check-ins is answered by December 2026.
        "cohorts": [("bizup-2026", "BizUP 2026", datetime.date(2025, 12, 1), datetime.date(2026, 12, 31), 15)],
    },
    {
        "slug": "kawalis",
        "name": "Kawalis",
        "organisation": "Kawalis Foundation (EU-funded)",
        "description": "An incubator for cultural and creative industries in four regions of Morocco.",
        "language": "ar",
        "time_zone": "Africa/Casablanca",
        "regions": ["Fès-Meknès", "Oriental", "Souss-Massa", "Tanger-Tétouan-Al Hoceïma"],
        "cohorts": [
            ("kawalis-2", "Kawalis — second cohort", datetime.date(2024, 6, 1), datetime.date(2025, 5, 31), 24),
            ("kawalis-3", "Kawalis — third cohort", datetime.date(2027, 3, 1), datetime.date(2028, 2, 28), 24),
        ],
    },
    {
        "slug": "mlodzi-rzemieslnicy",
        "name": "Młodzi rzemieślnicy na Starówce",
        "organisation": "Creativity Centre, ul. Jezuicka 20-22, Bydgoszcz",
        "description": "An open technology workshop (makerspace / FabLab) for young craftspeople.",
        "language": "pl",
        "time_zone": "Europe/Warsaw",
        "regions": ["Bydgoszcz"],
        "cohorts": [("makerspace-2026", "Pracownia 2026", datetime.date(2026, 1, 15), datetime.date(2026, 12, 15), 30)],
    },
    {
        "slug": "regional-leaders",
        "name": "Regional Leaders — Beit HaKerem valley",
        "organisation": "Regional cluster of 7 municipalities, with the Ministry of Interior and JDC",
        "description": "About 25 change agents from government, business, civil society and academia, "
        "forming teams around regional initiatives.",
        "language": "he",
        "time_zone": "Asia/Jerusalem",
        "regions": ["Karmiel", "Majd al-Krum", "Bi'ina", "Deir al-Asad", "Nahf", "Rameh", "Sajur"],
        "cohorts": [("regional-leaders-1", "Regional Leaders — first cohort", datetime.date(2025, 10, 1),
                     datetime.date(2026, 9, 30), 25)],
    },
]  # fmt: skip


def program(slug: str) -> Program:
    return Program.objects.get(slug=slug)


# Each demo program's own manager (demo.users seeds them); manager@example.org manages every program.
PROGRAM_MANAGERS = {
    "bizup": "manager.bizup@example.org",
    "kawalis": "manager.kawalis@example.org",
    "mlodzi-rzemieslnicy": "manager.makerspace@example.org",
    "regional-leaders": "manager.leaders@example.org",
}


def seed_programs(stdout) -> None:
    for spec in PROGRAMS:
        fields = {key: spec[key] for key in ("name", "organisation", "description", "language", "time_zone")}
        prog, _ = Program.objects.update_or_create(slug=spec["slug"], defaults=fields)
        for position, name in enumerate(spec["regions"]):
            Region.objects.update_or_create(program=prog, name=name, defaults={"position": position})
        for slug, name, starts_on, ends_on, capacity in spec["cohorts"]:
            Cohort.objects.update_or_create(
                slug=slug,
                defaults={
                    "program": prog,
                    "name": name,
                    "starts_on": starts_on,
                    "ends_on": ends_on,
                    "capacity": capacity,
                    "status": _status_on(starts_on, ends_on, datetime.date.today()),
                },
            )
        for email in ("manager@example.org", PROGRAM_MANAGERS[spec["slug"]]):
            program_role_grant(program=prog, person=User.objects.get(email=email), role=MANAGER, by=None)
    _unanswered_invitation(Program.objects.get(slug="kawalis"))
    stdout.write(f"programs: {len(PROGRAMS)}")


def _unanswered_invitation(program: Program) -> None:
    """A reviewer Kawalis invited nine days ago and who has not answered: a line of its managers' "needs you"."""
    email = "evaluatrice.oriental@example.org"
    if ProgramRoleInvitation.objects.filter(program=program, email=email).exists():
        return
    invitation, _token = program_role_invite(
        program=program, role=REVIEWER_ROLE, email=email, by=User.objects.get(email=PROGRAM_MANAGERS[program.slug])
    )
    sent = timezone.now() - datetime.timedelta(days=9)
    ProgramRoleInvitation.objects.filter(pk=invitation.pk).update(
        created_at=sent, expires_at=sent + INVITATION_VALID_FOR
    )


def _status_on(starts_on, ends_on, today) -> str:
    if today < starts_on:
        return Cohort.Status.UPCOMING
    if today > ends_on:
        return Cohort.Status.FINISHED
    return Cohort.Status.RUNNING


@dataclass
class _DemoAcceptance:
    """The demo's stand-in for an accepted application, in the shape `membership_create_from_application` reads."""

    applicant: User
    call: SimpleNamespace
    region: Region | None = None
    venture_name: str = ""
    venture_field: str = ""
    venture_description: str = ""
    team_members: list = field(default_factory=list)


def _member(
    cohort, email, name, *, language, time_zone, region=None, venture=None, venture_field="", venture_description=""
) -> User:
    person = demo_user(email, name, language=language, time_zone=time_zone)
    acceptance = _DemoAcceptance(
        applicant=person,
        call=SimpleNamespace(cohort=cohort),
        region=region,
        venture_name=venture or "",
        venture_field=venture_field,
        venture_description=venture_description,
    )
    membership_create_from_application(application=acceptance, by=None)
    return person


def _profile(person, **fields) -> None:
    MemberProfile.objects.update_or_create(user=person, defaults=fields)


def _post(cohort, author, kind, title, body, field_name, answers) -> None:
    # Written directly, not through post_create/answer_create: re-seeding must not email anyone again.
    post, _ = Post.objects.get_or_create(
        cohort=cohort, title=title, defaults={"author": author, "kind": kind, "body": body, "field": field_name}
    )
    for answerer, text in answers:
        Answer.objects.get_or_create(post=post, author=answerer, body=text)


def _initiative(cohort, title, *, team, venture=None, milestones=(), updates=(), **fields) -> Initiative:
    initiative, _ = Initiative.objects.update_or_create(
        cohort=cohort, title=title, defaults={"venture": venture, **fields}
    )
    initiative.team.set(team)
    start = cohort.starts_on
    for milestone_title, days, done in milestones:
        due_on = start + datetime.timedelta(days=days)
        Milestone.objects.update_or_create(
            initiative=initiative,
            title=milestone_title,
            defaults={"due_on": due_on, "done_on": due_on if done else None},
        )
    for days, text in updates:
        InitiativeUpdate.objects.get_or_create(
            initiative=initiative, text=text, defaults={"on": start + datetime.timedelta(days=days)}
        )
    return initiative


def seed_community(stdout) -> None:
    """Members, profiles, ventures, board posts and initiatives of BizUP 2026, Kawalis 2 and Regional Leaders."""
    bizup = _seed_bizup_community()
    kawalis = _seed_kawalis_community()
    leaders = _seed_leaders_community()
    stdout.write(
        f"community: {bizup.memberships.count()} in BizUP, {kawalis.memberships.count()} in Kawalis, "
        f"{leaders.memberships.count()} in Regional Leaders"
    )


def _bizup_members(bizup: Cohort, region) -> list[User]:
    people = []
    for number, row in enumerate(cohort_people.BIZUP, start=1):
        name, field_name, headline, skills, offers, needs, venture, description, consent = row
        email = f"member.bizup.{number:02d}@example.org"
        person = _member(
            bizup,
            email,
            name,
            language="he",
            time_zone="Asia/Jerusalem",
            region=region,
            venture=venture,
            venture_field=field_name,
            venture_description=description,
        )
        _profile(
            person,
            headline=headline,
            field=field_name,
            skills=skills,
            offers=offers,
            needs=needs,
            languages=["עברית", "English"],
            contact_email=email,
            contact_phone=f"050-555-01{number:02d}",
            contact_consent=consent,
        )
        people.append(person)
    return people


def _seed_bizup_community() -> Cohort:
    bizup = Cohort.objects.get(slug="bizup-2026")
    mentor = User.objects.get(email="mentor@example.org")
    program_role_grant(program=bizup.program, person=mentor, role=MENTOR_ROLE, by=None)
    bizup.mentors.add(mentor)
    jerusalem = bizup.program.regions.get()
    people = _bizup_members(bizup, jerusalem)
    participant = User.objects.get(email="participant@example.org")
    membership_create_from_application(
        application=_DemoAcceptance(applicant=participant, call=SimpleNamespace(cohort=bizup), region=jerusalem),
        by=None,
    )
    for author, kind, title, body, field_name, answers in cohort_people.BIZUP_POSTS:
        _post(bizup, people[author], kind, title, body, field_name, [(people[i], text) for i, text in answers])
    ventures = {venture.name: venture for venture in bizup.ventures.all()}
    _initiative(
        bizup,
        "קטלוג משותף ללקוחות",
        team=[people[0], people[1], people[13]],
        venture=ventures["לוי עיצוב"],
        what="קטלוג משותף של עבודות חברי המחזור ללקוחות פוטנציאליים.",
        why="לקוחות מחפשים ספק אחד לעיצוב, צילום ווידאו.",
        how="איסוף עבודות, עימוד והפצה לעסקים בבניין.",
        status=Initiative.Status.RUNNING,
        next_step="עימוד הגרסה הראשונה.",
        due_on=bizup.starts_on + datetime.timedelta(days=300),
        milestones=[
            ("איסוף עבודות מכל החברים", 120, True),
            ("גרסה מודפסת", 240, False),
            ("הפצה ל-50 עסקים", 330, False),
        ],
        updates=[(110, "התקבלו עבודות מ-12 חברים.")],
    )
    return bizup


def _seed_kawalis_community() -> Cohort:
    manager = User.objects.get(email="manager@example.org")
    kawalis = Cohort.objects.get(slug="kawalis-2")
    regions = list(kawalis.program.regions.order_by("position"))
    kawalis_people = []
    for number, (name, region, field_name, project) in enumerate(cohort_people.KAWALIS, start=1):
        person = _member(
            kawalis,
            f"member.kawalis.{number:02d}@example.org",
            name,
            language=("ar", "fr")[number % 2],
            time_zone="Africa/Casablanca",
            region=regions[region],
            venture=project,
            venture_field=field_name,
        )
        _profile(
            person,
            field=field_name,
            languages=["العربية", "Français"],
            contact_email=person.email,
            contact_consent=number % 3 != 0,
        )
        kawalis_people.append(person)
    for index, status, reason in cohort_people.KAWALIS_STATUS:
        membership = Membership.objects.get(cohort=kawalis, person=kawalis_people[index])
        if membership.status != status:
            membership_status_change(
                membership=membership,
                status=status,
                reason=reason,
                on=kawalis.starts_on + datetime.timedelta(days=120),
                by=manager,
            )
    for number, venture in enumerate(kawalis.ventures.order_by("name")[:8]):
        first_market = number % 3 != 0
        _initiative(
            kawalis,
            f"{venture.name}: business plan",
            team=[],
            venture=venture,
            what="A business plan and a first market participation.",
            status=Initiative.Status.DONE if first_market else Initiative.Status.RUNNING,
            milestones=[("Business plan", 90, True), ("First market", 240, first_market)],
        )
    return kawalis


def _seed_leaders_community() -> Cohort:
    leaders = Cohort.objects.get(slug="regional-leaders-1")
    towns = list(leaders.program.regions.order_by("position"))
    leader_people = []
    for number, (name, town, field_name) in enumerate(cohort_people.LEADERS, start=1):
        person = _member(
            leaders,
            f"member.leaders.{number:02d}@example.org",
            name,
            language="he",
            time_zone="Asia/Jerusalem",
            region=towns[town],
        )
        _profile(person, field=field_name, languages=["עברית", "العربية"])
        leader_people.append(person)
    for title, team, what, why, how, status, next_step, milestones, updates in cohort_people.LEADER_INITIATIVES:
        _initiative(
            leaders,
            title,
            team=[leader_people[i] for i in team],
            what=what,
            why=why,
            how=how,
            status=status,
            next_step=next_step,
            due_on=leaders.ends_on,
            milestones=milestones,
            updates=updates,
        )
    return leaders
