"""A cohort's outcomes (figures per month and region, growth since joining) and the list of check-ins behind each
figure. The program's managers and the cohort's mentors read them; anyone else gets a 404, like every cohort page.
Filters that cannot be read are answered with a 400 and the message beside them, the cohort's months shown."""

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.utils.translation import gettext as _

from cohorts import access
from cohorts.cohort_page import cohort_page
from cohorts.models import Metric
from cohorts.outcome_forms import OutcomeFilterForm, RecordFilterForm
from cohorts.outcomes import Scope, checkin_records, default_months, numeric_metrics, outcomes
from incubator.when import format_day

RECORDS_PAGE_SIZE = 50


def _cohort(request, slug):
    cohort = access.get_cohort_for(request.user, slug)
    if not (cohort.viewer_is_manager or cohort.viewer_is_mentor):
        raise Http404
    return cohort


def _filters(request, cohort, form_class):
    """The cohort's regions and numeric metrics, the bound filter form, its clean values (the cohort's months when
    the form is refused) and the status to answer with."""
    regions = list(cohort.program.regions.all())
    metrics = numeric_metrics(cohort)
    months = default_months(cohort)
    form = form_class(request.GET, regions=regions, metrics=metrics, default_months=months)
    valid = form.is_valid()
    values = form.cleaned_data if valid else {"start": months and months[0], "end": months and months[1]}
    return regions, metrics, form, values, 200 if valid else 400


def _scope(cohort, values, regions) -> Scope | None:
    if not values.get("start"):
        return None
    ids = tuple(region.pk for region in regions)
    return Scope(cohort=cohort, first=values["start"], last=values["end"], region=values.get("region"), regions=ids)


def _chosen(metrics: list[Metric], pk: int | None) -> Metric | None:
    by_pk = {metric.pk: metric for metric in metrics}
    revenue = next((m for m in metrics if m.standard == Metric.Standard.REVENUE), None)
    return by_pk.get(pk) or revenue or (metrics[0] if metrics else None)


def _query(values: dict) -> str:
    """The page's filters as a query string, for the links to the records behind its figures."""
    keys = {"start": "%Y-%m", "end": "%Y-%m"}
    pairs = {key: values[key].strftime(keys[key]) for key in keys if values.get(key)}
    if values.get("region"):
        pairs["region"] = values["region"]
    return urlencode(pairs)


@login_required
def cohort_outcomes(request, slug):
    cohort = _cohort(request, slug)
    regions, metrics, form, values, status = _filters(request, cohort, OutcomeFilterForm)
    scope = _scope(cohort, values, regions)
    region_metric = _chosen(metrics, values.get("metric"))
    figures = outcomes(scope, metrics, regions, region_metric) if scope and metrics else None
    context = {
        "form": form,
        "figures": figures,
        "metrics": metrics,
        "regions": {region.pk: region for region in regions},
        "region_metric": region_metric,
        "currency": cohort.program.metric_set.currency if metrics else "",
        "query": _query(values),
        "range_query": _query({**values, "region": None}),
        "chart": _chart(figures) if figures else None,
    }
    return cohort_page(request, "cohorts/outcomes.html", cohort, context, tab="outcomes", status=status)


def _number(value):
    return None if value is None else float(value)


def _headline_label(metric: Metric) -> str:
    if metric.kind == Metric.Kind.YES_NO:
        return _("Share of yes")
    return _("Average") if metric.kind == Metric.Kind.PERCENTAGE else _("Total")


def _chart(figures) -> dict:
    """The share answering and each metric's headline and median over the months, for static/js/outcome_charts.js."""
    return {
        "months": [format_day(row["month"], "month") for row in figures.answering],
        "labels": {"answering": _("Share answering"), "median": _("Median")},
        "answering": [row["share"] for row in figures.answering],
        "metrics": [
            {
                "kind": block["metric"].kind,
                "headline_label": _headline_label(block["metric"]),
                "headline": [_number(row["headline"]) for row in block["rows"]],
                "median": [_number(row["median"]) for row in block["rows"]],
            }
            for block in figures.by_metric
        ],
    }


@login_required
def outcome_records(request, slug):
    cohort = _cohort(request, slug)
    regions, metrics, form, values, status = _filters(request, cohort, RecordFilterForm)
    scope = _scope(cohort, values, regions)
    metric = {m.pk: m for m in metrics}.get(values.get("metric"))
    chosen = {"month": values.get("month"), "status": values.get("status", ""), "metric": metric}
    records = checkin_records(scope, **chosen) if scope else []
    page_obj = Paginator(records, RECORDS_PAGE_SIZE).get_page(request.GET.get("page"))
    kept = {key: value for key, value in request.GET.items() if key != "page"}
    context = {
        "form": form,
        "page_obj": page_obj,
        "records": page_obj.object_list,
        "metric": metric,
        "regions": {region.pk: region for region in regions},
        "currency": cohort.program.metric_set.currency if metrics else "",
        "query": urlencode(kept) if status == 200 else "",
        "outcomes_query": _query(values),
    }
    return cohort_page(request, "cohorts/outcome_records.html", cohort, context, tab="outcomes", status=status)
