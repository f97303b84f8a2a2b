"""Regression tests for the scoring review findings: exports, conflicts, anonymity, bad parameters, decision email
templates, after-submit visibility, assignment runs twice over, and reviews after publication."""

import csv
import datetime
import io

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from applications.models import Application, Question
from applications.scoring.decisions import decisions_publish, decisions_record
from applications.scoring.emails import decision_email
from applications.scoring.models import (
    ConflictOfInterest,
    DecisionEmailTemplate,
    Review,
    ReviewerAssignment,
    ReviewSettings,
)
from applications.scoring.selectors import conflicted_application_ids, ranking
from applications.scoring.services import (
    ScoringError,
    assignment_create,
    assignments_auto,
    assignments_bulk_create,
    conflict_declare,
    is_conflicted,
    review_save,
)
from applications.services import (
    DraftData,
    application_file_attach,
    application_save_draft,
    application_start,
    application_submit,
)
from tests.applications.conftest import fill
from tests.applications.factories import PDF_BYTES, make_call
from tests.applications.scoring.factories import criteria, score, submitted
from tests.audit_trail import action, actions
from tests.factories import UserFactory, grant

FINAL = "your submitted review can no longer change"


def review_post(call, value, action="submit", recommendation="yes"):
    data = {f"score_{c.pk}": value for c in criteria(call)}
    return {**data, "recommendation": recommendation, "comment": "", "action": action}


# --- 1. exports write an applicant's formula-like name as text ---------------------------------------------------

FORMULAS = ['=HYPERLINK("http://evil.example","x")', "+1+2", "-3+4", "@SUM(A1)"]


def test_csv_and_xlsx_exports_write_formula_like_cells_as_text(client, call, rita, maya):
    for name in FORMULAS:
        score(submitted(call, name=name), rita, 4)
    client.force_login(maya)
    body = client.get(reverse("scoring:ranking_csv", args=[call.slug])).content.decode("utf-8-sig")
    names = [line[1] for line in csv.reader(io.StringIO(body))][1:]
    assert sorted(names) == sorted("'" + name for name in FORMULAS)
    content = client.get(reverse("scoring:ranking_xlsx", args=[call.slug])).content
    sheet = load_workbook(io.BytesIO(content)).active
    cells = [sheet.cell(row=n, column=2) for n in range(2, len(FORMULAS) + 2)]
    assert sorted(c.value for c in cells) == sorted("'" + name for name in FORMULAS)
    assert {c.data_type for c in cells} == {"s"}  # never a formula ("f")
    assert sheet["D2"].data_type == "n"  # the figures stay numbers


# --- 2. a conflict declared after submitting withdraws the review --------------------------------------------------


def test_a_conflict_declared_after_submitting_takes_the_review_out_of_the_ranking(client, call, rita, omar):
    application = submitted(call, name="X")
    assignment = score(application, rita, 5)
    score(application, omar, 1)
    client.force_login(rita)
    client.post(reverse("scoring:conflict", args=[assignment.pk]), {"reason": "my cousin"})
    assert not ReviewerAssignment.objects.filter(pk=assignment.pk).exists()
    assert not Review.objects.filter(assignment_id=assignment.pk).exists()
    [row] = ranking(call)
    assert (row.review_count, row.mean) == (1, 0)
    event = action(action="scoring.assignment_withdraw", object_id=assignment.pk)
    assert event.before["status"] == "submitted" and event.before["reviewer"] == rita.pk
    assert event.after["withdrawn"] and event.actor == rita
    for name in ("scoring:review", "scoring:others"):
        assert client.get(reverse(name, args=[assignment.pk])).status_code == 404


def test_a_conflict_declared_by_email_withdraws_submitted_reviews_of_that_persons_applications(call, rita, omar):
    team = submitted(call, name="T", team=[{"name": "Sam", "email": "sam@example.org", "role": "cto"}])
    other = submitted(call, name="O")
    withdrawn, kept = score(team, rita, 5), score(other, rita, 5)
    conflict_declare(reviewer=rita, email=" SAM@example.org ", reason="friend")
    assert not ReviewerAssignment.objects.filter(pk=withdrawn.pk).exists()
    assert ReviewerAssignment.objects.filter(pk=kept.pk).exists()
    assert {r.full_name: r.review_count for r in ranking(call)} == {"T": 0, "O": 1}


