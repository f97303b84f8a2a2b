"""A person's mentoring data: what their download holds, and what erasure removes and what it keeps for the report."""

import datetime
import io
import json
import zipfile

from incubator.personal_data import account_erase, personal_data_export
from mentoring import services
from mentoring.models import ActionItem, Attendance, Feedback, MentorProfile, ParticipantProfile, Session
from tests.mentoring.conftest import PAST


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
        program=program, kind=kinds["workshop"], starts_at=PAST + datetime.timedelta(hours=2), minutes=90,
        participants=[mentee, second_mentee], summary="Pricing workshop", private_notes="Group went well", by=mentor,
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
