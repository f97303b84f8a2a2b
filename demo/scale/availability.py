"""Published time for `seed_scale`: every mentor's office hours (weekdays 09:00–17:00, the hours their year of
sessions fills), and the scale call's interview stage, whose panel has shortlisted the last applications: the first
ones booked, the rest still choosing (the people of `make bench`'s interview booking page)."""

import datetime
import secrets

from django.contrib.postgres.fields.ranges import DateTimeTZRange
from django.utils import timezone

from applications.interviews.models import Interview, InterviewPlan
from applications.scoring.models import ReviewSettings
from cohorts.availability import free_slots
from cohorts.models import Availability, AvailabilityWindow
from demo.scale import BATCH, Scale

WEEKDAYS = range(5)
SHORTLISTED = 50  # at most, and never more than half the applications


def _availabilities(scale: Scale, owners, purpose: str, slot_minutes: int) -> list[Availability]:
    made = Availability.objects.bulk_create(
        [
            Availability(
                program=scale.program,
                owner=owner,
                purpose=purpose,
                time_zone=scale.program.time_zone,
                slot_minutes=slot_minutes,
                place="Room 1",
            )
            for owner in owners
        ],
        batch_size=BATCH,
    )
    AvailabilityWindow.objects.bulk_create(
        [
            AvailabilityWindow(availability=availability, weekday=day, starts=datetime.time(9), ends=datetime.time(17))
            for availability in made
            for day in WEEKDAYS
        ],
        batch_size=BATCH,
    )
    return made


def seed_office_hours(scale: Scale) -> None:
    made = _availabilities(scale, scale.mentors, Availability.Purpose.OFFICE_HOURS, 30)
    scale.say(f"office hours: {len(made)} mentors publish weekday hours")


def seed_interviews(scale: Scale) -> None:
    call = scale.call
    ReviewSettings.objects.filter(call=call).update(has_interview=True)
    (availability,) = _availabilities(scale, [scale.manager], Availability.Purpose.INTERVIEWS, 30)
    plan = InterviewPlan.objects.create(call=call, availability=availability)
    plan.panel.set([scale.manager])
    now = timezone.now()
    slots = free_slots(availability, busy=[], now=now)[::2]
    shortlisted = scale.applications[-min(SHORTLISTED, len(scale.applications) // 2) :]
    booked = len(shortlisted) * 3 // 5
    interviews = [
        Interview(application=application, plan=plan, token=secrets.token_urlsafe(32), invited_at=now)
        for application in shortlisted
    ]
    for interview, slot in zip(interviews[:booked], slots, strict=False):
        interview.status = Interview.Status.BOOKED
        interview.period = DateTimeTZRange(slot.starts_at, slot.ends_at, "[)")
        interview.booked_at = now
    Interview.objects.bulk_create(interviews)
    scale.say(f"interviews: {len(shortlisted)} shortlisted for the scale call, {booked} booked")
