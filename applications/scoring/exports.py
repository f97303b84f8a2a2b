"""The ranking as CSV and XLSX: the same rows and columns as the page."""

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from applications.scoring.models import Decision
from incubator.exports import Column, Kind, Table, export_response

COLUMNS = [
    # (key for sorting, header, value from a RankRow)
    ("rank", _("Rank"), lambda r: r.rank),
    ("name", _("Applicant"), lambda r: r.full_name),
    ("region", _("Region"), lambda r: r.region_name),
    ("score", _("Score"), lambda r: _round(r.score)),
    ("mean", _("Mean"), lambda r: _round(r.mean)),
    ("normalised", _("Normalised"), lambda r: _round(r.normalised)),
    ("median", _("Median"), lambda r: _round(r.median)),
    ("count", _("Reviews"), lambda r: r.review_count),
    ("stddev", _("Std. dev."), lambda r: _round(r.stddev)),
    ("yes", _("Yes"), lambda r: r.yes),
    ("maybe", _("Maybe"), lambda r: r.maybe),
    ("no", _("No"), lambda r: r.no),
]
EXTRA = [
    (_("Disagreement"), lambda r: _("yes") if r.disagreement else ""),
    (_("Decision"), lambda r: Decision.Outcome(r.decision_outcome).label if r.decision_outcome else ""),
    (_("Decision status"), lambda r: Decision.Status(r.decision_status).label if r.decision_status else ""),
    (_("Application id"), lambda r: r.id),
]


def _round(value):
    return None if value is None else round(value, 1)


def _table(rows) -> Table:
    # Every column but the applicant's name and region holds figures, which stay numbers in a spreadsheet.
    columns = [Column(title, Kind.TEXT if key in ("name", "region") else Kind.NUMBER) for key, title, _v in COLUMNS]
    columns += [Column(title) for title, _value in EXTRA]
    body = ([value(row) for _k, _t, value in COLUMNS] + [value(row) for _t, value in EXTRA] for row in rows)
    return Table(columns, body)


def ranking_export(request, call, rows, fmt: str) -> HttpResponse:
    return export_response(
        request,
        _table(rows),
        fmt=fmt,
        filename=f"ranking-{call.slug}-{timezone.now():%Y%m%d-%H%M}",
        sheet_title=_("Ranking"),
        about=call,
        note=f"ranking ({len(rows)} applications)",
    )


# The final ranking of a call with an interview stage (`final.final_ranking`): both stages, combined, explained.
FINAL_COLUMNS = [
    (_("Rank"), Kind.NUMBER, lambda r: r.rank),
    (_("Applicant"), Kind.TEXT, lambda r: r.full_name),
    (_("Region"), Kind.TEXT, lambda r: r.region_name),
    (_("Written score"), Kind.NUMBER, lambda r: _round(r.written)),
    (_("Reviews"), Kind.NUMBER, lambda r: r.review_count),
    (_("Interview score"), Kind.NUMBER, lambda r: _round(r.interview)),
    (_("Interview reviews"), Kind.NUMBER, lambda r: r.interview_count),
    (_("Final score"), Kind.NUMBER, lambda r: _round(r.score)),
    (_("How it is made"), Kind.TEXT, lambda r: r.explanation),
    (_("Decision"), Kind.TEXT, lambda r: Decision.Outcome(r.decision_outcome).label if r.decision_outcome else ""),
    (_("Decision status"), Kind.TEXT, lambda r: Decision.Status(r.decision_status).label if r.decision_status else ""),
    (_("Application id"), Kind.NUMBER, lambda r: r.id),
]


def final_export(request, call, rows, fmt: str) -> HttpResponse:
    table = Table(
        [Column(title, kind) for title, kind, _value in FINAL_COLUMNS],
        ([value(row) for _title, _kind, value in FINAL_COLUMNS] for row in rows),
    )
    return export_response(
        request,
        table,
        fmt=fmt,
        filename=f"final-ranking-{call.slug}-{timezone.now():%Y%m%d-%H%M}",
        sheet_title=_("Final ranking"),
        about=call,
        note=f"final ranking ({len(rows)} applications)",
    )
