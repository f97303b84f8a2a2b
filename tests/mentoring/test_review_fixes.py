"""Found reading mentoring as an attacker after the parallel merge: another participant's action item, the ledger's
program, email links, and the person's data (download and erasure)."""

import datetime
import io
import json
import re
import zipfile

import time_machine
from django.core import mail
from django.urls import reverse

from incubator.models import Notification
from incubator.personal_data import account_erase, personal_data_export
from mentoring import services
from mentoring.models import ActionItem, Attendance, Feedback, MentorProfile, ParticipantProfile, Session
from mentoring.reminders import reminders_sweep
from tests.mentoring.conftest import PAST
from tests.mentoring.test_admin_and_pages import staff

START = datetime.datetime(2030, 5, 6, 9, 0, tzinfo=datetime.UTC)


def test_a_participant_cannot_tick_another_participants_action_item(
    client, program, kinds, mentor, mentee, second_mentee
):
    session, _ = services.session_log(
        program=program, kind=kinds["workshop"], starts_at=PAST, minutes=60, participants=[mentee, second_mentee],
        summary="s", by=mentor,
        action_items=[services.ActionItemInput(text="Mira's task", owner=mentee), services.ActionItemInput(text="All")],
    )  # fmt: skip
    theirs = session.action_items.get(owner=mentee)
    shared = session.action_items.get(owner=None)
    client.force_login(second_mentee)
    response = client.post(reverse("mentoring:action_item_done", args=[theirs.pk]), {"done": "1"})
    assert response.status_code == 403
    theirs.refresh_from_db()
    assert theirs.done_at is None
    # Their own shared items and the owner's own stay theirs to tick.
    client.post(reverse("mentoring:action_item_done", args=[shared.pk]), {"done": "1"})
    client.force_login(mentee)
    client.post(reverse("mentoring:action_item_done", args=[theirs.pk]), {"done": "1"})
    assert ActionItem.objects.filter(done_at__isnull=False).count() == 2


def _schedule(program, kinds, mentor, people):
    with time_machine.travel(START - datetime.timedelta(days=10), tick=False):
        session, _ = services.session_schedule(
            program=program, kind=kinds["individual"], starts_at=START,
            ends_at=START + datetime.timedelta(hours=1), participants=people, by=mentor,
        )  # fmt: skip
    return session


