"""An application before and after its submission: started, drafts saved as typed, files attached, withdrawn,
its eligibility overridden, reminders swept. Submitting (and resubmitting) is in `applications.submission`."""

import datetime
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from applications import selectors
from applications.models import Application, ApplicationFile, Call, Question, TeamMember
from applications.scoring.models import Decision
from incubator.audit import audit_record
from incubator.errors import ServiceError
from incubator.history import recorded_by
from incubator.notifications import Claim, notifications_claim, notifications_enqueue

REMINDER_KIND = "applications.draft_reminder"
SUMMARY_KIND = "applications.call_summary"


class ApplicationError(ServiceError):
    """A refusal the applicant can read; `problems` lists every reason at once."""

    def __init__(self, message: str, problems: list[str] | None = None):
        super().__init__(message)
        self.problems = problems or []


@dataclass
class DraftData:
    """What the form hands over; only the keys present are changed, so a partly valid post loses nothing."""

    standard: dict = field(default_factory=dict)
    answers: dict = field(default_factory=dict)
    team: list[dict] | None = None
    # Form field name → the value as typed, for what did not validate; `valid` names the fields that did.
    invalid: dict = field(default_factory=dict)
    valid: set = field(default_factory=set)


def application_lock(application: Application) -> Application:
    return (
        Application.objects.select_for_update(of=("self",))
        .select_related("call__cohort__program")
        .get(pk=application.pk)
    )


def application_is_editable(application: Application, now: datetime.datetime | None = None) -> bool:
    now = now or timezone.now()
    if not application.call.is_open(now):
        return False
    if application.status == Application.Status.DRAFT:
        return True
    return application.status == Application.Status.SUBMITTED and application.call.editable_after_submit


def application_can_withdraw(application: Application) -> bool:
    return (
        application.status in (Application.Status.DRAFT, Application.Status.SUBMITTED)
        and application.call.decisions_published_at is None
    )


def application_start(*, call: Call, applicant) -> Application:
    """The applicant's application to the call: their existing one, or a new draft while the call is open."""
    existing = Application.objects.filter(call=call, applicant=applicant).first()
    if existing is not None:
        return existing
    if not call.is_open():
        raise ApplicationError(_("This call is not open for applications."))
    try:
        with transaction.atomic():
            application = Application.objects.create(
                call=call, applicant=applicant, full_name=applicant.name, email=applicant.email
            )
            audit_record(actor=applicant, action="application.start", obj=application)
    except IntegrityError:
        # The same person started it a moment ago in another tab: one application per call, theirs.
        return Application.objects.get(call=call, applicant=applicant)
    return application


def check_applicant(application: Application, by) -> None:
    if by is None or by.pk != application.applicant_id:
        raise ApplicationError(_("Only the applicant can change an application."))


def _check_editable_by(application: Application, by) -> None:
    """A draft's changes are saved as they come; a submitted application changes only by `application_resubmit`."""
    check_applicant(application, by)
    if not application_is_editable(application):
        raise ApplicationError(_("This application can no longer be changed."))
    if application.status != Application.Status.DRAFT:
        raise ApplicationError(
            _("This application was submitted: your changes are kept only when you save them, which resubmits it.")
        )


def apply_changes(application: Application, data: DraftData) -> None:
    """Put the changes on the (locked) instance, in memory only. An answer typed wrong replaces the earlier
    answer: it is kept as typed among the invalid ones, and the earlier one is no longer what the person says."""
    for name, value in data.standard.items():
        setattr(application, name, value)
    answers = {**application.answers, **data.answers}
    for name in data.invalid:
        if name.startswith("q_"):
            answers.pop(name.removeprefix("q_"), None)
    application.answers = answers
    invalid = {name: value for name, value in application.invalid_answers.items() if name not in data.valid}
    application.invalid_answers = {**invalid, **data.invalid}


def replace_team(application: Application, team: list[dict] | None) -> None:
    if team is None:
        return  # the team part was not valid: the saved team is kept
    application.team_members.all().delete()
    TeamMember.objects.bulk_create(
        TeamMember(application=application, **member) for member in team if member.get("name")
    )


def application_save_draft(*, application: Application, data: DraftData, by) -> Application:
    """Save what the applicant typed. Not audited: autosave runs on every change, the versions are the record."""
    with transaction.atomic():
        application = application_lock(application)
        _check_editable_by(application, by)
        apply_changes(application, data)
        application.updated_at = timezone.now()
        application.save()
        replace_team(application, data.team)
    return application


