"""The alumni survey's emails: the invitation when a cohort's survey opens (a year after its end, 09:00 in the
program's zone) and one reminder 14 days after a member's invitation while they have not answered, each once.

The sweep runs every hour. The ledger key is (kind, membership, member, ""): two sweeps at once, or a sweep run
again, claim each email once. The reminder counts its 14 days from the invitation's ledger row, not from the day
the survey opened, so a member invited late (the sweep did not run, or the first deploy) never gets both at once.
Cohorts whose survey closed (ended more than two years ago, see cohorts/alumni_survey.py) are not surveyed at
all: deploying this does not email everyone who ever took part."""

import datetime

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from cohorts.alumni_survey import SURVEYED, survey_closes, survey_is_open
from cohorts.models import AlumniSurvey, Cohort, Membership
from incubator.emails import register, render_email
from incubator.language import absolute_url
from incubator.models import Notification
from incubator.notifications import Claim, notifications_claim, notifications_enqueue
from incubator.when import format_when

INVITATION_KIND = "cohorts.alumni_survey"
REMINDER_KIND = "cohorts.alumni_survey_reminder"
REMINDER_AFTER = datetime.timedelta(days=14)


def open_cohorts(now: datetime.datetime) -> list[Cohort]:
    """Cohorts whose survey is open now: those that ended between one and two years ago (a day either side, for
    the time zones), checked in their program's zone."""
    today = now.date()
    candidates = Cohort.objects.filter(
        ends_on__gte=today - datetime.timedelta(days=2 * 366 + 1), ends_on__lte=today - datetime.timedelta(days=364)
    ).select_related("program")
    return [cohort for cohort in candidates.order_by("pk") if survey_is_open(cohort, now)]


def unanswered(cohorts: list[Cohort]):
    """The surveyed members of `cohorts` with an active account who have not answered."""
    return (
        Membership.objects.filter(cohort__in=cohorts, status__in=SURVEYED, person__is_active=True)
        .exclude(Exists(AlumniSurvey.objects.filter(membership=OuterRef("pk"))))
        .select_related("cohort")
        .order_by("pk")
    )


def _invited_before(moment: datetime.datetime):
    return Exists(
        Notification.objects.filter(
            kind=INVITATION_KIND, object_id=OuterRef("pk"), recipient=OuterRef("person"), created_at__lte=moment
        )
    )


def alumni_survey_sweep(*, now: datetime.datetime | None = None) -> int:
    """Claim the invitations and reminders due now (two queries to find them); enqueue only what this sweep
    claimed."""
    now = now or timezone.now()
    cohorts = open_cohorts(now)
    members = list(unanswered(cohorts).annotate(reminder_due=_invited_before(now - REMINDER_AFTER)))
    claims = [
        Claim(INVITATION_KIND, member.pk, member.person_id, "", member.cohort.program_id) for member in members
    ] + [
        Claim(REMINDER_KIND, member.pk, member.person_id, "", member.cohort.program_id)
        for member in members
        if member.reminder_due
    ]
    with transaction.atomic():
        claimed = notifications_claim(claims=claims)
        notifications_enqueue(notification_ids=claimed)
    return len(claimed)


def _render(notification, template: str):
    membership = (
        Membership.objects.select_related("cohort__program")
        .filter(pk=notification.object_id, person=notification.recipient, status__in=SURVEYED)
        .first()
    )
    if membership is None or AlumniSurvey.objects.filter(membership=membership).exists():
        return None  # left the cohort, or answered since the sweep
    cohort, language = membership.cohort, notification.recipient.preferred_language
    program, closes = cohort.program, survey_closes(cohort)
    if closes is None:
        return None  # the cohort's end date was removed since
    return render_email(
        template,
        {
            "cohort": cohort,
            "program": program,
            "closes": format_when(closes, program, language),
            "url": absolute_url("cohorts:alumni_survey", language, args=[cohort.slug]),
        },
    )


@register(INVITATION_KIND)
def render_alumni_survey(notification):
    return _render(notification, "cohorts/alumni_survey")


@register(REMINDER_KIND)
def render_alumni_survey_reminder(notification):
    return _render(notification, "cohorts/alumni_survey_reminder")
