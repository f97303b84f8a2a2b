"""Reads for pages, the admin and the beat sweep; each runs a fixed number of queries."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from applications import checks
from applications.models import Application, ApplicationVersion, Call, Criterion

# A draft gets each reminder while the deadline is nearer than the threshold and farther than the next
# one, so a draft started the day before the deadline gets the 1-day and 3-hour reminders, not a late 7-day one.
REMINDER_THRESHOLDS = [
    ("7d", datetime.timedelta(days=7)),
    ("1d", datetime.timedelta(days=1)),
    ("3h", datetime.timedelta(hours=3)),
]
# A call's closing summary is sent if beat notices the closing within this time (not for calls of years ago).
SUMMARY_WINDOW = datetime.timedelta(days=2)


@dataclass
class CallListing:
    open: list[Call]
    upcoming: list[Call]
    closed: list[Call]


def calls_listing(now: datetime.datetime | None = None) -> CallListing:
    """All calls, split into open / upcoming / closed, with their program: one query."""
    now = now or timezone.now()
    listing = CallListing(open=[], upcoming=[], closed=[])
    for call in Call.objects.filter(is_published=True).select_related("cohort__program").order_by("closes_at", "pk"):
        if call.is_upcoming(now):
            listing.upcoming.append(call)
        elif call.is_open(now):
            listing.open.append(call)
        else:
            listing.closed.append(call)
    listing.closed.reverse()
    return listing


def open_calls(now: datetime.datetime | None = None) -> QuerySet[Call]:
    now = now or timezone.now()
    return Call.objects.filter(is_published=True, opens_at__lte=now, closes_at__gte=now).select_related(
        "cohort__program"
    )


@dataclass(frozen=True)
class DraftToContinue:
    application: Application
    progress: checks.Progress
    missing: list[str]


def drafts_to_continue(user, now: datetime.datetime | None = None) -> dict[int, DraftToContinue]:
    """The person's drafts in calls still open, by application id, each with its progress and what is still missing:
    one query, three more when there is a draft."""
    now = now or timezone.now()
    drafts = list(
        Application.objects.filter(
            applicant=user,
            status=Application.Status.DRAFT,
            call__is_published=True,
            call__opens_at__lte=now,
            call__closes_at__gte=now,
        )
        .select_related("call__cohort__program")
        .prefetch_related("call__questions", "files")
        .order_by("call__closes_at", "pk")
    )
    result = {}
    for application in drafts:
        questions = list(application.call.questions.all())
        files = {stored.question_id for stored in application.files.all()}
        result[application.pk] = DraftToContinue(
            application=application,
            progress=checks.progress(application, questions, files),
            missing=checks.missing_items(application, questions, files),
        )
    return result


def call_for_page(slug: str) -> QuerySet[Call]:
    return (
        Call.objects.select_related("cohort__program")
        .prefetch_related(
            "eligibility_rules__regions",
            "eligibility_rules__question",
            Prefetch("criteria_set", queryset=Criterion.objects.order_by("position", "pk")),
        )
        .filter(slug=slug)
    )


def applications_of(user) -> QuerySet[Application]:
    """The applicant's own applications with what the status and timeline need: two queries."""
    return (
        Application.objects.filter(applicant=user)
        .select_related("call__cohort__program")
        .prefetch_related(Prefetch("versions", queryset=ApplicationVersion.objects.order_by("number").only(
            "pk", "application_id", "number", "submitted_at"
        )))
        .order_by("-updated_at", "-pk")
    )  # fmt: skip


def timeline(application: Application) -> list[tuple[datetime.datetime, str, str]]:
    """(when, what, status key) rows from the application and its prefetched versions."""
    rows = [(application.created_at, _("Draft started"), "draft")]
    for version in application.versions.all():
        label = _("Submitted") if version.number == 1 else _("Submitted again (version %(n)s)") % {"n": version.number}
        rows.append((version.submitted_at, label, "submitted"))
    if application.withdrawn_at:
        rows.append((application.withdrawn_at, _("Withdrawn"), "withdrawn"))
    decided = {Application.Status.ACCEPTED, Application.Status.WAITLISTED, Application.Status.REJECTED}
    if application.status in decided and application.call.decisions_published_at:
        decision = _("Decision: %(decision)s") % {"decision": application.get_status_display()}
        rows.append((application.call.decisions_published_at, decision, application.status))
    return sorted(rows, key=lambda row: row[0])


