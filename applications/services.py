"""Every change of an application's state. Views, the admin, tasks and the demo seeder call these."""

import datetime
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from applications import checks, selectors
from applications.models import Application, ApplicationFile, ApplicationVersion, Call, Question, TeamMember
from incubator.audit import audit_record
from incubator.notifications import Claim, notifications_claim, notifications_enqueue

SUBMITTED_KIND = "applications.submitted"
REMINDER_KIND = "applications.draft_reminder"
SUMMARY_KIND = "applications.call_summary"


class ApplicationError(Exception):
    """A refusal the applicant can read; `problems` lists every reason at once."""

    def __init__(self, message: str, problems: list[str] | None = None):
        super().__init__(message)
        self.message = message
        self.problems = problems or []


@dataclass
class DraftData:
    """What the form hands over; only the keys present are changed, so a partly valid post loses nothing."""

    standard: dict = field(default_factory=dict)
    answers: dict = field(default_factory=dict)
    team: list[dict] | None = None


def _locked(application: Application) -> Application:
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


def _check_editable_by(application: Application, by) -> None:
    if by is None or by.pk != application.applicant_id:
        raise ApplicationError(_("Only the applicant can change an application."))
    if not application_is_editable(application):
        raise ApplicationError(_("This application can no longer be changed."))


def application_save_draft(*, application: Application, data: DraftData, by) -> Application:
    """Save what the applicant typed. Not audited: autosave runs on every change, the versions are the record."""
    with transaction.atomic():
        application = _locked(application)
        _check_editable_by(application, by)
        for name, value in data.standard.items():
            setattr(application, name, value)
        application.answers = {**application.answers, **data.answers}
        application.updated_at = timezone.now()
        application.save()
        if data.team is not None:
            application.team_members.all().delete()
            TeamMember.objects.bulk_create(
                TeamMember(application=application, **member) for member in data.team if member.get("name")
            )
    return application


def application_file_attach(*, application: Application, question: Question, upload, content_type: str, by):
    """Store an upload (already checked by content) as the answer to a file question, replacing any earlier one."""
    if question.call_id != application.call_id or question.kind != Question.Kind.FILE:
        raise ApplicationError(_("This question does not belong to this call."))
    with transaction.atomic():
        application = _locked(application)
        _check_editable_by(application, by)
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
        application.updated_at = timezone.now()
        application.save(update_fields=["updated_at"])
    return stored


def application_snapshot(application: Application, questions, files, team) -> dict:
    """What the applicant sent, readable without the live rows (which may change or disappear)."""
    files_by_question = {f.question_id: f for f in files}
    answers = []
    for question in questions:
        item = {"question_id": question.pk, "label": question.label, "kind": question.kind}
        if question.kind == Question.Kind.FILE:
            stored = files_by_question.get(question.pk)
            item["value"] = stored.original_name if stored else ""
            item["file_id"] = stored.pk if stored else None
        else:
            item["value"] = application.answers.get(str(question.pk), "")
        answers.append(item)
    return {
        "full_name": application.full_name,
        "date_of_birth": application.date_of_birth.isoformat() if application.date_of_birth else "",
        "region": application.region.name if application.region else "",
        "phone": application.phone,
        "email": application.email,
        "team": [{"name": m.name, "email": m.email, "role": m.role} for m in team],
        "answers": answers,
    }


def application_submit(*, application: Application, by) -> ApplicationVersion:
    """Submit (or resubmit) before the deadline: checks, eligibility, a kept version, one confirmation email."""
    with transaction.atomic():
        application = _locked(application)
        call = application.call
        now = timezone.now()
        if application.status not in (Application.Status.DRAFT, Application.Status.SUBMITTED):
            raise ApplicationError(_("This application can no longer be submitted."))
        if now > call.closes_at:
            raise ApplicationError(_("The deadline has passed: submissions closed. Your draft is kept."))
        if now < call.opens_at:
            raise ApplicationError(_("This call is not open for applications yet."))
        if application.status == Application.Status.SUBMITTED and not call.editable_after_submit:
            raise ApplicationError(_("This application was already submitted."))
        questions = list(call.questions.all())
        files = list(application.files.all())
        problems = checks.missing_items(application, questions, {f.question_id for f in files})
        if application.date_of_birth and application.date_of_birth > timezone.localdate():
            problems.append(_("The date of birth cannot be in the future."))
        if problems:
            raise ApplicationError(_("Some required information is missing."), problems)

        rules = call.eligibility_rules.select_related("call__cohort__program").prefetch_related("regions")
        reasons = checks.ineligibility_reasons(application, rules, {q.pk: q for q in questions})
        number = application.versions.count() + 1
        version = ApplicationVersion.objects.create(
            application=application,
            number=number,
            submitted_at=now,
            data=application_snapshot(application, questions, files, application.team_members.all()),
        )
        before = {"status": application.status}
        application.status = Application.Status.SUBMITTED
        application.submitted_at = now
        application.updated_at = now
        application.eligibility = Application.Eligibility.INELIGIBLE if reasons else Application.Eligibility.ELIGIBLE
        application.eligibility_reasons = reasons
        application.save()
        audit_record(
            actor=by,
            action="application.submit",
            obj=application,
            before=before,
            after={"status": application.status, "version": number, "eligibility": application.eligibility},
        )
        claimed = notifications_claim(
            claims=[Claim(SUBMITTED_KIND, application.pk, application.applicant_id, f"v{number}")]
        )
        notifications_enqueue(notification_ids=claimed)
    return version


def application_withdraw(*, application: Application, by) -> Application:
    with transaction.atomic():
        application = _locked(application)
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
    return application


def application_eligibility_override(*, application: Application, eligibility: str, reason: str, by) -> Application:
    """A manager's decision on eligibility, with the written reason kept; an empty value clears it."""
    if eligibility and not reason.strip():
        raise ApplicationError(_("Write the reason for overriding the eligibility."))
    with transaction.atomic():
        application = _locked(application)
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
    claims = [
        Claim(REMINDER_KIND, pk, applicant_id, threshold)
        for pk, applicant_id, threshold in selectors.drafts_due_for_reminder(now)
    ]
    for call in selectors.calls_just_closed(now):
        claims += [Claim(SUMMARY_KIND, call.pk, manager.pk) for manager in selectors.call_managers(call)]
    with transaction.atomic():
        claimed = notifications_claim(claims=claims)
        notifications_enqueue(notification_ids=claimed)
    return len(claimed)
