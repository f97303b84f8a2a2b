"""How the cohort's emails are written; registered with the ledger when the app is ready."""

from cohorts import (
    alumni_reminders,  # noqa: F401 - registers the alumni survey's emails
    checkin_reminders,  # noqa: F401 - registers the check-in reminder's email
)
from cohorts.models import Answer
from cohorts.services import ANSWERED
from incubator.emails import register, render_email
from incubator.language import absolute_url


@register(ANSWERED)
def render_answer(notification):
    answer = Answer.objects.select_related("post__cohort", "author").filter(pk=notification.object_id).first()
    if answer is None:
        return None
    return render_email(
        "cohorts/post_answered",
        {
            "answer": answer,
            "post": answer.post,
            "post_url": absolute_url(
                "cohorts:post_detail",
                notification.recipient.preferred_language,
                args=[answer.post.cohort.slug, answer.post.pk],
            ),
        },
    )