def drafts_due_for_reminder(now: datetime.datetime) -> list[tuple[int, int, str]]:
    """(application id, applicant id, threshold) for every draft inside a reminder window: one query."""
    due = Q()
    deltas = [delta for _label, delta in REMINDER_THRESHOLDS] + [datetime.timedelta(0)]
    for delta, next_delta in zip(deltas, deltas[1:], strict=False):
        # Inside this threshold and not yet inside the next (smaller) one.
        due |= Q(call__closes_at__lte=now + delta, call__closes_at__gt=now + next_delta)
    rows = (
        Application.objects.filter(due, status=Application.Status.DRAFT, call__opens_at__lte=now)
        .values_list("pk", "applicant_id", "call__closes_at")
        .order_by("pk")
    )
    return [(pk, applicant_id, threshold_for(closes_at, now)) for pk, applicant_id, closes_at in rows]


def threshold_for(closes_at: datetime.datetime, now: datetime.datetime) -> str:
    """The smallest threshold the remaining time is within."""
    remaining = closes_at - now
    return [label for label, delta in REMINDER_THRESHOLDS if remaining <= delta][-1]


def calls_just_closed(now: datetime.datetime) -> QuerySet[Call]:
    return Call.objects.filter(closes_at__lt=now, closes_at__gte=now - SUMMARY_WINDOW).select_related("cohort__program")


@dataclass(frozen=True)
class CallSummary:
    submitted: int
    eligible: int
    ineligible: int
    drafts: int
    withdrawn: int


def call_summary(call: Call) -> CallSummary:
    """Counts for the closing summary, in one aggregate query (an override beats the computed result)."""
    submitted = Q(status=Application.Status.SUBMITTED)
    overridden = ~Q(eligibility_override="")
    eligible = (overridden & Q(eligibility_override="eligible")) | (~overridden & Q(eligibility="eligible"))
    ineligible = (overridden & Q(eligibility_override="ineligible")) | (~overridden & Q(eligibility="ineligible"))
    counts = call.applications.aggregate(
        submitted=Count("pk", filter=submitted),
        eligible=Count("pk", filter=submitted & eligible),
        ineligible=Count("pk", filter=submitted & ineligible),
        drafts=Count("pk", filter=Q(status=Application.Status.DRAFT)),
        withdrawn=Count("pk", filter=Q(status=Application.Status.WITHDRAWN)),
    )
    return CallSummary(**counts)


def call_managers(call: Call):
    """The program's own managers, and nobody else: a program without any gets no summary (the managers of other
    programs must not read its figures)."""
    return list(call.cohort.program.managers.filter(is_active=True))


SUBMITTED_STATUSES = (
    Application.Status.SUBMITTED,
    Application.Status.ACCEPTED,
    Application.Status.WAITLISTED,
    Application.Status.REJECTED,
)


def program_calls(program) -> QuerySet[Call]:
    """The program's calls, newest first, each with its applications counted in ONE aggregate query: drafts,
    submitted (decided ones included), eligible among them (the manager's override first), reviewed (at least one
    submitted review, from the score summary) and decided (a decision recorded, pending or published)."""
    submitted = Q(applications__status__in=SUBMITTED_STATUSES)
    eligible = Q(applications__eligibility_override=Application.Eligibility.ELIGIBLE) | Q(
        applications__eligibility_override="", applications__eligibility=Application.Eligibility.ELIGIBLE
    )
    return (
        Call.objects.filter(cohort__program=program)
        .select_related("cohort")
        .annotate(
            drafts=Count("applications", filter=Q(applications__status=Application.Status.DRAFT)),
            submitted=Count("applications", filter=submitted),
            eligible=Count("applications", filter=submitted & eligible),
            reviewed=Count("applications", filter=submitted & Q(applications__score_summary__review_count__gt=0)),
            decided=Count(
                "applications",
                filter=Q(applications__decision__isnull=False) & ~Q(applications__decision__status="cancelled"),
            ),
        )
        .order_by("-opens_at", "-pk")
    )
