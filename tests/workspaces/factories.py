"""Spaces, resources and plans are configuration (the admin creates them); bookings are made through services."""

import datetime
from decimal import Decimal

from django.contrib.auth.models import Group

from incubator.roles import PROGRAM_MANAGER
from tests.factories import CohortFactory, UserFactory, accept
from workspaces.models import OpeningHours, Resource, Space, SubsidyPlan

SUNDAY_TO_THURSDAY = (6, 0, 1, 2, 3)


def make_space(programs, *, slug="bizmax", time_zone="Asia/Jerusalem", currency="ILS", weekdays=SUNDAY_TO_THURSDAY,
               opens=datetime.time(8), closes=datetime.time(18), **rules) -> Space:  # fmt: skip
    space = Space.objects.create(
        name=slug.title(), slug=slug, time_zone=time_zone, currency=currency, address="1 Example Street", **rules
    )
    space.programs.set(programs)
    OpeningHours.objects.bulk_create(
        [OpeningHours(space=space, weekday=day, opens=opens, closes=closes) for day in weekdays]
    )
    return space


def make_resource(space, name="Desk 1", *, unit=Resource.Unit.DAY, price="80.00", **fields) -> Resource:
    return Resource.objects.create(space=space, name=name, unit=unit, price=Decimal(price), **fields)


def make_plan(cohort, space, *, share=75, cap="10", budget="10000", over_cap=SubsidyPlan.OverCap.FULL_PRICE):
    return SubsidyPlan.objects.create(
        cohort=cohort, space=space, share_percent=share, monthly_cap=Decimal(cap), budget=Decimal(budget),
        over_cap=over_cap,
    )  # fmt: skip


def participant(cohort, **fields):
    return accept(cohort, UserFactory(**fields)).person


def manager_of(program, **fields):
    manager = UserFactory(is_staff=True, **fields)
    manager.groups.add(Group.objects.get(name=PROGRAM_MANAGER))
    program.managers.add(manager)
    return manager


def bizmax_setup(**space_rules):
    """BizUP's cohort using a Jerusalem space open Sunday to Thursday, with a 75 % plan and one desk."""
    cohort = CohortFactory(program__time_zone="Asia/Jerusalem")
    space = make_space([cohort.program], **{"week_starts_on": 6, **space_rules})
    desk = make_resource(space)
    plan = make_plan(cohort, space)
    return cohort, space, desk, plan
