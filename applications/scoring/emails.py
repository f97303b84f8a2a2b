"""How the scoring emails are written; the ledger calls these in the recipient's language and time zone."""

from django.db.models import F, Q
from django.template.loader import render_to_string
from django.utils import translation

from applications.models import Application
from applications.scoring.assignments import ASSIGNED_KIND
from applications.scoring.decisions import DECISION_KIND
from applications.scoring.models import (
    PLACEHOLDER,
    Decision,
    DecisionEmailTemplate,
    Review,
    ReviewerAssignment,
    ReviewSettings,
)
from applications.scoring.reviews import REMINDER_KIND
from incubator.emails import EmailContent, register, render_email
from incubator.language import absolute_url


@register(ASSIGNED_KIND)
def assigned(notification):
    first = ReviewerAssignment.objects.select_related("call").filter(pk=notification.object_id).first()
    if first is None:
        return None
    unfinished = (
        ReviewerAssignment.objects.filter(reviewer_id=notification.recipient_id, call=first.call)
        .exclude(review__status=Review.Status.SUBMITTED)
        .count()
    )
    queue_url = absolute_url("scoring:queue", notification.recipient.preferred_language)
    return render_email("scoring_assigned", {"call": first.call, "unfinished": unfinished, "url": queue_url})


@register(REMINDER_KIND)
def review_reminder(notification):
    left = (
        ReviewerAssignment.objects.filter(reviewer_id=notification.recipient_id, call_id=notification.object_id)
        .exclude(review__status=Review.Status.SUBMITTED)
        .count()
    )
    review_settings = ReviewSettings.objects.select_related("call").filter(call_id=notification.object_id).first()
    if not left or review_settings is None:
        return None  # finished (or unassigned) since the reminder was claimed
    return render_email(
        "scoring_review_reminder",
        {
            "call": review_settings.call,
            "deadline": review_settings.review_deadline,
            "left": left,
            "url": absolute_url("scoring:queue", notification.recipient.preferred_language),
        },
    )


def _fill(text: str, context: dict[str, str]) -> str:
    """Replace the known {placeholders} only: anything else (stray braces, {0}, {name.attr}) stays as written,
    so a template saved before it was validated can neither fail a send nor reach an object's attributes."""
    return PLACEHOLDER.sub(lambda match: str(context[match.group(1)]), text)


def decision_email(application: Application, outcome: str, language: str) -> EmailContent:
    """The result email: the program's template for this language and outcome, else the portal's default
    template, else the built-in wording."""
    context = {
        "name": application.full_name or str(application.applicant),
        "call": application.call.title,
        "program": application.call.cohort.program.name,
        "url": absolute_url("applications:detail", language, args=[application.pk]),
    }
    # The program's own wording first, then the portal's default: never another program's.
    custom = (
        DecisionEmailTemplate.objects.filter(language=language, outcome=outcome)
        .filter(Q(program_id=application.call.cohort.program_id) | Q(program__isnull=True))
        .order_by(F("program_id").asc(nulls_last=True))
        .first()
    )
    with translation.override(language):
        if custom is None:
            return render_email(f"scoring_decision_{outcome}", context)
        # The program's own plain-text wording, shown as written in the HTML part too (escaped, links made links).
        subject = " ".join(_fill(custom.subject, context).split())
        body = _fill(custom.body, context)
        html = render_to_string("emails/scoring_decision_custom.html", {**context, "subject": subject, "body": body})
    return EmailContent(subject=subject, body=body, html=html)


@register(DECISION_KIND)
def decision(notification):
    found = (
        Decision.objects.select_related("application__call__cohort__program", "application__applicant")
        .filter(application_id=notification.object_id, status=Decision.Status.PUBLISHED)
        .first()
    )
    if found is None:
        return None
    return decision_email(found.application, found.outcome, notification.recipient.preferred_language)
