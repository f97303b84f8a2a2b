"""A person's check-ins in their data: the months they sent or skipped for their venture, with what they answered,
are in their download; when they erase their account, the check-ins stay the venture's, without who sent them."""

import io
import json
import zipfile

from django.test import TestCase

from cohorts.checkins import checkin_skip, checkin_submit, metric_add
from cohorts.models import CheckIn
from incubator.personal_data import account_erase, personal_data_export
from tests.cohorts.checkins.conftest import FULL, NOVEMBER, answers

OCTOBER = NOVEMBER.replace(month=10)


def data_of(person) -> dict:
    with zipfile.ZipFile(io.BytesIO(personal_data_export(user=person))) as archive:
        return json.loads(archive.read("data.json"))


def sent(metric_set, venture, member, teammate):
    own = metric_add(metric_set=metric_set, name="Quotes sent", kind="count", by=None)
    typed = {**answers(metric_set, **FULL), own.pk: "7"}
    checkin_submit(venture=venture, month=OCTOBER, typed=typed, currency="ILS", by=member)
    checkin_skip(venture=venture, month=NOVEMBER, reason="Closed for the holidays", by=teammate)


def test_the_download_holds_the_check_ins_the_person_sent(clock, metric_set, venture, member, teammate):
    sent(metric_set, venture, member, teammate)
    [october] = data_of(member)["cohorts"]["checkins_sent"]
    assert (october["month"], october["venture"], october["status"], october["late"]) == (
        "2026-10",
        "Mira Studio",
        "submitted",
        True,  # sent on 3 December: late
    )
    answered = {row["metric"]: row["answer"] for row in october["answers"]}
    assert answered["Revenue"] == "12500" and answered["Quotes sent"] == "7"
    [november] = data_of(teammate)["cohorts"]["checkins_sent"]
    assert (november["status"], november["skip_reason"], november["answers"]) == (
        "skipped",
        "Closed for the holidays",
        [],
    )


def test_someone_else_s_download_holds_none(clock, metric_set, venture, member, teammate, outsider_member, manager):
    sent(metric_set, venture, member, teammate)
    assert data_of(outsider_member)["cohorts"]["checkins_sent"] == []
    assert data_of(manager)["cohorts"]["checkins_sent"] == []


def test_erasure_keeps_the_venture_s_answers_without_who_sent_them(clock, metric_set, venture, member, teammate):
    sent(metric_set, venture, member, teammate)
    with TestCase.captureOnCommitCallbacks(execute=True):
        account_erase(user=member, by=member)
    october = CheckIn.objects.get(venture=venture, month=OCTOBER)
    assert october.submitted_by is None and october.status == "submitted"
    assert october.answers.get(metric__standard="revenue").amount == 12500
    assert october.answers.count() == 8
    # The teammate's skip is theirs, untouched.
    assert CheckIn.objects.get(venture=venture, month=NOVEMBER).submitted_by == teammate
