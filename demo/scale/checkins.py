"""The scale program's monthly check-ins for `seed_scale` (see demo/scale/__init__.py): a cohort of its own,
`checkin_ventures` ventures of one founder each (in the program's four regions), every one answering the last
`checkin_months` months: one month in twenty skipped, one venture in five with a loss in its sixth month."""

import datetime
from decimal import Decimal

from cohorts.checkins import current_month, metric_set_create, next_month
from cohorts.models import CheckIn, CheckInAnswer, Cohort, Membership, Metric, MetricSet, Venture, VentureMember
from demo.scale import BATCH, Scale, people
from incubator.roles import PARTICIPANT

OUTCOMES_COHORT_SLUG = "scale-outcomes"
SKIP_EVERY = 20
# The answer columns of the numeric standard metrics, and each venture's value in month `i` (venture `n`).
VALUES = {
    Metric.Standard.CLIENTS: ("count", lambda n, i: 2 + n % 7 + i // 2),
    Metric.Standard.REVENUE: ("amount", lambda n, i: Decimal(-2500 if i == 5 and n % 5 == 0 else 3000 + 150 * i + n)),
    Metric.Standard.JOBS: ("fte", lambda n, i: Decimal("0.5") * (1 + i // 6 + n % 2)),
    Metric.Standard.VOLUNTEERS: ("count", lambda n, i: n % 3),
    Metric.Standard.FUNDING: ("amount", lambda n, i: Decimal(20000 if i == 9 and n % 4 == 0 else 0)),
}


def seed_checkins(scale: Scale) -> None:
    program = scale.program
    months = _months(current_month(program), scale.sizes.checkin_months)
    cohort = Cohort.objects.create(
        program=program,
        name="Outcomes cohort",
        slug=OUTCOMES_COHORT_SLUG,
        starts_on=months[0],
        ends_on=next_month(months[-1]) - datetime.timedelta(days=1),
        status=Cohort.Status.FINISHED,
    )
    ventures = _ventures(scale, cohort)
    metric_set = MetricSet.objects.filter(program=program).first()
    metric_set = metric_set or metric_set_create(program=program, currency="MAD", by=None)
    metrics = [m for m in metric_set.metrics.all() if m.standard in VALUES]
    checkins = CheckIn.objects.bulk_create(
        [_checkin(venture, n, i, month) for n, venture in enumerate(ventures) for i, month in enumerate(months)],
        batch_size=BATCH,
    )
    answers = CheckInAnswer.objects.bulk_create(
        [
            _answer(checkin, metric, n // len(months), n % len(months))
            for n, checkin in enumerate(checkins)
            if checkin.status == CheckIn.Status.SUBMITTED
            for metric in metrics
        ],
        batch_size=BATCH,
    )
    scale.say(f"check-ins: {len(ventures)} ventures × {len(months)} months, {len(answers)} answers")


def _months(current: datetime.date, count: int) -> list[datetime.date]:
    first = current
    for _ in range(count):
        first = (first - datetime.timedelta(days=1)).replace(day=1)
    months = [first]
    while len(months) < count:
        months.append(next_month(months[-1]))
    return months


def _ventures(scale: Scale, cohort: Cohort) -> list[Venture]:
    count = scale.sizes.checkin_ventures
    founders = people(scale, "founder", count, role=PARTICIPANT)
    Membership.objects.bulk_create(
        [
            Membership(person=person, cohort=cohort, region=scale.regions[n % len(scale.regions)])
            for n, person in enumerate(founders)
        ],
        batch_size=BATCH,
    )
    ventures = Venture.objects.bulk_create(
        [Venture(cohort=cohort, name=f"Outcome venture {n:04d}") for n in range(count)], batch_size=BATCH
    )
    VentureMember.objects.bulk_create(
        [
            VentureMember(venture=venture, user=person, name=person.name, email=person.email)
            for venture, person in zip(ventures, founders, strict=True)
        ],
        batch_size=BATCH,
    )
    return ventures


def _checkin(venture: Venture, n: int, i: int, month: datetime.date) -> CheckIn:
    day = next_month(month).replace(day=1 + (n + i) % 14)
    answered = datetime.datetime.combine(day, datetime.time(18), datetime.UTC)
    skipped = (n + i) % SKIP_EVERY == 0
    return CheckIn(
        venture=venture,
        month=month,
        status=CheckIn.Status.SKIPPED if skipped else CheckIn.Status.SUBMITTED,
        skip_reason="Closed for the holidays." if skipped else "",
        submitted_at=answered,
        updated_at=answered,
        late=answered.day > 10,
    )


def _answer(checkin: CheckIn, metric: Metric, n: int, i: int) -> CheckInAnswer:
    column, value = VALUES[metric.standard]
    currency = "MAD" if column == "amount" else ""
    number = value(n, i)
    return CheckInAnswer(checkin=checkin, metric=metric, typed=str(number), currency=currency, **{column: number})
