"""How the application emails are written; the ledger calls these in the recipient's language and zone."""

from applications import selectors
from applications.models import Application, ApplicationVersion, Call
from applications.services import REMINDER_KIND, SUMMARY_KIND
from applications.submission import SUBMITTED_KIND
from incubator.emails import register, render_email
from incubator.language import absolute_url


@register(SUBMITTED_KIND)
def submitted(notification):
    number = int(notification.threshold.removeprefix("v"))
    version = (
        ApplicationVersion.objects.select_related("application__call__cohort__program")
        .filter(application_id=notification.object_id, number=number)
        .first()
    )
    if version is None:
        return None
    application = version.application
    language = notification.recipient.preferred_language
    return render_email(
        "applications_submitted",
        {
            "application": application,
            "call": application.call,
            "version": version,
            "data": version.data,
            "url": absolute_url("applications:detail", language, args=[application.pk]),
        },
    )


@register(REMINDER_KIND)
def draft_reminder(notification):
    application = Application.objects.select_related("call__cohort__program").filter(pk=notification.object_id).first()
    # Submitted, withdrawn or past the deadline since the reminder was claimed: nothing to remind of.
    if application is None or application.status != Application.Status.DRAFT or not application.call.is_open():
        return None
    return render_email(
        "applications_draft_reminder",
        {
            "application": application,
            "call": application.call,
            "url": absolute_url(
                "applications:apply", notification.recipient.preferred_language, args=[application.call.slug]
            ),
        },
    )


@register(SUMMARY_KIND)
def call_summary(notification):
    call = Call.objects.select_related("cohort__program").filter(pk=notification.object_id).first()
    if call is None:
        return None
    return render_email(
        "applications_call_summary",
        {
            "call": call,
            "summary": selectors.call_summary(call),
            "url": absolute_url("admin:applications_application_changelist", notification.recipient.preferred_language)
            + f"?call__id__exact={call.pk}",
        },
    )


# The interview and selection-scoring emails register themselves the same way.
from applications.interviews import emails as interview_emails  # noqa: E402,F401
from applications.scoring import emails as scoring_emails  # noqa: E402,F401