def test_a_conflicted_reviewer_gets_404_for_an_assignment_still_there(client, call, rita):
    application = submitted(call, name="X")
    assignment = assignment_create(application=application, reviewer=rita, by=None)
    ConflictOfInterest.objects.create(reviewer=rita, application=application)  # written outside the service
    client.force_login(rita)
    assert client.get(reverse("scoring:review", args=[assignment.pk])).status_code == 404


def test_a_conflict_added_in_the_admin_goes_through_the_service(admin_client, call, rita):
    application = submitted(call, name="X")
    assignment = score(application, rita, 4)
    url = reverse("admin:applications_conflictofinterest_add")
    response = admin_client.post(url, {"reviewer": rita.pk, "application": application.pk, "reason": "cousin"})
    assert response.status_code == 302
    assert not ReviewerAssignment.objects.filter(pk=assignment.pk).exists()
    assert ConflictOfInterest.objects.get().reason == "cousin"
    assert actions(action="scoring.conflict_declare")


# --- 3. an anonymised review shows no contact details, and files under a neutral name -----------------------------


@pytest.fixture
def anonymous_file(db, rita):
    call = make_call(slug="anonymous-files")
    ReviewSettings.objects.create(call=call, stage=ReviewSettings.Stage.SCORING, anonymised=True)
    email_q = Question.objects.create(call=call, position=8, label="Contact email", kind=Question.Kind.EMAIL)
    phone_q = Question.objects.create(call=call, position=9, label="Numer kontaktowy", kind=Question.Kind.PHONE)
    # A contact question in Hebrew ("mobile of a parent"), a short text marked as a contact detail by the manager:
    # no label is read, in any language.
    hebrew_q = Question.objects.create(
        call=call, position=10, label="נייד של הורה", kind=Question.Kind.SHORT_TEXT, is_contact=True
    )
    applicant = UserFactory()
    application = fill(application_start(call=call, applicant=applicant), file=False)
    application_save_draft(
        application=application,
        data=DraftData(
            answers={
                str(email_q.pk): "secret@example.org",
                str(phone_q.pk): "+212 611 111 111",
                str(hebrew_q.pk): "054-777-8888",
            }
        ),
        by=applicant,
    )
    upload = SimpleUploadedFile("Amina-Owner-CV.pdf", PDF_BYTES, content_type="application/pdf")
    stored = application_file_attach(
        application=application,
        question=call.questions.get(kind=Question.Kind.FILE),
        upload=upload,
        content_type="application/pdf",
        by=applicant,
    )
    application_submit(application=application, by=applicant)
    grant(call.cohort.program, rita, "reviewer")
    return assignment_create(application=application, reviewer=rita, by=None), stored


def test_an_anonymised_review_hides_email_and_phone_answers_and_the_file_name(client, anonymous_file, rita):
    assignment, stored = anonymous_file
    client.force_login(rita)
    page = client.get(reverse("scoring:review", args=[assignment.pk])).content.decode()
    for secret in ("secret@example.org", "+212 611 111 111", "054-777-8888", "נייד של הורה", "Amina-Owner-CV"):
        assert secret not in page
    for standard in ("Amina Owner", "amina@example.org", "+212 600 000 000", "Sara Partner"):
        assert standard not in page  # the standard contact fields (name, email, phone) and team members' names
    neutral = f"application-{stored.application_id}-{stored.question_id}.pdf"
    assert neutral in page and "Gnaoua Lab" in page  # other answers are still shown
    response = client.get(reverse("scoring:file", args=[assignment.pk, stored.pk]))
    assert neutral in response["Content-Disposition"] and "Amina" not in response["Content-Disposition"]


def test_without_anonymity_the_file_keeps_its_name_and_contacts_are_shown(client, anonymous_file, rita):
    assignment, stored = anonymous_file
    ReviewSettings.objects.filter(call=assignment.call).update(anonymised=False)
    client.force_login(rita)
    page = client.get(reverse("scoring:review", args=[assignment.pk])).content.decode()
    assert "secret@example.org" in page and "Amina-Owner-CV.pdf" in page
    assert "054-777-8888" in page and "+212 611 111 111" in page
    response = client.get(reverse("scoring:file", args=[assignment.pk, stored.pk]))
    assert "Amina-Owner-CV.pdf" in response["Content-Disposition"]


# --- 4. the reviewer's own email on an application is a conflict --------------------------------------------------


