"""Interview scenarios built through the services: a call with an interview stage, its plan, a shortlist."""

import datetime

from applications.interviews.services import interview_plan_save, interviews_shortlist
from tests.applications.scoring.factories import manager, score, submitted
from tests.applications.scoring.interview_factories import interview_call
from tests.factories import UserFactory

# Weekdays 09:00–12:00 in the panel's zone; 30-minute interviews, booked at least a day ahead, up to 28 days.
WEEKDAY_MORNINGS = [{"weekday": weekday, "starts": datetime.time(9), "ends": datetime.time(12)} for weekday in range(5)]


def plan(call, by, *, panel=None, time_zone="Africa/Casablanca", windows=WEEKDAY_MORNINGS, exceptions=(), **settings):
    values = {
        "time_zone": time_zone,
        "slot_minutes": 30,
        "notice_hours": 24,
        "horizon_days": 28,
        "cancel_hours": 24,
        "place": "",
        "online_link": "https://meet.example.org/panel",
        "active": True,
        **settings,
    }
    return interview_plan_save(
        call=call, panel=panel or [by], settings=values, windows=list(windows), exceptions=list(exceptions), by=by
    )


def applicants(call, count, *, language="fr", time_zone="Europe/Paris", prefix="Applicant"):
    """`count` submitted and scored applications, best first."""
    reviewer_ = UserFactory(name="Rita Reviewer")
    made = []
    for number in range(count):
        person = UserFactory(name=f"{prefix} {number + 1}", preferred_language=language, time_zone=time_zone)
        application = submitted(call, applicant=person, name=f"{prefix} {number + 1}")
        score(application, reviewer_, max(5 - number, 1))
        made.append(application)
    return made


def shortlisted(call, by, count=1, **people):
    """A call with a plan and `count` shortlisted applicants; their interviews."""
    if not hasattr(call, "interview_plan"):
        plan(call, by)
    return interviews_shortlist(call=call, applications=applicants(call, count, **people), by=by)


__all__ = ["WEEKDAY_MORNINGS", "applicants", "interview_call", "manager", "plan", "shortlisted"]
