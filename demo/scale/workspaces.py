"""The scale program's coworking hub for `seed_scale` (see demo/scale/__init__.py): one space with `resources` resources
(desks by the day, meeting rooms and machines by the hour) and a year of bookings by the participants, eleven months
back and one ahead, each with the ledger line its statement sums, subsidised by their cohort's plan up to its cap."""

import datetime
from collections import Counter
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

from django.db.backends.postgresql.psycopg_any import DateTimeTZRange

from demo.scale import BATCH, Scale
from workspaces.ledger import plans_spent_recount
from workspaces.models import Booking, Induction, LedgerLine, OpeningHours, Resource, Space, SubsidyPlan
from workspaces.periods import space_today

SPACE_SLUG = "scale-hub"
OPENS, CLOSES = datetime.time(8), datetime.time(18)
CLOSED_WEEKDAY = 6  # Sunday
DAYS_BACK, DAYS_AHEAD = 335, 30
MACHINE_INDUCTION = "laser cutter"
SHARE_PERCENT, MONTHLY_CAP = 50, Decimal(10)
CENT = Decimal("0.01")


def resource_mix(count: int) -> tuple[int, int, int]:
    """Desks, meeting rooms, machines: about 80, 15 and 5 %, at least one room and one machine."""
    rooms, machines = max(1, count * 15 // 100), max(1, count // 20)
    return count - rooms - machines, rooms, machines


def seed_space(scale: Scale) -> None:
    space = Space.objects.create(
        name="Scale hub",
        slug=SPACE_SLUG,
        address="1 Bench Street",
        time_zone=scale.program.time_zone,
        # The bench books hundreds of free slots as a few people within a week: no per-person weekly limit here.
        weekly_limit=10_000,
    )
    space.programs.add(scale.program)
    OpeningHours.objects.bulk_create(
        [
            OpeningHours(space=space, weekday=day, opens=OPENS, closes=CLOSES)
            for day in range(7)
            if day != CLOSED_WEEKDAY
        ]
    )
    desks, rooms, machines = resource_mix(scale.sizes.resources)
    resources = Resource.objects.bulk_create(
        [Resource(space=space, name=f"Desk {n:03d}", price=Decimal(90), position=n) for n in range(desks)]
        + [
            Resource(space=space, name=f"Room {n:02d}", kind=Resource.Kind.ROOM, unit=Resource.Unit.HOUR,
                     price=Decimal(40), max_hours=4, position=desks + n)
            for n in range(rooms)
        ]
        + [
            Resource(space=space, name=f"Machine {n:02d}", kind=Resource.Kind.MACHINE, unit=Resource.Unit.HOUR,
                     price=Decimal(30), max_hours=2, induction_type=MACHINE_INDUCTION, position=desks + rooms + n)
            for n in range(machines)
        ]
    )  # fmt: skip
    plans = SubsidyPlan.objects.bulk_create(
        [
            SubsidyPlan(cohort=cohort, space=space, share_percent=SHARE_PERCENT, monthly_cap=MONTHLY_CAP,
                        budget=Decimal(10_000_000))
            for cohort in scale.cohorts
        ]
    )  # fmt: skip
    scale.keep(space=space, resources=resources, plans={plan.cohort_id: plan for plan in plans})
    scale.say(f"space {space.slug}: {desks} desks, {rooms} rooms, {machines} machines")


def seed_bookings(scale: Scale) -> None:
    """Desks 60 % taken, rooms 3 hours a day, machines 4 (by inducted people); all non-overlapping by construction:
    one booking per desk and day, distinct hours per room and machine."""
    space, participants = scale.space, scale.participants
    zone = ZoneInfo(space.time_zone)
    cohort_of = dict(
        scale.participants[0]
        .memberships.model.objects.filter(person__in=participants)
        .values_list("person_id", "cohort_id")
    )
    inducted = participants[::10]
    first = space_today(space) - datetime.timedelta(days=DAYS_BACK)
    Induction.objects.bulk_create(
        [
            Induction(space=space, person=person, induction_type=MACHINE_INDUCTION, inducted_on=first)
            for person in inducted
        ],
        batch_size=BATCH,
    )
    bookings = _bookings(scale, first, inducted)
    for booking in bookings:
        booking.plan = scale.plans.get(cohort_of.get(booking.person.pk))
    bookings = Booking.objects.bulk_create(bookings, batch_size=BATCH)
    lines = _ledger_lines(bookings, zone)
    LedgerLine.objects.bulk_create(lines, batch_size=BATCH)
    plans_spent_recount(SubsidyPlan.objects.filter(space=space))
    scale.say(f"bookings: {len(bookings)} over {DAYS_BACK + DAYS_AHEAD} days, {len(lines)} ledger lines")


def _bookings(scale: Scale, first: datetime.date, inducted) -> list[Booking]:
    space, participants = scale.space, scale.participants
    zone = ZoneInfo(space.time_zone)
    bookings = []
    for offset in range(DAYS_BACK + DAYS_AHEAD):
        day = first + datetime.timedelta(days=offset)
        if day.weekday() == CLOSED_WEEKDAY:
            continue
        opens = datetime.datetime.combine(day, OPENS, zone)
        for n, resource in enumerate(scale.resources):
            if resource.unit == Resource.Unit.DAY:
                if (n + offset) % 10 < 6:
                    person = participants[(n * 7 + offset) % len(participants)]
                    closes = datetime.datetime.combine(day, CLOSES, zone)
                    bookings.append(Booking(resource=resource, person=person, units=1,
                                            period=DateTimeTZRange(opens, closes)))  # fmt: skip
                continue
            people = inducted if resource.induction_type else participants
            for k, hour in enumerate((1, 4, 7) if resource.kind == Resource.Kind.ROOM else (0, 2, 5, 8)):
                person = people[(n * 3 + offset + k) % len(people)]
                start = opens + datetime.timedelta(hours=hour)
                period = DateTimeTZRange(start, start + datetime.timedelta(hours=1))
                bookings.append(Booking(resource=resource, person=person, units=1, period=period))
    return bookings


def _ledger_lines(bookings, zone) -> list[LedgerLine]:
    """Each booking's line, subsidised while its person's month stays under the cap."""
    used = Counter()
    lines = []
    for booking in bookings:
        month = booking.period.lower.astimezone(zone).date().replace(day=1)
        list_price = (booking.units * booking.resource.price).quantize(CENT)
        subsidised = booking.plan is not None and used[booking.person.pk, month] + booking.units <= MONTHLY_CAP
        if subsidised:
            used[booking.person.pk, month] += booking.units
        subsidy = (list_price * SHARE_PERCENT / 100).quantize(CENT, rounding=ROUND_HALF_UP) if subsidised else 0
        lines.append(
            LedgerLine(booking=booking, person=booking.person, plan=booking.plan, month=month, units=booking.units,
                       subsidised_units=booking.units if subsidised else 0, list_price=list_price, subsidy=subsidy,
                       co_pay=list_price - subsidy, currency=booking.resource.space.currency,
                       note="" if subsidised else "Over the monthly cap: full price.")
        )  # fmt: skip
    return lines