def check_file_question(application: Application, question: Question) -> None:
    if question.call_id != application.call_id or question.kind != Question.Kind.FILE:
        raise ApplicationError(_("This question does not belong to this call."))


def store_file(application: Application, question: Question, upload, content_type: str) -> ApplicationFile:
    """Store the upload as the question's answer, replacing any earlier one. Call inside the lock."""
    previous = ApplicationFile.objects.filter(application=application, question=question).first()
    stored = ApplicationFile(
        application=application,
        question=question,
        original_name=upload.name[:255],
        content_type=content_type,
        size=upload.size,
    )
    stored.file.save(upload.name, upload, save=False)
    if previous is not None:
        old_name = previous.file.name
        previous.delete()
        # Only forget the old bytes once the replacement is committed.
        transaction.on_commit(lambda: previous.file.storage.delete(old_name))
    stored.save()
    return stored


def application_file_attach(*, application: Application, question: Question, upload, content_type: str, by):
    """Store an upload (already checked by content) as the answer to a file question, replacing any earlier one."""
    check_file_question(application, question)
    with transaction.atomic():
        application = application_lock(application)
        _check_editable_by(application, by)
        stored = store_file(application, question, upload, content_type)
        application.updated_at = timezone.now()
        application.save(update_fields=["updated_at"])
    return stored


@recorded_by
def application_withdraw(*, application: Application, by) -> Application:
    with transaction.atomic():
        application = application_lock(application)
        if not application_can_withdraw(application):
            raise ApplicationError(_("This application can no longer be withdrawn."))
        before = {"status": application.status}
        now = timezone.now()
        application.status = Application.Status.WITHDRAWN
        application.withdrawn_at = now
        application.updated_at = now
        application.save()
        audit_record(
            actor=by, action="application.withdraw", obj=application, before=before, after={"status": "withdrawn"}
        )
        _cancel_pending_decision(application, by, reason="withdrawn by the applicant")
    return application


def _cancel_pending_decision(application: Application, by, *, reason: str) -> None:
    """A pending decision about someone who withdrew is cancelled, with its history kept, never published."""
    decision = (
        Decision.objects.select_for_update().filter(application=application, status=Decision.Status.PENDING).first()
    )
    if decision is None:
        return
    before = {"outcome": decision.outcome, "status": decision.status}
    decision.status = Decision.Status.CANCELLED
    decision.reason = reason[:300]
    decision.save(update_fields=["status", "reason"])
    after = {"outcome": decision.outcome, "status": decision.status, "reason": decision.reason}
    audit_record(actor=by, action="scoring.decision_cancel", obj=decision, before=before, after=after)


def application_eligibility_override(*, application: Application, eligibility: str, reason: str, by) -> Application:
    """A manager's decision on eligibility, with the written reason kept; an empty value clears it."""
    if eligibility and not reason.strip():
        raise ApplicationError(_("Write the reason for overriding the eligibility."))
    with transaction.atomic():
        application = application_lock(application)
        before = {"eligibility_override": application.eligibility_override, "reason": application.override_reason}
        application.eligibility_override = eligibility
        application.override_reason = reason.strip() if eligibility else ""
        application.override_by = by if eligibility else None
        application.override_at = timezone.now() if eligibility else None
        application.save(update_fields=["eligibility_override", "override_reason", "override_by", "override_at"])
        audit_record(
            actor=by,
            action="application.eligibility_override",
            obj=application,
            before=before,
            after={"eligibility_override": eligibility, "reason": application.override_reason},
            note=reason,
        )
    return application


def reminders_sweep(*, now: datetime.datetime | None = None) -> int:
    """Claim the draft reminders and closing summaries now due and hand them to the workers.

    Run by beat; safe to run twice at once or after a crash: the ledger's unique key lets each
    (application, threshold) be claimed once, and only this sweep's own claims are enqueued."""
    now = now or timezone.now()
    due = selectors.drafts_due_for_reminder(now)
    programs = dict(
        Application.objects.filter(pk__in=[row[0] for row in due]).values_list("pk", "call__cohort__program_id")
    )
    claims = [Claim(REMINDER_KIND, pk, applicant_id, threshold, programs[pk]) for pk, applicant_id, threshold in due]
    for call in selectors.calls_just_closed(now):
        claims += [
            Claim(SUMMARY_KIND, call.pk, manager.pk, program_id=call.cohort.program_id)
            for manager in selectors.call_managers(call)
        ]
    with transaction.atomic():
        claimed = notifications_claim(claims=claims)
        notifications_enqueue(notification_ids=claimed)
    return len(claimed)
