"""Office hours in the demo: BizUP's mentors publish weekly hours (the Israeli week, Sunday to Thursday) and the
demo participant has booked one with the demo mentor. Idempotent: each mentor's rules and the
booking are made once."""

import datetime
from zoneinfo import ZoneInfo

from django.utils import timezone

from cohorts.availability_services import availability_save
from cohorts.models import Availability, Program
from demo.mentoring import BIZUP_MENTORS
from incubator.models import User
from mentoring.models import Session
from mentoring.office_hours import office_hours_kind
from mentoring.services import OFFICE_HOURS, session_schedule

SUNDAY, MONDAY, TUESDAY, WEDNESDAY, THURSDAY = 6, 0, 1, 2, 3
# Each mentor's weekly hours (weekday, from, until) in Asia/Jerusalem; a mentor's sessions there are busy, not offered.
BIZUP_HOURS = {
    "mentor@example.org": [(SUNDAY, "16:00", "18:00"), (TUESDAY, "09:00", "11:00"), (THURSDAY, "16:00", "18:00")],
    "mentor.photo@example.org": [(MONDAY, "12:00", "14:00"), (WEDNESDAY, "12:00", "14:00")],
    "mentor.space@example.org": [(SUNDAY, "09:00", "12:00")],
    "mentor.market@example.org": [(TUESDAY, "17:00", "19:00"), (THURSDAY, "10:00", "12:00")],
}
# Hanukkah's party at the hub: no office hours that day.
BIZUP_CLOSED = [datetime.date(2026, 12, 10)]
PLACE = "BizMax, meeting room 3"
BOOKER = "participant@example.org"


def _time(text: str) -> datetime.time:
    return datetime.time.fromisoformat(text)


def seed_office_hours(stdout) -> None:
    program = Program.objects.get(slug="bizup")
    mentors = {user.email: user for user in User.objects.filter(email__in=[m[0] for m in BIZUP_MENTORS])}
    published = set(
        Availability.objects.filter(program=program, purpose=Availability.Purpose.OFFICE_HOURS).values_list(
            "owner__email", flat=True
        )
    )
    for email, hours in BIZUP_HOURS.items():
        if email in published:
            continue  # seeding again changes nothing, nor adds to the audit trail
        mentor = mentors[email]
        availability_save(
            availability=None,
            program=program,
            owner=mentor,
            purpose=Availability.Purpose.OFFICE_HOURS,
            settings={
                "time_zone": "Asia/Jerusalem",
                "slot_minutes": 30,
                "notice_hours": 24,
                "horizon_days": 28,
                "cancel_hours": 24,
                "place": PLACE,
                "online_link": "",
                "active": True,
            },
            windows=[{"weekday": day, "starts": _time(start), "ends": _time(end)} for day, start, end in hours],
            exceptions=[{"on": day, "closed": True, "starts": None, "ends": None} for day in BIZUP_CLOSED],
            by=mentor,
        )
    _booked(program, mentors["mentor@example.org"])
    stdout.write(f"office hours: {len(BIZUP_HOURS)} BizUP mentors publish weekly hours")


def _booked(program: Program, mentor: User) -> None:
    """The demo participant's office hour with the demo mentor next week, if they have none to come."""
    booker = User.objects.filter(email=BOOKER).first()
    now = timezone.now()
    if (
        booker is None
        or Session.objects.filter(kind__code=OFFICE_HOURS, attendances__person=booker, starts_at__gt=now).exists()
    ):
        return
    zone = ZoneInfo("Asia/Jerusalem")
    today = timezone.localtime(now, zone).date()
    days_to_tuesday = (TUESDAY - today.weekday()) % 7 or 7
    starts_at = datetime.datetime.combine(today + datetime.timedelta(days=days_to_tuesday + 7), _time("09:30"), zone)
    session_schedule(
        program=program,
        kind=office_hours_kind(program),
        starts_at=starts_at,
        ends_at=starts_at + datetime.timedelta(minutes=30),
        participants=[booker],
        facilitators=[mentor],
        place=PLACE,
        by=booker,
        notify=False,
    )
