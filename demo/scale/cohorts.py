"""The scale program's people and cohorts for `seed_scale` (see demo/scale/__init__.py): one program with four regions,
its manager, `cohorts` cohorts sharing `participants` members (with profiles and ventures) and `mentors` mentors."""

import datetime

from cohorts.models import Cohort, MemberProfile, Membership, Program, Region, Venture, VentureMember
from cohorts.models.community import FIELD_CHOICES
from demo.scale import BATCH, Scale, people
from incubator.roles import MENTOR, PARTICIPANT, PROGRAM_MANAGER

PROGRAM_SLUG = "scale"
REGIONS = ["North", "South", "East", "West"]
SKILLS = ["branding", "video editing", "bookkeeping", "3D printing", "sales", "photography", "web", "woodwork"]
MEMBERS_PER_VENTURE = 4


def cohort_slug(number: int) -> str:
    return f"scale-{number}"


def seed_program(scale: Scale) -> None:
    program = Program.objects.create(
        slug=PROGRAM_SLUG,
        name="Country-wide incubator",
        organisation="Scale test",
        description="A program the size of a country, for `make bench`.",
        time_zone="Africa/Casablanca",
    )
    regions = Region.objects.bulk_create(
        [Region(program=program, name=name, position=n) for n, name in enumerate(REGIONS)]
    )
    start = datetime.date(2026, 1, 1)
    cohorts = Cohort.objects.bulk_create(
        [
            Cohort(
                program=program,
                name=f"Cohort {n}",
                slug=cohort_slug(n),
                starts_on=start.replace(year=start.year + n - scale.sizes.cohorts + 1),
                ends_on=start.replace(year=start.year + n - scale.sizes.cohorts + 1, month=12, day=31),
                status=Cohort.Status.RUNNING if n == scale.sizes.cohorts - 1 else Cohort.Status.FINISHED,
                capacity=scale.sizes.participants // scale.sizes.cohorts,
            )
            for n in range(1, scale.sizes.cohorts + 1)
        ]
    )
    # The last cohort is the one the scale call fills: upcoming, empty.
    cohorts[-1].status = Cohort.Status.UPCOMING
    cohorts[-1].save(update_fields=["status"])
    (manager,) = people(scale, "manager", 1, role=PROGRAM_MANAGER, is_staff=True)
    program.managers.add(manager)
    scale.keep(program=program, regions=regions, cohorts=cohorts, manager=manager)
    scale.say(f"program {program.slug}: {len(regions)} regions, {len(cohorts)} cohorts, 1 manager")


def seed_participants(scale: Scale) -> None:
    """Members spread over all cohorts but the last, each with a directory profile, in ventures of four."""
    filled = scale.cohorts[:-1] or scale.cohorts
    participants = people(scale, "participant", scale.sizes.participants, role=PARTICIPANT)
    memberships = Membership.objects.bulk_create(
        [
            Membership(
                person=person,
                cohort=filled[n % len(filled)],
                region=scale.regions[n % len(scale.regions)],
                started_on=filled[n % len(filled)].starts_on,
            )
            for n, person in enumerate(participants)
        ],
        batch_size=BATCH,
    )
    _member_profiles(participants)
    ventures = _ventures_of_four(memberships)
    scale.keep(participants=participants)
    scale.say(f"participants: {len(participants)} in {len(filled)} cohorts, {len(ventures)} ventures")


def _member_profiles(participants) -> None:
    MemberProfile.objects.bulk_create(
        [
            MemberProfile(
                user=person,
                headline=f"Founder of a small studio, member {n}",
                field=FIELD_CHOICES[n % len(FIELD_CHOICES)][0],
                skills=[SKILLS[n % len(SKILLS)], SKILLS[(n * 3 + 1) % len(SKILLS)]],
                offers="Introductions to printers and suppliers in my region.",
                needs="A mentor for pricing and export.",
                languages=["fr", "ar"],
                contact_email=person.email,
                contact_consent=n % 2 == 0,
            )
            for n, person in enumerate(participants)
        ],
        batch_size=BATCH,
    )


def _ventures_of_four(memberships: list[Membership]) -> list[Venture]:
    by_cohort: dict[int, list[Membership]] = {}
    for membership in memberships:
        by_cohort.setdefault(membership.cohort_id, []).append(membership)
    teams = [
        (cohort_id, members[start : start + MEMBERS_PER_VENTURE])
        for cohort_id, members in by_cohort.items()
        for start in range(0, len(members), MEMBERS_PER_VENTURE)
    ]
    ventures = Venture.objects.bulk_create(
        [
            Venture(cohort_id=cohort_id, name=f"Venture {n:04d}", field=FIELD_CHOICES[n % len(FIELD_CHOICES)][0])
            for n, (cohort_id, _team) in enumerate(teams)
        ],
        batch_size=BATCH,
    )
    VentureMember.objects.bulk_create(
        [
            VentureMember(venture=venture, user_id=m.person_id, name=m.person.name, email=m.person.email)
            for venture, (_cohort_id, team) in zip(ventures, teams, strict=True)
            for m in team
        ],
        batch_size=BATCH,
    )
    return ventures


def seed_mentors(scale: Scale) -> None:
    """Mentors of the program, each also mentor of one cohort (the mentoring capability assigns mentees)."""
    mentors = people(scale, "mentor", scale.sizes.mentors, role=MENTOR)
    scale.program.mentors.add(*mentors)
    Cohort.mentors.through.objects.bulk_create(
        [
            Cohort.mentors.through(cohort_id=scale.cohorts[n % len(scale.cohorts)].pk, user_id=mentor.pk)
            for n, mentor in enumerate(mentors)
        ],
        batch_size=BATCH,
    )
    scale.keep(mentors=mentors)
    scale.say(f"mentors: {len(mentors)}")
