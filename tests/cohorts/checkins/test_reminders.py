"""Check-in reminders: on the 1st and the 5th at 08:00 in the program's zone, once a threshold for every member of
the venture's team, none once the month is submitted or skipped, in the member's language."""

import datetime

import pytest
import time_machine
from celery.schedules import crontab
from django.conf import settings

from cohorts.checkin_reminders import REMINDER_KIND, checkin_reminders_sweep, reminder_due
from cohorts.checkins import checkin_skip, checkin_submit
from cohorts.services import membership_status_change
from incubator.delivery import notification_send
from incubator.models import Notification
from tests.cohorts.checkins.conftest import FULL, NOVEMBER, answers

SITE = "https://portal.example.org"
# 08:00 in Jerusalem (UTC+2 in December) on the 1st and the 5th.
FIRST = datetime.datetime(2026, 12, 1, 6, 0, tzinfo=datetime.UTC)
FIFTH = datetime.datetime(2026, 12, 5, 6, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def site(settings):
    settings.SITE_URL = SITE


def sweep(capture, now) -> int:
    with time_machine.travel(now, tick=False), capture(execute=True):
        return checkin_reminders_sweep()


def reminders(mailoutbox):
    return [message for message in mailoutbox if "check-in" in message.subject or "דיווח" in message.subject]


def test_beat_sweeps_every_hour():
    entry = settings.CELERY_BEAT_SCHEDULE["cohorts-checkin-reminders"]
    assert entry["task"] == "cohorts.tasks.cohorts_checkin_reminders_sweep"
    assert entry["schedule"] == crontab(minute=5)


def test_the_thresholds_are_the_1st_and_the_5th_at_eight_in_the_programs_zone(cohort):
    program = cohort.program
    hour = datetime.timedelta(hours=1)
    assert reminder_due(program, FIRST - hour) is None  # 07:00 in Jerusalem
    assert reminder_due(program, FIRST) == (NOVEMBER, 1)
    assert reminder_due(program, FIFTH - hour) == (NOVEMBER, 1)
    assert reminder_due(program, FIFTH) == (NOVEMBER, 5)
    assert reminder_due(program, datetime.datetime(2026, 12, 10, 21, tzinfo=datetime.UTC)) == (NOVEMBER, 5)
    assert reminder_due(program, datetime.datetime(2026, 12, 10, 22, tzinfo=datetime.UTC)) is None  # the 11th
    program.time_zone = "Europe/Warsaw"  # 08:00 there is 07:00 UTC
    assert reminder_due(program, FIRST) is None
    assert reminder_due(program, FIRST + hour) == (NOVEMBER, 1)


def test_each_member_once_a_threshold_whatever_the_sweeps(
    venture, member, teammate, outsider_member, mailoutbox, django_capture_on_commit_callbacks
):
    mailoutbox.clear()
    assert sweep(django_capture_on_commit_callbacks, FIRST) == 3  # Mira and Sami, and Otto for his own venture
    assert sweep(django_capture_on_commit_callbacks, FIRST + datetime.timedelta(hours=3)) == 0
    assert sweep(django_capture_on_commit_callbacks, FIFTH) == 3
    assert sweep(django_capture_on_commit_callbacks, FIFTH + datetime.timedelta(hours=1)) == 0
    ledger = Notification.objects.filter(kind=REMINDER_KIND, object_id=venture.pk)
    assert sorted(ledger.values_list("recipient__email", "threshold")) == [
        ("mira@example.org", "2026-11:1"),
        ("mira@example.org", "2026-11:5"),
        ("sami@example.org", "2026-11:1"),
        ("sami@example.org", "2026-11:5"),
    ]
    assert len(reminders(mailoutbox)) == 6
    assert {row.program_id for row in ledger} == {venture.cohort.program_id}


def test_none_once_the_month_is_submitted_or_skipped(
    venture, member, outsider_member, metric_set, mailoutbox, django_capture_on_commit_callbacks
):
    assert sweep(django_capture_on_commit_callbacks, FIRST) == 2
    with time_machine.travel(FIRST + datetime.timedelta(days=1), tick=False):
        checkin_submit(venture=venture, month=NOVEMBER, typed=answers(metric_set, **FULL), currency="ILS", by=member)
        other = outsider_member.venture_memberships.get().venture
        checkin_skip(venture=other, month=NOVEMBER, reason="Exhibition month, no sales", by=outsider_member)
    assert sweep(django_capture_on_commit_callbacks, FIFTH) == 0


def test_a_draft_still_gets_the_reminder_and_a_month_answered_after_the_sweep_none(
    venture, member, metric_set, mailoutbox, django_capture_on_commit_callbacks
):
    with time_machine.travel(FIRST, tick=False):
        claimed = checkin_reminders_sweep()  # claimed, not yet sent
        checkin_submit(venture=venture, month=NOVEMBER, typed=answers(metric_set, **FULL), currency="ILS", by=member)
    assert claimed == 1
    mailoutbox.clear()
    notification_send(notification_id=Notification.objects.get(kind=REMINDER_KIND).pk)
    assert reminders(mailoutbox) == []


def test_the_email_is_in_the_members_language_and_links_the_months_form(
    venture, member, mailoutbox, django_capture_on_commit_callbacks
):
    member.preferred_language = "he"
    member.save(update_fields=["preferred_language"])
    mailoutbox.clear()
    sweep(django_capture_on_commit_callbacks, FIRST)
    [message] = mailoutbox
    assert message.to == ["mira@example.org"]
    assert "Mira Studio" in message.subject and "נובמבר 2026" in message.subject
    assert f"{SITE}/he/cohorts/{venture.cohort.slug}/ventures/{venture.pk}/checkins/2026/11/" in message.body


def test_members_who_left_the_cohort_and_cohorts_not_running_are_not_reminded(
    cohort, venture, member, teammate, django_capture_on_commit_callbacks
):
    membership_status_change(
        membership=teammate.memberships.get(cohort=cohort), status="withdrawn", reason="Moved abroad", by=None
    )
    cohort.starts_on = datetime.date(2026, 12, 1)
    cohort.save(update_fields=["starts_on"])
    assert sweep(django_capture_on_commit_callbacks, FIRST) == 0
    cohort.starts_on = datetime.date(2026, 3, 1)
    cohort.save(update_fields=["starts_on"])
    assert sweep(django_capture_on_commit_callbacks, FIRST) == 1
