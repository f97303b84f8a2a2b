import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse

from applications.scoring.models import Decision, Review, ReviewerAssignment
from applications.scoring.selectors import ranking
from tests.applications.scoring.factories import criteria, score, submitted
from tests.audit_trail import scoring_history
from tests.factories import grant


@pytest.fixture
def admin_client(client, call, maya):
    grant(call.cohort.program, maya, "reviewer")  # this manager scores too: listed as a reviewer of the program
    client.force_login(maya)
    return client


def test_the_change_page_shows_the_reviews_beside_the_answers_and_the_history(admin_client, call, rita):
    application = submitted(call, name="Amal")
    score(application, rita, 4, comment="convincing")
    page = admin_client.get(reverse("admin:applications_application_change", args=[application.pk])).content.decode()
    assert 'class="scoring-columns"' in page
    assert "Economic viability (1–5)" in page and "convincing" in page
    # The history reads as sentences: what changed, who, when.
    assert "Scoring history" in page and "Review: Economic viability — → 4" in page


def inline_post(application, rows):
    """The change form's POST: the override fields and the review inline."""
    data = {
        "eligibility_override": "",
        "override_reason": "",
        "assignments-TOTAL_FORMS": str(len(rows)),
        "assignments-INITIAL_FORMS": str(sum(1 for r in rows if r.get("id"))),
        "assignments-MIN_NUM_FORMS": "0",
        "assignments-MAX_NUM_FORMS": "1000",
    }
    for n, row in enumerate(rows):
        data.update({f"assignments-{n}-{key}": value for key, value in row.items()})
        data[f"assignments-{n}-application"] = application.pk
    return data


def test_a_manager_scores_in_the_admin_and_the_change_is_kept(admin_client, call, maya):
    application = submitted(call, name="Amal")
    row = {"reviewer": maya.pk, "recommendation": "yes", "comment": "from the admin", "submit": "on"}
    row |= {f"score_{c.pk}": 5 for c in criteria(call)}
    url = reverse("admin:applications_application_change", args=[application.pk])
    response = admin_client.post(url, inline_post(application, [row]))
    assert response.status_code == 302, response.content.decode()[:3000]
    review = Review.objects.get(assignment__reviewer=maya)
    assert review.status == "submitted" and review.scores.count() == 4
    [line] = scoring_history(application)
    assert line["actor"] == str(maya) and "comment changed" in line["sentence"]
    assert review.comment == "from the admin"


def test_an_out_of_scale_score_in_the_admin_is_refused(admin_client, call, maya):
    application = submitted(call)
    row = {"reviewer": maya.pk, "recommendation": "yes", f"score_{criteria(call)[0].pk}": 7}
    url = reverse("admin:applications_application_change", args=[application.pk])
    response = admin_client.post(url, inline_post(application, [row]))
    assert response.status_code == 200
    assert "less than or equal to 5" in response.content.decode()
    assert not Review.objects.exists()


def action(admin_client, name, applications, **extra):
    url = reverse("admin:applications_application_changelist")
    data = {"action": name, ACTION_CHECKBOX_NAME: [a.pk for a in applications], **extra}
    return admin_client.post(url, data, follow=True)


def test_bulk_decisions_are_pending_and_refused_beyond_the_seats(admin_client, call):
    applications = [submitted(call, name=f"A{n}") for n in range(call.seats + 1)]
    action(admin_client, "waitlist", applications[-1:])
    action(admin_client, "accept", applications[: call.seats])
    assert Decision.objects.filter(outcome="accept", status="pending").count() == call.seats
    response = action(admin_client, "accept", applications[-1:])
    assert "too many" in response.content.decode()
    assert Decision.objects.get(application=applications[-1]).outcome == "waitlist"


def test_bulk_reviewer_assignment_with_a_refusal_for_the_reviewers_own_application(admin_client, call, rita):
    applications = [submitted(call, name=f"A{n}") for n in range(3)] + [submitted(call, applicant=rita)]
    page = action(admin_client, "assign_reviewer", applications).content.decode()
    assert 'name="reviewer"' in page  # the intermediate page asks which reviewer
    response = action(admin_client, "assign_reviewer", applications, reviewer=rita.pk, apply="1")
    assert "3 assignments made" in response.content.decode()
    assert "own application" in response.content.decode()
    assert ReviewerAssignment.objects.filter(reviewer=rita).count() == 3


def test_automatic_assignment_from_the_call_admin(admin_client, call, rita, omar):
    call.review_settings.reviewers.set([rita, omar])
    submitted(call, name="A")
    url = reverse("admin:applications_call_changelist")
    response = admin_client.post(url, {"action": "assign_reviewers", ACTION_CHECKBOX_NAME: [call.pk]}, follow=True)
    assert "2 assignments made" in response.content.decode()


def test_the_call_change_page_has_the_rubric_stages_and_quotas(admin_client, call):
    page = admin_client.get(reverse("admin:applications_call_change", args=[call.pk])).content.decode()
    assert "Economic viability" in page and "review deadline" in page.lower() and "regional quota" in page.lower()


def test_changing_a_weight_in_the_call_admin_recomputes_the_points(admin_client, call, rita):
    score(submitted(call), rita, [5, 1, 1, 1])
    assert ranking(call)[0].mean == pytest.approx(40)
    page = admin_client.get(reverse("admin:applications_call_change", args=[call.pk]))
    form = page.context["adminform"].form
    data = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if value is not None:
            data[name] = value
    data["opens_at_0"], data["opens_at_1"] = call.opens_at.strftime("%Y-%m-%d"), call.opens_at.strftime("%H:%M:%S")
    data["closes_at_0"], data["closes_at_1"] = call.closes_at.strftime("%Y-%m-%d"), call.closes_at.strftime("%H:%M:%S")
    for formset in page.context["inline_admin_formsets"]:
        management = formset.formset.management_form
        for name in management.fields:
            data[f"{management.prefix}-{name}"] = management[name].value()
        for inline in formset.formset.forms:
            for name in inline.fields:
                value = inline[name].value()
                if value not in (None, False):
                    data[inline.add_prefix(name)] = value
    viability = call.criteria_set.get(name="Economic viability")
    [criteria_form] = [f for f in page.context["inline_admin_formsets"] if f.formset.model.__name__ == "Criterion"]
    [row] = [f for f in criteria_form.formset.forms if f.instance.pk == viability.pk]
    data[row.add_prefix("weight")] = "7"
    response = admin_client.post(reverse("admin:applications_call_change", args=[call.pk]), data)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    assert ranking(call)[0].mean == pytest.approx(70)
