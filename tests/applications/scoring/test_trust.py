"""Decisions that respect withdrawals, each program's own result emails, audited scoring setup, venture carry-over."""

import datetime
from html.parser import HTMLParser

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from applications.models import Application, Question
from applications.scoring.decisions import decisions_publish, decisions_record
from applications.scoring.models import Decision, DecisionEmailTemplate
from applications.services import (
    DraftData,
    application_eligibility_override,
    application_save_draft,
    application_start,
    application_withdraw,
)
from applications.submission import application_submit
from cohorts.models import Membership, Venture
from incubator.roles import PARTICIPANT
from tests.applications.scoring.factories import scoring_call, submitted
from tests.audit_trail import action, actions, scoring_history
from tests.factories import UserFactory


class _FormReader(HTMLParser):
    """The values a browser would post from the admin's change form (inputs, checked boxes, selections, text)."""

    def __init__(self):
        super().__init__()
        self.data, self._select, self._textarea = {}, None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name")
        if tag == "input" and name and attrs.get("type") not in ("submit", "button", "file"):
            if attrs.get("type") in ("checkbox", "radio") and "checked" not in attrs:
                return
            checkable = attrs.get("type") in ("checkbox", "radio")
            self.data[name] = attrs.get("value") or ("on" if checkable else "")
        elif tag == "select" and name:
            self._select = name
            if "multiple" not in attrs:
                self.data.setdefault(name, "")
        elif tag == "option" and self._select and "selected" in attrs:
            self.data[self._select] = attrs.get("value", "")
        elif tag == "textarea" and name:
            self._textarea = name
            self.data[name] = ""

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self.data[self._textarea] += data


def form_data(html: str) -> dict:
    reader = _FormReader()
    reader.feed(html)
    return {k: v for k, v in reader.data.items() if "__prefix__" not in k and k != "csrfmiddlewaretoken"}


def published_results(mailoutbox):
    return [m for m in mailoutbox if "/applications/" in m.body]


def test_withdrawing_after_a_pending_accept_is_not_accepted_has_no_membership_and_no_email(
    call, maya, mailoutbox, django_capture_on_commit_callbacks
):
    leaving, staying = submitted(call, name="Leila Leaving"), submitted(call, name="Sami Staying")
    decisions_record(applications=[leaving, staying], outcome="accept", by=maya)
    application_withdraw(application=leaving, by=leaving.applicant)

    decision = Decision.objects.get(application=leaving)
    assert decision.status == Decision.Status.CANCELLED
    assert scoring_history(leaving)[-1]["sentence"].startswith("Decision: accept → cancelled")
    assert actions(action="scoring.decision_cancel", object_id=decision.pk)

    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        result = decisions_publish(call=call, by=maya)
    assert result.published == 1 and result.skipped == []  # cancelled already: not even pending any more
    leaving.refresh_from_db()
    assert leaving.status == Application.Status.WITHDRAWN
    assert not Membership.objects.filter(person=leaving.applicant).exists()
    assert not leaving.applicant.groups.filter(name=PARTICIPANT).exists()
    assert [m.to for m in published_results(mailoutbox)] == [[staying.applicant.email]]


def test_publishing_skips_applications_no_longer_eligible_and_says_which_and_why(
    call, maya, mailoutbox, django_capture_on_commit_callbacks
):
    eligible, judged_out = submitted(call, name="Eli Eligible"), submitted(call, name="Ines Ineligible")
    decisions_record(applications=[eligible, judged_out], outcome="accept", by=maya)
    application_eligibility_override(application=judged_out, eligibility="ineligible", reason="too old", by=maya)
    with django_capture_on_commit_callbacks(execute=True):
        result = decisions_publish(call=call, by=maya)
    assert result.published == 1
    assert [(application.pk, reason) for application, reason in result.skipped] == [
        (judged_out.pk, "no longer eligible")
    ]
    assert Decision.objects.get(application=judged_out).status == Decision.Status.CANCELLED
    assert not Membership.objects.filter(person=judged_out.applicant).exists()
    assert [m.to for m in published_results(mailoutbox)] == [[eligible.applicant.email]]


