"""Fifty participants tap the same office-hours slot at once from five processes, through real HTTP: one session,
49 × 409 "just taken", no 500 (the availability's row lock and the time claims' exclusion constraint)."""

import datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import get_random_string

from cohorts.availability import free_slots
from cohorts.models import Availability, AvailabilityWindow
from mentoring.models import Session, TimeClaim
from tests.factories import CohortFactory, UserFactory, accept, grant
from tests.workspaces.test_concurrency import race, session_of


def test_fifty_participants_book_the_same_slot_at_once(live_server, transactional_db):
    cohort = CohortFactory(program__time_zone="Asia/Jerusalem")
    mentor = grant(cohort.program, UserFactory(name="Meir Mentor"), "mentor")
    hours = Availability.objects.create(
        program=cohort.program, owner=mentor, purpose=Availability.Purpose.OFFICE_HOURS, time_zone="Asia/Jerusalem"
    )
    AvailabilityWindow.objects.bulk_create(
        AvailabilityWindow(availability=hours, weekday=day, starts=datetime.time(9), ends=datetime.time(17))
        for day in range(7)
    )
    first = free_slots(hours, busy=[], now=timezone.now())[0]
    people = [accept(cohort, UserFactory()).person for _ in range(50)]
    jobs = [(session_of(person), get_random_string(32), {"at": first.starts_at.isoformat()}) for person in people]

    answers = race(live_server, jobs, path=reverse("mentoring:office_hour_book", args=[hours.pk]))

    statuses = sorted(status for status, _body in answers)
    assert statuses == [302] + [409] * 49
    assert all("This slot was just taken" in body for status, body in answers if status == 409)
    session = Session.objects.get()
    assert (session.starts_at, session.kind.code) == (first.starts_at, "office-hours")
    assert TimeClaim.objects.filter(person=mentor).count() == 1
