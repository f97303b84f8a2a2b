"""How mentoring's emails are written; registered with the ledger when the app is ready. Each renderer
returns None when the email is no longer true (the session moved on, was cancelled or was logged)."""

from zoneinfo import ZoneInfo

from incubator.emails import EmailContent, register, render_email
from incubator.language import absolute_url
from incubator.zoned import is_today
from mentoring.ics import session_ics
from mentoring.models import Session
from mentoring.reminders import LOG_REMINDER, REMINDER, reminder_threshold
from mentoring.services import CANCELLATION, INVITATION


def _session(notification):
    return Session.objects.select_related("program", "kind", "region").filter(pk=notification.object_id).first()


def _with_ics(content: EmailContent, session: Session, method: str, recipient) -> EmailContent:
    ics = session_ics(session, method=method, recipient_email=recipient.email, language=recipient.preferred_language)
    return EmailContent(
        subject=content.subject,
        body=content.body,
        html=content.html,
        attachments=((f"session-{session.pk}.ics", ics, f"text/calendar; method={method}; charset=utf-8"),),
    )


def _context(session, notification):
    return {
        "session": session,
        "person": notification.recipient,
        "zone": session.program.time_zone,
        "url": absolute_url("mentoring:session_detail", notification.recipient.preferred_language, args=[session.pk]),
    }


@register(INVITATION)
def invitation(notification):
    session = _session(notification)
    if (
        session is None
        or session.status != Session.Status.SCHEDULED
        or notification.threshold != f"r{session.sequence}"
    ):
        return None
    content = render_email(
        "mentoring/session_invitation", {**_context(session, notification), "changed": session.sequence > 0}
    )
    return _with_ics(content, session, "REQUEST", notification.recipient)


@register(CANCELLATION)
def cancellation(notification):
    session = _session(notification)
    if session is None or session.status != Session.Status.CANCELLED:
        return None
    content = render_email("mentoring/session_cancelled", _context(session, notification))
    return _with_ics(content, session, "CANCEL", notification.recipient)


@register(REMINDER)
def reminder(notification):
    session = _session(notification)
    name = notification.threshold.split(":", 1)[0]
    if (
        session is None
        or session.status != Session.Status.SCHEDULED
        or notification.threshold != reminder_threshold(name, session.starts_at)
    ):
        return None
    zone = ZoneInfo(session.program.time_zone)
    # A session scheduled within the day gets its first reminder the same day: "today", not "tomorrow".
    today = is_today(session.starts_at, zone)
    context = {**_context(session, notification), "soon": name == "1h", "today": today}
    return render_email("mentoring/session_reminder", context)


@register(LOG_REMINDER)
def log_reminder(notification):
    session = _session(notification)
    if session is None or session.status != Session.Status.SCHEDULED:
        return None
    context = {
        **_context(session, notification),
        "url": absolute_url("mentoring:session_record", notification.recipient.preferred_language, args=[session.pk]),
    }
    return render_email("mentoring/log_reminder", context)
