"""`{% figure value metric currency %}`: one figure of the outcomes pages as its metric's kind reads, in the page's
language (a filter, not an include: the page shows hundreds of them)."""

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from cohorts.models import Metric
from incubator import when

register = template.Library()


@register.simple_tag
def figure(value, metric: Metric, currency: str = "") -> str:
    if value is None:
        return mark_safe('<span class="text-muted">–</span>')  # noqa: S308 - a constant
    if metric.kind == Metric.Kind.MONEY:
        return format_html('<span dir="ltr">{}</span>', when.format_money(value, currency))
    if metric.kind in (Metric.Kind.PERCENTAGE, Metric.Kind.YES_NO):
        return format_html('<span dir="ltr">{}%</span>', when.format_number(value))
    return when.format_number(value)