def test_invitations_and_reminders_are_filed_under_the_sessions_program(
    program, kinds, mentor, mentee, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _schedule(program, kinds, mentor, [mentee])
        reminders_sweep(now=START - datetime.timedelta(hours=23))
        reminders_sweep(now=START + datetime.timedelta(days=2, hours=3))
    kinds_seen = set(Notification.objects.values_list("kind", flat=True))
    assert len(kinds_seen) == 3  # invitation, reminder, log reminder
    assert set(Notification.objects.values_list("program_id", flat=True)) == {program.pk}


def test_email_links_are_absolute_and_in_the_recipients_language(
    program, kinds, mentor, mentee, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://portal.example.org"
    mentee.preferred_language = "ar"
    mentee.save()
    with django_capture_on_commit_callbacks(execute=True):
        session = _schedule(program, kinds, mentor, [mentee])
        reminders_sweep(now=START + datetime.timedelta(days=2, hours=3))
    to_mentee = [m for m in mail.outbox if m.to == [mentee.email]]
    to_mentor = [m for m in mail.outbox if m.to == [mentor.email]]
    assert to_mentee and to_mentor
    for message in to_mentee:
        assert re.findall(r"https?://\S+", message.body) == [
            f"https://portal.example.org/ar/mentoring/sessions/{session.pk}/"
        ]
    links = re.findall(r"https?://\S+", to_mentor[-1].body)
    assert links == [f"https://portal.example.org/mentoring/sessions/{session.pk}/log/"]


def _data(user) -> dict:
    with zipfile.ZipFile(io.BytesIO(personal_data_export(user=user))) as opened:
        return json.loads(opened.read("data.json"))["mentoring"]


def test_the_download_holds_the_persons_sessions_items_and_feedback(held, mentor, mentee, participant):
    services.feedback_give(session=held, rating=4, comment="Helpful", anonymous=False, by=mentee)
    ParticipantProfile.objects.create(user=mentee, gender="woman", birth_year=1990, consent=True)
    data = _data(mentee)
    assert data["participant_profile"]["birth_year"] == 1990
    assert [s["summary"] for s in data["sessions_attended"]] == ["Worked on the price list."]
    assert [i["text"] for i in data["action_items"]] == ["Send the price list"]
    assert [(f["rating"], f["comment"]) for f in data["feedback_given"]] == [(4, "Helpful")]
    assert data["assignments"][0]["role"] == "mentee"
    # The mentor's private notes about the mentee are not in the mentee's download, nor are other people's.
    assert "Seems tired" not in json.dumps(data)
    mentor_data = _data(mentor)
    assert len(mentor_data["sessions_facilitated"]) == 1 and mentor_data["feedback_given"] == []
    other = _data(participant)
    assert other["sessions_attended"] == [] and other["action_items"] == [] and other["feedback_given"] == []


def test_erasure_removes_personal_text_and_keeps_what_the_report_counts(
    held, program, kinds, mentor, mentee, second_mentee
):
    services.feedback_give(session=held, rating=4, comment="Mira wrote this", anonymous=False, by=mentee)
    group, _ = services.session_log(
        program=program, kind=kinds["workshop"], starts_at=PAST, minutes=90, participants=[mentee, second_mentee],
        summary="Pricing workshop", private_notes="Group went well", by=mentor,
    )  # fmt: skip
    ParticipantProfile.objects.create(user=mentee, gender="woman", birth_year=1990, consent=True)
    account_erase(user=mentee, by=mentee)
    held.refresh_from_db()
    group.refresh_from_db()
    # Notes about the erased person alone go; the group's record stays.
    assert (held.summary, held.private_notes) == ("", "")
    assert (group.summary, group.private_notes) == ("Pricing workshop", "Group went well")
    feedback = Feedback.objects.get()
    assert (feedback.rating, feedback.comment) == (4, "")
    assert ActionItem.objects.get(session=held).text == "[erased]"
    # Counted still: attendance in both sessions, the consenting profile's figures.
    assert Attendance.objects.filter(person=mentee).count() == 2
    assert Session.objects.count() == 2
    assert ParticipantProfile.objects.filter(user=mentee, birth_year=1990).exists()


def test_erasing_a_mentor_removes_their_profile(mentor):
    MentorProfile.objects.create(user=mentor, bio="Twenty years in retail")
    account_erase(user=mentor, by=mentor)
    assert not MentorProfile.objects.filter(user=mentor).exists()


def test_the_session_admin_offers_only_the_programs_people(client, held, manager, mentee, stranger):
    client.force_login(staff(manager))
    change = reverse("admin:mentoring_session_change", args=[held.pk])
    form = client.get(change).context["adminform"].form
    inline = client.get(change).context["inline_admin_formsets"]
    people = inline[0].formset.forms[0].fields["person"].queryset
    assert mentee in people and stranger not in people
    assert stranger not in form.fields["facilitators"].queryset
    page = client.get(change).content.decode()
    assert "Stan Stranger" not in page


def test_a_mentor_removed_from_the_program_loses_its_sessions_from_the_feed(program, kinds, mentor, mentee):
    from mentoring.ics import calendar_source

    session = _schedule(program, kinds, mentor, [mentee])
    assert [event["uid"] for event in calendar_source(mentor)] == [session.uid]
    program.mentors.remove(mentor)
    # The feed loads its person afresh on every request (the access ids are cached on the object).
    assert list(calendar_source(type(mentor).objects.get(pk=mentor.pk))) == []
    # The invited participant keeps the session.
    assert [event["uid"] for event in calendar_source(mentee)] == [session.uid]
