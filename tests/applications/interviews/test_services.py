"""The interview services: the shortlist and its invitations, booking and rescheduling with every refusal, the race
for one slot, and what managers record."""

import datetime
import threading
from unittest import mock

import pytest
from django.core import mail
from django.db import connection

from applications.interviews import services
from applications.interviews.models import Interview
from applications.interviews.services import (
    InterviewError,
    interview_book,
    interview_record,
    interviews_shortlist,
)
from tests.applications.interviews.conftest import NOW
from tests.applications.interviews.factories import applicants, plan, shortlisted

UTC = datetime.UTC
# Tuesday 8 December 2026, 10:00 in Casablanca (UTC+1): a free slot of the panel.
TUESDAY_10 = datetime.datetime(2026, 12, 8, 9, 0, tzinfo=UTC)


def test_shortlisting_invites_each_applicant_once_in_their_language(call, maya, django_capture_on_commit_callbacks):
    plan(call, maya)
    french, polish = applicants(call, 1, language="fr", prefix="Fatima") + applicants(
        call, 1, language="pl", prefix="Piotr"
    )
    with django_capture_on_commit_callbacks(execute=True):
        created = interviews_shortlist(call=call, applications=[french, polish], by=maya)
    assert {interview.status for interview in created} == {"invited"}
    by_address = {message.to[0]: message for message in mail.outbox}
    assert "Choisissez" in by_address[french.applicant.email].subject
    assert f"/fr/interview/{created[0].token}/" in by_address[french.applicant.email].body
    assert "/pl/interview/" in by_address[polish.applicant.email].body
    with django_capture_on_commit_callbacks(execute=True):
        assert interviews_shortlist(call=call, applications=[french], by=maya) == []  # already shortlisted
    assert len(mail.outbox) == 2
    assert len({interview.token for interview in Interview.objects.all()}) == 2


def test_shortlisting_needs_a_plan_and_the_calls_own_submitted_applications(call, maya):
    (application,) = applicants(call, 1)
    with pytest.raises(InterviewError, match="Set up the interview plan"):
        interviews_shortlist(call=call, applications=[application], by=maya)
    plan(call, maya)
    from tests.applications.interviews.factories import interview_call

    stranger = applicants(interview_call(slug="other-call"), 1, prefix="Stranger")[0]
    with pytest.raises(InterviewError, match="submitted applications"):
        interviews_shortlist(call=call, applications=[application, stranger], by=maya)
    assert not Interview.objects.exists()


def test_booking_takes_a_free_slot_and_confirms_with_a_calendar_invitation(
    call, maya, django_capture_on_commit_callbacks
):
    (interview,) = shortlisted(call, maya)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        booked = interview_book(interview=interview, starts_at=TUESDAY_10, by=interview.application.applicant)
    assert booked.status == "booked"
    assert booked.period.lower == TUESDAY_10
    assert booked.period.upper == TUESDAY_10 + datetime.timedelta(minutes=30)
    (message,) = mail.outbox
    assert "Votre entretien est réservé" in message.subject
    assert "10:00" in message.body and "Europe/Paris" in message.body
    filename, content, mimetype = message.attachments[0]
    assert mimetype.startswith("text/calendar; method=REQUEST")
    assert "DTSTART:20261208T090000Z" in (content.decode() if isinstance(content, bytes) else content)


@pytest.mark.parametrize(
    ("starts_at", "reason"),
    [
        (NOW - datetime.timedelta(hours=1), "already passed"),
        (datetime.datetime(2026, 12, 7, 11, 0, tzinfo=UTC), "too soon"),
        (datetime.datetime(2027, 1, 12, 9, 0, tzinfo=UTC), "too far ahead"),
        (datetime.datetime(2026, 12, 8, 9, 10, tzinfo=UTC), "not one of the available slots"),
        (datetime.datetime(2026, 12, 12, 9, 0, tzinfo=UTC), "not one of the available slots"),
    ],
)
def test_a_slot_that_was_never_free_is_refused_with_the_reason(call, maya, starts_at, reason):
    (interview,) = shortlisted(call, maya)
    with pytest.raises(InterviewError, match=reason) as refused:
        interview_book(interview=interview, starts_at=starts_at, by=interview.application.applicant)
    assert not refused.value.taken
    interview.refresh_from_db()
    assert interview.status == "invited" and interview.period is None


def test_a_slot_booked_by_another_applicant_is_just_taken(call, maya):
    first, second = shortlisted(call, maya, count=2)
    interview_book(interview=first, starts_at=TUESDAY_10, by=first.application.applicant)
    with pytest.raises(InterviewError, match="just been taken") as refused:
        interview_book(interview=second, starts_at=TUESDAY_10, by=second.application.applicant)
    assert refused.value.taken


