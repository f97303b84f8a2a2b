"""The alumni survey's results per cohort, for the program's managers and the funder report.

Counts of people go through `people_cells` (under 5: "<5"). Figures that would read a few people's answers are
left out (None) while fewer than 5 answered: the answer rate, and the total and median jobs of fewer than 5 active
ventures. Revenue bands are read in the program's currency (its check-ins' metric set), labelled with it."""

import datetime
from decimal import Decimal

from babel.numbers import format_compact_currency, format_compact_decimal
from django.db.models import Aggregate, Count, Exists, FloatField, OuterRef, Q, Sum
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from cohorts.alumni_reminders import INVITATION_KIND
from cohorts.alumni_survey import SURVEYED, program_currency, survey_day, survey_is_open, survey_opens
from cohorts.models import AlumniSurvey, Cohort, Membership, Program
from cohorts.small_counts import SMALL, people_cells
from incubator.models import Notification
from incubator.when import locale_name

BANDS = AlumniSurvey.RevenueBand
BAND_BOUNDS = {
    BANDS.UNDER_50K: (None, 50_000),
    BANDS.FROM_50K: (50_000, 250_000),
    BANDS.FROM_250K: (250_000, 1_000_000),
    BANDS.OVER_1M: (1_000_000, None),
}


class Median(Aggregate):
    function = "PERCENTILE_CONT"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()


def _amount(value: int, currency: str) -> str:
    locale = locale_name()
    if currency:
        return format_compact_currency(value, currency, locale=locale)
    return format_compact_decimal(value, locale=locale)


def band_label(code: str, currency: str) -> str:
    """A revenue band in the active language, its amounts in `currency` ("under ₪50K", "50 k € to 250 k €")."""
    if code == BANDS.NONE:
        return str(BANDS.NONE.label)
    low, high = BAND_BOUNDS[code]
    if low is None:
        return pgettext("revenue band", "under %(amount)s") % {"amount": _amount(high, currency)}
    if high is None:
        return pgettext("revenue band", "over %(amount)s") % {"amount": _amount(low, currency)}
    return pgettext("revenue band", "%(low)s to %(high)s") % {
        "low": _amount(low, currency),
        "high": _amount(high, currency),
    }


def band_choices(currency: str) -> list[tuple[str, str]]:
    return [(code, band_label(code, currency)) for code in BANDS.values]


def _counts() -> dict:
    counts = {"answered": Count("pk"), "jobs_total": Sum("jobs"), "jobs_median": Median("jobs")}
    for name, field, values in (
        ("venture", "venture", AlumniSurvey.Venture.values),
        ("band", "revenue_band", BANDS.values),
        ("helped", "helped_most", AlumniSurvey.Helped.values),
    ):
        counts |= {f"{name}_{value}": Count("pk", filter=Q(**{field: value})) for value in values}
    return counts


def _cells(row: dict, name: str, choices) -> list[tuple[str, str, int | str]]:
    cells = people_cells([row.get(f"{name}_{code}", 0) for code, _label in choices])
    return [(code, str(label), cell) for (code, label), cell in zip(choices, cells, strict=True)]


def _result(cohort: Cohort, invited: int, row: dict, currency: str) -> dict:
    answered, active = row.get("answered", 0), row.get("venture_active", 0)
    enough = active >= SMALL
    median = row.get("jobs_median")
    return {
        "cohort": cohort,
        "opens": survey_opens(cohort),
        "invited": people_cells([invited])[0] if invited else 0,
        "answered": people_cells([answered])[0] if answered else 0,
        "share": min(100, round(100 * answered / invited)) if invited and answered >= SMALL else None,
        "venture": _cells(row, "venture", AlumniSurvey.Venture.choices),
        "jobs_total": row.get("jobs_total") if enough else None,
        "jobs_median": Decimal(str(round(median, 2))) if enough and median is not None else None,
        "bands": _cells(row, "band", band_choices(currency)),
        "helped": _cells(row, "helped", AlumniSurvey.Helped.choices),
        "currency": currency,
    }


