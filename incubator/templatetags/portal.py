from zoneinfo import ZoneInfo

from django import template
from django.utils import formats, timezone, translation
from django.utils.html import format_html

from incubator.language import translate_path

register = template.Library()


@register.simple_tag(takes_context=True)
def page_in(context, language: str) -> str:
    """The address of the page being shown, in another language."""
    return translate_path(context["request"].get_full_path(), language)


@register.filter
def language_name(code: str) -> str:
    """A language's own name for itself (العربية, Français)."""
    return translation.get_language_info(code)["name_local"]


@register.filter
def in_zone(value, zone_name: str) -> str:
    """An instant as the wall-clock time in a named zone, the zone named: "30 Dec 2026, 23:59 (Africa/Casablanca)"."""
    if not value:
        return ""
    local = timezone.localtime(value, ZoneInfo(zone_name))
    return f"{formats.date_format(local, 'DATETIME_FORMAT')} ({zone_name})"


@register.filter
def bdi(value) -> str:
    """Free text (a name, a title) isolated inside a sentence, so that it keeps its own direction in a sentence of
    the other one (emails, where `dir="auto"` on the whole paragraph would turn the sentence around). Escaped."""
    return format_html("<bdi>{}</bdi>", value)