def test_the_decisions_page_reports_the_skipped_applications(client, call, maya):
    kept, judged_out = submitted(call, name="Kim Kept"), submitted(call, name="Noor Notnow")
    decisions_record(applications=[kept, judged_out], outcome="waitlist", by=maya)
    application_eligibility_override(application=judged_out, eligibility="ineligible", reason="moved", by=maya)
    client.force_login(maya)
    response = client.post(reverse("scoring:decisions", args=[call.slug]), follow=True)
    page = response.content.decode()
    assert "1 decisions published" in page
    assert "Not published for Noor Notnow: no longer eligible. The decision is cancelled." in page


def test_decision_emails_are_each_programs_own_and_never_anothers(
    call, maya, mailoutbox, django_capture_on_commit_callbacks
):
    other = scoring_call(slug="other-program-call")
    DecisionEmailTemplate.objects.create(
        program=other.cohort.program, language="en", outcome="accept", subject="OTHER wording", body="Other {name}"
    )
    DecisionEmailTemplate.objects.create(language="en", outcome="accept", subject="Default {program}", body="D {name}")
    first = submitted(call, name="Amal First")
    decisions_record(applications=[first], outcome="accept", by=maya)
    with django_capture_on_commit_callbacks(execute=True):
        decisions_publish(call=call, by=maya)
    [email] = [m for m in mailoutbox if first.applicant.email in m.to]
    assert email.subject == f"Default {call.cohort.program.name}"  # the portal's default, not the other program's

    DecisionEmailTemplate.objects.create(
        program=call.cohort.program, language="en", outcome="accept", subject="Ours {name}", body="Ours"
    )
    from applications.scoring.emails import decision_email

    assert decision_email(first, "accept", "en").subject == "Ours Amal First"


def test_a_new_program_gets_its_own_copy_of_the_default_decision_emails(client, db):
    from cohorts.models import Program
    from tests.factories import superuser

    DecisionEmailTemplate.objects.create(language="fr", outcome="accept", subject="Bienvenue {name}", body="Oui")
    client.force_login(superuser())
    response = client.post(
        reverse("admin:cohorts_program_add"),
        {
            "name": "New program",
            "slug": "new-program",
            "language": "fr",
            "time_zone": "Europe/Paris",
            "regions-TOTAL_FORMS": "0",
            "regions-INITIAL_FORMS": "0",
            "regions-MIN_NUM_FORMS": "0",
            "regions-MAX_NUM_FORMS": "1000",
        },
    )
    assert response.status_code == 302
    program = Program.objects.get(slug="new-program")
    [copy] = DecisionEmailTemplate.objects.filter(program=program)
    assert (copy.language, copy.outcome, copy.subject) == ("fr", "accept", "Bienvenue {name}")
    assert actions(action="scoring.decision_templates_copy", object_id=program.pk)


def test_the_program_email_template_admin_shows_a_manager_only_their_programs_wording(client, call, maya):
    other = scoring_call(slug="other-program-call")
    theirs = DecisionEmailTemplate.objects.create(
        program=other.cohort.program, language="en", outcome="accept", subject="THEIR wording", body="x"
    )
    DecisionEmailTemplate.objects.create(language="en", outcome="reject", subject="DEFAULT wording", body="x")
    ours = DecisionEmailTemplate.objects.create(
        program=call.cohort.program, language="en", outcome="accept", subject="OUR wording", body="x"
    )
    client.force_login(maya)
    page = client.get(reverse("admin:applications_decisionemailtemplate_changelist")).content.decode()
    assert "OUR wording" in page and "THEIR wording" not in page and "DEFAULT wording" not in page
    url = reverse("admin:applications_decisionemailtemplate_change", args=[theirs.pk])
    assert client.get(url).status_code != 200
    add = client.post(
        reverse("admin:applications_decisionemailtemplate_add"),
        {"program": other.cohort.program.pk, "language": "fr", "outcome": "reject", "subject": "x", "body": "x"},
    )
    assert add.status_code == 200 and not DecisionEmailTemplate.objects.filter(language="fr").exists()
    assert ours.pk


