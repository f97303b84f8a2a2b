"""Applicants' and reviewers' personal data: their part of the download, erasure, and the retention sweep.

Erasing an application's personal data keeps the row and everything selection counts and reports read
(call, status, region, eligibility outcome, decision, review scores and recommendations) and removes what
says who the person is or what they wrote: name, date of birth, contact details, written answers, team
names and addresses, the same fields in every submitted version, reviewers' comments, and the files."""

import datetime
from pathlib import PurePosixPath

from django.db import transaction
from django.db.models import DateTimeField, DurationField, ExpressionWrapper, F, Prefetch, Value
from django.utils import timezone

from applications.models import Application, ApplicationVersion, Call, Question, TeamMember
from applications.scoring.models import (
    ConflictOfInterest,
    CriterionScore,
    Decision,
    Review,
    ReviewerAssignment,
    ReviewSettings,
)
from incubator.audit import audit_record
from incubator.history import history_erase
from incubator.personal_data import ERASED, PersonalDataSection, audit_scrub, storage_delete_on_commit

# Answers that are a choice among the call's own options say nothing only this person could have written,
# and calls count them (eligibility answers, fields); every other answer is erased.
KEPT_ANSWER_KINDS = {Question.Kind.YES_NO, Question.Kind.SINGLE_CHOICE, Question.Kind.MULTIPLE_CHOICE}
PERSONAL_FIELDS = ("full_name", "phone", "email")
RETENTION_BATCH = 200


def _file_name(stored) -> str:
    # The applicant's own file name, flattened: it names a file in the zip, never a folder.
    original = PurePosixPath(stored.original_name.replace("\\", "/")).name or "file"
    return f"{stored.application_id}/{stored.pk}-{original}"


def _application_row(application: Application) -> dict:
    questions = list(application.call.questions.all())
    return {
        "id": application.pk,
        "call": application.call.title,
        "program": application.call.cohort.program.name,
        "status": application.status,
        "full_name": application.full_name,
        "date_of_birth": application.date_of_birth,
        "region": application.region.name if application.region else "",
        "phone": application.phone,
        "email": application.email,
        "answers": [
            {"question": q.label, "value": application.answers.get(str(q.pk), "")}
            for q in questions
            if q.kind != Question.Kind.FILE
        ],
        "team": [{"name": m.name, "email": m.email, "role": m.role} for m in application.team_members.all()],
        "files": [
            {"name": f.original_name, "content_type": f.content_type, "size": f.size, "in_zip": _file_name(f)}
            for f in application.files.all()
        ],
        "versions": [
            {"number": v.number, "submitted_at": v.submitted_at, "data": v.data} for v in application.versions.all()
        ],
        "eligibility": application.final_eligibility,
        "created_at": application.created_at,
        "submitted_at": application.submitted_at,
        "withdrawn_at": application.withdrawn_at,
        "decisions_published_at": application.call.decisions_published_at,
        "personal_data_erased_at": application.personal_data_erased_at,
    }


def _reviews_written(user) -> list[dict]:
    reviews = (
        Review.objects.filter(assignment__reviewer=user)
        .select_related("assignment__call")
        .prefetch_related(Prefetch("scores", queryset=CriterionScore.objects.select_related("criterion")))
        .order_by("assignment__call_id", "assignment__application_id")
    )
    return [
        {
            "call": review.assignment.call.title,
            "application": review.assignment.application_id,
            "status": review.status,
            "recommendation": review.recommendation,
            "comment": review.comment,
            "scores": {score.criterion.name: score.score for score in review.scores.all()},
            "submitted_at": review.submitted_at,
        }
        for review in reviews
    ]


def applications_export(user) -> PersonalDataSection:
    """Six queries: applications (with call and region), questions, team, files, versions, and what the person
    did as a reviewer (reviews with their scores). Published decisions show through the status; pending
    decisions and other reviewers' scores of their application are the selection's, not shown."""
    applications = list(
        Application.objects.filter(applicant=user)
        .select_related("call__cohort__program", "region")
        .prefetch_related(
            Prefetch("call__questions", queryset=Question.objects.order_by("position", "pk")),
            "team_members",
            "files",
            Prefetch("versions", queryset=ApplicationVersion.objects.order_by("number")),
        )
        .order_by("created_at", "pk")
    )
    rows = [_application_row(application) for application in applications]
    files = [(_file_name(f), f.file) for application in applications for f in application.files.all()]
    return PersonalDataSection(data={"applications": rows, "reviews_written": _reviews_written(user)}, files=files)


def _erase_version(data: dict, kept_question_ids: set[int]) -> dict:
    return {
        **data,
        "full_name": "",
        "date_of_birth": "",
        "phone": "",
        "email": "",
        "team": [{"name": "", "email": "", "role": member.get("role", "")} for member in data.get("team", [])],
        "answers": [
            item if item.get("question_id") in kept_question_ids else {**item, "value": "", "file_id": None}
            for item in data.get("answers", [])
        ],
    }


def application_personal_data_erase(*, application: Application, by, note: str = "") -> Application:
    """Erase one application's personal data; idempotent. An application still in play is withdrawn first:
    without a name, answers or a way to reach the person it can be neither judged nor accepted."""
    return _erase(application.pk, application.call_id, by=by, note=note)[0]


