"""`{% load report_figures %}`: a figure of the funder report, written as a link to the records it counts unless it
hides a count of people. The page's context holds `figures` (by key) and `report_query` (program and period)."""

from decimal import Decimal
from urllib.parse import urlencode

from django import template
from django.urls import reverse
from django.utils.html import format_html

from incubator.when import format_number

register = template.Library()
NOTHING = "—"


def _key(parts) -> str:
    return ".".join(str(part) for part in parts)


@register.simple_tag(takes_context=True)
def figure_url(context, *parts) -> str:
    """The figure's records page, or "" where it opens none."""
    figure = context.get("figures", {}).get(_key(parts))
    if figure is None or not figure.linked:
        return ""
    return f"{reverse('mentoring:report_records')}?{context['report_query']}&{urlencode({'figure': figure.key})}"


@register.simple_tag(takes_context=True)
def figure(context, *parts, testid: str = "", suffix: str = ""):
    """`{% figure "totals" "group" testid="total-group" %}`: the figure's value, a link where it opens records."""
    key = _key(parts)
    found = context.get("figures", {}).get(key)
    value = None if found is None else found.value
    if value is None:
        text = NOTHING
    else:
        text = f"{format_number(value) if isinstance(value, int | float | Decimal) else value}{suffix}"
    url = figure_url(context, *parts)
    if url:
        return format_html('<a href="{}" data-figure="{}" data-testid="{}">{}</a>', url, key, testid or key, text)
    return format_html('<span data-figure="{}" data-testid="{}">{}</span>', key, testid or key, text)
