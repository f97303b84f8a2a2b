from django import template
from django.utils import translation

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