def _erase(pk: int, call_id: int, *, by, note: str) -> tuple[Application, bool]:
    """The erasure, and whether this call did it (False: it had been done before)."""
    with transaction.atomic():
        # The call first, as publishing decisions does: a publish and an erasure then queue, never deadlock.
        call = Call.objects.select_for_update().get(pk=call_id)
        application = Application.objects.select_for_update().get(pk=pk)
        if application.personal_data_erased_at is not None:
            return application, False
        now = timezone.now()
        before = {"status": application.status}
        in_play = (Application.Status.DRAFT, Application.Status.SUBMITTED)
        if application.status in in_play and call.decisions_published_at is None:
            # A pending decision would otherwise be published onto the withdrawn application.
            Decision.objects.filter(application=application, status=Decision.Status.PENDING).delete()
            application.status = Application.Status.WITHDRAWN
            application.withdrawn_at = now
        kept = set(call.questions.filter(kind__in=KEPT_ANSWER_KINDS).values_list("pk", flat=True))
        for name in PERSONAL_FIELDS:
            setattr(application, name, "")
        application.date_of_birth = None
        application.answers = {key: value for key, value in application.answers.items() if int(key) in kept}
        application.eligibility_reasons = []  # they quote the person's age and answers
        application.override_reason = ERASED if application.eligibility_override else ""
        application.personal_data_erased_at = now
        application.updated_at = now
        application.save()
        TeamMember.objects.filter(application=application).update(name="", email="")
        versions = list(ApplicationVersion.objects.select_for_update().filter(application=application))
        for version in versions:
            version.data = _erase_version(version.data, kept)
        ApplicationVersion.objects.bulk_update(versions, ["data"])
        reviews = Review.objects.filter(assignment__application=application)
        reviews.update(comment="")
        # Reviewers' comments are about the person; their scores and recommendations stay in the history.
        audit_scrub(
            object_type=Review._meta.label_lower, object_ids=reviews.values_list("pk", flat=True), keys=("comment",)
        )
        history_erase(application=application)
        stored = list(application.files.values_list("file", flat=True))
        application.files.all().delete()
        storage_delete_on_commit(stored)
        # The override's reason is written about the person; who overrode what, and when, stays.
        audit_scrub(
            object_type=Application._meta.label_lower,
            object_ids=[application.pk],
            keys=("reason",),
            actions_with_notes=("application.eligibility_override",),
        )
        audit_record(
            actor=by,
            action="application.personal_data_erase",
            obj=application,
            before=before,
            after={"status": application.status, "files": len(stored)},
            note=note,
        )
    return application, True


def applications_erase(user) -> None:
    """Account erasure: every application of the person, and their reviewer listings and unfinished reviews.

    Submitted reviews stay (their scores are part of other people's rankings), without the reviewer's name,
    which is the account's. Unfinished assignments are removed: nobody will finish them, and a manager sees
    the application needs another reviewer. Conflicts they declared stay: they protect later selections."""
    for application in Application.objects.filter(applicant=user).order_by("pk"):
        application_personal_data_erase(application=application, by=user, note="account erased")
    ReviewSettings.reviewers.through.objects.filter(user_id=user.pk).delete()
    unfinished = ReviewerAssignment.objects.filter(reviewer=user).exclude(review__status=Review.Status.SUBMITTED)
    unfinished.delete()
    # Declarations naming the person's own address were about them, not about a reviewer's judgement.
    ConflictOfInterest.objects.filter(application__isnull=True, email__iexact=user.email).delete()


def _retention_due(now: datetime.datetime):
    """Rejected applications whose decision was published more than their program's retention period ago."""
    days = ExpressionWrapper(
        F("call__cohort__program__rejected_data_retention_days") * Value(datetime.timedelta(days=1)),
        output_field=DurationField(),
    )
    cutoff = ExpressionWrapper(Value(now, output_field=DateTimeField()) - days, output_field=DateTimeField())
    return Application.objects.filter(
        status=Application.Status.REJECTED,
        personal_data_erased_at__isnull=True,
        call__cohort__program__rejected_data_retention_days__isnull=False,
        decision__status=Decision.Status.PUBLISHED,
        decision__published_at__lt=cutoff,
    )


def rejected_personal_data_sweep(*, now: datetime.datetime | None = None, batch: int = RETENTION_BATCH) -> int:
    """Erase the personal data of rejected applications past their program's retention period (beat).

    Due applications are read in batches; each is erased in its own transaction, under the locks of its call
    and itself, and checked again there, so two sweeps at once, or a sweep after a crash, erase each
    application once, and a sweep never holds more than one call's lock (an account erasure may hold others)."""
    now = now or timezone.now()
    erased = 0
    while True:
        due = list(
            _retention_due(now)
            .order_by("pk")
            .values_list("pk", "call_id", "call__cohort__program__rejected_data_retention_days")[:batch]
        )
        for pk, call_id, days in due:
            erased += _erase(pk, call_id, by=None, note=f"retention: {days} days")[1]
        if len(due) < batch:
            return erased
