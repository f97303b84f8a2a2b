"""How the cohort's emails are written; registered with the ledger when the app is ready."""

from django.urls import reverse

from cohorts.models import Answer, Membership
from cohorts.services import ANSWERED, INVITED
from incubator.notifications import register, render_email


@register(INVITED)
def render_invitation(notification):
    membership = Membership.objects.select_related("cohort__program", "person").filter(pk=notification.object_id)
    membership = membership.first()
    if membership is None or membership.status == Membership.Status.WITHDRAWN:
        return None
    return render_email(
        "cohorts/membership_invited",
        {
            "membership": membership,
            "person": membership.person,
            "cohort": membership.cohort,
            "has_password": membership.person.has_usable_password(),
            "cohort_path": reverse("cohorts:directory", args=[membership.cohort.slug]),
            "password_path": reverse("account_reset_password"),
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
            "post_path": reverse("cohorts:post_detail", args=[answer.post.cohort.slug, answer.post.pk]),
        },
    )
