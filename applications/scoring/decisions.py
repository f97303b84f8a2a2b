"""Decisions: recorded as pending (admin actions, the selection page), then published once for a call."""

from collections.abc import Iterable

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from applications.models import Application, Call
from applications.scoring import selectors
from applications.scoring.models import Decision, ReviewSettings, ScoringEvent
from applications.scoring.selection import Proposal
from applications.scoring.services import ScoringError
from cohorts.services import membership_create_from_application
from incubator.audit import audit_record
from incubator.notifications import Claim, notifications_claim, notifications_enqueue

DECISION_KIND = "scoring.decision"
OUTCOME_STATUS = {
    Decision.Outcome.ACCEPT: Application.Status.ACCEPTED,
    Decision.Outcome.WAITLIST: Application.Status.WAITLISTED,
    Decision.Outcome.REJECT: Application.Status.REJECTED,
}


def _decide(application: Application, outcome: str, by, reason: str = "", waitlist_position=None) -> Decision:
    decision = Decision.objects.select_for_update().filter(application=application).first()
    before = {"outcome": decision.outcome, "reason": decision.reason} if decision else None
    if decision is None:
        decision = Decision(application=application, call_id=application.call_id)
    decision.outcome = outcome
    decision.reason = reason
    decision.waitlist_position = waitlist_position
    decision.decided_by = by
    decision.decided_at = timezone.now()
    decision.save()
    after = {"outcome": outcome, "reason": reason}
    if after != before:
        ScoringEvent.objects.create(
            application=application, kind=ScoringEvent.Kind.DECISION, actor=by, before=before, after=after
        )
        audit_record(actor=by, action="scoring.decide", obj=decision, before=before, after=after)
    return decision


def _check_seats(call: Call) -> None:
    accepted = Decision.objects.filter(call=call, outcome=Decision.Outcome.ACCEPT).count()
    if accepted > call.seats:
        raise ScoringError(
            _("That would accept %(accepted)s applications for %(seats)s seats: %(over)s too many.")
            % {"accepted": accepted, "seats": call.seats, "over": accepted - call.seats}
        )


def _locked_open_call(call: Call) -> Call:
    call = Call.objects.select_for_update().get(pk=call.pk)
    if call.decisions_published_at is not None:
        raise ScoringError(_("Decisions for this call are already published."))
    return call


def decisions_record(*, applications: Iterable[Application], outcome: str, by) -> int:
    """Pending accept / waitlist / reject for the chosen applications (admin bulk actions)."""
    applications = list(applications)
    calls = {a.call_id for a in applications}
    with transaction.atomic():
        for call in Call.objects.filter(pk__in=calls).order_by("pk"):
            _locked_open_call(call)
        for application in applications:
            if application.status not in selectors.RANKED_STATUSES:
                raise ScoringError(
                    _("%(name)s has not submitted an application.") % {"name": application.full_name or application}
                )
            _decide(application, outcome, by)
        for call in Call.objects.filter(pk__in=calls):
            _check_seats(call)
    return len(applications)


def selection_apply(*, call: Call, proposal: Proposal, by) -> int:
    """Record a selection proposal as pending decisions, each with the reason it gives."""
    with transaction.atomic():
        call = _locked_open_call(call)
        applications = Application.objects.in_bulk([line.row.id for line in proposal.lines])
        for line in proposal.lines:
            _decide(applications[line.row.id], line.outcome, by, line.reason[:300], line.waitlist_position)
        # Ineligible applicants hear the result too; eligible ones nobody reviewed are left for the manager.
        ineligible = Application.objects.filter(call=call, status=Application.Status.SUBMITTED).filter(
            Q(eligibility_override="ineligible") | Q(eligibility_override="", eligibility="ineligible")
        )
        for application in ineligible:
            _decide(application, Decision.Outcome.REJECT, by, _("Not eligible"))
        _check_seats(call)
        audit_record(
            actor=by,
            action="scoring.selection_apply",
            obj=call,
            after={"accepted": len(proposal.accepted), "waitlist": len(proposal.waitlist), "seats": proposal.seats},
        )
    return len(proposal.lines)


def decisions_publish(*, call: Call, by) -> int:
    """Publish the pending decisions once: statuses set, memberships created, one result email per applicant."""
    with transaction.atomic():
        call = _locked_open_call(call)
        _check_seats(call)
        decisions = list(
            Decision.objects.select_for_update(of=("self",))
            .filter(call=call, status=Decision.Status.PENDING)
            .select_related("application__applicant", "application__region", "application__call__cohort")
            .prefetch_related("application__team_members")
        )
        if not decisions:
            raise ScoringError(_("There are no pending decisions to publish."))
        now = timezone.now()
        for decision in decisions:
            application = decision.application
            before = {"status": application.status}
            application.status = OUTCOME_STATUS[decision.outcome]
            application.updated_at = now
            application.save(update_fields=["status", "updated_at"])
            audit_record(
                actor=by,
                action="application.decide",
                obj=application,
                before=before,
                after={"status": application.status},
            )
            decision.status = Decision.Status.PUBLISHED
            decision.published_at = now
            if decision.outcome == Decision.Outcome.ACCEPT:
                membership_create_from_application(application=application, by=by)
        Decision.objects.bulk_update(decisions, ["status", "published_at"])
        ReviewSettings.objects.filter(call=call).update(stage=ReviewSettings.Stage.DECISION)
        call.decisions_published_at = now
        call.save(update_fields=["decisions_published_at"])
        audit_record(actor=by, action="scoring.decisions_publish", obj=call, after={"published": len(decisions)})
        claimed = notifications_claim(
            claims=[Claim(DECISION_KIND, d.application_id, d.application.applicant_id) for d in decisions]
        )
        notifications_enqueue(notification_ids=claimed)
    return len(decisions)
