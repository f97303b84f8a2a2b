from django import template
from django.utils import timezone
from django.utils.timesince import timeuntil
from django.utils.translation import gettext as _

from applications import checks, selectors
from applications.forms import question_field_name
from applications.models import Question
from incubator.when import format_when

register = template.Library()


@register.filter
def program_time(value, call):
    """A call's instant in its program's time zone, with the zone named (deadlines are local to the program)."""
    return format_when(value, call.cohort.program)


@register.filter
def countdown(call):
    """ "closes in 3 days, 4 hours" / "opens in …" / "closed", from the server's clock."""
    now = timezone.now()
    if call.is_upcoming(now):
        return _("opens in %(time)s") % {"time": timeuntil(call.opens_at, now, depth=2)}
    if call.is_open(now):
        return _("closes in %(time)s") % {"time": timeuntil(call.closes_at, now, depth=2)}
    return _("closed")


@register.filter
def kept_as_typed(application, field) -> str:
    """What the person typed in `field` (a form field's name, or a question) when it was kept because it is not
    valid yet; "" when the stored answer is valid or absent."""
    name = question_field_name(field) if isinstance(field, Question) else field
    typed = application.invalid_answers.get(name) if application.invalid_answers else None
    if typed in (None, "", []):
        return ""
    return ", ".join(str(item) for item in typed) if isinstance(typed, list) else str(typed)


@register.filter
def answer_text(value, kind: str = "") -> str:
    """An answer as a person reads it: Yes/No, a list joined, a dash when empty."""
    if value in (None, "", []):
        return "—"
    if kind == "yes_no":
        return {"yes": _("Yes"), "no": _("No")}.get(str(value), str(value))
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    return str(value)


@register.simple_tag
def open_calls(drafts=()):
    """The calls open now, for the home page's applicant card, but those the person has a draft in (offered to
    continue above them): one query."""
    continued = {draft.application.call_id for draft in drafts}
    return [call for call in selectors.open_calls().order_by("closes_at") if call.pk not in continued]


@register.simple_tag(takes_context=True)
def my_drafts(context):
    """The signed-in person's drafts in open calls, for the home page: one query, three more when there is one."""
    return list(selectors.drafts_to_continue(context["request"].user).values())


@register.filter
def reason_text(reason) -> str:
    """A stored eligibility reason (a code and its parameters) in the reader's language."""
    return checks.reason_text(reason)