def test_stage_weights_quotas_and_settings_changed_in_the_admin_are_audited(client, call, maya):
    client.force_login(maya)
    url = reverse("admin:applications_call_change", args=[call.pk])
    data = form_data(client.get(url).content.decode())
    criterion = call.criteria_set.order_by("position").first()
    [weight_field] = [k for k, v in data.items() if k.endswith("-weight") and data[k.replace("-weight", "-id")] == str(
        criterion.pk)]  # fmt: skip
    data[weight_field] = "3"
    data[[k for k in data if k.endswith("-stage")][0]] = "decision"
    quotas = [k for k in data if k.endswith("-TOTAL_FORMS") and k.startswith("quotas")][0]
    prefix = quotas.removesuffix("-TOTAL_FORMS")
    data.update(
        {quotas: "1", f"{prefix}-0-region": str(call.cohort.program.regions.first().pk), f"{prefix}-0-minimum": "2"}
    )
    response = client.post(url, data)
    assert response.status_code == 302, [response.context["adminform"].form.errors] + [
        (f.formset.prefix, f.formset.errors, f.formset.non_form_errors())
        for f in response.context["inline_admin_formsets"]
    ]
    entry = action(action="scoring.setup_change", object_id=call.pk)
    assert entry.actor == maya
    assert entry.before["settings"]["stage"] == "scoring" and entry.after["settings"]["stage"] == "decision"
    before_weights = {c["id"]: c["weight"] for c in entry.before["criteria"]}
    after_weights = {c["id"]: c["weight"] for c in entry.after["criteria"]}
    assert (before_weights[criterion.pk], after_weights[criterion.pk]) == ("2.00", "3.00")
    assert entry.before["quotas"] == [] and entry.after["quotas"][0]["minimum"] == 2


# --- the venture carried into the cohort -------------------------------------------------------------------------


def test_an_accepted_applicants_venture_is_carried_over_from_the_answers_marked_for_it(
    call, maya, django_capture_on_commit_callbacks
):
    name_q = Question.objects.create(
        call=call, position=1, label="Project name", kind="short_text", venture_role=Question.VentureRole.NAME
    )
    field_q = Question.objects.create(
        call=call,
        position=2,
        label="Field",
        kind="single_choice",
        choices="Photography\nCrafts",
        venture_role=Question.VentureRole.FIELD,
    )
    applicant = UserFactory(name="Vera Venture")
    application = application_start(call=call, applicant=applicant)
    data = DraftData(
        standard={
            "full_name": "Vera Venture",
            "date_of_birth": datetime.date(2000, 1, 1),
            "region": call.cohort.program.regions.first(),
            "phone": "+212 600 000 000",
            "email": applicant.email,
        },
        answers={str(name_q.pk): "Atelier Vera", str(field_q.pk): "Photography"},
        team=[{"name": "Tom Team", "email": "tom@example.org", "role": "maker"}],
    )
    application_save_draft(application=application, data=data, by=applicant)
    application_submit(application=application, by=applicant)
    decisions_record(applications=[Application.objects.get(pk=application.pk)], outcome="accept", by=maya)
    with django_capture_on_commit_callbacks(execute=True):
        decisions_publish(call=call, by=maya)
    venture = Venture.objects.get(cohort=call.cohort)
    assert (venture.name, venture.field) == ("Atelier Vera", "photography")
    assert sorted(venture.team.values_list("name", flat=True)) == ["Tom Team", "Vera Venture"]


def test_a_venture_field_answered_in_another_language_or_unknown_is_still_a_field():
    from django.utils import translation

    from applications.models import field_key

    assert field_key("crafts") == "crafts"
    with translation.override("en"):
        assert field_key("Graphic design") == "graphic_design"
    assert field_key("Puppetry") == "other"


@pytest.fixture(autouse=True)
def _groups(db):
    Group.objects.get_or_create(name=PARTICIPANT)


def test_a_review_by_someone_no_longer_on_the_program_is_still_saved_in_the_admin(client, call, maya, rita):
    """Corrected by a superuser: a review's scores are its reviewer's, and only a superuser writes them for her
    (tests/applications/scoring/test_review_ownership.py)."""
    from cohorts.program_roles import program_role_revoke
    from tests.applications.scoring.factories import score
    from tests.factories import superuser

    application = submitted(call, name="Amal")
    assignment = score(application, rita, 3, submit=False)
    program_role_revoke(program=call.cohort.program, person=rita, role="reviewer", by=maya)
    client.force_login(superuser())
    url = reverse("admin:applications_application_change", args=[application.pk])
    data = form_data(client.get(url).content.decode())
    data[[k for k in data if k.startswith("assignments-0-") and k.endswith("comment")][0]] = "kept"
    response = client.post(url, data)
    assert response.status_code == 302, [response.context["adminform"].form.errors] + [
        (f.formset.prefix, f.formset.errors, f.formset.non_form_errors())
        for f in response.context["inline_admin_formsets"]
    ]
    assert assignment.review.__class__.objects.get(pk=assignment.review.pk).comment == "kept"
