"""Check-ins for the funder report's tests: a program asking monthly check-ins in shekels, ventures answering
through the services at a chosen moment (on time, late or skipped), and a big world written in bulk."""

import datetime
import itertools
from decimal import Decimal

import time_machine
from django.utils import timezone

from cohorts.checkins import checkin_skip, checkin_submit, metric_set_create, next_month
from cohorts.models import CheckIn, CheckInAnswer, Venture
from tests.factories import UserFactory, accept

# The report's clock: months up to November 2026 are over.
NOW = datetime.datetime(2026, 12, 3, 10, 0, tzinfo=datetime.UTC)
STANDARD = ("clients", "revenue", "jobs", "volunteers", "funding")


def asking_checkins(program):
    return metric_set_create(program=program, currency="ILS", by=None)


def venture_of(cohort, name: str):
    person = accept(cohort, UserFactory(name=f"{name} founder"), venture_name=name).person
    return Venture.objects.get(cohort=cohort, name=name), person


def _answer_moment(month: datetime.date, late: bool) -> datetime.datetime:
    after = next_month(month)
    return datetime.datetime(after.year, after.month, 20 if late else 3, 9, tzinfo=datetime.UTC)


def answer(venture, person, month: datetime.date, *, late=False, **values):
    """Send `month`'s check-in with the standard metrics (clients, revenue, jobs, volunteers, funding) as typed."""
    metric_set = venture.cohort.program.metric_set
    metrics = {metric.standard: metric.pk for metric in metric_set.metrics.all()}
    typed = {metrics[name]: str(values.get(name, 0)) for name in STANDARD}
    with time_machine.travel(_answer_moment(month, late), tick=False):
        return checkin_submit(venture=venture, month=month, typed=typed, currency="ILS", by=person)


def skip(venture, person, month: datetime.date):
    with time_machine.travel(_answer_moment(month, False), tick=False):
        return checkin_skip(venture=venture, month=month, reason="Closed for the holidays", by=person)


def big_world(cohort, ventures: int, months: int) -> None:
    """`ventures` ventures of `cohort` answering every one of `months` months from the cohort's first, written in
    bulk (the services would take minutes for 500 × 24)."""
    metric_set = cohort.program.metric_set
    metrics = {metric.standard: metric for metric in metric_set.metrics.all()}
    made = Venture.objects.bulk_create(Venture(cohort=cohort, name=f"Venture {i:04}") for i in range(ventures))
    month, firsts = cohort.starts_on.replace(day=1), []
    for _ in range(months):
        firsts.append(month)
        month = next_month(month)
    now = timezone.now()
    checkins = CheckIn.objects.bulk_create(
        CheckIn(venture=venture, month=first, status=CheckIn.Status.SUBMITTED, submitted_at=now)
        for venture, first in itertools.product(made, firsts)
    )
    CheckInAnswer.objects.bulk_create(
        answer
        for i, checkin in enumerate(checkins)
        for answer in (
            CheckInAnswer(checkin=checkin, metric=metrics["clients"], count=i % 7),
            CheckInAnswer(checkin=checkin, metric=metrics["volunteers"], count=i % 2),
            CheckInAnswer(checkin=checkin, metric=metrics["jobs"], fte=Decimal("1.5")),
            CheckInAnswer(
                checkin=checkin, metric=metrics["revenue"], amount=Decimal(i % 5 * 100 - 100), currency="ILS"
            ),
            CheckInAnswer(checkin=checkin, metric=metrics["funding"], amount=Decimal(0), currency="ILS"),
        )
    )
