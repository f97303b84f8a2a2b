import io

import pytest
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from applications.models import Application
from applications.scoring import selectors
from applications.scoring.assignments import assignment_create
from applications.scoring.decisions import decisions_record
from applications.scoring.models import Decision, Review, ReviewerAssignment, ReviewSettings
from applications.services import application_start
from applications.submission import application_submit
from tests.applications.conftest import fill
from tests.applications.factories import make_call
from tests.applications.scoring.factories import criteria, manager, score, submitted
from tests.factories import UserFactory, grant


@pytest.fixture
def assignment(call, rita):
    application = submitted(
        call, name="Amina Secret", team=[{"name": "Sara Partner", "email": "sara@example.org", "role": "designer"}]
    )
    return assignment_create(application=application, reviewer=rita, by=None)


def review_post(call, values, action="submit", recommendation="yes", comment="Solid plan"):
    data = {f"score_{c.pk}": v for c, v in zip(criteria(call), values, strict=True)}
    return {**data, "recommendation": recommendation, "comment": comment, "action": action}


# --- personas: the assigned reviewer, another reviewer, an outsider -------------------------------------------


def test_the_assigned_reviewer_sees_the_application_and_the_rubric(client, assignment, rita):
    client.force_login(rita)
    response = client.get(reverse("scoring:review", args=[assignment.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Amina Secret" in page and "Sara Partner" in page
    assert "Economic viability" in page and "autofocus" in page


@pytest.mark.parametrize("view", ["review", "others"])
def test_another_reviewer_and_an_outsider_get_404_for_someone_elses_assignment(
    client, assignment, omar, outsider, other_manager, maya, view
):
    for person in (omar, outsider, other_manager, maya):  # even the program's manager: reviews are personal
        client.force_login(person)
        assert client.get(reverse(f"scoring:{view}", args=[assignment.pk])).status_code == 404


def test_another_reviewer_cannot_post_a_review_or_a_conflict_for_an_unassigned_application(client, assignment, omar):
    client.force_login(omar)
    url = reverse("scoring:review", args=[assignment.pk])
    assert client.post(url, review_post(assignment.call, [5, 5, 5, 5])).status_code == 404
    assert client.post(reverse("scoring:conflict", args=[assignment.pk])).status_code == 404
    assert not Review.objects.exists()
    assert ReviewerAssignment.objects.filter(pk=assignment.pk).exists()


def test_the_queue_is_for_reviewers_and_managers(client, assignment, rita, omar, outsider, maya):
    client.force_login(outsider)
    assert client.get(reverse("scoring:queue")).status_code == 403
    client.force_login(omar)
    page = client.get(reverse("scoring:queue")).content.decode()
    assert "Amina Secret" not in page  # only their own assignments
    client.force_login(rita)
    page = client.get(reverse("scoring:queue")).content.decode()
    assert "Amina Secret" in page and "0 of 1 reviews submitted" in page


@pytest.mark.parametrize("name", ["ranking", "ranking_csv", "ranking_xlsx", "selection", "decisions"])
def test_manager_pages_refuse_reviewers_and_outsiders(client, call, rita, outsider, maya, other_manager, name):
    url = reverse(f"scoring:{name}", args=[call.slug])
    for person in (rita, outsider):
        client.force_login(person)
        assert client.get(url).status_code == 403
        assert client.post(url).status_code == 403
    # A manager of another program (in the group, staff) learns nothing, not even that the call exists.
    decisions_record(applications=[submitted(call, name="Amal Pending")], outcome="accept", by=maya)
    client.force_login(other_manager)
    assert client.get(url).status_code == 404
    assert client.post(url, {"seats": "1", "waitlist_size": "0"}).status_code == 404
    assert Decision.objects.get().status == Decision.Status.PENDING  # nothing published, nothing changed
    assert Application.objects.filter(status="submitted").count() == 1
    client.force_login(maya)
    assert client.get(url).status_code == 200
    client.logout()
    assert client.get(url).status_code == 302  # to the sign-in page


def test_anonymous_visitors_are_sent_to_sign_in(client, assignment):
    for url in (reverse("scoring:queue"), reverse("scoring:review", args=[assignment.pk])):
        assert client.get(url).status_code == 302


# --- reviewing ---------------------------------------------------------------------------------------------


def test_submitting_goes_straight_to_the_next_unfinished_application(client, call, assignment, rita):
    second = assignment_create(application=submitted(call, name="Second"), reviewer=rita, by=None)
    client.force_login(rita)
    response = client.post(reverse("scoring:review", args=[assignment.pk]), review_post(call, [5, 4, 4, 3]))
    assert response.status_code == 302
    assert response.url == reverse("scoring:review", args=[second.pk])
    response = client.post(reverse("scoring:review", args=[second.pk]), review_post(call, [2, 2, 2, 2]))
    assert response.url == reverse("scoring:queue")
    assert Review.objects.filter(status="submitted").count() == 2


def test_a_draft_is_kept_and_the_page_says_so(client, call, assignment, rita):
    client.force_login(rita)
    url = reverse("scoring:review", args=[assignment.pk])
    client.post(url, {f"score_{criteria(call)[0].pk}": 4, "comment": "first thoughts", "action": "draft"})
    review = Review.objects.get(assignment=assignment)
    assert review.status == "draft" and review.comment == "first thoughts"
    assert 'value="4"' in client.get(url).content.decode()


def test_a_score_outside_the_scale_is_refused_with_a_message(client, call, assignment, rita):
    client.force_login(rita)
    response = client.post(reverse("scoring:review", args=[assignment.pk]), review_post(call, [6, 4, 4, 0]))
    assert response.status_code == 400
    page = response.content.decode()
    assert "less than or equal to 5" in page and "greater than or equal to 1" in page
    assert not Review.objects.exists()


def test_declaring_a_conflict_from_the_review_page(client, call, assignment, rita):
    client.force_login(rita)
    response = client.post(reverse("scoring:conflict", args=[assignment.pk]), {"reason": "my neighbour"})
    assert response.url == reverse("scoring:queue")
    assert not ReviewerAssignment.objects.filter(pk=assignment.pk).exists()
    assert rita.conflicts.get().reason == "my neighbour"


def test_anonymised_review_hides_name_contact_and_team_names(client, call, assignment, rita):
    ReviewSettings.objects.filter(call=call).update(anonymised=True)
    client.force_login(rita)
    page = client.get(reverse("scoring:review", args=[assignment.pk])).content.decode()
    application = assignment.application
    for secret in ("Amina Secret", "Sara Partner", application.email, application.phone):
        assert secret not in page
    assert f"Application #{application.pk}" in page and "designer" in page
    queue = client.get(reverse("scoring:queue")).content.decode()
    assert "Amina Secret" not in queue


@pytest.mark.parametrize(
    "visibility, before_own, after_own",
    [("never", False, False), ("after_submit", False, True), ("always", True, True)],
)
def test_other_reviewers_scores_follow_the_call_setting(
    client, call, assignment, rita, omar, visibility, before_own, after_own
):
    ReviewSettings.objects.filter(call=call).update(others_visible=visibility)
    score(assignment.application, omar, 2, comment="Omar private view")
    client.force_login(rita)
    review_url = reverse("scoring:review", args=[assignment.pk])
    others_url = reverse("scoring:others", args=[assignment.pk])
    assert ("Omar private view" in client.get(review_url).content.decode()) is before_own
    response = client.get(others_url)
    assert response.status_code == (200 if before_own else 403)
    if not before_own:
        assert "other reviewers" in response.content.decode() or "each other" in response.content.decode()
    score(assignment.application, rita, 4)
    page = client.get(review_url).content.decode()
    if visibility == "after_submit":
        # Seeing them makes Rita's review final: they are shown when she asks, not on coming back to her review.
        assert "Omar private view" not in page and 'data-testid="show-others"' in page
        assert "Omar private view" in client.get(others_url).content.decode()
        page = client.get(review_url).content.decode()
    assert ("Omar private view" in page) is after_own
    assert client.get(others_url).status_code == (200 if after_own else 403)


# --- ranking, exports, query counts ---------------------------------------------------------------------------


def scored_call(call, rows, reviewers):
    for n in range(rows):
        application = submitted(call, name=f"Applicant {n:02d}", region=("North", "South")[n % 2])
        for k, who in enumerate(reviewers):
            score(application, who, 1 + (n + k) % 5, recommendation=("yes", "maybe", "no")[k % 3])


@pytest.mark.parametrize("rows", [1, 20])
def test_ranking_page_and_csv_run_a_fixed_number_of_queries(
    client, call, rita, omar, maya, django_assert_num_queries, rows
):
    scored_call(call, rows, [rita, omar])
    client.force_login(maya)
    url = reverse("scoring:ranking", args=[call.slug])
    client.get(url)  # warm the session and the content-type cache
    # session, user, the programs the user manages, the call with cohort/program/review settings, the ranking (one
    # statement: scores, per-reviewer windows, aggregates, rank), the program's regions (filter), the user's role
    # names (navigation)
    with django_assert_num_queries(7):
        response = client.get(url)
    assert response.content.decode().count('data-testid="rank-row"') == rows
    # session, user, the programs the user manages, the call, the ranking, the download's audit event
    with django_assert_num_queries(6):
        response = client.get(reverse("scoring:ranking_csv", args=[call.slug]))
    assert len(response.content.decode("utf-8-sig").strip().splitlines()) == rows + 1


@pytest.mark.parametrize("rows", [1, 20])
def test_the_selection_proposal_runs_a_fixed_number_of_queries(
    client, call, rita, maya, django_assert_num_queries, rows
):
    scored_call(call, rows, [rita])
    client.force_login(maya)
    url = reverse("scoring:selection", args=[call.slug])
    client.get(url, {"seats": 3, "waitlist_size": 2})  # warm the session and the content-type cache
    # session, user, the programs the user manages, the call, the program's regions, the call's quotas, the
    # ranking's positions (four columns of every ranked application), the shown lines' whole rows, the user's role
    # names (navigation)
    with django_assert_num_queries(9):
        response = client.get(url, {"seats": 3, "waitlist_size": 2})
    page = response.content.decode()
    assert page.count('data-testid="proposal-accept"') == min(rows, 3)
    assert page.count('data-testid="proposal-waitlist"') == min(max(rows - 3, 0), 2)


def test_csv_and_xlsx_have_the_figures_and_follow_the_filters(client, call, rita, omar, maya):
    scored_call(call, 4, [rita, omar])
    client.force_login(maya)
    csv_text = client.get(reverse("scoring:ranking_csv", args=[call.slug])).content.decode("utf-8-sig")
    header = csv_text.splitlines()[0].split(",")
    assert header[:5] == ["Rank", "Applicant", "Region", "Score", "Mean"]
    north = call.cohort.program.regions.get(name="North")
    response = client.get(reverse("scoring:ranking_xlsx", args=[call.slug]), {"region": north.pk})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Rank" and len(rows) == 3
    assert {row[2] for row in rows[1:]} == {"North"}


@pytest.mark.parametrize("normalise", [False, True])
def test_ranking_has_a_legend_and_shows_normalised_only_when_normalisation_is_on(
    client, call, rita, omar, maya, normalise
):
    ReviewSettings.objects.filter(call=call).update(normalise=normalise, disagreement_threshold=10)
    application = submitted(call, name="Split")
    score(application, rita, 1)
    score(application, omar, 5)
    client.force_login(maya)
    page = client.get(reverse("scoring:ranking", args=[call.slug])).content.decode()
    assert 'data-testid="ranking-legend"' in page and "What the columns mean" in page
    assert ">Normalised" in page if normalise else ">Normalised" not in page
    assert ("sort=score" in page) is not normalise
    assert "disagreement (over 10)" in page and "above 10 points" in page


def test_ranking_sorts_by_any_figure(client, call, rita, maya):
    scored_call(call, 3, [rita])
    client.force_login(maya)
    page = client.get(reverse("scoring:ranking", args=[call.slug]), {"sort": "name", "dir": "desc"}).content.decode()
    assert page.index("Applicant 02") < page.index("Applicant 01") < page.index("Applicant 00")


def test_outsider_gets_nothing_from_a_review_of_an_application_they_are_not_on(client, assignment):
    stranger = UserFactory()
    client.force_login(stranger)
    assert client.get(reverse("scoring:review", args=[assignment.pk])).status_code == 404


def test_the_home_reviewer_card_links_to_the_queue(client, assignment, rita):
    client.force_login(rita)
    page = client.get(reverse("home")).content.decode()
    assert "1 of your 1 assigned reviews are still to do." in page
    assert reverse("scoring:queue") in page and 'data-testid="nav-review"' in page


# --- files and conflicts declared by email -----------------------------------------------------------------------


@pytest.fixture
def with_file(db, rita):
    call = make_call(slug="with-files")
    ReviewSettings.objects.create(call=call, stage=ReviewSettings.Stage.SCORING)
    applicant = UserFactory()
    application = fill(application_start(call=call, applicant=applicant))
    application_submit(application=application, by=applicant)
    grant(call.cohort.program, rita, "reviewer")
    return assignment_create(application=application, reviewer=rita, by=None), application.files.get()


def test_the_assigned_reviewer_downloads_the_applications_file_and_nobody_else(
    client, with_file, rita, omar, outsider, other_manager
):
    assignment, stored = with_file
    url = reverse("scoring:file", args=[assignment.pk, stored.pk])
    client.force_login(rita)
    page = client.get(reverse("scoring:review", args=[assignment.pk])).content.decode()
    assert url in page
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF")
    for person in (omar, outsider, other_manager):
        client.force_login(person)
        assert client.get(url).status_code == 404
    # The program's managers read the file through the application, never through a reviewer's assignment.
    client.force_login(manager(assignment.call.cohort.program))
    assert client.get(url).status_code == 404
    application_file = reverse("applications:file", args=[assignment.application_id, stored.pk])
    assert client.get(application_file).status_code == 200
    client.force_login(other_manager)
    assert client.get(application_file).status_code == 404


def test_a_file_of_another_application_is_not_served_through_an_assignment(client, with_file, assignment, rita):
    _own, stored = with_file
    client.force_login(rita)
    assert client.get(reverse("scoring:file", args=[assignment.pk, stored.pk])).status_code == 404


def test_a_reviewer_declares_a_conflict_by_email_and_loses_the_unfinished_assignment(client, call, assignment, rita):
    finished = score(submitted(call, name="Finished"), rita, 3)
    client.force_login(rita)
    response = client.post(reverse("scoring:conflict_by_email"), {"email": "SARA@example.org", "reason": "sister"})
    assert response.url == reverse("scoring:queue")
    assert not ReviewerAssignment.objects.filter(pk=assignment.pk).exists()  # Sara is on that team
    assert ReviewerAssignment.objects.filter(pk=finished.pk).exists()
    assert rita.conflicts.get().email == "sara@example.org"


def test_declaring_a_conflict_by_email_needs_an_email_and_a_reviewer(client, rita, outsider):
    client.force_login(rita)
    response = client.post(reverse("scoring:conflict_by_email"), {"email": "not an address"}, follow=True)
    assert "Enter the email address" in response.content.decode()
    client.force_login(outsider)
    assert client.post(reverse("scoring:conflict_by_email"), {"email": "a@example.org"}).status_code == 403


@pytest.mark.parametrize("size", [1, 20])
def test_the_queue_runs_a_fixed_number_of_queries(client, call, rita, django_assert_num_queries, size):
    for number in range(size):
        assignment_create(application=submitted(call, name=f"Applicant {number}"), reviewer=rita, by=None)
    client.force_login(rita)
    # 1 session, 2 user, 3 roles, 4 count for the pager, 5 the page of assignments with application, call and
    # review (on the first page, its first line is the next unfinished one), 6 progress per call.
    with django_assert_num_queries(6):
        response = client.get(reverse("scoring:queue"))
    assert response.content.decode().count("/review/") >= size


def test_the_next_review_is_the_first_unfinished_one_on_any_page(client, call, rita):
    from applications.scoring import views

    applications = [submitted(call, name=f"Applicant {n}") for n in range(views.QUEUE_PAGE_SIZE + 1)]
    for application in applications:
        assignment_create(application=application, reviewer=rita, by=None)
    client.force_login(rita)
    expected = selectors.next_assignment(rita)
    assert client.get(reverse("scoring:queue")).context["next_up"] == expected
    assert client.get(reverse("scoring:queue"), {"page": 2}).context["next_up"] == expected
    for application in applications:
        score(application, rita, 3)
    assert client.get(reverse("scoring:queue")).context["next_up"] is None
    assert client.get(reverse("scoring:queue"), {"page": 2}).context["next_up"] is None


def test_a_long_queue_is_paged_and_bad_page_numbers_fall_back(client, call, rita):
    from applications.scoring import views

    for number in range(views.QUEUE_PAGE_SIZE + 2):
        assignment_create(application=submitted(call, name=f"Applicant {number}"), reviewer=rita, by=None)
    client.force_login(rita)
    first = client.get(reverse("scoring:queue")).content.decode()
    assert 'data-testid="pagination"' in first and "page=2" in first
    second = client.get(reverse("scoring:queue"), {"page": "2"}).content.decode()
    assert second.count("Applicant ") == 2
    for page in ["²", "abc", "99999999999999999999"]:
        assert client.get(reverse("scoring:queue"), {"page": page}).status_code == 200


def test_the_ranking_xlsx_reads_right_to_left_in_arabic_and_is_audited_about_the_call(
    client, call, rita, omar, maya, monkeypatch
):
    scored_call(call, 2, [rita, omar])
    recorded = []
    monkeypatch.setattr("incubator.exports.audit_record", lambda **entry: recorded.append(entry))
    client.force_login(maya)
    with translation.override("ar"):
        response = client.get(reverse("scoring:ranking_xlsx", args=[call.slug]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.sheet_view.rightToLeft and sheet["A1"].value != "Rank"
    assert [(entry["action"], entry["obj"], entry["actor"]) for entry in recorded] == [("export.xlsx", call, maya)]
