import datetime
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from moneyed import Money

from cohorts.services import membership_status_change
from tests.audit_trail import actions
from tests.factories import CohortFactory, UserFactory
from tests.workspaces.factories import bizmax_setup, make_plan, make_resource, make_space, manager_of, participant
from workspaces import services
from workspaces.models import Booking, ClosedDate, LedgerLine, Resource, SubsidyPlan

D = datetime.datetime


def day_of(desk, date):
    return {"resource": desk, "starts": D.combine(date, datetime.time(8)), "ends": D.combine(date, datetime.time(18))}


TUESDAY = datetime.date(2026, 6, 2)
WEDNESDAY = datetime.date(2026, 6, 3)


@pytest.fixture
def bizmax(db, frozen):
    cohort, space, desk, plan = bizmax_setup()
    return cohort, space, desk, plan, participant(cohort)


def test_a_day_booking_is_charged_with_the_plans_share(bizmax):
    cohort, space, desk, plan, person = bizmax
    booking = services.booking_create(**day_of(desk, TUESDAY), by=person)
    # 08:00–18:00 in Jerusalem (UTC+3 in June) is stored in UTC.
    assert booking.period.lower == D(2026, 6, 2, 5, 0, tzinfo=datetime.UTC)
    assert booking.period.upper == D(2026, 6, 2, 15, 0, tzinfo=datetime.UTC)
    line = booking.ledger_lines.get()
    assert (line.units, line.list_price, line.subsidy, line.co_pay) == (1, Decimal("80.00"), Decimal("60.00"), 20)
    assert actions(action="booking.create", object_id=booking.pk)


def test_the_same_slot_twice_is_just_taken(bizmax):
    cohort, space, desk, plan, person = bizmax
    services.booking_create(**day_of(desk, TUESDAY), by=person)
    with pytest.raises(ValidationError) as error:
        services.booking_create(**day_of(desk, TUESDAY), by=participant(cohort))
    assert error.value.code == services.JUST_TAKEN
    assert "Just taken" in error.value.messages[0]
    assert Booking.objects.count() == 1 and LedgerLine.objects.count() == 1


def test_the_database_refuses_overlaps_even_without_the_service(bizmax):
    """The exclusion constraint is the last line of defence, whatever code writes bookings."""
    cohort, space, desk, plan, person = bizmax
    booking = services.booking_create(**day_of(desk, TUESDAY), by=person)
    with connection.cursor() as cursor, pytest.raises(Exception, match="booking_no_overlap"):
        cursor.execute(
            "INSERT INTO workspaces_booking (resource_id, person_id, period, status, units, created_at) "
            "VALUES (%s, %s, tstzrange(%s, %s), 'active', 1, now())",
            [desk.pk, person.pk, booking.period.lower + datetime.timedelta(hours=2), booking.period.upper],
        )


@pytest.mark.parametrize(
    ("starts", "ends", "message"),
    [
        (D(2026, 5, 31, 8), D(2026, 5, 31, 18), "already begun or passed"),
        (D(2026, 6, 5, 8), D(2026, 6, 5, 18), "closed on Friday"),
        (D(2026, 6, 2, 9), D(2026, 6, 2, 18), "by the full day"),
        (D(2026, 6, 2, 8), D(2026, 6, 3, 8), "same day"),  # across midnight for a day-unit desk
        (D(2026, 8, 4, 8), D(2026, 8, 4, 18), "30 days ahead"),
    ],
)
def test_refusals_say_why(bizmax, starts, ends, message):
    cohort, space, desk, plan, person = bizmax
    with pytest.raises(ValidationError, match=message):
        services.booking_create(resource=desk, starts=starts, ends=ends, by=person)
    assert not Booking.objects.exists()


def test_closed_dates_are_refused(bizmax):
    cohort, space, desk, plan, person = bizmax
    ClosedDate.objects.create(space=space, date=TUESDAY, reason="Shavuot")
    with pytest.raises(ValidationError, match="closed on .* Shavuot"):
        services.booking_create(**day_of(desk, TUESDAY), by=person)


def test_weekly_limit(db, frozen):
    cohort, space, desk, plan = bizmax_setup(weekly_limit=2)
    person = participant(cohort)
    other = make_resource(space, "Desk 2")
    services.booking_create(**day_of(desk, TUESDAY), by=person)
    services.booking_create(**day_of(other, TUESDAY), by=person)
    with pytest.raises(ValidationError, match="2 bookings in this week"):
        services.booking_create(**day_of(desk, WEDNESDAY), by=person)
    # The next week (starting Sunday in this space) is a new week.
    services.booking_create(**day_of(desk, datetime.date(2026, 6, 7)), by=person)


