"""BizMax in Jerusalem (BizUP's subsidised desks) and the Bydgoszcz workshop at ul. Jezuicka 20-22 (benches and
machines by the hour), with a month of bookings made through the services, from today on. Idempotent."""

import datetime
from decimal import Decimal
from types import SimpleNamespace

from django.core.exceptions import PermissionDenied, ValidationError

from cohorts.models import Cohort, Program
from cohorts.services import membership_create_from_application
from demo.cohorts import _DemoAcceptance
from incubator.models import User
from workspaces import periods, services
from workspaces.models import ClosedDate, Induction, OpeningHours, Resource, Space, SubsidyPlan

DAY, HALF, HOUR = Resource.Unit.DAY, Resource.Unit.HALF_DAY, Resource.Unit.HOUR
BIZMAX_WEEKDAYS = (6, 0, 1, 2, 3)  # Sunday to Thursday


def _space(slug, program_slugs, *, hours, currency, **fields) -> Space:
    # The currency only when the space is new: a seeded space has charged in it already (see space_currency_correct).
    space, _ = Space.objects.update_or_create(
        slug=slug, defaults=fields, create_defaults={**fields, "currency": currency}
    )
    space.programs.add(*Program.objects.filter(slug__in=program_slugs))
    for weekday, (opens, closes) in hours.items():
        OpeningHours.objects.update_or_create(
            space=space, weekday=weekday, defaults={"opens": datetime.time(opens), "closes": datetime.time(closes)}
        )
    return space


def _resource(space, position, name, kind, unit, price, **fields) -> Resource:
    resource, _ = Resource.objects.update_or_create(
        space=space,
        name=name,
        defaults={"kind": kind, "unit": unit, "price": Decimal(price), "position": position, **fields},
    )
    return resource


def _book(resource, day, starts_at, ends_at, person) -> bool:
    try:
        services.booking_create(
            resource=resource,
            starts=datetime.datetime.combine(day, datetime.time(starts_at)),
            ends=datetime.datetime.combine(day, datetime.time(ends_at)),
            by=person,
        )
    except (ValidationError, PermissionDenied):
        return False  # a closed day, a past hour today, a weekly limit: the demo simply skips it
    return True


def seed_bizmax(participant: User) -> int:
    space = _space(
        "bizmax",
        ["bizup"],
        hours=dict.fromkeys(BIZMAX_WEEKDAYS, (8, 18)),
        name="BizMax",
        address="Jerusalem",
        time_zone="Asia/Jerusalem",
        currency="ILS",
        week_starts_on=6,
        booking_horizon_days=31,
        weekly_limit=5,
        free_cancellation_hours=24,
        check_in_minutes=60,
    )
    desks = [_resource(space, n, f"Desk {n:02d}", Resource.Kind.DESK, DAY, "90.00") for n in range(1, 21)]
    _resource(space, 21, "Meeting room — Har HaZeitim", Resource.Kind.ROOM, HALF, "120.00")
    _resource(space, 22, "Meeting room — Ein Karem", Resource.Kind.ROOM, HALF, "120.00")
    cohort = Cohort.objects.get(slug="bizup-2026")
    SubsidyPlan.objects.update_or_create(
        cohort=cohort,
        space=space,
        defaults={
            "share_percent": 75,
            "monthly_cap": Decimal(12),
            "budget": Decimal("60000.00"),
            "over_cap": SubsidyPlan.OverCap.FULL_PRICE,
        },
    )
    if space.resources.filter(bookings__isnull=False).exists():
        return 0
    members = list(User.objects.filter(memberships__cohort=cohort, email__startswith="member.bizup.").order_by("email"))
    today = periods.space_today(space)
    made = 0
    for offset in range(1, 31):
        day = today + datetime.timedelta(days=offset)
        if day.weekday() not in BIZMAX_WEEKDAYS:
            continue  # refused by the service all the same, after a dozen queries each
        for number, person in enumerate(members):
            # Most members come three or four days a week, each to their usual desk.
            if (number + offset) % 4 != 0:
                made += _book(desks[number], day, 8, 18, person)
    for offset in (1, 2, 8):
        made += _book(desks[19], today + datetime.timedelta(days=offset), 8, 18, participant)
    return made


def _workshop() -> tuple[Space, Resource]:
    """Bydgoszcz's workshop: benches by the hour, a laser cutter and a 3D printer (both need an induction)."""
    weekdays = dict.fromkeys(range(5), (10, 20))
    weekdays[5] = (10, 16)
    space = _space(
        "pracownia-jezuicka",
        ["mlodzi-rzemieslnicy"],
        hours=weekdays,
        name="Pracownia — ul. Jezuicka 20-22",
        address="ul. Jezuicka 20-22, Bydgoszcz",
        time_zone="Europe/Warsaw",
        currency="PLN",
        week_starts_on=0,
        booking_horizon_days=21,
        weekly_limit=6,
        free_cancellation_hours=12,
        check_in_minutes=20,
    )
    for number in range(1, 5):
        _resource(space, number, f"Stół warsztatowy {number}", Resource.Kind.BENCH, HOUR, "10.00", max_hours=6)
    _resource(
        space, 10, "Laser cutter", Resource.Kind.MACHINE, HOUR, "40.00", max_hours=3, induction_type="laser cutter"
    )
    printer = _resource(
        space, 11, "3D printer", Resource.Kind.MACHINE, HOUR, "15.00", max_hours=8, induction_type="3D printer"
    )
    ClosedDate.objects.update_or_create(space=space, date=datetime.date(2026, 12, 24), defaults={"reason": "Wigilia"})
    return space, printer


def seed_workshop(participant: User, manager: User) -> int:
    space, printer = _workshop()
    cohort = Cohort.objects.get(slug="makerspace-2026")
    SubsidyPlan.objects.update_or_create(
        cohort=cohort,
        space=space,
        defaults={
            "share_percent": 50,
            "monthly_cap": Decimal(20),
            "budget": Decimal("5000.00"),
            "over_cap": SubsidyPlan.OverCap.REFUSE,
        },
    )
    # The demo participant uses the workshop too: a member of its cohort, inducted on the 3D printer only,
    # so the laser cutter shows how a refusal reads.
    membership_create_from_application(
        application=_DemoAcceptance(applicant=participant, call=SimpleNamespace(cohort=cohort)), by=None
    )
    if not Induction.objects.filter(space=space, person=participant, induction_type="3D printer").exists():
        services.induction_record(
            space=space,
            person=participant,
            induction_type="3D printer",
            inducted_on=periods.space_today(space) - datetime.timedelta(days=30),
            by=manager,
        )
    if space.resources.filter(bookings__isnull=False).exists():
        return 0
    today = periods.space_today(space)
    made = 0
    for offset in (1, 3, 7):
        made += _book(printer, today + datetime.timedelta(days=offset), 12, 15, participant)
    return made


def seed_workspaces(stdout) -> None:
    participant = User.objects.get(email="participant@example.org")
    manager = User.objects.get(email="manager@example.org")
    desks = seed_bizmax(participant)
    machines = seed_workshop(participant, manager)
    stdout.write(f"workspaces: 2 spaces, {desks + machines} new bookings")
