"""The database refuses availability rules that make no sense, whoever writes them."""

import datetime

import pytest
from django.db import IntegrityError, transaction

from cohorts.models import Availability, AvailabilityException, AvailabilityWindow
from tests.factories import ProgramFactory, UserFactory

T = datetime.time


@pytest.fixture
def availability(db):
    return Availability.objects.create(
        program=ProgramFactory(), owner=UserFactory(), purpose="office_hours", time_zone="Europe/Warsaw"
    )


def refused(make):
    with pytest.raises(IntegrityError), transaction.atomic():
        make()


@pytest.mark.parametrize(
    "values",
    [
        {"slot_minutes": 4},
        {"slot_minutes": 481},
        {"horizon_days": 0},
        {"horizon_days": 367},
        {"purpose": "parties"},
    ],
)
def test_settings_out_of_range_are_refused(availability, values):
    refused(lambda: Availability.objects.filter(pk=availability.pk).update(**values))


def test_negative_notice_and_cancel_windows_are_refused(availability):
    refused(lambda: Availability.objects.filter(pk=availability.pk).update(notice_hours=-1))
    refused(lambda: Availability.objects.filter(pk=availability.pk).update(cancel_hours=-1))


def test_one_office_hours_availability_per_person_and_program_but_panels_may_have_several(availability):
    same = {"program": availability.program, "owner": availability.owner}
    refused(lambda: Availability.objects.create(purpose="office_hours", **same))
    Availability.objects.create(purpose="interviews", **same)
    Availability.objects.create(purpose="interviews", **same)
    Availability.objects.create(purpose="office_hours", program=ProgramFactory(), owner=availability.owner)


def test_windows_end_after_they_start_on_a_day_of_the_week(availability):
    refused(lambda: AvailabilityWindow.objects.create(availability=availability, weekday=7, starts=T(9), ends=T(10)))
    refused(lambda: AvailabilityWindow.objects.create(availability=availability, weekday=0, starts=T(9), ends=T(9)))
    AvailabilityWindow.objects.create(availability=availability, weekday=6, starts=T(9), ends=T(9, 5))


def test_an_exception_is_a_closed_day_closed_hours_or_an_open_window(availability):
    day = datetime.date(2027, 1, 4)

    def make(**fields):
        return lambda: AvailabilityException.objects.create(availability=availability, on=day, **fields)

    make(closed=True)()
    make(closed=True, starts=T(9), ends=T(10))()
    make(closed=False, starts=T(18), ends=T(19))()
    refused(make(closed=False))
    refused(make(closed=True, starts=T(9)))
    refused(make(closed=False, ends=T(9)))
    refused(make(closed=False, starts=T(19), ends=T(18)))
    refused(make(closed=True, starts=T(19), ends=T(19)))
