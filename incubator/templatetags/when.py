"""`{% load when %}`: templates format dates, times, numbers and money only through these filters."""

from django import template

from incubator import when as formatting

register = template.Library()


@register.filter
def day(value, style: str = "date") -> str:
    """A calendar day: `{{ d|day }}`, `{{ d|day:"weekday" }}`, `{{ d|day:"short" }}`, `{{ d|day:"month" }}`."""
    return formatting.format_day(value, style) if value else ""


@register.filter
def when(value, where=None) -> str:
    """An instant in the zone of `where` (a program, a space, a zone name), the zone named."""
    return formatting.format_when(value, where) if value else ""


@register.filter
def when_unnamed(value, where=None) -> str:
    """An instant in a zone the page names once beside it (a table whose heading gives the zone)."""
    return formatting.format_when(value, where, named=False) if value else ""


@register.filter
def clock(value, where=None) -> str:
    """The time of day of an instant (or a time) in the zone of `where`."""
    return formatting.format_clock(value, where) if value is not None else ""


@register.filter
def number(value, decimals=None) -> str:
    if value is None or value == "":
        return ""
    return formatting.format_number(value, None if decimals is None else int(decimals))


@register.filter
def units(value, kind: str) -> str:
    """`{{ line.units|units:"day" }}`: "2 days", "0,5 dnia", "3 ساعات"."""
    return formatting.format_units(value, kind) if value is not None else ""


@register.filter
def money(value, currency: str = "") -> str:
    """`{{ total|money }}` for a `Money`, `{{ amount|money:currency }}` for an amount beside its currency."""
    return formatting.format_money(value, currency) if value is not None else ""


@register.filter
def clock_seconds(value) -> str:
    """The time of day to the second, in the active zone: when a draft was last saved."""
    return formatting.format_clock(value, seconds=True) if value else ""
