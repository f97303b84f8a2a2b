"""The check-in's services: a draft keeps what was typed, sending reads and checks each answer, a skip says why,
an answer after the 10th of the next month is late, and only the venture's team writes."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from cohorts.checkins import (
    checkin_save_draft,
    checkin_skip,
    checkin_submit,
    metric_add,
    window_closes,
)
from cohorts.models import CheckIn, CheckInAnswer, Metric
from tests.audit_trail import actions
from tests.cohorts.checkins.conftest import FULL, NOVEMBER, answers, metric
from tests.factories import UserFactory, accept


def submit(venture, metric_set, by, language="en", currency="ILS", **typed):
    return checkin_submit(
        venture=venture, month=NOVEMBER, typed=answers(metric_set, **typed), currency=currency, by=by,
        language=language,
    )  # fmt: skip


def test_the_standard_metrics_in_their_order(metric_set):
    assert [(m.standard, m.kind) for m in metric_set.metrics.all()] == [
        ("clients", "count"),
        ("revenue", "money"),
        ("jobs", "fte"),
        ("volunteers", "count"),
        ("funding", "money"),
        ("highlight", "text"),
        ("blocker", "text"),
    ]


def test_a_draft_keeps_what_was_typed_valid_or_not(clock, venture, member, metric_set):
    typed = answers(metric_set, clients="a few", revenue="12,5,0", highlight="  spaced  ")
    checkin = checkin_save_draft(venture=venture, month=NOVEMBER, typed=typed, currency="ILS", by=member)
    stored = {answer.metric.standard: answer for answer in checkin.answers.select_related("metric")}
    assert stored["clients"].typed == "a few" and stored["clients"].count is None
    assert stored["revenue"].typed == "12,5,0"
    assert stored["highlight"].typed == "  spaced  "
    assert checkin.status == CheckIn.Status.DRAFT
    [entry] = actions(action="checkin.draft_save")
    assert entry.actor == member and entry.after == {"month": "2026-11-01"}


def test_a_failed_submit_refuses_each_answer_beside_its_metric_and_keeps_the_draft(clock, venture, member, metric_set):
    with pytest.raises(ValidationError) as refused:
        submit(venture, metric_set, member, **{**FULL, "clients": "-2", "jobs": "lots", "volunteers": ""})
    errors = refused.value.message_dict
    assert set(errors) == {metric(metric_set, name).pk for name in ("clients", "jobs", "volunteers")}
    assert errors[metric(metric_set, "clients").pk] == ["Enter a whole number, 0 or more."]
    checkin = CheckIn.objects.get(venture=venture, month=NOVEMBER)
    assert checkin.status == CheckIn.Status.DRAFT
    assert checkin.answers.get(metric__standard="jobs").typed == "lots"


def test_a_loss_is_a_negative_revenue(clock, venture, member, metric_set):
    checkin = submit(venture, metric_set, member, **{**FULL, "revenue": "-3200.50"})
    revenue = checkin.answers.get(metric__standard="revenue")
    assert revenue.amount == Decimal("-3200.50") and revenue.currency == "ILS"
    assert checkin.status == CheckIn.Status.SUBMITTED and checkin.submitted_by == member and not checkin.late


@pytest.mark.parametrize(
    ("language", "revenue", "jobs", "expected"),
    [
        ("en", "12,500.50", "1.5", Decimal("12500.50")),
        ("fr", "12 500,50", "1,5", Decimal("12500.50")),
        ("pl", "12 500,50", "1,5", Decimal("12500.50")),
        ("he", "‎-12,500.50", "1.5", Decimal("-12500.50")),
        ("ar", "١٢٥٠٠٫٥٠", "١٫٥", Decimal("12500.50")),
        ("fr", "12500.5", "1.5", Decimal("12500.50")),
    ],
)
def test_numbers_are_read_in_the_language_they_were_typed_in(
    clock, venture, member, metric_set, language, revenue, jobs, expected
):
    checkin = submit(venture, metric_set, member, language=language, **{**FULL, "revenue": revenue, "jobs": jobs})
    assert checkin.answers.get(metric__standard="revenue").amount == expected
    assert checkin.answers.get(metric__standard="jobs").fte == Decimal("1.5")


def test_an_amount_in_another_currency_is_refused(clock, venture, member, metric_set):
    with pytest.raises(ValidationError) as refused:
        submit(venture, metric_set, member, currency="USD", **FULL)
    messages = refused.value.message_dict
    assert set(messages) == {metric(metric_set, "revenue").pk, metric(metric_set, "funding").pk}
    assert messages[metric(metric_set, "revenue").pk] == ["Amounts are reported in ILS, not USD."]
    assert CheckIn.objects.get().status == CheckIn.Status.DRAFT


def test_the_managers_own_metrics_are_typed(clock, venture, member, metric_set):
    share = metric_add(metric_set=metric_set, name="Share of sales online", kind="percentage", by=None)
    exported = metric_add(metric_set=metric_set, name="Sold abroad", kind="yes_no", by=None)
    with pytest.raises(ValidationError) as refused:
        checkin_submit(
            venture=venture, month=NOVEMBER, currency="ILS", by=member,
            typed={**answers(metric_set, **FULL), share.pk: "140", exported.pk: "maybe"},
        )  # fmt: skip
    assert set(refused.value.message_dict) == {share.pk, exported.pk}
    checkin = checkin_submit(
        venture=venture, month=NOVEMBER, currency="ILS", by=member,
        typed={**answers(metric_set, **FULL), share.pk: "35.5", exported.pk: "yes"},
    )  # fmt: skip
    assert checkin.answers.get(metric=share).percentage == Decimal("35.5")
    assert checkin.answers.get(metric=exported).yes_no is True


def test_a_metric_name_is_given_once(metric_set):
    metric_add(metric_set=metric_set, name="Exhibitions", kind="count", by=None)
    with pytest.raises(ValidationError):
        metric_add(metric_set=metric_set, name="exhibitions", kind="count", by=None)
    with pytest.raises(ValidationError):
        metric_add(metric_set=metric_set, name="Hours", kind="fte", by=None)


def test_an_answer_after_the_tenth_of_the_next_month_is_late(venture, member, metric_set):
    closes = window_closes(NOVEMBER, "Asia/Jerusalem")
    assert closes == datetime.datetime(2026, 12, 10, 22, 0, tzinfo=datetime.UTC)  # 11 Dec, 00:00 in Jerusalem
    with time_machine.travel(closes - datetime.timedelta(seconds=1), tick=False):
        assert not submit(venture, metric_set, member, **FULL).late
    october = datetime.date(2026, 10, 1)
    with time_machine.travel(closes, tick=False):
        late = checkin_skip(venture=venture, month=october, reason="We moved studios", by=member)
    assert late.late and late.status == CheckIn.Status.SKIPPED


def test_a_skip_says_why_and_is_final(clock, venture, member, metric_set):
    with pytest.raises(ValidationError):
        checkin_skip(venture=venture, month=NOVEMBER, reason="   ", by=member)
    checkin = checkin_skip(venture=venture, month=NOVEMBER, reason="Closed for the holidays", by=member)
    assert checkin.skip_reason == "Closed for the holidays" and checkin.submitted_at is not None
    [entry] = actions(action="checkin.skip")
    assert entry.note == "Closed for the holidays" and entry.program == venture.cohort.program_id
    with pytest.raises(ValidationError):
        submit(venture, metric_set, member, **FULL)
    with pytest.raises(ValidationError):
        checkin_save_draft(venture=venture, month=NOVEMBER, typed={}, currency="ILS", by=member)


def test_only_the_ventures_team_writes_its_checkin(clock, venture, teammate, outsider_member, manager, metric_set):
    assert submit(venture, metric_set, teammate, **FULL).submitted_by == teammate
    for person in (outsider_member, manager):
        with pytest.raises(PermissionDenied):
            checkin_save_draft(venture=venture, month=NOVEMBER, typed={}, currency="ILS", by=person)


@pytest.mark.parametrize("month", [datetime.date(2026, 12, 1), datetime.date(2026, 2, 1), datetime.date(2027, 1, 1)])
def test_only_past_months_of_the_cohort_are_answered(clock, venture, member, month):
    with pytest.raises(ValidationError):
        checkin_save_draft(venture=venture, month=month, typed={}, currency="ILS", by=member)
    assert not CheckIn.objects.exists()


@pytest.mark.parametrize(
    ("column", "value"),
    [("count", -1), ("fte", Decimal("-0.5")), ("percentage", Decimal("100.01")), ("percentage", Decimal("-1"))],
)
def test_the_database_refuses_impossible_values(clock, venture, member, metric_set, column, value):
    checkin = checkin_save_draft(venture=venture, month=NOVEMBER, typed={}, currency="ILS", by=member)
    answer = checkin.answers.first()
    with pytest.raises(IntegrityError), transaction.atomic():
        CheckInAnswer.objects.filter(pk=answer.pk).update(**{column: value})


def test_one_checkin_a_venture_and_month_on_the_first_day(clock, venture, member):
    CheckIn.objects.create(venture=venture, month=NOVEMBER)
    with pytest.raises(IntegrityError), transaction.atomic():
        CheckIn.objects.create(venture=venture, month=NOVEMBER)
    with pytest.raises(IntegrityError), transaction.atomic():
        CheckIn.objects.create(venture=venture, month=datetime.date(2026, 10, 2))


def test_standard_metric_names_are_translated(metric_set):
    with translation.override("fr"):
        assert metric(metric_set, "revenue").label != "Revenue"
    assert metric(metric_set, "revenue").kind == Metric.Kind.MONEY


@pytest.mark.parametrize(
    "odd", ["1E999999", "NaN", "Infinity", "-Infinity", "9" * 20, "9999-12-31", "\u202eevil", "1.005"]
)
def test_odd_numbers_are_refused_beside_their_field(clock, venture, member, metric_set, odd):
    with pytest.raises(ValidationError) as refused:
        submit(venture, metric_set, member, **{**FULL, "revenue": odd, "jobs": odd, "clients": odd})
    assert set(refused.value.message_dict) == {metric(metric_set, name).pk for name in ("clients", "revenue", "jobs")}
    assert CheckIn.objects.get().answers.get(metric__standard="revenue").typed == odd


def test_a_program_asking_no_checkins_refuses_them(clock, cohort):
    person = accept(cohort, UserFactory(), venture_name="Quiet Studio").person
    venture = person.venture_memberships.get().venture
    with pytest.raises(ValidationError):
        checkin_save_draft(venture=venture, month=NOVEMBER, typed={}, currency="ILS", by=person)
    assert not CheckIn.objects.exists()