def test_a_reviewer_on_the_team_or_with_the_contact_email_is_never_assigned(call, rita, omar, maya):
    team = submitted(call, name="Team", team=[{"name": "Rita", "email": rita.email.upper(), "role": "cofounder"}])
    contact = submitted(call, name="Contact")
    Application.objects.filter(pk=contact.pk).update(email=rita.email)
    contact.refresh_from_db()
    for application in (team, contact):
        assert is_conflicted(rita, application)
        with pytest.raises(ScoringError, match="own application"):
            assignment_create(application=application, reviewer=rita, by=None)
    assert conflicted_application_ids(call, reviewers=[rita, omar]) == {rita.pk: {team.pk, contact.pk}}
    count, refusals = assignments_bulk_create(applications=[team, contact], reviewer=rita, by=None)
    assert count == 0 and len(refusals) == 2
    ReviewSettings.objects.filter(call=call).update(reviews_per_application=2)
    call.review_settings.refresh_from_db()
    call.review_settings.reviewers.set([rita, omar])
    assert assignments_auto(call=call, by=maya) == 2  # omar twice, rita never
    assert not ReviewerAssignment.objects.filter(reviewer=rita).exists()


# --- 5. bad GET parameters on the ranking and its exports ---------------------------------------------------------


@pytest.mark.parametrize(
    "name, params",
    [
        ("scoring:ranking", {"page": "²"}),
        ("scoring:ranking", {"region": "²"}),
        ("scoring:ranking", {"page": "99999999999999999999"}),
        ("scoring:ranking", {"page": "-1", "sort": "nope; DROP", "dir": "sideways", "status": "x"}),
        ("scoring:ranking_csv", {"region": "¹"}),
        ("scoring:ranking_xlsx", {"region": "99999999999999999999"}),
    ],
)
def test_bad_parameters_are_ignored(client, call, rita, maya, name, params):
    score(submitted(call, name="A"), rita, 4)
    client.force_login(maya)
    assert client.get(reverse(name, args=[call.slug]), params).status_code == 200


def test_a_page_past_the_end_shows_the_last_page(client, call, rita, maya):
    score(submitted(call, name="Only One"), rita, 4)
    client.force_login(maya)
    page = client.get(reverse("scoring:ranking", args=[call.slug]), {"page": "7"}).content.decode()
    assert "Only One" in page


# --- 6. decision email templates: only the four placeholders, and old bad rows cannot break a send ----------------


@pytest.mark.parametrize(
    "body, bad",
    [("Hello {name}, from {} to {", "{}"), ("Dear {0}", "{0}"), ("Hi {name.__class__}", "{name.__class__}")],
)
def test_a_template_with_another_placeholder_is_refused_naming_it(db, body, bad):
    template = DecisionEmailTemplate(language="en", outcome="accept", subject="Welcome {name}", body=body)
    with pytest.raises(ValidationError) as refused:
        template.full_clean()
    assert bad in str(refused.value.message_dict["body"])
    DecisionEmailTemplate(language="en", outcome="reject", subject="{call}", body="{name} {program} {url}").full_clean()


def test_a_subject_with_a_stray_brace_is_refused(db):
    template = DecisionEmailTemplate(language="en", outcome="accept", subject="Price } here", body="ok")
    with pytest.raises(ValidationError) as refused:
        template.full_clean()
    assert "subject" in refused.value.message_dict


def test_a_bad_template_saved_earlier_neither_breaks_the_preview_nor_reaches_attributes(client, call, rita, maya):
    application = submitted(call, name="Amal")
    body = "Hello {name}, prices from {} to { and {0} {name.__class__.__name__} {call}"
    DecisionEmailTemplate.objects.create(language="en", outcome="accept", subject="S {program}", body=body)
    email = decision_email(application, "accept", "en")
    assert email.body == f"Hello Amal, prices from {{}} to {{ and {{0}} {{name.__class__.__name__}} {call.title}"
    assert email.subject == f"S {call.cohort.program.name}"
    decisions_record(applications=[application], outcome="accept", by=maya)
    client.force_login(maya)
    assert client.get(reverse("scoring:decisions", args=[call.slug])).status_code == 200


# --- 7. after-submit visibility: a submitted review is final once its reviewer has seen the others' scores ----------


