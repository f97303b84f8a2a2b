"""The alumni survey's emails: the invitation at 09:00 in the program's zone a year after the cohort's end, and one
reminder 14 days after it while unanswered, each exactly once whatever the sweeps, in the member's language;
cohorts that ended more than two years ago are not surveyed."""

import datetime

import pytest
import time_machine
from celery.schedules import crontab
from django.conf import settings

from cohorts.alumni_reminders import INVITATION_KIND, REMINDER_KIND, alumni_survey_sweep
from cohorts.services import membership_status_change
from incubator.delivery import notification_send
from incubator.models import Notification
from tests.cohorts.alumni.conftest import OPENS, answer
from tests.factories import CohortFactory, UserFactory, accept

SITE = "https://portal.example.org"
HOUR = datetime.timedelta(hours=1)
FORTNIGHT = datetime.timedelta(days=14)


@pytest.fixture(autouse=True)
def site(settings):
    settings.SITE_URL = SITE


def sweep(capture, now) -> int:
    with time_machine.travel(now, tick=False), capture(execute=True):
        return alumni_survey_sweep()


def test_beat_sweeps_every_hour():
    entry = settings.CELERY_BEAT_SCHEDULE["cohorts-alumni-survey"]
    assert entry["task"] == "cohorts.tasks.cohorts_alumni_survey_sweep"
    assert entry["schedule"] == crontab(minute=10)


def test_each_member_is_invited_once_at_nine_in_the_programs_zone_in_their_language(
    cohort, membership, mailoutbox, django_capture_on_commit_callbacks
):
    arabic = accept(cohort, UserFactory(email="nadia@example.org", preferred_language="ar")).person
    mailoutbox.clear()
    assert sweep(django_capture_on_commit_callbacks, OPENS - HOUR) == 0  # 08:00 in Jerusalem
    assert sweep(django_capture_on_commit_callbacks, OPENS) == 2
    assert sweep(django_capture_on_commit_callbacks, OPENS + HOUR) == 0
    assert sweep(django_capture_on_commit_callbacks, OPENS + 3 * HOUR) == 0
    ledger = Notification.objects.filter(kind=INVITATION_KIND)
    assert sorted(ledger.values_list("recipient__email", flat=True)) == ["nadia@example.org", "salma@example.org"]
    assert {row.program_id for row in ledger} == {cohort.program_id}
    by_address = {message.to[0]: message for message in mailoutbox}
    assert len(mailoutbox) == 2
    french, arabic_mail = by_address["salma@example.org"], by_address[arabic.email]
    assert "un an après" in french.subject and "Kawalis 2" in french.subject
    assert f"{SITE}/fr/cohorts/kawalis-2/alumni-survey/" in french.body
    assert "بعد عام" in arabic_mail.subject and f"{SITE}/ar/cohorts/kawalis-2/alumni-survey/" in arabic_mail.body


def test_one_reminder_fourteen_days_after_the_invitation_while_unanswered(
    cohort, membership, mailoutbox, django_capture_on_commit_callbacks
):
    answered = accept(cohort, UserFactory()).person.memberships.get()
    assert sweep(django_capture_on_commit_callbacks, OPENS) == 2
    answer(answered)
    assert sweep(django_capture_on_commit_callbacks, OPENS + FORTNIGHT - HOUR) == 0
    mailoutbox.clear()
    assert sweep(django_capture_on_commit_callbacks, OPENS + FORTNIGHT) == 1
    assert sweep(django_capture_on_commit_callbacks, OPENS + FORTNIGHT + 2 * HOUR) == 0
    assert sweep(django_capture_on_commit_callbacks, OPENS + 3 * FORTNIGHT) == 0
    [reminder] = Notification.objects.filter(kind=REMINDER_KIND)
    assert reminder.object_id == membership.pk
    [message] = mailoutbox
    assert message.subject.startswith("Rappel")


def test_a_member_invited_late_is_not_reminded_at_once(
    cohort, membership, mailoutbox, django_capture_on_commit_callbacks
):
    """The sweep first runs two months after the survey opened (the first deploy): the invitation goes, and the
    reminder waits its fourteen days."""
    late = OPENS + datetime.timedelta(days=60)
    assert sweep(django_capture_on_commit_callbacks, late) == 1
    assert sweep(django_capture_on_commit_callbacks, late + HOUR) == 0
    assert not Notification.objects.filter(kind=REMINDER_KIND).exists()
    assert sweep(django_capture_on_commit_callbacks, late + FORTNIGHT) == 1


def test_an_answer_given_after_the_sweep_drops_the_email(cohort, membership, mailoutbox):
    with time_machine.travel(OPENS, tick=False):
        assert alumni_survey_sweep() == 1  # claimed, not yet sent
    answer(membership)
    mailoutbox.clear()
    notification_send(notification_id=Notification.objects.get(kind=INVITATION_KIND).pk)
    assert mailoutbox == []


def test_cohorts_that_ended_more_than_two_years_ago_are_not_surveyed(
    cohort, membership, django_capture_on_commit_callbacks
):
    old = CohortFactory(program=cohort.program, slug="kawalis-1", starts_on=datetime.date(2022, 10, 1),
                        ends_on=datetime.date(2023, 9, 30))  # fmt: skip
    accept(old, UserFactory())
    assert sweep(django_capture_on_commit_callbacks, OPENS) == 1  # kawalis-2's member alone
    assert not Notification.objects.filter(object_id__in=old.memberships.values("pk")).exists()
    # A year after the survey opened it closes: no reminder, no late invitation.
    newcomer = accept(cohort, UserFactory()).person
    assert sweep(django_capture_on_commit_callbacks, OPENS + datetime.timedelta(days=366)) == 0
    assert not Notification.objects.filter(recipient=newcomer).exists()


def test_withdrawn_and_paused_members_and_running_cohorts_are_not_surveyed(
    cohort, membership, django_capture_on_commit_callbacks
):
    withdrawn = accept(cohort, UserFactory()).person.memberships.get()
    membership_status_change(membership=withdrawn, status="withdrawn", reason="Moved abroad", by=None)
    paused = accept(cohort, UserFactory()).person.memberships.get()
    membership_status_change(membership=paused, status="paused", reason="Family", by=None)
    graduated = accept(cohort, UserFactory()).person.memberships.get()
    membership_status_change(membership=graduated, status="graduated", reason="", by=None)
    running = CohortFactory(program=cohort.program, slug="kawalis-3", ends_on=None)
    accept(running, UserFactory())
    assert sweep(django_capture_on_commit_callbacks, OPENS) == 2
    invited = set(Notification.objects.filter(kind=INVITATION_KIND).values_list("object_id", flat=True))
    assert invited == {membership.pk, graduated.pk}
