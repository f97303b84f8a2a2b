"""Decisions: recorded as pending (admin actions, the selection page), then published once for a call."""

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from applications.models import Application, Call
from applications.scoring import selectors
from applications.scoring.models import Decision, ReviewSettings
from applications.scoring.selection import Proposal
from applications.scoring.services import ScoringError
from cohorts.access import COMMUNITY_STATUSES
from cohorts.dates import program_today
from cohorts.models import Cohort, Membership
from cohorts.services import membership_create_from_application
from incubator.audit import audit_record
from incubator.history import recorded_by
from incubator.models import WebhookEventName
from incubator.notifications import Claim, notifications_claim, notifications_enqueue
from incubator.webhooks import webhook_events_emit

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
    decision.status = Decision.Status.PENDING  # a cancelled decision decided again is pending again
    decision.reason = reason
    decision.waitlist_position = waitlist_position
    decision.decided_by = by
    decision.decided_at = timezone.now()
    decision.save()
    after = {"outcome": outcome, "reason": reason}
    if after != before:
        audit_record(actor=by, action="scoring.decide", obj=decision, before=before, after=after)
    return decision


def _check_seats(call: Call) -> None:
    accepted = (
        Decision.objects.filter(call=call, outcome=Decision.Outcome.ACCEPT)
        .exclude(status=Decision.Status.CANCELLED)
        .count()
    )
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


@recorded_by
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


@recorded_by
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


@dataclass
class PublishResult:
    published: int
    # (application, why it was left out), for the manager to read.
    skipped: list[tuple[Application, str]] = field(default_factory=list)


def decision_skip_reason(decision: Decision) -> str:
    """Why a pending decision can no longer be published, or "" when it can."""
    application = decision.application
    if application.status == Application.Status.WITHDRAWN:
        return _("withdrawn by the applicant")
    if application.status != Application.Status.SUBMITTED:
        return _("no longer a submitted application (%(status)s)") % {"status": application.get_status_display()}
    if decision.outcome != Decision.Outcome.REJECT and application.final_eligibility != "eligible":
        return _("no longer eligible")
    return ""


class PublishRefused(ScoringError):
    """Publishing would fill a finished cohort or go past its places; nothing was changed."""


@dataclass(frozen=True)
class CohortFill:
    """What publishing a call's decisions would make of its cohort (always `call.cohort`, linked when the call was
    created): its members now (community statuses) and the accepted applicants who would join it."""

    cohort: Cohort
    members: int
    joining: int
    finished: bool

    @property
    def places(self) -> int | None:
        return self.cohort.capacity

    @property
    def total(self) -> int:
        return self.members + self.joining

    @property
    def over(self) -> int:
        """How many members past the places publishing would make (0 when within them, or without places)."""
        return max(0, self.total - self.places) if self.places is not None else 0

    @property
    def refused(self) -> bool:
        return self.finished or self.over > 0

    def problem(self) -> str:
        """Why publishing is refused, in one message, or "" when it is allowed."""
        problems = []
        if self.finished:
            problems.append(
                _("“%(cohort)s” is finished: decisions are not published into a finished cohort.")
                % {"cohort": self.cohort.name}
            )
        if self.over:
            problems.append(
                _(
                    "Publishing would make %(total)s members of “%(cohort)s” for %(places)s places "
                    "(%(members)s members now + %(joining)s accepted): %(over)s too many."
                )
                % {
                    "total": self.total,
                    "cohort": self.cohort.name,
                    "places": self.places,
                    "members": self.members,
                    "joining": self.joining,
                    "over": self.over,
                }
            )
        return " ".join(problems)

    def snapshot(self) -> dict:
        return {
            "cohort": self.cohort.pk,
            "status": self.cohort.status,
            "ends_on": self.cohort.ends_on.isoformat() if self.cohort.ends_on else None,
            "finished": self.finished,
            "places": self.places,
            "members": self.members,
            "joining": self.joining,
        }


def cohort_is_finished(cohort: Cohort) -> bool:
    """Finished by its status, or by its end date passed in its program's time zone."""
    if cohort.status == Cohort.Status.FINISHED:
        return True
    return cohort.ends_on is not None and program_today(cohort.program) > cohort.ends_on


def cohort_fill(*, call: Call, decisions: Iterable[Decision] | None = None) -> CohortFill:
    """The call's cohort with its members now and the accepted applicants publishing would add: those of
    `decisions` (by default the call's pending decisions that can still be published) who have no membership in
    it yet. Two queries. The service calls it holding the cohort's lock; the confirmation page, without."""
    cohort = call.cohort
    if decisions is None:
        decisions = [
            d
            for d in Decision.objects.filter(call=call, status=Decision.Status.PENDING).select_related("application")
            if not decision_skip_reason(d)
        ]
    accepted = {d.application.applicant_id for d in decisions if d.outcome == Decision.Outcome.ACCEPT}
    memberships = Membership.objects.filter(cohort=cohort)
    members = memberships.filter(status__in=COMMUNITY_STATUSES).count()
    already = set(memberships.filter(person_id__in=accepted).values_list("person_id", flat=True)) if accepted else set()
    return CohortFill(
        cohort=cohort, members=members, joining=len(accepted - already), finished=cohort_is_finished(cohort)
    )


