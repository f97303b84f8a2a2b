"""How the cohort's emails are written; registered with the ledger when the app is ready."""

from cohorts.models import Answer, Membership
from cohorts.services import ANSWERED, INVITED
from incubator.language import absolute_url
from incubator.notifications import register, render_email


@register(INVITED)
def render_invitation(notification):
    membership = Membership.objects.select_related("cohort__program", "person").filter(pk=notification.object_id)
    membership = membership.first()
    if membership is None or membership.status == Membership.Status.WITHDRAWN:
        return None
    language = notification.recipient.preferred_language
    return render_email(
        "cohorts/membership_invited",
        {
            "membership": membership,
            "person": membership.person,
            "cohort": membership.cohort,
            "has_password": membership.person.has_usable_password(),
            "cohort_url": absolute_url("cohorts:directory", language, args=[membership.cohort.slug]),
            "password_url": absolute_url("account_reset_password", language),
        },
    )


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