def test_a_submitted_review_stays_editable_until_the_reviewer_sees_the_others_scores(client, call, rita, omar):
    application = submitted(call, name="X")
    score(application, omar, 5)
    assignment = score(application, rita, 1)
    assignment = score(application, rita, 2)  # a typo fixed: nothing of Omar's was shown yet
    assert Review.objects.get(assignment=assignment).points == 25
    client.force_login(rita)
    page = client.get(reverse("scoring:review", args=[assignment.pk])).content.decode()
    assert 'data-testid="review-editable"' in page and "<fieldset disabled" not in page

    assert client.get(reverse("scoring:others", args=[assignment.pk])).status_code == 200
    assignment.refresh_from_db()
    assert assignment.others_seen_at is not None
    with pytest.raises(ScoringError, match="You were shown the other reviewers' scores on"):
        score(application, rita, 5)
    page = client.get(reverse("scoring:review", args=[assignment.pk])).content.decode()
    assert 'data-testid="review-final"' in page and "<fieldset disabled" in page
    assert "You were shown the other reviewers&#x27; scores on" in page
    response = client.post(reverse("scoring:review", args=[assignment.pk]), review_post(call, 5))
    assert response.status_code == 400 and FINAL in response.content.decode()
    assignment.review.refresh_from_db()
    assert assignment.review.points == 25


def test_opening_the_others_page_with_no_other_review_locks_nothing(client, call, rita):
    application = submitted(call, name="X")
    assignment = score(application, rita, 1)
    client.force_login(rita)
    page = client.get(reverse("scoring:others", args=[assignment.pk])).content.decode()
    assert "No other review is submitted yet." in page
    assignment.refresh_from_db()
    assert assignment.others_seen_at is None
    score(application, rita, 5)


def test_a_submitted_review_is_final_after_the_review_deadline_and_the_message_names_it(client, call, rita):
    deadline = timezone.now() + datetime.timedelta(days=2)
    ReviewSettings.objects.filter(call=call).update(review_deadline=deadline)
    application = submitted(call, name="X")
    assignment = score(application, rita, 1)
    with time_machine.travel(deadline + datetime.timedelta(minutes=1)):
        with pytest.raises(ScoringError, match="The review deadline .* has passed"):
            score(application, rita, 5)
        client.force_login(rita)
        page = client.get(reverse("scoring:review", args=[assignment.pk])).content.decode()
    assert "has passed: your submitted review can no longer change" in page and "<fieldset disabled" in page
    assert call.cohort.program.time_zone in page


@pytest.mark.parametrize("visibility", ["never", "always"])
def test_other_visibilities_keep_a_submitted_review_editable(call, rita, visibility):
    ReviewSettings.objects.filter(call=call).update(others_visible=visibility)
    application = submitted(call, name="X")
    score(application, rita, 1)
    assignment = score(application, rita, 5)
    assert Review.objects.get(assignment=assignment).points == 100


def test_a_draft_stays_editable_under_after_submit_visibility(call, rita):
    application = submitted(call, name="X")
    score(application, rita, 1, submit=False)
    assignment = score(application, rita, 5)
    assert Review.objects.get(assignment=assignment).points == 100


# --- 8. every assignment path run twice over -----------------------------------------------------------------------


def test_assigning_twice_makes_no_duplicates_and_no_error(call, rita, omar, maya):
    applications = [submitted(call, name=f"A{n}") for n in range(3)]
    call.review_settings.reviewers.set([rita, omar])
    first = assignments_auto(call=call, by=maya)
    assert first == 6 and assignments_auto(call=call, by=maya) == 0
    assert assignment_create(application=applications[0], reviewer=rita, by=maya) == assignment_create(
        application=applications[0], reviewer=rita, by=maya
    )
    assert assignments_bulk_create(applications=applications, reviewer=rita, by=maya) == (0, [])
    assert ReviewerAssignment.objects.filter(call=call).count() == 6


# --- 9. no review changes once decisions are published -------------------------------------------------------------


def test_a_review_after_publication_is_refused(call, rita, maya, django_capture_on_commit_callbacks):
    ReviewSettings.objects.filter(call=call).update(others_visible="always")
    application = submitted(call, name="X")
    assignment = score(application, rita, 4)
    decisions_record(applications=[application], outcome="accept", by=maya)
    with django_capture_on_commit_callbacks(execute=True):
        decisions_publish(call=call, by=maya)
    with pytest.raises(ScoringError, match="Decisions are published"):
        review_save(assignment=assignment, scores={}, comment="", recommendation="no", submit=False, by=rita)
