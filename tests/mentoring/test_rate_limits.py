"""Scheduling, moving and cancelling a session email everyone invited: limited per person and per session (429,
nothing sent), without touching other mentors or other sessions."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse

from incubator import ratelimit
from mentoring import services
from mentoring.models import Session

START = datetime.datetime(2030, 1, 7, 8, tzinfo=datetime.UTC)


@pytest.fixture
def tight(monkeypatch):
    monkeypatch.setitem(ratelimit.LIMITS, "session_email", ratelimit.Limit(per_person=4, per_target=2))
    monkeypatch.setitem(ratelimit.LIMITS, "session_schedule", ratelimit.Limit(per_person=2, per_target=10))


def scheduled(program, kinds, mentor, mentee, hours=0):
    starts = START + datetime.timedelta(hours=hours)
    return services.session_schedule(
        program=program, kind=kinds["individual"], starts_at=starts, ends_at=starts + datetime.timedelta(hours=1),
        participants=[mentee], by=mentor,
    )[0]  # fmt: skip


def move(client, session, day, capture):
    with capture(execute=True):
        return client.post(
            reverse("mentoring:session_move", args=[session.pk]), {"date": day, "time": "11:00", "minutes": 60}
        )


def test_moving_one_session_again_and_again_is_refused_with_429_and_mails_nobody(
    client, program, kinds, mentor, other_mentor, mentee, tight, django_capture_on_commit_callbacks
):
    session = scheduled(program, kinds, mentor, mentee)
    other = scheduled(program, kinds, mentor, mentee, hours=5)
    client.force_login(mentor)
    mail.outbox.clear()
    assert move(client, session, "2030-01-08", django_capture_on_commit_callbacks).status_code == 302
    assert move(client, session, "2030-01-09", django_capture_on_commit_callbacks).status_code == 302
    sent = len(mail.outbox)
    refused = move(client, session, "2030-01-10", django_capture_on_commit_callbacks)
    assert refused.status_code == 429 and "Too many emails" in refused.content.decode()
    assert 'value="2030-01-10"' in refused.content.decode()
    assert len(mail.outbox) == sent and Session.objects.get(pk=session.pk).sequence == 2
    # Another session of the same mentor is not affected.
    assert move(client, other, "2030-01-11", django_capture_on_commit_callbacks).status_code == 302


def test_cancelling_past_the_person_limit_answers_the_429_page(
    client, program, kinds, mentor, mentee, tight, django_capture_on_commit_callbacks
):
    sessions = [scheduled(program, kinds, mentor, mentee, hours=3 * n) for n in range(5)]
    client.force_login(mentor)
    for session in sessions[:4]:
        with django_capture_on_commit_callbacks(execute=True):
            client.post(reverse("mentoring:session_cancel", args=[session.pk]))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        refused = client.post(reverse("mentoring:session_cancel", args=[sessions[4].pk]))
    assert refused.status_code == 429 and 'data-testid="error-page"' in refused.content.decode()
    assert mail.outbox == [] and Session.objects.get(pk=sessions[4].pk).status == "scheduled"


def test_scheduling_past_the_person_limit_is_refused_and_another_mentor_is_not(
    client, program, kinds, mentor, other_mentor, mentee, participant, tight, django_capture_on_commit_callbacks
):
    def schedule(person, day):
        client.force_login(person)
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(
                reverse("mentoring:session_schedule") + f"?program={program.slug}",
                {"kind": kinds["individual"].pk, "participants": [mentee.pk if person == mentor else participant.pk],
                 "date": day, "time": "10:00", "minutes": 60, "program": program.slug},
            )  # fmt: skip

    assert schedule(mentor, "2030-02-03").status_code == 302
    assert schedule(mentor, "2030-02-04").status_code == 302
    count, sent = Session.objects.count(), len(mail.outbox)
    refused = schedule(mentor, "2030-02-05")
    assert refused.status_code == 429 and Session.objects.count() == count and len(mail.outbox) == sent
    assert schedule(other_mentor, "2030-02-05").status_code == 302
