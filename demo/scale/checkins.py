"""The scale program's monthly check-ins for `seed_scale` (see demo/scale/__init__.py): an outcomes cohort of
`checkin_ventures` ventures, each with one founder in one of the program's regions, each answering every one of the
last `checkin_months` months (one in eleven skipped, one in seven late, some months a loss), in bulk, for the funder
report's outcomes and the cohort's outcomes page."""

import datetime
from decimal import Decimal

from cohorts.checkins import current_month, metric_set_create, next_month
from cohorts.models import CheckIn, CheckInAnswer, Cohort, Membership, Venture, VentureMember
from demo.scale import BATCH, Scale, people
from incubator.roles import PARTICIPANT

OUTCOMES_COHORT_SLUG = "scale-outcomes"


def _months(program, count: int) -> list[datetime.date]:
    month = current_month(program)
    months = []
    for _ in range(count):
        month = (month - datetime.timedelta(days=1)).replace(day=1)
        months.append(month)
    return sorted(months)


def _answers(checkin: CheckIn, metrics: dict, currency: str, n: int) -> list[CheckInAnswer]:
    revenue = Decimal((n * 37) % 9000 - 1500)  # now and then a loss
    return [
        CheckInAnswer(checkin=checkin, metric=metrics["clients"], count=n % 13),
        CheckInAnswer(checkin=checkin, metric=metrics["revenue"], amount=revenue, currency=currency),
        CheckInAnswer(checkin=checkin, metric=metrics["jobs"], fte=Decimal(n % 9) / 2),
        CheckInAnswer(checkin=checkin, metric=metrics["volunteers"], count=n % 3),
        CheckInAnswer(checkin=checkin, metric=metrics["funding"], amount=Decimal(n % 17 == 0) * 20000,
                      currency=currency),
    ]  # fmt: skip


def seed_checkins(scale: Scale) -> None:
    program, sizes = scale.program, scale.sizes
    metric_set = metric_set_create(program=program, currency="MAD", by=None)
    metrics = {metric.standard: metric for metric in metric_set.metrics.all()}
    months = _months(program, sizes.checkin_months)
    cohort = Cohort.objects.create(
        program=program, name="Outcomes cohort", slug=OUTCOMES_COHORT_SLUG, starts_on=months[0],
        ends_on=next_month(months[-1]) - datetime.timedelta(days=1), status=Cohort.Status.FINISHED,
    )  # fmt: skip
    ventures = Venture.objects.bulk_create(
        [Venture(cohort=cohort, name=f"Outcome venture {n:04d}") for n in range(sizes.checkin_ventures)],
        batch_size=BATCH,
    )
    _founders(scale, cohort, ventures)
    checkins, n = [], 0
    for venture in ventures:
        for month in months:
            n += 1
            answered = datetime.datetime.combine(next_month(month), datetime.time(9), datetime.UTC)
            skipped = n % 11 == 0
            checkins.append(
                CheckIn(venture=venture, month=month, status="skipped" if skipped else "submitted",
                        skip_reason="Closed this month" if skipped else "", late=n % 7 == 0,
                        submitted_at=answered + datetime.timedelta(days=15 if n % 7 == 0 else 2))
            )  # fmt: skip
    checkins = CheckIn.objects.bulk_create(checkins, batch_size=BATCH)
    CheckInAnswer.objects.bulk_create(
        [
            answer
            for i, checkin in enumerate(checkins)
            if checkin.status == CheckIn.Status.SUBMITTED
            for answer in _answers(checkin, metrics, metric_set.currency, i)
        ],
        batch_size=BATCH,
    )
    scale.say(f"check-ins: {len(ventures)} ventures × {len(months)} months")


def _founders(scale: Scale, cohort: Cohort, ventures: list[Venture]) -> None:
    """Each venture's founder, a member of the cohort in one of the regions in turn (a venture's region is its
    team's)."""
    founders = people(scale, "founder", len(ventures), role=PARTICIPANT)
    regions = scale.regions
    Membership.objects.bulk_create(
        [Membership(person=p, cohort=cohort, region=regions[n % len(regions)]) for n, p in enumerate(founders)],
        batch_size=BATCH,
    )
    VentureMember.objects.bulk_create(
        [
            VentureMember(venture=venture, user=person, name=person.name, email=person.email)
            for venture, person in zip(ventures, founders, strict=True)
        ],
        batch_size=BATCH,
    )
