"""Interviews in the demo: Kawalis interviews the top of its second-cohort call before deciding. The panel (the
program's manager and a reviewer) is free on weekday mornings in Casablanca; eight applicants are shortlisted, the
first three have booked a time. The interviews are written directly, not through the shortlisting service, so that
seeding sends nobody an invitation; the panel is assigned through its service. Idempotent."""

import datetime
import secrets

from django.contrib.postgres.fields.ranges import DateTimeTZRange
from django.utils import timezone

from applications.interviews.models import Interview, InterviewPlan
from applications.interviews.services import interview_plan_save
from applications.models import Application, Call
from applications.scoring.interview import interview_panel_assign
from applications.scoring.models import ReviewSettings
from applications.scoring.selectors import ranking_positions
from cohorts.availability import free_slots
from incubator.models import User

SHORTLIST = 8
BOOKED = 3
PLAN = {
    "time_zone": "Africa/Casablanca",
    "slot_minutes": 45,
    "notice_hours": 24,
    "horizon_days": 21,
    "cancel_hours": 24,
    "place": "Kawalis, Fès — salle de réunion",
    "online_link": "https://meet.example.org/kawalis-entretiens",
    "active": True,
}
MORNINGS = [{"weekday": day, "starts": datetime.time(9, 30), "ends": datetime.time(12, 30)} for day in range(5)]


def seed_interviews(stdout) -> None:
    call = Call.objects.select_related("cohort__program").get(slug="kawalis-second-cohort")
    ReviewSettings.objects.filter(call=call).update(has_interview=True)
    karima = User.objects.get(email="manager.kawalis@example.org")
    rachid = User.objects.get(email="reviewer@example.org")
    plan = InterviewPlan.objects.filter(call=call).first() or interview_plan_save(
        call=call, panel=[karima, rachid], settings=PLAN, windows=MORNINGS, exceptions=[], by=karima
    )
    if not Interview.objects.filter(plan=plan).exists():
        top = [row.id for row in ranking_positions(call)[:SHORTLIST]]
        chosen = list(Application.objects.filter(pk__in=top).order_by("pk"))
        slots = free_slots(plan.availability, busy=[], now=timezone.now())
        now = timezone.now()
        Interview.objects.bulk_create(
            [
                Interview(
                    application=application,
                    plan=plan,
                    token=secrets.token_urlsafe(32),
                    invited_at=now,
                    **_booking(slots[2 * number] if number < BOOKED and 2 * number < len(slots) else None, now),
                )
                for number, application in enumerate(chosen)
            ]
        )
        interview_panel_assign(call=call, panel=[karima, rachid], applications=chosen, by=karima)
    stdout.write(f"interviews: {plan.interviews.count()} Kawalis applicants shortlisted for an interview")


def _booking(slot, now) -> dict:
    if slot is None:
        return {}
    return {
        "status": Interview.Status.BOOKED,
        "period": DateTimeTZRange(slot.starts_at, slot.ends_at, "[)"),
        "booked_at": now,
    }
