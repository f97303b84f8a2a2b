"""Kawalis' alumni surveys: its first cohort (ended 30 September 2023) answered in autumn 2024, thirteen of its
eighteen projects; its second (ended 31 May 2025) has been asked since 31 May 2026 and about half answered, the
others were reminded. Comments in Arabic or French, as the members write.

Answers go through the service at the moment they were given; the invitations and reminders are written to the
ledger as sent, so that seeding sends no email and the hourly sweep finds nothing left to send. Members who
already answered are left alone: seeding again adds nothing."""

import datetime
import random

from django.db.models import Exists, OuterRef
from django.utils import timezone

from cohorts.alumni_reminders import INVITATION_KIND, REMINDER_AFTER, REMINDER_KIND
from cohorts.alumni_survey import SURVEYED, alumni_survey_answer, survey_opens
from cohorts.models import AlumniSurvey, Cohort, Membership
from incubator.models import Notification

# slug: how many of the members answer (in the order of their addresses).
PLANS = {"kawalis-1": 13, "kawalis-2": 11}
# (venture, jobs, revenue band) drawn for an answer, weighted as the incubator's projects fared.
OUTCOMES = [
    ("active", "1", "under_50k"),
    ("active", "2", "under_50k"),
    ("active", "1.5", "under_50k"),
    ("active", "3", "50k_250k"),
    ("active", "2.5", "50k_250k"),
    ("active", "0.5", "none"),
    ("active", "6", "250k_1m"),
    ("closed", "", ""),
    ("closed", "", ""),
    ("none", "", ""),
]
HELPED = ["mentoring", "mentoring", "training", "community", "funding", "workspace", "training", "other"]
COMMENTS = {
    "ar": [
        "",
        "المرافقة الفردية ساعدتني على تحديد أسعار منتجاتي والتفاوض مع الفنادق.",
        "تعرفت خلال الفوج على حرفيين من جهات أخرى ونعمل معًا اليوم.",
        "أغلقت الورشة بعد ارتفاع الإيجار، لكنني أعمل الآن مع تعاونية في المدينة.",
        "ورشات التسويق الرقمي غيرت طريقة بيعنا.",
    ],
    "fr": [
        "",
        "Les ateliers de gestion m'ont appris à tenir une comptabilité simple.",
        "La mise en relation avec le conseil régional a débloqué notre première subvention.",
        "Le réseau de la cohorte reste précieux : nous nous échangeons encore des clients.",
        "Le coaching régional m'a aidée à passer d'un projet à une vraie entreprise.",
    ],
}


def seed_alumni(stdout) -> None:
    answered = 0
    for slug, answering in PLANS.items():
        cohort = Cohort.objects.select_related("program").get(slug=slug)
        members = list(
            Membership.objects.filter(cohort=cohort, status__in=SURVEYED)
            .annotate(answered=Exists(AlumniSurvey.objects.filter(membership=OuterRef("pk"))))
            .select_related("person")
            .order_by("person__email")
        )
        opens = survey_opens(cohort)
        if opens > timezone.now():
            continue  # a demo seeded before the survey went out
        for number, membership in enumerate(members[:answering], start=1):
            if not membership.answered and _answer(membership, number, opens):
                answered += 1
        _ledger(cohort, members, opens)
    stdout.write(f"alumni surveys: {answered} answered")


def _answer(membership, number: int, opens: datetime.datetime) -> bool:
    chance = random.Random(f"{membership.cohort.slug}/{number}")
    venture, jobs, band = chance.choice(OUTCOMES)
    language = membership.person.preferred_language if membership.person.preferred_language in COMMENTS else "fr"
    typed = {
        "venture": venture,
        "jobs": jobs,
        "revenue_band": band,
        "helped_most": chance.choice(HELPED),
        "comment": chance.choice(COMMENTS[language]),
    }
    # Most answer within days of the invitation; the last ones after the reminder.
    at = opens + datetime.timedelta(days=chance.randint(0, 10) if number < 9 else 15 + number, hours=number)
    if at > timezone.now():
        return False
    alumni_survey_answer(membership=membership, typed=typed, by=membership.person, language="en", now=at)
    return True


def _ledger(cohort: Cohort, members: list[Membership], opens: datetime.datetime) -> None:
    """Every member's invitation as sent when the survey opened, and the reminder of those who had not answered
    fourteen days later, as sent then."""
    answered_at = dict(
        AlumniSurvey.objects.filter(membership__cohort=cohort).values_list("membership_id", "answered_at")
    )
    reminded = opens + REMINDER_AFTER
    rows = [_sent(INVITATION_KIND, membership, opens) for membership in members] + [
        _sent(REMINDER_KIND, membership, reminded)
        for membership in members
        if membership.pk not in answered_at or answered_at[membership.pk] > reminded
    ]
    Notification.objects.bulk_create(rows, ignore_conflicts=True)


def _sent(kind: str, membership: Membership, at: datetime.datetime) -> Notification:
    return Notification(
        kind=kind,
        object_id=membership.pk,
        recipient_id=membership.person_id,
        status=Notification.Status.SENT,
        attempts=1,
        created_at=at,
        last_attempt_at=at,
        sent_at=at,
        program_id=membership.cohort.program_id,
    )
