import datetime

import pytest
import time_machine
from django.db import IntegrityError, transaction
from django.utils import timezone

from applications.checks import reasons_text
from applications.models import Application, ApplicationVersion
from applications.services import (
    ApplicationError,
    DraftData,
    application_eligibility_override,
    application_save_draft,
    application_start,
    application_withdraw,
)
from applications.submission import application_resubmit, application_submit
from incubator.models import Notification
from tests.applications.conftest import fill
from tests.applications.factories import add_rules, make_call, question
from tests.audit_trail import action, actions
from tests.factories import UserFactory


def test_submit_keeps_a_version_audits_and_sends_one_confirmation(
    draft, applicant, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        version = application_submit(application=draft, by=applicant)
    draft.refresh_from_db()
    assert draft.status == Application.Status.SUBMITTED
    assert (version.number, version.data["full_name"]) == (1, "Amina Owner")
    assert version.data["team"] == [{"name": "Sara Partner", "email": "sara@example.org", "role": "designer"}]
    assert len(actions(action="application.submit", object_id=draft.pk)) == 1
    [mail] = mailoutbox
    assert mail.to == [applicant.email]
    # A copy of the answers, including the uploaded file's name.
    assert "Gnaoua Lab" in mail.body and "deck.pdf" in mail.body and "Sara Partner" in mail.body
    assert f"/ar/applications/{draft.pk}/" in mail.body  # the link is in the applicant's language
    notification = Notification.objects.get(kind="applications.submitted")
    assert (notification.status, notification.threshold) == ("sent", "v1")


def test_deadline_last_second_is_accepted(applicant, mailoutbox, django_capture_on_commit_callbacks):
    closes_at = datetime.datetime(2024, 3, 31, 23, 59, 59, tzinfo=datetime.UTC)
    with time_machine.travel(closes_at - datetime.timedelta(days=2), tick=False):
        call = make_call(closes_at=closes_at)
        application = fill(application_start(call=call, applicant=applicant))
    with time_machine.travel(closes_at, tick=False), django_capture_on_commit_callbacks(execute=True):
        application_submit(application=application, by=applicant)
    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED
    assert application.submitted_at == closes_at
    assert len(mailoutbox) == 1


def test_one_second_after_the_deadline_and_its_grace_is_refused_and_the_draft_kept(applicant, mailoutbox, settings):
    closes_at = datetime.datetime(2024, 3, 31, 23, 59, 59, tzinfo=datetime.UTC)
    with time_machine.travel(closes_at - datetime.timedelta(days=2), tick=False):
        call = make_call(closes_at=closes_at)
        application = fill(application_start(call=call, applicant=applicant))
    with (
        time_machine.travel(closes_at + datetime.timedelta(seconds=settings.SUBMISSION_GRACE_SECONDS + 1), tick=False),
        pytest.raises(ApplicationError, match="deadline has passed"),
    ):
        application_submit(application=application, by=applicant)
    application.refresh_from_db()
    assert application.status == Application.Status.DRAFT
    assert application.answers[str(question(call, 1).pk)] == "Gnaoua Lab"
    assert not ApplicationVersion.objects.exists() and mailoutbox == []


def test_within_the_grace_after_the_deadline_a_submission_still_counts(applicant, settings):
    settings.SUBMISSION_GRACE_SECONDS = 60
    closes_at = datetime.datetime(2024, 3, 31, 23, 59, 59, tzinfo=datetime.UTC)
    with time_machine.travel(closes_at - datetime.timedelta(days=2), tick=False):
        call = make_call(closes_at=closes_at)
        application = fill(application_start(call=call, applicant=applicant))
    with time_machine.travel(closes_at + datetime.timedelta(seconds=60), tick=False):
        application_submit(application=application, by=applicant)
    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED


def test_a_submission_received_before_the_deadline_is_saved_though_its_turn_comes_after(applicant):
    """In the deadline's last second requests queue behind each other: the moment the request reached the portal
    counts, not the moment it got its turn at the database."""
    closes_at = datetime.datetime(2024, 3, 31, 23, 59, 59, tzinfo=datetime.UTC)
    with time_machine.travel(closes_at - datetime.timedelta(days=2), tick=False):
        call = make_call(closes_at=closes_at)
        application = fill(application_start(call=call, applicant=applicant))
    with time_machine.travel(closes_at + datetime.timedelta(seconds=3), tick=False):
        application_submit(application=application, by=applicant, received_at=closes_at - datetime.timedelta(seconds=1))
    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED
    assert application.submitted_at == closes_at - datetime.timedelta(seconds=1)


def test_a_second_application_to_the_same_call_is_refused_by_the_database(call, applicant):
    first = application_start(call=call, applicant=applicant)
    assert application_start(call=call, applicant=applicant) == first
    with pytest.raises(IntegrityError), transaction.atomic():
        Application.objects.create(call=call, applicant=applicant)
    assert Application.objects.filter(call=call, applicant=applicant).count() == 1


def test_missing_required_answer_is_refused_with_every_problem_named(call, applicant):
    application = fill(application_start(call=call, applicant=applicant), file=False, name="")
    with pytest.raises(ApplicationError) as refused:
        application_submit(application=application, by=applicant)
    assert set(refused.value.problems) == {"Project name", "Presentation"}
    application.refresh_from_db()
    assert application.status == Application.Status.DRAFT


@pytest.mark.calendar
def test_date_of_birth_in_the_future_is_refused_at_submit(call, applicant):
    application = fill(
        application_start(call=call, applicant=applicant), dob=timezone.localdate() + datetime.timedelta(1)
    )
    with pytest.raises(ApplicationError) as refused:
        application_submit(application=application, by=applicant)
    assert any("future" in problem for problem in refused.value.problems)


def test_resubmitting_needs_the_call_setting(draft, applicant):
    application_submit(application=draft, by=applicant)
    with pytest.raises(ApplicationError, match="already submitted"):
        application_submit(application=draft, by=applicant)
    with pytest.raises(ApplicationError, match="can no longer be changed"):
        application_save_draft(application=draft, data=DraftData(standard={"phone": "1"}), by=applicant)


def test_editable_call_keeps_every_submitted_version(applicant, mailoutbox, django_capture_on_commit_callbacks):
    call = make_call(editable_after_submit=True)
    application = fill(application_start(call=call, applicant=applicant))
    with django_capture_on_commit_callbacks(execute=True):
        application_submit(application=application, by=applicant)
    changes = DraftData(answers={str(question(call, 1).pk): "Gnaoua Lab Reloaded"})
    with django_capture_on_commit_callbacks(execute=True):
        application_resubmit(application=application, data=changes, by=applicant)
    versions = list(application.versions.order_by("number"))
    assert [v.data["answers"][0]["value"] for v in versions] == ["Gnaoua Lab", "Gnaoua Lab Reloaded"]
    assert len(mailoutbox) == 2  # one confirmation per version


def test_withdraw_until_decisions(draft, applicant):
    application_submit(application=draft, by=applicant)
    application_withdraw(application=draft, by=applicant)
    draft.refresh_from_db()
    assert draft.status == Application.Status.WITHDRAWN and draft.withdrawn_at
    with pytest.raises(ApplicationError):
        application_withdraw(application=draft, by=applicant)


@pytest.mark.calendar
def test_no_withdraw_once_decisions_are_published(draft, applicant):
    application_submit(application=draft, by=applicant)
    draft.call.decisions_published_at = timezone.now()
    draft.call.save()
    with pytest.raises(ApplicationError):
        application_withdraw(application=draft, by=applicant)
    draft.refresh_from_db()
    assert draft.status == Application.Status.SUBMITTED


@pytest.mark.parametrize(
    ("dob", "region", "based", "expected"),
    [
        (datetime.date(2000, 1, 1), "North", "yes", []),
        (datetime.date(1980, 1, 1), "North", "yes", ["18 to 29 years old"]),
        (datetime.date(2000, 1, 1), "Elsewhere", "yes", ["North, South"]),
        (datetime.date(2000, 1, 1), "South", "no", ["Based here?"]),
        (datetime.date(2015, 1, 1), "Elsewhere", "no", ["18 to 29", "North, South", "Based here?"]),
    ],
)
def test_eligibility_is_evaluated_at_submit_with_readable_reasons(call, applicant, dob, region, based, expected):
    add_rules(call)
    application = fill(application_start(call=call, applicant=applicant), dob=dob, region=region, based=based)
    application_submit(application=application, by=applicant)
    application.refresh_from_db()
    assert application.eligibility == ("ineligible" if expected else "eligible")
    assert len(application.eligibility_reasons) == len(expected)
    for reason, fragment in zip(reasons_text(application.eligibility_reasons), expected, strict=True):
        assert fragment in reason


def test_age_is_counted_on_the_deadline_date_in_the_program_zone(applicant):
    # 23:30 UTC on 31 March is already 1 April in a UTC+1 program: someone born 1 April 1994 turns 30 then.
    closes_at = datetime.datetime(2024, 3, 31, 23, 30, tzinfo=datetime.UTC)
    with time_machine.travel(closes_at - datetime.timedelta(days=1), tick=False):
        call = make_call(closes_at=closes_at)
        call.cohort.program.time_zone = "Europe/Paris"
        call.cohort.program.save()
        add_rules(call, regions=None, answer=None)
        application = fill(application_start(call=call, applicant=applicant), dob=datetime.date(1994, 4, 1))
        application_submit(application=application, by=applicant)
    application.refresh_from_db()
    assert application.eligibility == "ineligible"
    assert application.eligibility_reasons[0]["params"]["date"] == "2024-04-01"


def test_manager_override_keeps_the_written_reason(draft, applicant):
    manager = UserFactory(is_staff=True)
    application_submit(application=draft, by=applicant)
    with pytest.raises(ApplicationError):
        application_eligibility_override(application=draft, eligibility="ineligible", reason="  ", by=manager)
    application_eligibility_override(
        application=draft, eligibility="ineligible", reason="Project is based abroad", by=manager
    )
    draft.refresh_from_db()
    assert (draft.eligibility, draft.final_eligibility) == ("eligible", "ineligible")
    assert (draft.override_reason, draft.override_by) == ("Project is based abroad", manager)
    entry = action(action="application.eligibility_override")
    assert entry.note == "Project is based abroad" and entry.actor == manager


def test_only_the_applicant_changes_a_draft(draft, other_applicant):
    with pytest.raises(ApplicationError, match="Only the applicant"):
        application_save_draft(application=draft, data=DraftData(standard={"phone": "1"}), by=other_applicant)
    draft.refresh_from_db()
    assert draft.phone == "+212 600 000 000"
