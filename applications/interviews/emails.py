"""How the interview emails are written; the ledger calls these in the applicant's language and time zone, and
every link carries that language."""

from django.utils import timezone

from applications.interviews.ics import interview_ics
from applications.interviews.models import Interview
from applications.interviews.reminders import BOOKED_REMINDER_KIND, UNBOOKED_KIND, booked_threshold
from applications.interviews.services import BOOKED_KIND, CANCELLED_KIND, INVITED_KIND
from incubator.emails import EmailContent, register, render_email
from incubator.language import absolute_url


def _interview(notification, *statuses) -> Interview | None:
    return (
        Interview.objects.select_related("plan__availability", "application__call__cohort__program")
        .filter(pk=notification.object_id, status__in=statuses)
        .first()
    )


def _context(interview: Interview, notification) -> dict:
    return {
        "interview": interview,
        "call": interview.application.call,
        "program": interview.application.call.cohort.program,
        "availability": interview.plan.availability,
        "person": notification.recipient,
        "zone": timezone.get_current_timezone_name(),
        "url": absolute_url("interviews:book", notification.recipient.preferred_language, args=[interview.token]),
    }


def _with_ics(content: EmailContent, interview: Interview, method: str, recipient) -> EmailContent:
    ics = interview_ics(
        interview, method=method, recipient_email=recipient.email, language=recipient.preferred_language
    )
    return EmailContent(
        subject=content.subject,
        body=content.body,
        html=content.html,
        attachments=((f"interview-{interview.pk}.ics", ics, f"text/calendar; method={method}; charset=utf-8"),),
    )


@register(INVITED_KIND)
def invited(notification):
    interview = _interview(notification, Interview.Status.INVITED)
    if interview is None:
        return None
    return render_email("interviews_invited", _context(interview, notification))


@register(UNBOOKED_KIND)
def unbooked_reminder(notification):
    interview = _interview(notification, Interview.Status.INVITED)
    if interview is None:
        return None  # booked or cancelled since the reminder was claimed
    return render_email("interviews_unbooked_reminder", _context(interview, notification))


@register(BOOKED_KIND)
def booked(notification):
    interview = _interview(notification, Interview.Status.BOOKED)
    # Moved again since this confirmation was claimed: the newer one says the time.
    if interview is None or notification.threshold != f"r{interview.reschedules}":
        return None
    context = {**_context(interview, notification), "moved": interview.reschedules > 0}
    content = render_email("interviews_booked", context)
    return _with_ics(content, interview, "REQUEST", notification.recipient)


@register(BOOKED_REMINDER_KIND)
def booked_reminder(notification):
    interview = _interview(notification, Interview.Status.BOOKED)
    if interview is None or notification.threshold != booked_threshold(interview.starts_at):
        return None
    return render_email("interviews_booked_reminder", _context(interview, notification))


@register(CANCELLED_KIND)
def cancelled(notification):
    interview = _interview(notification, Interview.Status.CANCELLED)
    if interview is None:
        return None
    language = notification.recipient.preferred_language
    application_url = absolute_url("applications:detail", language, args=[interview.application_id])
    content = render_email(
        "interviews_cancelled", {**_context(interview, notification), "application_url": application_url}
    )
    if interview.period is None:
        return content
    return _with_ics(content, interview, "CANCEL", notification.recipient)