def test_withdrawn_participants_outsiders_and_other_programs_staff_cannot_book(bizmax):
    cohort, space, desk, plan, person = bizmax
    membership = person.memberships.get()
    membership_status_change(membership=membership, status="withdrawn", reason="Moved away", by=None)
    for who in [person, UserFactory(), manager_of(CohortFactory().program)]:
        with pytest.raises(PermissionDenied):
            services.booking_create(**day_of(desk, TUESDAY), by=who)
    assert not Booking.objects.exists()


def test_staff_of_the_program_book_without_subsidy(bizmax):
    cohort, space, desk, plan, person = bizmax
    booking = services.booking_create(**day_of(desk, TUESDAY), by=manager_of(cohort.program))
    assert booking.plan is None
    assert booking.ledger_lines.get().subsidy == 0


def test_over_the_cap_full_price_or_refused(db, frozen):
    cohort, space, desk, plan = bizmax_setup()
    plan.monthly_cap = Decimal(1)
    plan.save()
    person = participant(cohort)
    services.booking_create(**day_of(desk, TUESDAY), by=person)
    second = services.booking_create(**day_of(desk, WEDNESDAY), by=person)
    line = second.ledger_lines.get()
    assert (line.subsidy, line.co_pay, line.subsidised_units) == (0, Decimal("80.00"), 0)
    assert "cap" in line.note
    plan.over_cap = SubsidyPlan.OverCap.REFUSE
    plan.save()
    with pytest.raises(ValidationError, match="monthly cap of 1.0"):
        services.booking_create(**day_of(desk, datetime.date(2026, 6, 4)), by=person)


def test_the_budget_is_never_passed(db, frozen):
    cohort, space, desk, plan = bizmax_setup()
    plan.budget = Decimal("100.00")
    plan.over_cap = SubsidyPlan.OverCap.REFUSE
    plan.save()
    services.booking_create(**day_of(desk, TUESDAY), by=participant(cohort))
    with pytest.raises(ValidationError, match="budget is spent"):
        services.booking_create(**day_of(desk, WEDNESDAY), by=participant(cohort))
    assert LedgerLine.objects.filter(plan=plan).count() == 1


def test_cancel_in_time_reverses_late_cancel_stays_charged(bizmax):
    cohort, space, desk, plan, person = bizmax
    early = services.booking_create(**day_of(desk, datetime.date(2026, 6, 4)), by=person)
    late = services.booking_create(**day_of(desk, TUESDAY), by=person)
    services.booking_cancel(booking=early, by=person)
    services.booking_cancel(booking=late, by=person)  # 20 hours before: inside the 24-hour notice
    early.refresh_from_db()
    late.refresh_from_db()
    assert early.status == Booking.Status.CANCELLED
    assert late.status == Booking.Status.LATE_CANCELLED
    statement_month = datetime.date(2026, 6, 1)
    from workspaces.ledger import statement

    data = statement(person, statement_month)
    assert data.units == {"day": 1}
    shekels = [Money(80, "ILS"), Money(60, "ILS"), Money(20, "ILS")]
    assert [[t.list_price, t.subsidy, t.co_pay] for t in data.totals] == [shekels]
    # The cancelled slot is free again.
    services.booking_create(**day_of(desk, datetime.date(2026, 6, 4)), by=participant(cohort))


def test_nobody_cancels_someone_elses_booking(bizmax):
    cohort, space, desk, plan, person = bizmax
    booking = services.booking_create(**day_of(desk, TUESDAY), by=person)
    with pytest.raises(PermissionDenied):
        services.booking_cancel(booking=booking, by=participant(cohort))
    booking.refresh_from_db()
    assert booking.status == Booking.Status.ACTIVE


def test_check_in_and_no_show_release(bizmax, frozen):
    cohort, space, desk, plan, person = bizmax
    kept = services.booking_create(**day_of(desk, TUESDAY), by=person)
    missed = services.booking_create(**day_of(make_resource(space, "Desk 2"), TUESDAY), by=participant(cohort))
    with pytest.raises(ValidationError, match="opens 30 minutes before"):
        services.booking_check_in(booking=kept, by=person)
    frozen.move_to(D(2026, 6, 2, 5, 20, tzinfo=datetime.UTC))  # 08:20 in Jerusalem
    services.booking_check_in(booking=kept, by=person)
    assert services.bookings_release_no_shows() == 0
    frozen.move_to(D(2026, 6, 2, 6, 1, tzinfo=datetime.UTC))  # 09:01: past the hour to check in
    assert services.bookings_release_no_shows() == 1
    missed.refresh_from_db()
    kept.refresh_from_db()
    assert missed.status == Booking.Status.NO_SHOW and kept.status == Booking.Status.ACTIVE
    # The released desk can be booked at once (hourly rules aside, the constraint no longer holds it).
    assert not Booking.objects.filter(resource=missed.resource, status=Booking.Status.ACTIVE).exists()