def _check_cohort(*, call: Call, decisions: list[Decision], by, override: bool, reason: str) -> CohortFill:
    """Refuse a publish into a finished cohort or past its places, unless a superuser overrides with a written
    reason (audited). The caller holds the cohort's row lock, so two publishes cannot both count the same places."""
    fill = cohort_fill(call=call, decisions=decisions)
    problem = fill.problem()
    if not problem:
        return fill
    if not override:
        raise PublishRefused(problem + " " + _("Nothing was published."))
    if not getattr(by, "is_superuser", False):
        raise PublishRefused(problem + " " + _("Only a superuser may publish anyway. Nothing was published."))
    reason = reason.strip()
    if not reason:
        raise PublishRefused(
            _("Write why you publish anyway: the reason is kept in the audit log. Nothing was published.")
        )
    audit_record(
        actor=by,
        action="scoring.decisions_publish_override",
        obj=call,
        after={**fill.snapshot(), "problem": problem, "reason": reason},
        note=reason,
    )
    return fill


def _locked_pending(call: Call) -> list[Decision]:
    # The applications first (the lock order of a withdrawal: application, then its decision), so that a
    # withdrawal cannot slip in between this check and the publishing.
    application_ids = Decision.objects.filter(call=call, status=Decision.Status.PENDING).values("application_id")
    list(Application.objects.select_for_update().filter(pk__in=application_ids).order_by("pk").values_list("pk"))
    pending = list(
        Decision.objects.select_for_update(of=("self",))
        .filter(call=call, status=Decision.Status.PENDING)
        .select_related("application__applicant", "application__region", "application__call__cohort")
        .prefetch_related("application__team_members", "application__call__questions")
    )
    if not pending:
        raise ScoringError(_("There are no pending decisions to publish."))
    return pending


def _cancel(decision: Decision, why: str, by) -> None:
    before = {"outcome": decision.outcome, "status": decision.status}
    decision.status = Decision.Status.CANCELLED
    decision.reason = why[:300]
    decision.save(update_fields=["status", "reason"])
    after = {"outcome": decision.outcome, "status": decision.status, "reason": decision.reason}
    audit_record(actor=by, action="scoring.decision_cancel", obj=decision, before=before, after=after)


def _publish(decision: Decision, now, by) -> None:
    """The application takes the decision's status and an accepted applicant joins the cohort; the caller saves the
    decisions in bulk."""
    application = decision.application
    before = {"status": application.status}
    application.status = OUTCOME_STATUS[decision.outcome]
    application.updated_at = now
    application.save(update_fields=["status", "updated_at"])
    audit_record(
        actor=by, action="application.decide", obj=application, before=before, after={"status": application.status}
    )
    decision.status = Decision.Status.PUBLISHED
    decision.published_at = now
    if decision.outcome == Decision.Outcome.ACCEPT:
        membership_create_from_application(application=application, by=by)


@recorded_by
def decisions_publish(*, call: Call, by, override: bool = False, reason: str = "") -> PublishResult:
    """Publish the pending decisions once: statuses set, memberships created, one result email per applicant.

    A decision about an application that is no longer submitted (withdrawn) or, for an acceptance or a waitlist
    place, no longer eligible is cancelled instead, and reported with the reason.

    The decisions go into `call.cohort` only, and only while it is open and within its places (its members now +
    the accepted applicants who would join); otherwise nothing changes (`PublishRefused`), unless a superuser
    overrides with a written `reason`, which is audited."""
    with transaction.atomic():
        call = _locked_open_call(call)
        # The cohort's row next (call, then cohort): two publishes into one cohort count its places one at a time.
        call.cohort = Cohort.objects.select_for_update(of=("self",)).select_related("program").get(pk=call.cohort_id)
        _check_seats(call)
        decisions, skipped = [], []
        for decision in _locked_pending(call):
            why = decision_skip_reason(decision)
            if why:
                skipped.append((decision.application, why))
                _cancel(decision, why, by)
            else:
                decisions.append(decision)
        fill = _check_cohort(call=call, decisions=decisions, by=by, override=override, reason=reason)
        now = timezone.now()
        for decision in decisions:
            _publish(decision, now, by)
        Decision.objects.bulk_update(decisions, ["status", "published_at"])
        ReviewSettings.objects.filter(call=call).update(stage=ReviewSettings.Stage.DECISION)
        call.decisions_published_at = now
        call.save(update_fields=["decisions_published_at"])
        published = {"published": len(decisions), "skipped": [application.pk for application, _why in skipped]}
        audit_record(
            actor=by, action="scoring.decisions_publish", obj=call, after={**published, "cohort": fill.snapshot()}
        )
        claimed = notifications_claim(
            claims=[
                Claim(DECISION_KIND, d.application_id, d.application.applicant_id, program_id=call.cohort.program_id)
                for d in decisions
            ]
        )
        notifications_enqueue(notification_ids=claimed)
        webhook_events_emit(
            program_id=call.cohort.program_id,
            event=WebhookEventName.DECISION_PUBLISHED,
            data=[
                {"decision": d.pk, "application": d.application_id, "call": call.pk, "outcome": d.outcome}
                for d in decisions
            ],
        )
    return PublishResult(published=len(decisions), skipped=skipped)
