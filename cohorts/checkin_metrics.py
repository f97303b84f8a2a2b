"""A program's managers change the metrics of its monthly check-in: rename, reorder, retire, ask again, delete a
metric of their own, and change the currency. Each service locks the metric set, checks, and audits.

The standard metrics are the portal's (named in the reader's language, counted across programs): they move but are
never renamed, retired or deleted. A metric someone answered is never deleted (its answers PROTECT it): it is
retired instead, no longer asked, its answers kept and shown in the history. The currency changes only while no
amount was sent in it, since the amounts already sent would silently change their meaning."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from cohorts.checkins import metric_name_check
from cohorts.models import CheckInAnswer, Metric, MetricSet
from incubator.audit import audit_record
from incubator.models import CURRENCY_CODES, User


def _locked(metric: Metric) -> tuple[MetricSet, Metric]:
    metric_set = MetricSet.objects.select_for_update().get(pk=metric.metric_set_id)
    return metric_set, Metric.objects.get(pk=metric.pk, metric_set=metric_set)


def _own(metric: Metric) -> None:
    if metric.standard:
        raise ValidationError(_("Standard metrics cannot be renamed, retired or deleted."))


def metric_rename(*, metric: Metric, name: str, by: User | None) -> Metric:
    with transaction.atomic():
        metric_set, metric = _locked(metric)
        _own(metric)
        name = metric_name_check(metric_set, name, exclude=metric)
        before = metric.name
        metric.name = name
        metric.save(update_fields=["name"])
        audit_record(actor=by, action="metric.rename", obj=metric_set, before={"name": before}, after={"name": name})
    return metric


def metric_move(*, metric: Metric, up: bool, by: User | None) -> None:
    """One place up or down among the metrics asked (the retired ones keep their places after them)."""
    with transaction.atomic():
        metric_set, metric = _locked(metric)
        asked = list(metric_set.metrics.filter(retired=False))
        index = next((i for i, other in enumerate(asked) if other.pk == metric.pk), None)
        if index is None:
            raise ValidationError(_("A retired metric is not asked: ask it again to move it."))
        other = index - 1 if up else index + 1
        if not 0 <= other < len(asked):
            return
        asked[index], asked[other] = asked[other], asked[index]
        ordered = asked + list(metric_set.metrics.filter(retired=True))
        for position, each in enumerate(ordered):
            each.position = position
        Metric.objects.bulk_update(ordered, ["position"])
        audit_record(
            actor=by, action="metric.move", obj=metric_set, after={"metric": metric.pk, "position": asked.index(metric)}
        )


def _set_retired(metric: Metric, retired: bool, by: User | None) -> Metric:
    with transaction.atomic():
        metric_set, metric = _locked(metric)
        _own(metric)
        if metric.retired != retired:
            metric.retired = retired
            if not retired:  # asked again: last, after the metrics asked now
                last = metric_set.metrics.filter(retired=False).order_by("-position").first()
                metric.position = (last.position + 1) if last else 0
            metric.save(update_fields=["retired", "position"])
            action = "metric.retire" if retired else "metric.ask_again"
            audit_record(actor=by, action=action, obj=metric_set, after={"metric": metric.pk, "name": metric.name})
    return metric


def metric_retire(*, metric: Metric, by: User | None) -> Metric:
    """No longer asked from now on; its answers stay."""
    return _set_retired(metric, True, by)


def metric_ask_again(*, metric: Metric, by: User | None) -> Metric:
    return _set_retired(metric, False, by)


def metric_delete(*, metric: Metric, by: User | None) -> None:
    """Only a metric nobody answered, not even in a draft."""
    with transaction.atomic():
        metric_set, metric = _locked(metric)
        _own(metric)
        if CheckInAnswer.objects.filter(metric=metric).exists():
            raise ValidationError(
                _(
                    "This metric has answers in check-ins, so it cannot be deleted: retire it instead. It will no "
                    "longer be asked, and its answers stay in the ventures' history."
                )
            )
        audit_record(
            actor=by, action="metric.delete", obj=metric_set, before={"metric": metric.pk, "name": metric.name}
        )
        metric.delete()


def metric_set_currency_change(*, metric_set: MetricSet, currency: str, by: User | None) -> MetricSet:
    if currency not in CURRENCY_CODES:
        raise ValidationError({"currency": _("Choose a currency from the list.")})
    with transaction.atomic():
        metric_set = MetricSet.objects.select_for_update().get(pk=metric_set.pk)
        if currency == metric_set.currency:
            return metric_set
        if CheckInAnswer.objects.filter(metric__metric_set=metric_set, amount__isnull=False).exists():
            raise ValidationError(
                {
                    "currency": _(
                        "Ventures have already sent amounts in %(currency)s: changing the currency would change "
                        "what those amounts mean, so it stays %(currency)s."
                    )
                    % {"currency": metric_set.currency}
                }
            )
        before = metric_set.currency
        metric_set.currency = currency
        metric_set.save(update_fields=["currency"])
        audit_record(
            actor=by,
            action="metric_set.currency",
            obj=metric_set,
            before={"currency": before},
            after={"currency": currency},
        )
    return metric_set
