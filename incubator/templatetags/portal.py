from django import forms, template
from django.utils import translation
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
def bdi(value) -> str:
    """Free text (a name, a title) isolated inside a sentence, so that it keeps its own direction in a sentence of
    the other one (emails, where `dir="auto"` on the whole paragraph would turn the sentence around). Escaped."""
    return format_html("<bdi>{}</bdi>", value)


@register.filter
def bootstrap_widget(field) -> str:
    """A text-like input, a textarea or a select as crispy-forms' Bootstrap 5 pack writes it, for
    `includes/field.html`: the widget's own class name, then form-control (form-select for a select) and
    is-invalid when the field has errors, after any class the widget already has. Django writes the rest
    (aria-describedby for the help text and errors, aria-invalid)."""
    widget = field.field.widget
    classes = widget.attrs.get("class", "").split()
    wanted = [widget.__class__.__name__.lower(), "form-select" if isinstance(widget, forms.Select) else "form-control"]
    if field.errors:
        wanted.append("is-invalid")
    classes += [name for name in wanted if name not in classes]
    return field.as_widget(attrs={"class": " ".join(classes)})