def test_recurring_books_each_day_and_says_which_failed(bizmax):
    cohort, space, desk, plan, person = bizmax
    ClosedDate.objects.create(space=space, date=datetime.date(2026, 6, 10), reason="Holiday")
    services.booking_create(**day_of(desk, datetime.date(2026, 6, 9)), by=participant(cohort))
    booked, refused = services.booking_create_recurring(
        resource=desk,
        first_day=datetime.date(2026, 6, 7),
        weekdays={6, 0, 1, 2, 3, 4},
        weeks=1,
        by=person,
    )
    assert [b.period.lower.date() for b in booked] == [datetime.date(2026, 6, d) for d in (7, 8, 11)]
    assert [day for day, _reason in refused] == [datetime.date(2026, 6, d) for d in (9, 10, 12)]
    assert "Just taken" in refused[0][1] and "Holiday" in refused[1][1] and "closed on this weekday" in refused[2][1]


@pytest.fixture
def workshop(db):
    cohort = CohortFactory(program__time_zone="Europe/Warsaw")
    space = make_space(
        [cohort.program], slug="pracownia", time_zone="Europe/Warsaw", weekdays=range(7),
        opens=datetime.time(0), closes=datetime.time(23),
    )  # fmt: skip
    make_plan(cohort, space, share=50, cap="40")
    laser = make_resource(
        space, "Laser cutter", unit=Resource.Unit.HOUR, price="30.00", kind="machine", induction_type="laser cutter",
        max_hours=4,
    )  # fmt: skip
    return cohort, space, laser, participant(cohort)


def test_a_booking_across_the_spring_dst_change_has_its_true_length(workshop):
    cohort, space, laser, person = workshop
    services.induction_record(
        space=space, person=person, induction_type="Laser cutter", inducted_on=datetime.date(2026, 3, 1),
        by=manager_of(cohort.program),
    )  # fmt: skip
    with time_machine.travel(D(2026, 3, 20, tzinfo=datetime.UTC), tick=False):
        booking = services.booking_create(resource=laser, starts=D(2026, 3, 29, 1), ends=D(2026, 3, 29, 4), by=person)
        assert booking.period.upper - booking.period.lower == datetime.timedelta(hours=2)
        assert booking.units == 2
        assert booking.ledger_lines.get().list_price == Decimal("60.00")
        with pytest.raises(ValidationError, match="02:00 does not exist"):
            services.booking_create(resource=laser, starts=D(2026, 3, 29, 2), ends=D(2026, 3, 29, 4), by=person)


def test_a_repeated_autumn_hour_is_refused(workshop):
    cohort, space, laser, person = workshop
    services.induction_record(
        space=space, person=person, induction_type="laser cutter", inducted_on=datetime.date(2026, 10, 1),
        by=manager_of(cohort.program),
    )  # fmt: skip
    with (
        time_machine.travel(D(2026, 10, 20, tzinfo=datetime.UTC), tick=False),
        pytest.raises(ValidationError, match="happens twice"),
    ):
        services.booking_create(resource=laser, starts=D(2026, 10, 25, 2), ends=D(2026, 10, 25, 3), by=person)


def test_equipment_needs_a_valid_induction(workshop):
    cohort, space, laser, person = workshop
    slot = {"resource": laser, "starts": D(2026, 6, 2, 10), "ends": D(2026, 6, 2, 12)}
    with time_machine.travel(D(2026, 6, 1, tzinfo=datetime.UTC), tick=False):
        with pytest.raises(ValidationError, match="needs a valid induction on the laser cutter. Ask"):
            services.booking_create(**slot, by=person)
        services.induction_record(
            space=space, person=person, induction_type="laser cutter", inducted_on=datetime.date(2025, 1, 1),
            expires_on=datetime.date(2026, 1, 1), by=manager_of(cohort.program),
        )  # fmt: skip
        with pytest.raises(ValidationError, match="valid induction"):
            services.booking_create(**slot, by=person)
        with pytest.raises(PermissionDenied):
            services.induction_record(
                space=space, person=person, induction_type="laser cutter", inducted_on=datetime.date(2026, 5, 1),
                by=participant(cohort),
            )  # fmt: skip
        trainer = UserFactory()
        space.trainers.add(trainer)
        services.induction_record(
            space=space, person=person, induction_type="laser cutter", inducted_on=datetime.date(2026, 5, 1), by=trainer
        )
        booking = services.booking_create(**slot, by=person)
    assert booking.units == 2
    with time_machine.travel(D(2026, 6, 1, tzinfo=datetime.UTC), tick=False), pytest.raises(ValidationError):
        services.booking_create(resource=laser, starts=D(2026, 6, 2, 13), ends=D(2026, 6, 2, 18), by=person)