def survey_results(cohorts: list[Cohort], currency: str) -> list[dict]:
    """Each cohort's results, in the order given. Two queries whatever the number of cohorts and answers: the
    members invited, and the answers counted per cohort."""
    invited = Notification.objects.filter(kind=INVITATION_KIND, object_id=OuterRef("pk"), recipient=OuterRef("person"))
    invited_by_cohort = dict(
        Membership.objects.filter(Exists(invited), cohort__in=cohorts)
        .values("cohort_id")
        .annotate(n=Count("pk"))
        .values_list("cohort_id", "n")
    )
    rows = {
        row["membership__cohort_id"]: row
        for row in AlumniSurvey.objects.filter(membership__cohort__in=cohorts)
        .values("membership__cohort_id")
        .annotate(**_counts())
    }
    return [
        _result(cohort, invited_by_cohort.get(cohort.pk, 0), rows.get(cohort.pk, {}), currency) for cohort in cohorts
    ]


def cohort_results(cohort: Cohort) -> dict:
    """One cohort's results (three queries)."""
    return survey_results([cohort], program_currency(cohort.program_id))[0]


TOTALS = ("invited", "answered", "answered_share", "jobs.total", "jobs.median")


def result_figures(result: dict) -> list[tuple[str, str, object]]:
    """(code, label, value) of every figure of a cohort's results."""
    return [
        ("invited", _("Members invited"), result["invited"]),
        ("answered", _("Members who answered"), result["answered"]),
        ("answered_share", _("Answer rate (%)"), result["share"]),
        *[(f"venture.{code}", label, cell) for code, label, cell in result["venture"]],
        ("jobs.total", _("Paid jobs in active ventures (full-time equivalents)"), result["jobs_total"]),
        ("jobs.median", _("Median paid jobs of an active venture"), result["jobs_median"]),
        *[(f"revenue.{code}", _("Revenue: %(band)s") % {"band": label}, cell) for code, label, cell in result["bands"]],
        *[
            (f"helped.{code}", _("Helped most: %(what)s") % {"what": label}, cell)
            for code, label, cell in result["helped"]
        ],
    ]


def alumni_figures(program: Program, start: datetime.date, end: datetime.date) -> list[dict]:
    """The survey results of the program's cohorts whose survey went out between `start` and `end` (days, both
    included; a survey goes out a year after the cohort's last day), in that order, for the funder report. Four
    queries.

    One dict a figure: {"cohort": the cohort's name, "cohort_id", "code": the item's stable code ("answered",
    "venture.active", "revenue.50k_250k", "helped.mentoring", ...), "key": "alumni.<cohort id>.<code>", "label":
    the item in the active language, "value": a number, "<5" for a hidden count of people, or None for a figure
    left out while fewer than 5 answered}."""
    # A day's slack either side for cohorts that ended on 29 February; survey_day decides.
    candidates = Cohort.objects.filter(
        program=program,
        ends_on__gte=start - datetime.timedelta(days=367),
        ends_on__lte=end - datetime.timedelta(days=364),
    ).select_related("program")
    cohorts = [cohort for cohort in candidates.order_by("ends_on", "pk") if start <= survey_day(cohort) <= end]
    if not cohorts:
        return []
    figures = []
    for result in survey_results(cohorts, program_currency(program.pk)):
        cohort = result["cohort"]
        figures += [
            {"cohort": cohort.name, "cohort_id": cohort.pk, "code": code, "key": f"alumni.{cohort.pk}.{code}",
             "label": label, "value": value}
            for code, label, value in result_figures(result)
        ]  # fmt: skip
    return figures


def survey_waiting(user, cohort: Cohort) -> bool:
    """The viewer is a member the open survey asks and has not answered (one query, only while it is open)."""
    if not cohort.viewer_is_member or not survey_is_open(cohort):
        return False
    mine = Membership.objects.filter(cohort=cohort, person=user, status__in=SURVEYED)
    return mine.filter(alumni_survey__isnull=True).exists()
