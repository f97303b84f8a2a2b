"""Mentoring's lines of the managers' "needs you" list (cohorts/needs_you.py): sessions over but not logged, and
action items past their due date. Two queries whatever the number of sessions. The admin's session list filters
the same rows (mentoring/admin.py, `NeedsFilter`), which is where the lines lead."""

from django.db.models import Count, Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import ngettext

from cohorts.needs_you import WARNING, Line, line, today_in_zone, url_with
from mentoring.models import ActionItem, Session

UNLOGGED, OVERDUE_ACTIONS = "unlogged", "overdue_actions"


def unlogged_q(now) -> Q:
    """Sessions that are over and still only scheduled: held (or not) but nobody logged them."""
    return Q(status=Session.Status.SCHEDULED, ends_at__lte=now)


def overdue_items(now):
    """Open action items of sessions not cancelled, due before today in their program's time zone."""
    return ActionItem.objects.exclude(session__status=Session.Status.CANCELLED).filter(
        done_at__isnull=True, due_on__lt=today_in_zone("session__program__time_zone", now)
    )


def sessions_with_overdue_items(queryset, now):
    return queryset.filter(Exists(overdue_items(now).filter(session=OuterRef("pk"))))


def _session_list(program_id: int, needs: str) -> str:
    return url_with(reverse("admin:mentoring_session_changelist"), program__id__exact=program_id, needs=needs)


def sessions_unlogged(user, program_ids, *, now=None) -> list[Line]:
    now = now or timezone.now()
    rows = (
        Session.objects.filter(unlogged_q(now), program_id__in=program_ids)
        .values("program_id")
        .annotate(n=Count("pk"))
        .order_by("program_id")
    )
    return [
        line(
            ngettext(
                "%(count)s session is over but not logged",
                "%(count)s sessions are over but not logged",
                row["n"],
            ),
            count=row["n"],
            url=_session_list(row["program_id"], UNLOGGED),
            level=WARNING,
            program_id=row["program_id"],
        )
        for row in rows
    ]


def action_items_overdue(user, program_ids, *, now=None) -> list[Line]:
    now = now or timezone.now()
    rows = (
        overdue_items(now)
        .filter(session__program_id__in=program_ids)
        .values("session__program_id")
        .annotate(n=Count("pk"))
        .order_by("session__program_id")
    )
    return [
        line(
            ngettext(
                "%(count)s action item from mentoring sessions is overdue",
                "%(count)s action items from mentoring sessions are overdue",
                row["n"],
            ),
            count=row["n"],
            url=_session_list(row["session__program_id"], OVERDUE_ACTIONS),
            level=WARNING,
            program_id=row["session__program_id"],
        )
        for row in rows
    ]
