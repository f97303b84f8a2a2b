"""The monthly check-in's state changes: a program's metric set, and a venture's draft, submission and skip.

A month's check-in is answered by the venture's team from the 1st of the next month. It is due by the end of the
10th of that next month in the program's time zone: an answer (submitted or skipped) from the 11th on is kept and
marked late. A draft keeps whatever was typed; the values are read and checked when it is submitted, and a
submitted or skipped month is final.
"""

import datetime
from zoneinfo import ZoneInfo

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from cohorts.checkin_values import read_answer
from cohorts.models import CheckIn, CheckInAnswer, Metric, MetricSet, Program, Venture, VentureMember
from incubator.audit import audit_record
from incubator.models import CURRENCY_CODES, User, WebhookEventName
from incubator.webhooks import webhook_event_emit

DUE_DAY = 10
NAME_LENGTH = Metric._meta.get_field("name").max_length
STANDARD_KINDS = {
    Metric.Standard.CLIENTS: Metric.Kind.COUNT,
    Metric.Standard.REVENUE: Metric.Kind.MONEY,
    Metric.Standard.JOBS: Metric.Kind.FTE,
    Metric.Standard.VOLUNTEERS: Metric.Kind.COUNT,
    Metric.Standard.FUNDING: Metric.Kind.MONEY,
    Metric.Standard.HIGHLIGHT: Metric.Kind.TEXT,
    Metric.Standard.BLOCKER: Metric.Kind.TEXT,
}
# What the answer columns hold when a draft is saved: only what was typed.
EMPTY_VALUES = {"count": None, "amount": None, "fte": None, "percentage": None, "yes_no": None, "text": ""}


def next_month(month: datetime.date) -> datetime.date:
    return (month.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)


def window_closes(month: datetime.date, time_zone: str) -> datetime.datetime:
    """The first instant at which an answer for `month` is late: the 11th of the next month, 00:00, in the zone."""
    after = next_month(month)
    return datetime.datetime(after.year, after.month, DUE_DAY + 1, tzinfo=ZoneInfo(str(time_zone)))


def current_month(program: Program, now: datetime.datetime | None = None) -> datetime.date:
    """The month in progress in the program's zone: check-ins are answered for the months before it."""
    return timezone.localtime(now or timezone.now(), ZoneInfo(str(program.time_zone))).date().replace(day=1)


def answerable(venture: Venture, month: datetime.date, now: datetime.datetime | None = None) -> bool:
    """A past month, from the month the venture's cohort started."""
    cohort = venture.cohort
    starts = cohort.starts_on.replace(day=1) if cohort.starts_on else None
    return month.day == 1 and month < current_month(cohort.program, now) and (starts is None or month >= starts)


def metric_set_create(*, program: Program, currency: str, by: User | None) -> MetricSet:
    """The program's metric set with the standard metrics, in the issue's order: check-ins are asked from now on."""
    if currency not in CURRENCY_CODES:
        raise ValidationError({"currency": _("Choose a currency from the list.")})
    with transaction.atomic():
        program = Program.objects.select_for_update().get(pk=program.pk)
        if MetricSet.objects.filter(program=program).exists():
            raise ValidationError(_("This program already asks monthly check-ins."))
        metric_set = MetricSet.objects.create(program=program, currency=currency)
        Metric.objects.bulk_create(
            Metric(metric_set=metric_set, standard=standard, kind=kind, position=position)
            for position, (standard, kind) in enumerate(STANDARD_KINDS.items())
        )
        audit_record(actor=by, action="metric_set.create", obj=metric_set, after={"currency": currency})
    return metric_set


def metric_name_check(metric_set: MetricSet, name: str, exclude: Metric | None = None) -> str:
    """The name stripped, if it fits and no other metric of the set has it (in any case)."""
    name = name.strip()
    if len(name) > NAME_LENGTH:
        raise ValidationError({"name": _("Keep the name to %(count)s characters.") % {"count": NAME_LENGTH}})
    others = metric_set.metrics.filter(name__iexact=name).exclude(pk=exclude.pk if exclude else None)
    if not name or others.exists():
        raise ValidationError({"name": _("Give the metric a name no other metric of the program has.")})
    return name


def metric_add(*, metric_set: MetricSet, name: str, kind: str, by: User | None) -> Metric:
    """A metric of the program's own, asked after the others."""
    if kind not in Metric.Kind.values or kind == Metric.Kind.FTE:
        raise ValidationError({"kind": _("Choose a count, an amount of money, a percentage, yes or no, or text.")})
    with transaction.atomic():
        metric_set = MetricSet.objects.select_for_update().get(pk=metric_set.pk)
        name = metric_name_check(metric_set, name)
        last = metric_set.metrics.order_by("-position").values_list("position", flat=True).first()
        metric = Metric.objects.create(metric_set=metric_set, name=name, kind=kind, position=(last or 0) + 1)
        audit_record(actor=by, action="metric.add", obj=metric_set, after={"name": name, "kind": kind})
    return metric


def asked_metrics(metric_set: MetricSet) -> list[Metric]:
    """The metrics a check-in asks now, in order: the retired ones are no longer asked."""
    return list(metric_set.metrics.filter(retired=False))


