"""The interview stage's changes: the plan, the shortlist and its invitations, the applicant's booking (and
rescheduling), and what the managers record afterwards. Each is locked, checked, audited, with mail claimed in the
ledger on commit."""

import datetime
import secrets
from collections.abc import Iterable

from django.contrib.postgres.fields.ranges import DateTimeTZRange
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from applications.interviews.models import Interview, InterviewPlan
from applications.interviews.selectors import busy_periods, panel_candidates
from applications.models import Application, Call
from applications.scoring.interview import interview_panel_assign
from applications.scoring.models import ReviewSettings
from cohorts.availability import SLOT_TAKEN, SlotRefusal, slot_refusal
from cohorts.availability_services import availability_save
from cohorts.models import Availability
from incubator.audit import audit_record
from incubator.errors import ServiceError
from incubator.history import recorded_by
from incubator.notifications import Claim, notifications_claim, notifications_enqueue

INVITED_KIND = "interviews.invited"
BOOKED_KIND = "interviews.booked"
CANCELLED_KIND = "interviews.cancelled"
# Shortlisted applications are submitted ones (decisions are not published yet).
SHORTLISTABLE = (Application.Status.SUBMITTED,)


class InterviewError(ServiceError):
    """A refusal the person can read; `taken` when the slot went to someone else meanwhile (HTTP 409)."""

    def __init__(self, message: str, *, taken: bool = False):
        super().__init__(message, code="taken" if taken else None)
        self.taken = taken


def _notify(kind: str, interview: Interview, recipient_id: int, program_id: int, threshold: str = "") -> None:
    claimed = notifications_claim(claims=[Claim(kind, interview.pk, recipient_id, threshold, program_id)])
    notifications_enqueue(notification_ids=claimed)


@recorded_by
def interview_plan_save(
    *, call: Call, panel: Iterable, settings: dict, windows: list[dict], exceptions: list[dict], by
) -> InterviewPlan:
    """Set up (or change) who interviews the call's shortlist and when: the panel, and the panel's availability
    (`availability_save`'s settings, weekly windows and exceptions), owned by the manager who first set it up."""
    panel = list(panel)
    with transaction.atomic():
        call = Call.objects.select_for_update().select_related("cohort__program").get(pk=call.pk)
        if not ReviewSettings.objects.filter(call=call, has_interview=True).exists():
            raise InterviewError(_("This call has no interview stage."))
        allowed = set(panel_candidates(call).values_list("pk", flat=True))
        if not panel or any(person.pk not in allowed for person in panel):
            raise InterviewError(_("The panel is chosen among the call's reviewers and the program's managers."))
        plan = InterviewPlan.objects.select_for_update().select_related("availability").filter(call=call).first()
        availability = availability_save(
            availability=plan.availability if plan else None,
            program=call.cohort.program,
            owner=plan.availability.owner if plan else by,
            purpose=Availability.Purpose.INTERVIEWS,
            settings=settings,
            windows=windows,
            exceptions=exceptions,
            by=by,
        )
        before = sorted(plan.panel.values_list("pk", flat=True)) if plan else None
        if plan is None:
            plan = InterviewPlan.objects.create(call=call, availability=availability)
        plan.panel.set(panel)
        audit_record(
            actor=by,
            action="interviews.plan_save",
            obj=plan,
            before={"panel": before} if before is not None else None,
            after={"panel": sorted(person.pk for person in panel)},
        )
    return plan


@recorded_by
class Shortlisted(list):
    """The interviews a shortlisting created, and what the panel's assignment left out (a panel member's conflict of
    interest with an applicant), each said in a sentence."""

    def __init__(self, interviews: list[Interview], left_out: list[str]):
        super().__init__(interviews)
        self.left_out = left_out


def interviews_shortlist(*, call: Call, applications: Iterable[Application], by) -> Shortlisted:
    """Invite the chosen applications to an interview: each gets its private link by email, in its applicant's
    language, and each member of the plan's panel is assigned to score it. Already shortlisted ones are left as they
    are."""
    wanted = {application.pk for application in applications}
    with transaction.atomic():
        call = Call.objects.select_for_update().select_related("cohort").get(pk=call.pk)
        if not ReviewSettings.objects.filter(call=call, has_interview=True).exists():
            raise InterviewError(_("This call has no interview stage."))
        plan = InterviewPlan.objects.filter(call=call).first()
        if plan is None:
            raise InterviewError(_("Set up the interview plan (panel and availability) before shortlisting."))
        if call.decisions_published_at is not None:
            raise InterviewError(_("Decisions for this call are already published."))
        chosen = list(
            Application.objects.select_for_update(of=("self",))
            .filter(call=call, pk__in=wanted, status__in=SHORTLISTABLE, interview__isnull=True)
            .order_by("pk")
        )
        if len(chosen) + Interview.objects.filter(plan=plan, application_id__in=wanted).count() != len(wanted):
            raise InterviewError(_("Only this call's submitted applications can be shortlisted."))
        now = timezone.now()
        created = Interview.objects.bulk_create(
            [
                Interview(application=application, plan=plan, token=secrets.token_urlsafe(32), invited_at=now)
                for application in chosen
            ]
        )
        claims = [
            Claim(INVITED_KIND, interview.pk, interview.application.applicant_id, "", call.cohort.program_id)
            for interview in created
        ]
        notifications_enqueue(notification_ids=notifications_claim(claims=claims))
        _assigned, left_out = interview_panel_assign(
            call=call, panel=list(plan.panel.all()), applications=chosen, by=by
        )
        audit_record(
            actor=by,
            action="interviews.shortlist",
            obj=call,
            after={"applications": [interview.application_id for interview in created]},
        )
    return Shortlisted(created, left_out)


