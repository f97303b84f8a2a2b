"""The workspaces section of a program's home: this week's desk occupancy per space and the subsidy budgets."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from tests.workspaces.factories import bizmax_setup, make_resource, manager_of, participant
from workspaces import selectors
from workspaces.models import ClosedDate
from workspaces.services import booking_create

pytestmark = pytest.mark.calendar

# Sunday 15 March 2026, 07:00 in Jerusalem: the space's week (Sunday to Saturday) has just begun.
NOW = datetime.datetime(2026, 3, 15, 5, 0, tzinfo=datetime.UTC)


def _day(day):
    return datetime.datetime(2026, 3, day, 8), datetime.datetime(2026, 3, day, 18)


def test_occupancy_counts_booked_desk_days_against_desks_times_open_days_and_the_budget_used(client, db):
    cohort, space, desk, plan = bizmax_setup()
    second = make_resource(space, "Desk 2")
    ClosedDate.objects.create(space=space, date=datetime.date(2026, 3, 18), reason="Holiday")
    person = participant(cohort)
    with time_machine.travel(NOW, tick=False):
        for resource, day in ((desk, 16), (desk, 17), (second, 19), (desk, 22)):  # 22 March: next week
            starts, ends = _day(day)
            booking_create(resource=resource, starts=starts, ends=ends, by=person)
        [week] = selectors.program_spaces_week(cohort.program)
        assert (week.desks, week.open_days, week.booked, week.available) == (2, 4, 3, 8)  # Sun–Thu but Wednesday
        assert week.percent == 38
        [spent] = selectors.program_plans(cohort.program)
        assert spent.spent == 4 * 60  # 75 % of 80 for each of the four days booked
        client.force_login(manager_of(cohort.program))
        html = client.get(reverse("programs:home", args=[cohort.program.slug])).content.decode()
    assert "3 of 8 desk-days booked this week" in html
    assert 'data-testid="plan-budget"' in html and "10,000.00" in html
    assert f"{reverse('admin:workspaces_resource_add')}?space={space.pk}" in html