def _team_checkin(venture: Venture, month: datetime.date, by: User) -> CheckIn:
    """The month's check-in, locked (created as a draft if new); only the venture's team writes it."""
    venture = (
        Venture.objects.select_for_update(of=("self",)).select_related("cohort__program__metric_set").get(pk=venture.pk)
    )
    if not VentureMember.objects.filter(venture=venture, user=by).exists():
        raise PermissionDenied
    if getattr(venture.cohort.program, "metric_set", None) is None:
        raise ValidationError(_("This program does not ask for monthly check-ins."))
    if not answerable(venture, month):
        raise ValidationError(_("Check-ins are answered for past months of the cohort only."))
    checkin, _created = CheckIn.objects.get_or_create(venture=venture, month=month)
    checkin = (
        CheckIn.objects.select_for_update(of=("self",)).select_related("venture__cohort__program").get(pk=checkin.pk)
    )
    if checkin.status != CheckIn.Status.DRAFT:
        raise ValidationError(_("This month's check-in was already sent; it can no longer be changed."))
    return checkin


def _store_typed(checkin: CheckIn, metrics: list[Metric], typed: dict[int, str], currency: str) -> None:
    CheckInAnswer.objects.bulk_create(
        [
            CheckInAnswer(
                checkin=checkin, metric=metric, typed=typed.get(metric.pk, ""), currency=currency[:3], **EMPTY_VALUES
            )
            for metric in metrics
        ],
        update_conflicts=True,
        unique_fields=["checkin", "metric"],
        update_fields=["typed", "currency", *EMPTY_VALUES],
    )
    checkin.updated_at = timezone.now()
    checkin.save(update_fields=["updated_at"])


def checkin_save_draft(*, venture: Venture, month: datetime.date, typed: dict[int, str], currency: str, by: User):
    """Keep what was typed, valid or not."""
    with transaction.atomic():
        checkin = _team_checkin(venture, month, by)
        metrics = asked_metrics(checkin.venture.cohort.program.metric_set)
        _store_typed(checkin, metrics, typed, currency)
        audit_record(actor=by, action="checkin.draft_save", obj=checkin.venture, after={"month": month.isoformat()})
    return checkin


def _answered(checkin: CheckIn, status: str, by: User) -> None:
    now = timezone.now()
    checkin.status = status
    checkin.submitted_at = now
    checkin.submitted_by = by
    checkin.late = now >= window_closes(checkin.month, checkin.venture.cohort.program.time_zone)
    checkin.save(update_fields=["status", "submitted_at", "submitted_by", "late", "skip_reason"])


def checkin_submit(
    *, venture: Venture, month: datetime.date, typed: dict[int, str], currency: str, by: User, language: str = ""
) -> CheckIn:
    """Keep what was typed, then send it if every answer reads; otherwise a ValidationError keyed by metric id,
    the typed answers kept as a draft. Amounts in a currency other than the program's are refused."""
    language = language or translation.get_language() or "en"
    errors = {}
    with transaction.atomic():
        checkin = _team_checkin(venture, month, by)
        metric_set = checkin.venture.cohort.program.metric_set
        metrics = asked_metrics(metric_set)
        _store_typed(checkin, metrics, typed, currency)
        values = {}
        for metric in metrics:
            try:
                values[metric.pk] = read_answer(
                    metric, typed.get(metric.pk, ""), language=language, currency=currency,
                    expected_currency=metric_set.currency,
                )  # fmt: skip
            except ValidationError as error:
                errors[metric.pk] = error.messages
        if not errors:
            # A draft's answer to a metric retired since is not part of what is sent.
            checkin.answers.exclude(metric_id__in=values).delete()
            for answer in checkin.answers.all():
                CheckInAnswer.objects.filter(pk=answer.pk).update(**values[answer.metric_id])
            _answered(checkin, CheckIn.Status.SUBMITTED, by)
            audit_record(actor=by, action="checkin.submit", obj=checkin.venture, after=_summary(checkin))
            _submitted_emit(checkin)
    if errors:
        raise ValidationError(errors)
    return checkin


def checkin_skip(*, venture: Venture, month: datetime.date, reason: str, by: User) -> CheckIn:
    """Nothing to report this month, and why."""
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say why this month is skipped.")})
    with transaction.atomic():
        checkin = _team_checkin(venture, month, by)
        checkin.skip_reason = reason
        _answered(checkin, CheckIn.Status.SKIPPED, by)
        audit_record(actor=by, action="checkin.skip", obj=checkin.venture, after=_summary(checkin), note=reason)
    return checkin


def _submitted_emit(checkin: CheckIn) -> None:
    """The `checkin.submitted` webhook event, in the transaction that sent the check-in: ids and codes only."""
    webhook_event_emit(
        program_id=checkin.venture.cohort.program_id,
        event=WebhookEventName.CHECKIN_SUBMITTED,
        data={
            "checkin": checkin.pk,
            "venture": checkin.venture_id,
            "cohort": checkin.venture.cohort_id,
            "month": checkin.month.strftime("%Y-%m"),
            "late": checkin.late,
        },
    )


def _summary(checkin: CheckIn) -> dict:
    return {"month": checkin.month.isoformat(), "status": checkin.status, "late": checkin.late}