def test_the_race_for_one_slot_is_settled_by_the_database_and_reads_as_just_taken(call, maya):
    """Two bookings that both read the slot as free (neither saw the other's uncommitted booking): the exclusion
    constraint lets one in, and the loser's IntegrityError becomes the "just taken" refusal."""
    first, second = shortlisted(call, maya, count=2)
    interview_book(interview=first, starts_at=TUESDAY_10, by=first.application.applicant)
    with mock.patch.object(services, "busy_periods", return_value=[]), pytest.raises(InterviewError) as refused:
        interview_book(interview=second, starts_at=TUESDAY_10, by=second.application.applicant)
    assert refused.value.taken
    assert "just been taken" in refused.value.message
    assert list(Interview.objects.filter(status="booked").values_list("pk", flat=True)) == [first.pk]


def test_only_the_applicant_books(call, maya):
    (interview,) = shortlisted(call, maya)
    with pytest.raises(InterviewError, match="Only the applicant"):
        interview_book(interview=interview, starts_at=TUESDAY_10, by=maya)


def test_rescheduling_frees_the_old_slot_counts_and_stops_at_the_cancel_window(
    call, maya, django_capture_on_commit_callbacks, time_machine
):
    first, second = shortlisted(call, maya, count=2)
    applicant = first.application.applicant
    interview_book(interview=first, starts_at=TUESDAY_10, by=applicant)
    later = TUESDAY_10 + datetime.timedelta(days=1)
    with django_capture_on_commit_callbacks(execute=True):
        moved = interview_book(interview=first, starts_at=later, by=applicant)
    assert moved.reschedules == 1 and moved.period.lower == later
    assert "nouvel horaire" in mail.outbox[-1].subject
    # The old slot is free again for the others.
    interview_book(interview=second, starts_at=TUESDAY_10, by=second.application.applicant)
    # The same booking sent twice changes nothing.
    assert interview_book(interview=first, starts_at=later, by=applicant).reschedules == 1
    time_machine.move_to(later - datetime.timedelta(hours=23))  # inside the 24-hour cancel window
    with pytest.raises(InterviewError, match="too late"):
        interview_book(interview=first, starts_at=later + datetime.timedelta(days=1), by=applicant)


def test_managers_record_held_and_no_show_once_the_time_has_come_and_cancel_any_time(
    call, maya, django_capture_on_commit_callbacks, time_machine
):
    booked, invited = shortlisted(call, maya, count=2)
    interview_book(interview=booked, starts_at=TUESDAY_10, by=booked.application.applicant)
    with pytest.raises(InterviewError, match="once its time has come"):
        interview_record(interview=booked, outcome="no_show", by=maya)
    with pytest.raises(InterviewError, match="cannot be recorded"):
        interview_record(interview=invited, outcome="held", by=maya)
    time_machine.move_to(TUESDAY_10 + datetime.timedelta(minutes=40))
    assert interview_record(interview=booked, outcome="no_show", by=maya).no_show_at is not None
    assert interview_record(interview=booked, outcome="held", by=maya).status == "held"  # a correction
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        cancelled = interview_record(interview=invited, outcome="cancelled", by=maya)
    assert cancelled.status == "cancelled"
    (message,) = mail.outbox
    assert "annulé" in message.subject
    with pytest.raises(InterviewError):
        interview_book(
            interview=invited, starts_at=TUESDAY_10 + datetime.timedelta(days=1), by=invited.application.applicant
        )


def test_cancelling_a_booked_interview_frees_its_slot_and_sends_a_calendar_cancellation(
    call, maya, django_capture_on_commit_callbacks
):
    first, second = shortlisted(call, maya, count=2)
    interview_book(interview=first, starts_at=TUESDAY_10, by=first.application.applicant)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        interview_record(interview=first, outcome="cancelled", by=maya)
    assert mail.outbox[0].attachments[0][2].startswith("text/calendar; method=CANCEL")
    interview_book(interview=second, starts_at=TUESDAY_10, by=second.application.applicant)


def test_the_final_ranking_reads_each_shortlisted_applications_interview(call, maya, django_assert_num_queries):
    from applications.interviews.selectors import interviews_for_call

    interviews = shortlisted(call, maya, count=3)
    with django_assert_num_queries(1):
        found = interviews_for_call(call)
    assert {pk: interview.status for pk, interview in found.items()} == {
        interview.application_id: "invited" for interview in interviews
    }


@pytest.mark.django_db(transaction=True)
def test_two_applicants_booking_one_slot_at_once_one_wins_the_other_hears_just_taken(call, maya):
    """Two requests in two connections, released together: whichever commits first wins; the other is refused as
    "just taken" (by the busy check if it read after the commit, by the exclusion constraint if it read before)."""
    interviews = shortlisted(call, maya, count=2)
    barrier, outcomes = threading.Barrier(2), []

    def attempt(interview):
        try:
            barrier.wait(timeout=30)
            interview_book(interview=interview, starts_at=TUESDAY_10, by=interview.application.applicant)
            outcomes.append("booked")
        except InterviewError as error:
            outcomes.append("taken" if error.taken else error.message)
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt, args=(interview,)) for interview in interviews]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["booked", "taken"]
    assert Interview.objects.filter(status="booked").count() == 1
