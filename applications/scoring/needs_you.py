"""The calls' lines of the managers' "needs you" list (cohorts/needs_you.py): reviews late, reviewer load out of
balance, calls about to close with many drafts. Three queries whatever the number of calls."""

import datetime

from django.db import connection
from django.db.models import Count, Exists, F, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import ngettext

from applications.models import Application, Call
from applications.scoring.models import Review, ReviewerAssignment, ReviewerLoad, ReviewSettings, ReviewStage
from cohorts.needs_you import DANGER, INFO, WARNING, Line, line, url_with

REVIEWING = [ReviewSettings.Stage.SCORING, ReviewSettings.Stage.INTERVIEW]
# Reviewer load is out of balance when the busiest reviewer of a call has more than LOAD_SPREAD unfinished reviews
# more than the least busy one, or at least LOAD_FACTOR times the mean (and LOAD_MIN_GAP more than the least busy,
# so that 2 against 0 is not called a problem).
LOAD_SPREAD = 5
LOAD_FACTOR = 2
LOAD_MIN_GAP = 3
# A call closing within this long, with at least DRAFTS_MANY drafts or no fewer drafts than submissions.
CLOSING_WITHIN = datetime.timedelta(days=7)
DRAFTS_MANY = 5

# No review yet, or a draft: the status kept on the assignment, so no review is joined.
_unfinished = ~Q(review_status=Review.Status.SUBMITTED)


def _admin_changelist(model: str, **query) -> str:
    return url_with(reverse(f"admin:applications_{model}_changelist"), **query)


def reviews_late(user, program_ids, *, now=None) -> list[Line]:
    """Submitted applications with an assigned review not submitted although the call's review deadline has
    passed, per call. One query."""
    now = now or timezone.now()
    waiting = ReviewerAssignment.objects.filter(application=OuterRef("pk"), stage=ReviewStage.WRITTEN).filter(
        _unfinished
    )
    rows = (
        Application.objects.filter(
            call__cohort__program_id__in=program_ids,
            status=Application.Status.SUBMITTED,
            call__review_settings__stage__in=REVIEWING,
            call__review_settings__review_deadline__lt=now,
        )
        .filter(Exists(waiting))
        .values("call_id", "call__slug", "call__title", "call__cohort__program_id")
        .annotate(n=Count("pk"))
        .order_by("call__closes_at", "call_id")
    )
    return [
        line(
            ngettext(
                "%(count)s application of “%(call)s” is waiting for a review past the reviewers' deadline",
                "%(count)s applications of “%(call)s” are waiting for a review past the reviewers' deadline",
                row["n"],
            ),
            call=row["call__title"],
            count=row["n"],
            url=reverse("scoring:ranking", args=[row["call__slug"]]),
            level=DANGER,
            program_id=row["call__cohort__program_id"],
        )
        for row in rows
    ]


def reviewer_load(user, program_ids) -> list[Line]:
    """Calls under review whose reviewers' unfinished reviews are out of balance (see LOAD_*). One query over the
    unfinished reviews kept per (call, reviewer) (`ReviewerLoad`), their spread per call in SQL."""
    per_reviewer = (
        ReviewerLoad.objects.filter(
            call__cohort__program_id__in=program_ids,
            call__review_settings__stage__in=REVIEWING,
            call__decisions_published_at__isnull=True,
        )
        .annotate(
            load_call_id=F("call_id"),
            load_title=F("call__title"),
            load_program_id=F("call__cohort__program_id"),
            load_open=F("unfinished"),
        )
        .values("load_call_id", "load_title", "load_program_id", "load_open")
    )
    inner, params = per_reviewer.query.sql_with_params()
    sql = f"""
        SELECT load_call_id, load_title, load_program_id, MIN(load_open), MAX(load_open)
        FROM ({inner}) AS loads
        GROUP BY load_call_id, load_title, load_program_id
        HAVING MAX(load_open) - MIN(load_open) > %s
            OR (MAX(load_open) >= %s * AVG(load_open) AND MAX(load_open) - MIN(load_open) >= %s)
        ORDER BY load_call_id
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, LOAD_SPREAD, LOAD_FACTOR, LOAD_MIN_GAP])
        rows = cursor.fetchall()
    return [
        line(
            ngettext(
                "Reviewer load is out of balance on “%(call)s”: from %(least)s to %(count)s unfinished review per "
                "reviewer",
                "Reviewer load is out of balance on “%(call)s”: from %(least)s to %(count)s unfinished reviews per "
                "reviewer",
                most,
            ),
            call=title,
            least=least,
            count=most,
            url=_admin_changelist("reviewerassignment", call__id__exact=call_id),
            level=WARNING,
            program_id=program_id,
        )
        for call_id, title, program_id, least, most in rows
    ]


def closing_with_drafts(user, program_ids, *, now=None) -> list[Line]:
    """Open calls closing within a week with many drafts not submitted yet. One query."""
    now = now or timezone.now()
    rows = (
        Call.objects.filter(cohort__program_id__in=program_ids, opens_at__lte=now)
        .filter(closes_at__gt=now, closes_at__lte=now + CLOSING_WITHIN)
        .annotate(
            drafts=Count("applications", filter=Q(applications__status=Application.Status.DRAFT)),
            submitted=Count("applications", filter=Q(applications__status=Application.Status.SUBMITTED)),
        )
        .filter(drafts__gt=0)
        .filter(Q(drafts__gte=DRAFTS_MANY) | Q(drafts__gte=F("submitted")))
        .values("pk", "title", "cohort__program_id", "drafts")
        .order_by("closes_at", "pk")
    )
    return [
        line(
            ngettext(
                "“%(call)s” closes within a week with %(count)s application still in draft",
                "“%(call)s” closes within a week with %(count)s applications still in draft",
                row["drafts"],
            ),
            call=row["title"],
            count=row["drafts"],
            url=_admin_changelist("application", call__id__exact=row["pk"], status__exact=Application.Status.DRAFT),
            level=INFO,
            program_id=row["cohort__program_id"],
        )
        for row in rows
    ]
