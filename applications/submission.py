"""Submitting an application, and resubmitting it changed: the same checks, eligibility evaluated again, a version
kept and confirmed by one email each."""

import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from applications import checks
from applications.models import Application, ApplicationVersion, Call, Question
from applications.services import (
    ApplicationError,
    DraftData,
    application_lock,
    apply_changes,
    check_applicant,
    check_file_question,
    replace_team,
    store_file,
)
from incubator.audit import audit_record
from incubator.models import WebhookEventName
from incubator.notifications import Claim, notifications_claim, notifications_enqueue
from incubator.webhooks import webhook_event_emit

SUBMITTED_KIND = "applications.submitted"


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


def _check_open_now(call: Call, now: datetime.datetime, grace: datetime.timedelta = datetime.timedelta(0)) -> None:
    if now > call.closes_at + grace:
        raise ApplicationError(_("The deadline has passed: submissions closed. Your draft is kept."))
    if now < call.opens_at:
        raise ApplicationError(_("This call is not open for applications yet."))


def _submission_problems(application: Application, questions, file_question_ids: set[int]) -> list[str]:
    problems = checks.missing_items(application, questions, file_question_ids)
    problems += checks.invalid_items(application, questions)
    if application.date_of_birth and application.date_of_birth > timezone.localdate():
        problems.append(_("The date of birth cannot be in the future."))
    return problems


def _record_submission(
    *, application: Application, questions, by, now: datetime.datetime, action: str, before: dict, note: str = ""
) -> ApplicationVersion:
    """The one way a submission is recorded: eligibility, a kept version, an audit entry, one email per version."""
    call = application.call
    files = list(application.files.all())
    rules = call.eligibility_rules.select_related("call__cohort__program").prefetch_related("regions")
    reasons = checks.ineligibility_reasons(application, rules, {q.pk: q for q in questions})
    number = application.versions.count() + 1
    version = ApplicationVersion.objects.create(
        application=application,
        number=number,
        submitted_at=now,
        data=application_snapshot(application, questions, files, application.team_members.all()),
    )
    application.status = Application.Status.SUBMITTED
    application.submitted_at = now
    application.updated_at = now
    application.eligibility = Application.Eligibility.INELIGIBLE if reasons else Application.Eligibility.ELIGIBLE
    application.eligibility_reasons = reasons
    application.save()
    audit_record(
        actor=by,
        action=action,
        obj=application,
        before=before,
        after={"status": application.status, "version": number, "eligibility": application.eligibility},
        note=note,
    )
    # The version number is the ledger's threshold: each version is confirmed exactly once.
    claimed = notifications_claim(
        claims=[Claim(SUBMITTED_KIND, application.pk, application.applicant_id, f"v{number}", call.cohort.program_id)]
    )
    notifications_enqueue(notification_ids=claimed)
    return version


def application_submit(
    *, application: Application, by, received_at: datetime.datetime | None = None
) -> ApplicationVersion:
    """Submit a draft before the deadline: checks, eligibility, a kept version, one confirmation email.

    `received_at` is when the request reached the portal (see `RequestReceivedMiddleware`): the deadline is judged
    by it, not by when this submission got its turn at the database, which in a deadline's last second comes
    after a queue of others. A submitted application is changed (and so resubmitted) only through
    `application_resubmit`."""
    with transaction.atomic():
        application = application_lock(application)
        call = application.call
        now = received_at or timezone.now()
        if application.status == Application.Status.SUBMITTED:
            raise ApplicationError(_("This application was already submitted."))
        if application.status != Application.Status.DRAFT:
            raise ApplicationError(_("This application can no longer be submitted."))
        # Clicks in the deadline's last second reach a busy server's application code seconds later: those
        # still count (settings.SUBMISSION_GRACE_SECONDS); the pages keep showing the deadline itself.
        _check_open_now(call, now, grace=datetime.timedelta(seconds=settings.SUBMISSION_GRACE_SECONDS))
        questions = list(call.questions.all())
        problems = _submission_problems(application, questions, {f.question_id for f in application.files.all()})
        if problems:
            raise ApplicationError(_("Some required information is missing."), problems)
        version = _record_submission(
            application=application,
            questions=questions,
            by=by,
            now=now,
            action="application.submit",
            before={"status": application.status},
        )
        webhook_event_emit(
            program_id=call.cohort.program_id,
            event=WebhookEventName.APPLICATION_SUBMITTED,
            data={"application": application.pk, "call": call.pk, "version": version.number},
        )
        return version


def _as_it_was(application: Application, data: DraftData) -> dict:
    """The parts of the application `data` may change, before it does: to name what a resubmission changed."""
    return {
        "standard": {name: getattr(application, name) for name in data.standard},
        "answers": dict(application.answers),
        "team": [{"name": m.name, "email": m.email, "role": m.role} for m in application.team_members.all()],
    }


def _changed_names(old: dict, data: DraftData, uploads: dict) -> list[str]:
    new_team = [m for m in data.team or [] if m.get("name")]
    return (
        [name for name, value in data.standard.items() if old["standard"][name] != value]
        + [f"q_{key}" for key, value in data.answers.items() if old["answers"].get(key) != value]
        + [f"q_{question.pk} (file)" for question in uploads]
        + (["team"] if data.team is not None and new_team != old["team"] else [])
    )


def application_resubmit(
    *,
    application: Application,
    data: DraftData,
    uploads: dict | None = None,
    by,
    received_at: datetime.datetime | None = None,
):
    """Save changes to a submitted application: that is a new submission, all or nothing.

    The same checks as a first submission run on the changed application (deadline at this second,
    every required answer); if any fails nothing at all is changed, not even the files. Otherwise the
    changes are written, eligibility is evaluated again, a new version is kept and confirmed by email.
    `uploads` maps file questions to (upload, content type), already checked by content. The deadline is judged
    at `received_at`, when the request reached the portal, without the grace a first submission has: the
    application is already in, and a change after the deadline would be one nobody else could still make."""
    uploads = uploads or {}
    for question in uploads:
        check_file_question(application, question)
    with transaction.atomic():
        application = application_lock(application)
        check_applicant(application, by)
        call = application.call
        now = received_at or timezone.now()
        if application.status != Application.Status.SUBMITTED or not call.editable_after_submit:
            raise ApplicationError(_("This application can no longer be changed."))
        if now > call.closes_at:
            raise ApplicationError(_("The deadline has passed: your changes were not saved."))
        _check_open_now(call, now)
        before = {
            "status": application.status,
            "version": application.versions.count(),
            "eligibility": application.eligibility,
        }
        questions = list(call.questions.all())
        old = _as_it_was(application, data)
        # Checked on the changed application in memory: nothing is written unless it can be submitted.
        apply_changes(application, data)
        file_question_ids = {f.question_id for f in application.files.all()} | {q.pk for q in uploads}
        problems = _submission_problems(application, questions, file_question_ids)
        if problems:
            raise ApplicationError(_("Some required information is missing."), problems)
        application.save()
        replace_team(application, data.team)
        for question, (upload, content_type) in uploads.items():
            store_file(application, question, upload, content_type)
        return _record_submission(
            application=application,
            questions=questions,
            by=by,
            now=now,
            action="application.resubmit",
            before=before,
            note="changed: " + (", ".join(_changed_names(old, data, uploads)) or "nothing"),  # not shown to applicants
        )
