"""Reads of the interview stage, each in a fixed number of queries whatever the number of interviews.

For the final ranking (applications/scoring): `interviews_for_call(call)` maps each shortlisted application's id
to its interview (its `status`: invited, booked, held, no_show or cancelled; `period`; `reschedules`)."""

import datetime
from itertools import groupby
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.db.models import F, Prefetch, Q, QuerySet
from django.http import Http404

from applications.interviews.models import Interview, InterviewPlan
from applications.models import Call
from cohorts.availability import Slot, free_slots
from cohorts.models import AvailabilityException, AvailabilityWindow


def interviews_for_call(call: Call) -> dict[int, Interview]:
    """Application id → its interview, for every shortlisted application of the call: one query."""
    return {interview.application_id: interview for interview in Interview.objects.filter(plan__call=call)}


def panel_candidates(call: Call) -> QuerySet:
    """Who may sit on the call's interview panel: its reviewers still listed on its program, and its program's
    managers, by name (the rule `applications.scoring.interview` checks when it assigns the panel)."""
    program_id = call.cohort.program_id
    reviewers = call.review_settings.reviewers.filter(reviewed_programs=program_id)
    return (
        get_user_model()
        .objects.filter(
            Q(pk__in=reviewers.values("pk")) | Q(managed_programs=program_id),
            is_active=True,
        )
        .distinct()
        .order_by("name", "email")
    )


def plan_for(call: Call) -> InterviewPlan | None:
    """The call's plan with its availability's rules and panel: four queries (plan and availability, windows,
    exceptions, panel)."""
    return (
        InterviewPlan.objects.select_related("availability")
        .prefetch_related(
            Prefetch("availability__windows", queryset=AvailabilityWindow.objects.order_by("weekday", "starts")),
            Prefetch("availability__exceptions", queryset=AvailabilityException.objects.order_by("on", "starts")),
            "panel",
        )
        .filter(call=call)
        .first()
    )


def plan_summary(call: Call) -> InterviewPlan | None:
    """The call's plan with its availability's settings and panel, without the rules: two queries."""
    return InterviewPlan.objects.select_related("availability").prefetch_related("panel").filter(call=call).first()


def interview_list(call: Call) -> QuerySet[Interview]:
    """The call's interviews with their applicants, booked ones by time first: one query."""
    return (
        Interview.objects.filter(plan__call=call)
        .select_related("application__applicant", "application__region")
        .defer("application__answers", "application__invalid_answers")
        .order_by(F("period").asc(nulls_last=True), "application__full_name", "pk")
    )


def interview_by_token(token: str) -> Interview:
    """The interview a private link opens, with what its page reads: three queries (the interview with its plan,
    availability, application and call; the availability's windows; its exceptions). Unknown: 404."""
    interview = (
        Interview.objects.select_related(
            "plan__availability", "application__call__cohort__program", "application__applicant"
        )
        .defer("application__answers", "application__invalid_answers")
        .prefetch_related("plan__availability__windows", "plan__availability__exceptions")
        .filter(token=token)
        .first()
    )
    if interview is None:
        raise Http404
    return interview


def busy_periods(interview: Interview) -> list[tuple[datetime.datetime, datetime.datetime]]:
    """The panel's time taken by the plan's other booked interviews: one query."""
    periods = (
        Interview.objects.filter(plan_id=interview.plan_id, status=Interview.Status.BOOKED)
        .exclude(pk=interview.pk)
        .values_list("period", flat=True)
    )
    return [(period.lower, period.upper) for period in periods]


def slots_by_day(
    interview: Interview, *, now: datetime.datetime, zone: ZoneInfo
) -> list[tuple[datetime.date, list[Slot]]]:
    """The panel's free slots for this applicant, grouped by their day in `zone`, the applicant's."""
    slots = free_slots(interview.plan.availability, busy=busy_periods(interview), now=now)
    return [
        (day, list(group)) for day, group in groupby(slots, key=lambda slot: slot.starts_at.astimezone(zone).date())
    ]
