"""Workspaces' lines of the managers' "needs you" list (cohorts/needs_you.py): inductions of the program's
participants expiring soon, and subsidy budgets mostly spent, per space. Two queries whatever the number of
spaces, plans and people."""

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.db.models import Count, Exists, F, Func, IntegerField, OuterRef, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import ngettext

from cohorts.models import Cohort, Membership
from cohorts.needs_you import INFO, WARNING, Line, line, today_in_zone, url_with
from workspaces.models import Induction, Space, SubsidyPlan

EXPIRING_WITHIN_DAYS = 30
BUDGET_WARNING_SHARE = Decimal("0.8")


def inductions_expiring(user, program_ids, *, now=None) -> list[Line]:
    """Per (program, space): inductions of the program's active participants in a space the program uses that
    expire between today and 30 days from now, today in the program's time zone. One query."""
    now = now or timezone.now()
    today = OuterRef("program_today")
    expiring = (
        Induction.objects.filter(
            space_id=OuterRef("space_id"),
            expires_on__gte=today,
            expires_on__lte=today + datetime.timedelta(days=EXPIRING_WITHIN_DAYS),
        )
        .filter(
            Exists(
                Membership.objects.filter(
                    person_id=OuterRef("person_id"),
                    status=Membership.Status.ACTIVE,
                    cohort__program_id=OuterRef(OuterRef("program_id")),
                )
            )
        )
        .annotate(n=Func(F("pk"), function="COUNT"))
        .values("n")
        .order_by()
    )
    rows = (
        Space.programs.through.objects.filter(program_id__in=program_ids)
        .annotate(program_today=today_in_zone("program__time_zone", now))
        .annotate(n=Subquery(expiring, output_field=IntegerField()))
        .filter(n__gt=0)
        .values("program_id", "space__slug", "space__name", "n")
        .order_by("program_id", "space__name")
    )
    return [
        line(
            ngettext(
                "%(count)s induction at %(space)s expires within 30 days",
                "%(count)s inductions at %(space)s expire within 30 days",
                row["n"],
            ),
            space=row["space__name"],
            count=row["n"],
            url=reverse("workspaces:inductions", args=[row["space__slug"]]),
            level=INFO,
            program_id=row["program_id"],
        )
        for row in rows
    ]


def budgets_nearly_spent(user, program_ids, *, now=None) -> list[Line]:
    """Per (program, space): subsidy plans of cohorts not finished whose subsidies so far (kept on the plan, in the
    space's currency, as the space's report shows them) reach 80 % of the cohort's budget. One query. The line leads
    to the space's report for this month in the program's time zone."""
    now = now or timezone.now()
    rows = (
        SubsidyPlan.objects.filter(cohort__program_id__in=program_ids, budget__gt=0)
        .exclude(cohort__status=Cohort.Status.FINISHED)
        .filter(spent__gte=F("budget") * BUDGET_WARNING_SHARE)
        .values("cohort__program_id", "cohort__program__time_zone", "space__slug", "space__name")
        .annotate(n=Count("pk"))
        .order_by("cohort__program_id", "space__name")
    )
    lines = []
    for row in rows:
        month = timezone.localtime(now, ZoneInfo(row["cohort__program__time_zone"])).strftime("%Y-%m")
        lines.append(
            line(
                ngettext(
                    "%(count)s subsidy budget at %(space)s is 80 %% spent or more",
                    "%(count)s subsidy budgets at %(space)s are 80 %% spent or more",
                    row["n"],
                ),
                space=row["space__name"],
                count=row["n"],
                url=url_with(reverse("workspaces:report", args=[row["space__slug"]]), month=month),
                level=WARNING,
                program_id=row["cohort__program_id"],
            )
        )
    return lines