def _locked(interview: Interview) -> Interview:
    return (
        Interview.objects.select_for_update(of=("self",))
        .select_related("plan__availability", "application__call__cohort")
        .get(pk=interview.pk)
    )


def may_reschedule(interview: Interview, now: datetime.datetime) -> bool:
    """A booked interview may move until the availability's cancel window before it starts."""
    cancel_hours = interview.plan.availability.cancel_hours
    return interview.status == Interview.Status.BOOKED and now < interview.starts_at - datetime.timedelta(
        hours=cancel_hours
    )


@recorded_by
def interview_book(*, interview: Interview, starts_at: datetime.datetime, by) -> Interview:
    """The applicant books a free slot of the panel, or moves their booking to another (a reschedule, counted)."""
    now = timezone.now()
    with transaction.atomic():
        interview = _locked(interview)
        if by is None or interview.application.applicant_id != by.pk:
            raise InterviewError(_("Only the applicant books their interview."))
        rescheduling = interview.status == Interview.Status.BOOKED
        if interview.status not in (Interview.Status.INVITED, Interview.Status.BOOKED):
            raise InterviewError(_("This interview can no longer be booked."))
        if rescheduling and interview.starts_at == starts_at:
            return interview  # the same booking sent twice (a double tap): nothing to move
        if rescheduling and not may_reschedule(interview, now):
            raise InterviewError(_("It is too late to change the time of this interview."))
        availability = interview.plan.availability
        busy = busy_periods(interview)
        refusal = slot_refusal(availability, starts_at=starts_at, busy=busy, now=now)
        if refusal is not None:
            raise InterviewError(refusal.message, taken=refusal.taken)
        before = {"status": interview.status, "starts_at": interview.starts_at and interview.starts_at.isoformat()}
        interview.period = DateTimeTZRange(
            starts_at, starts_at + datetime.timedelta(minutes=availability.slot_minutes), "[)"
        )
        interview.status = Interview.Status.BOOKED
        interview.booked_at = now
        interview.reschedules += 1 if rescheduling else 0
        try:
            with transaction.atomic():
                interview.save(update_fields=["period", "status", "booked_at", "reschedules"])
        except IntegrityError as error:
            # Another applicant's booking of this slot committed between our read of the busy time and our write.
            raise InterviewError(SlotRefusal(SLOT_TAKEN).message, taken=True) from error
        audit_record(
            actor=by,
            action="interviews.reschedule" if rescheduling else "interviews.book",
            obj=interview,
            before=before,
            after={"status": interview.status, "starts_at": starts_at.isoformat()},
        )
        program_id = interview.application.call.cohort.program_id
        _notify(BOOKED_KIND, interview, by.pk, program_id, f"r{interview.reschedules}")
    return interview


# What a manager may record, from which statuses.
RECORDABLE = {
    Interview.Status.HELD: (Interview.Status.BOOKED, Interview.Status.NO_SHOW),
    Interview.Status.NO_SHOW: (Interview.Status.BOOKED, Interview.Status.HELD),
    Interview.Status.CANCELLED: (Interview.Status.INVITED, Interview.Status.BOOKED),
}
_RECORDED_AT = {
    Interview.Status.HELD: "held_at",
    Interview.Status.NO_SHOW: "no_show_at",
    Interview.Status.CANCELLED: "cancelled_at",
}


def record_refusal(interview: Interview, outcome: str, now: datetime.datetime) -> str:
    """Why `outcome` cannot be recorded for the interview now, or ""."""
    if interview.status not in RECORDABLE[outcome]:
        return _("This interview is %(status)s: that cannot be recorded.") % {"status": interview.get_status_display()}
    if outcome != Interview.Status.CANCELLED and interview.starts_at > now:
        return _("An interview is recorded as held or missed once its time has come.")
    return ""


@recorded_by
def interview_record(*, interview: Interview, outcome: str, by) -> Interview:
    """A manager records the interview as held, a no-show, or cancels it (the applicant is told; a booked slot is
    freed)."""
    now = timezone.now()
    with transaction.atomic():
        interview = _locked(interview)
        refusal = record_refusal(interview, outcome, now)
        if refusal:
            raise InterviewError(refusal)
        before = {"status": interview.status}
        interview.status = outcome
        setattr(interview, _RECORDED_AT[outcome], now)
        interview.save(update_fields=["status", _RECORDED_AT[outcome]])
        audit_record(actor=by, action=f"interviews.{outcome}", obj=interview, before=before, after={"status": outcome})
        if outcome == Interview.Status.CANCELLED:
            call = interview.application.call
            _notify(CANCELLED_KIND, interview, interview.application.applicant_id, call.cohort.program_id)
    return interview
