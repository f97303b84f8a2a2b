"""A subsidy plan's kept `spent` equals a fresh sum of its lines in its space's currency after every kind of change
the ledger makes: a subsidised charge, a charge past the cap or the budget, a refund, a late cancellation, a
currency correction, the plan moved to another space in the admin, and the migration's backfill."""

import datetime
from decimal import Decimal
from importlib import import_module

from django.db import connection
from django.db.models import F, Sum
from django.urls import reverse

from tests.workspaces.factories import bizmax_setup, make_space, participant
from tests.workspaces.test_booking_rules import TUESDAY, WEDNESDAY, day_of
from workspaces import ledger, services
from workspaces.models import LedgerLine, Space, SubsidyPlan

THURSDAY = datetime.date(2026, 6, 4)


def fresh_sum(plan: SubsidyPlan) -> Decimal:
    lines = LedgerLine.objects.filter(plan=plan, currency=F("plan__space__currency"))
    return lines.aggregate(total=Sum("subsidy"))["total"] or Decimal(0)


def assert_kept(plan: SubsidyPlan, expected: str) -> None:
    plan.refresh_from_db()
    assert plan.spent == fresh_sum(plan) == Decimal(expected)


def test_charges_and_cancellations_keep_the_sum(db, frozen):
    cohort, space, desk, plan = bizmax_setup()
    plan.monthly_cap = Decimal(2)
    plan.save()
    person = participant(cohort)
    assert_kept(plan, "0")
    late = services.booking_create(**day_of(desk, TUESDAY), by=person)
    assert_kept(plan, "60.00")
    early = services.booking_create(**day_of(desk, THURSDAY), by=person)
    assert_kept(plan, "120.00")
    services.booking_create(**day_of(desk, WEDNESDAY), by=person)  # past the cap of 2: full price
    assert_kept(plan, "120.00")
    services.booking_cancel(booking=early, by=person)  # in time: the opposite line
    assert_kept(plan, "60.00")
    services.booking_cancel(booking=late, by=person)  # too late: stays charged
    assert_kept(plan, "60.00")


def test_a_charge_past_the_budget_adds_nothing(db, frozen):
    cohort, space, desk, plan = bizmax_setup()
    plan.budget = Decimal("100.00")
    plan.save()
    services.booking_create(**day_of(desk, TUESDAY), by=participant(cohort))
    services.booking_create(**day_of(desk, WEDNESDAY), by=participant(cohort))  # budget spent: full price
    assert_kept(plan, "60.00")


def test_a_currency_correction_recounts_the_spaces_plans(db, frozen):
    """Lines stamped EUR while the space says ILS are not the plan's spending until the currency is corrected."""
    cohort, space, desk, plan = bizmax_setup()
    services.booking_create(**day_of(desk, TUESDAY), by=participant(cohort))
    Space.objects.filter(pk=space.pk).update(currency="EUR")
    ledger.space_currency_correct(space=space, currency="ILS", by=None)
    assert_kept(plan, "60.00")
    LedgerLine.objects.update(currency="EUR")
    ledger.space_currency_correct(space=space, currency="EUR", by=None)
    assert_kept(plan, "60.00")


def test_the_migration_backfills_the_sum(db, frozen):
    cohort, space, desk, plan = bizmax_setup()
    services.booking_create(**day_of(desk, TUESDAY), by=participant(cohort))
    services.booking_create(**day_of(desk, WEDNESDAY), by=participant(cohort))
    SubsidyPlan.objects.update(spent=0)
    with connection.cursor() as cursor:
        cursor.execute(import_module("workspaces.migrations.0006_subsidy_plan_spent").SPENT_SQL)
    assert_kept(plan, "120.00")


def test_moving_a_plan_to_a_space_of_another_currency_recounts_it(admin_client, db, frozen):
    cohort, space, desk, plan = bizmax_setup()
    services.booking_create(**day_of(desk, TUESDAY), by=participant(cohort))
    workshop = make_space([cohort.program], slug="pracownia", currency="PLN")
    form = {"cohort": cohort.pk, "share_percent": 75, "monthly_cap": "10", "budget": "10000", "over_cap": "full_price"}
    response = admin_client.post(
        reverse("admin:workspaces_subsidyplan_change", args=[plan.pk]), {**form, "space": workshop.pk}
    )
    assert response.status_code == 302
    assert_kept(plan, "0")
    admin_client.post(reverse("admin:workspaces_subsidyplan_change", args=[plan.pk]), {**form, "space": space.pk})
    assert_kept(plan, "60.00")


def test_a_cancellation_after_the_plan_moved_counts_in_the_plans_new_currency(admin_client, db, frozen):
    """Moved to a PLN space, the plan has spent nothing in PLN: refunding an ILS booking made before leaves it so."""
    cohort, space, desk, plan = bizmax_setup()
    person = participant(cohort)
    booking = services.booking_create(**day_of(desk, THURSDAY), by=person)
    workshop = make_space([cohort.program], slug="pracownia", currency="PLN")
    SubsidyPlan.objects.filter(pk=plan.pk).update(space=workshop)
    ledger.plans_spent_recount(SubsidyPlan.objects.filter(pk=plan.pk))
    services.booking_cancel(booking=booking, by=person)
    assert_kept(plan, "0")


def test_a_currency_correction_recounts_a_plan_moved_away_from_the_space(db, frozen):
    cohort, space, desk, plan = bizmax_setup()
    services.booking_create(**day_of(desk, TUESDAY), by=participant(cohort))
    workshop = make_space([cohort.program], slug="pracownia", currency="PLN")
    SubsidyPlan.objects.filter(pk=plan.pk).update(space=workshop)
    ledger.plans_spent_recount(SubsidyPlan.objects.filter(pk=plan.pk))
    assert_kept(plan, "0")
    ledger.space_currency_correct(space=space, currency="PLN", by=None)  # the old space's lines become PLN
    assert_kept(plan, "60.00")


def test_saving_a_plan_in_the_admin_never_writes_back_a_stale_sum(admin_client, db, frozen):
    """The form's copy of what was spent is read before the save; a booking may have added to it meanwhile."""
    cohort, space, desk, plan = bizmax_setup()
    services.booking_create(**day_of(desk, TUESDAY), by=participant(cohort))
    SubsidyPlan.objects.filter(pk=plan.pk).update(spent=Decimal("999.00"))  # as if read before that booking
    form = {"cohort": cohort.pk, "space": space.pk, "share_percent": 75, "monthly_cap": "10", "budget": "20000"}
    response = admin_client.post(
        reverse("admin:workspaces_subsidyplan_change", args=[plan.pk]), {**form, "over_cap": "full_price"}
    )
    assert response.status_code == 302
    assert_kept(plan, "60.00")
