"""The applications area of the API: applications, reviews, a call's ranking and decisions, each read as the pages
show them to the caller (the applicant, the program's managers, the assigned reviewer), and nothing to anyone else."""

import pytest
from django.test import Client
from django.utils import timezone

from applications.models import Application, ApplicationFile, Question, TeamMember
from applications.scoring import selectors
from applications.scoring.decisions import decisions_publish, decisions_record
from applications.scoring.models import (
    ConflictOfInterest,
    Criterion,
    CriterionScore,
    Decision,
    Review,
    ReviewerAssignment,
    ReviewSettings,
)
from applications.services import DraftData, application_save_draft, application_start
from applications.submission import application_submit
from incubator.models import User
from tests.api.clients import api_client
from tests.applications.conftest import fill
from tests.applications.factories import PDF_BYTES, make_call, program_with_regions
from tests.applications.scoring.factories import manager, reviewer, score, submitted
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


class World:
    """A call with questions (one a contact detail, one a file), a submitted application with a file and a team
    member, its program's manager, a reviewer with a draft review of it and an unassigned one, and another program
    with its own manager and call."""

    def __init__(self, *, anonymised=False):
        self.call = make_call(slug="api-call")
        self.program = self.call.cohort.program
        self.website = Question.objects.create(
            call=self.call, position=6, label="Website", kind=Question.Kind.URL, required=False, is_contact=True
        )
        ReviewSettings.objects.create(call=self.call, stage=ReviewSettings.Stage.SCORING, anonymised=anonymised)
        Criterion.objects.create(call=self.call, position=2, name="Impact", weight=1)
        Criterion.objects.create(call=self.call, position=1, name="Viability", weight=2)
        self.manager = manager(self.program, name="Maya Manager")
        self.applicant = UserFactory(name="Amina Owner")
        self.application = fill(application_start(call=self.call, applicant=self.applicant))
        website = DraftData(answers={str(self.website.pk): "https://amina.example.org"}, valid={"website"})
        application_save_draft(application=self.application, data=website, by=self.applicant)
        application_submit(application=self.application, by=self.applicant)
        self.application.refresh_from_db()
        self.file = self.application.files.get()
        self.reviewer = reviewer(self.program, name="Rita Reviewer")
        self.unassigned = reviewer(self.program, name="Ruth Unassigned")
        self.assignment = score(self.application, self.reviewer, [4, 3], submit=False, comment="Promising")
        self.other_applicant = UserFactory(name="Bilal Other")
        self.other_program = program_with_regions(slug="other-program")
        self.other_call = make_call(slug="other-call", program=self.other_program, questions=False)
        self.other_manager = manager(self.other_program, name="Otto Other")

    def client(self, person, scopes=None):
        return api_client(person, [self.program, self.other_program], scopes=scopes)


@pytest.fixture
def world():
    return World()


def another(world, region="North"):
    """One more submitted application to the world's call."""
    person = UserFactory()
    application = fill(application_start(call=world.call, applicant=person), region=region)
    application_submit(application=application, by=person)
    return application


def ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


# Applications


def test_the_applicant_reads_their_application_as_its_page_shows_it(world):
    row = world.client(world.applicant).get(f"/api/v1/applications/{world.application.pk}/").json()
    assert (row["call"], row["applicant"], row["status"]) == (world.call.pk, world.applicant.pk, "submitted")
    assert row["submitted_at"] is not None
    assert (row["full_name"], row["date_of_birth"], row["email"]) == ("Amina Owner", "2000-05-01", "amina@example.org")
    assert row["region_name"] == "North"
    assert row["team"] == [{"name": "Sara Partner", "role": "designer"}]
    assert [(a["label"], a["kind"], a["value"]) for a in row["answers"]] == [
        ("Project name", "short_text", "Gnaoua Lab"),
        ("Describe it", "long_text", "Music for all"),
        ("Based here?", "yes_no", "yes"),
        ("Fields", "multiple_choice", None),
        ("Website", "url", "https://amina.example.org"),
    ]
    url = f"http://testserver/applications/{world.application.pk}/files/{world.file.pk}/"
    assert row["files"] == [
        {
            "id": world.file.pk,
            "question": world.file.question_id,
            "name": "deck.pdf",
            "size": len(PDF_BYTES),
            "content_type": "application/pdf",
            "url": url,
        }
    ]


def test_a_file_s_url_is_its_download_page_which_checks_the_signed_in_person(world):
    url = world.client(world.applicant).get("/api/v1/applications/").json()["results"][0]["files"][0]["url"]
    owner, stranger = Client(), Client()
    owner.force_login(world.applicant)
    stranger.force_login(world.other_applicant)
    assert owner.get(url).status_code == 200
    assert stranger.get(url).status_code == 404


def test_a_draft_shows_what_was_typed_and_kept(world):
    draft = application_start(call=world.call, applicant=world.other_applicant)
    typed = DraftData(invalid={f"q_{world.website.pk}": "amina dot org"})
    application_save_draft(application=draft, data=typed, by=world.other_applicant)
    row = world.client(world.other_applicant).get(f"/api/v1/applications/{draft.pk}/").json()
    assert row["status"] == "draft"
    assert [(a["value"], a["as_typed"]) for a in row["answers"] if a["question"] == world.website.pk] == [
        (None, "amina dot org")
    ]


def test_managers_read_their_programs_applications_and_no_other(world):
    other = submitted(world.other_call, region="North", name="Omar Elsewhere")
    assert ids(world.client(world.manager).get("/api/v1/applications/")) == [world.application.pk]
    row = world.client(world.manager).get(f"/api/v1/applications/{world.application.pk}/").json()
    assert (row["status"], row["date_of_birth"], row["applicant"]) == ("submitted", "2000-05-01", world.applicant.pk)
    assert ids(world.client(world.other_manager).get("/api/v1/applications/")) == [other.pk]
    assert world.client(world.other_manager).get(f"/api/v1/applications/{world.application.pk}/").status_code == 404


def test_other_applicants_and_unassigned_reviewers_read_nothing(world):
    for person in (world.other_applicant, world.unassigned):
        client = world.client(person)
        assert ids(client.get("/api/v1/applications/")) == []
        assert client.get(f"/api/v1/applications/{world.application.pk}/").status_code == 404


def test_the_assigned_reviewer_reads_what_the_review_page_shows(world):
    row = world.client(world.reviewer).get(f"/api/v1/applications/{world.application.pk}/").json()
    assert (row["full_name"], row["email"], row["region_name"]) == ("Amina Owner", "amina@example.org", "North")
    # The review page shows neither the status (nor so the decision), the submission time, the birth date nor the
    # account.
    assert (row["status"], row["submitted_at"], row["date_of_birth"], row["applicant"]) == (None, None, None, None)
    assert len(row["answers"]) == 5
    assert row["files"][0]["name"] == "deck.pdf"
    assert row["files"][0]["url"] == f"http://testserver/review/{world.assignment.pk}/files/{world.file.pk}/"
    page = Client()
    page.force_login(world.reviewer)
    assert page.get(row["files"][0]["url"]).status_code == 200


def test_an_anonymised_review_hides_names_contacts_and_file_names():
    world = World(anonymised=True)
    row = world.client(world.reviewer).get(f"/api/v1/applications/{world.application.pk}/").json()
    assert (row["full_name"], row["phone"], row["email"]) == (None, None, None)
    assert row["team"] == [{"name": None, "role": "designer"}]
    assert "Website" not in [answer["label"] for answer in row["answers"]]
    name = f"application-{world.application.pk}-{world.file.question_id}.pdf"
    assert row["files"][0]["name"] == name
    assert "Amina" not in str(row) and "Sara" not in str(row)
    # Its applicant and managers still read it in full.
    assert world.client(world.manager).get("/api/v1/applications/").json()["results"][0]["full_name"] == "Amina Owner"


@pytest.mark.parametrize("conflict", ["application", "team email", "own team"])
def test_a_conflicted_reviewer_reads_nothing_of_the_application(world, conflict):
    if conflict == "application":
        ConflictOfInterest.objects.create(reviewer=world.reviewer, application=world.application)
    elif conflict == "team email":
        ConflictOfInterest.objects.create(reviewer=world.reviewer, email="sara@example.org")
    else:
        TeamMember.objects.create(application=world.application, name="Rita", email=world.reviewer.email.upper())
    client = world.client(world.reviewer)
    assert ids(client.get("/api/v1/applications/")) == []
    assert client.get(f"/api/v1/applications/{world.application.pk}/").status_code == 404


def test_applications_filter_by_call_and_by_a_status_the_caller_may_read(world):
    client = world.client(world.manager)
    assert ids(client.get("/api/v1/applications/", {"call": world.call.pk})) == [world.application.pk]
    assert ids(client.get("/api/v1/applications/", {"call": world.other_call.pk})) == []
    assert ids(client.get("/api/v1/applications/", {"status": "submitted"})) == [world.application.pk]
    assert ids(client.get("/api/v1/applications/", {"status": "draft"})) == []
    # A reviewer does not read the status, so cannot filter by it either.
    assert ids(world.client(world.reviewer).get("/api/v1/applications/", {"status": "submitted"})) == []


@pytest.mark.parametrize("query", ["?status=maybe", "?call=x", "?call=0", "?call=99999999999", "?expand=answers"])
def test_odd_application_filters_are_400(world, query):
    assert world.client(world.manager).get(f"/api/v1/applications/{query}").status_code == 400


def test_expand_call(world):
    row = world.client(world.applicant).get("/api/v1/applications/?expand=call").json()["results"][0]
    assert row["call"]["slug"] == "api-call"


def test_updated_since_lists_the_applications_changed(world):
    client = world.client(world.manager)
    since = client.get(f"/api/v1/applications/{world.application.pk}/").json()["changed_at"]
    assert ids(client.get("/api/v1/applications/", {"updated_since": since})) == [world.application.pk]
    draft = application_start(call=world.call, applicant=world.other_applicant)
    changed = client.get(f"/api/v1/applications/{draft.pk}/").json()["changed_at"]
    assert ids(client.get("/api/v1/applications/", {"updated_since": changed})) == [draft.pk]


# Reviews


def test_managers_read_every_review_with_its_scores_in_the_rubric_s_order(world):
    second = reviewer(world.program, name="Sami Second")
    score(world.application, second, 5)
    rows = world.client(world.manager).get("/api/v1/reviews/").json()["results"]
    assert sorted((row["reviewer"], row["status"]) for row in rows) == sorted(
        [(world.reviewer.pk, "draft"), (second.pk, "submitted")]
    )
    draft = next(row for row in rows if row["reviewer"] == world.reviewer.pk)
    assert (draft["application"], draft["call"], draft["comment"]) == (world.application.pk, world.call.pk, "Promising")
    assert [(s["name"], s["score"]) for s in draft["scores"]] == [("Viability", 4), ("Impact", 3)]
    assert world.client(world.other_manager).get("/api/v1/reviews/").json()["results"] == []
    assert world.client(world.other_manager).get(f"/api/v1/reviews/{draft['id']}/").status_code == 404


def test_a_reviewer_reads_their_own_reviews_alone(world):
    second = reviewer(world.program, name="Sami Second")
    other = score(world.application, second, 5)
    client = world.client(world.reviewer)
    own = client.get("/api/v1/reviews/").json()["results"]
    assert [row["reviewer"] for row in own] == [world.reviewer.pk]
    assert client.get(f"/api/v1/reviews/{other.review.pk}/").status_code == 404


def test_applicants_read_no_review_not_even_of_their_application(world):
    score(world.application, reviewer(world.program), 5)
    client = world.client(world.applicant)
    assert client.get("/api/v1/reviews/").json()["results"] == []
    assert client.get(f"/api/v1/reviews/{world.assignment.review.pk}/").status_code == 404


def test_reviews_filter_by_call_and_application(world):
    client = world.client(world.manager)
    review = world.assignment.review.pk
    assert ids(client.get("/api/v1/reviews/", {"call": world.call.pk})) == [review]
    assert ids(client.get("/api/v1/reviews/", {"application": world.application.pk})) == [review]
    assert ids(client.get("/api/v1/reviews/", {"call": world.other_call.pk})) == []
    assert client.get("/api/v1/reviews/", {"application": "-1"}).status_code == 400


def test_a_saved_review_changes_its_changed_at(world):
    client = world.client(world.reviewer)
    before = client.get("/api/v1/reviews/").json()["results"][0]["changed_at"]
    score(world.application, world.reviewer, [5, 5], submit=True)
    assert ids(client.get("/api/v1/reviews/", {"updated_since": before})) == [world.assignment.review.pk]
    assert client.get("/api/v1/reviews/").json()["results"][0]["changed_at"] > before


# The ranking


def ranking_url(call) -> str:
    return f"/api/v1/calls/{call.pk}/ranking/"


def test_managers_read_a_call_s_ranking_with_the_ranking_page_s_figures(world):
    score(world.application, world.unassigned, [5, 3])
    later = another(world, region="South")
    score(later, world.unassigned, [2, 2])
    page = world.client(world.manager).get(ranking_url(world.call)).json()
    assert (page["count"], page["next"], page["previous"], page["normalised"]) == (2, None, None, False)
    first, second = page["results"]
    expected = selectors.ranking(world.call)[0]
    assert (first["position"], first["application"], first["region_name"]) == (1, world.application.pk, "North")
    assert (first["review_count"], first["score"], first["mean"]) == (1, expected.score, expected.mean)
    assert (second["position"], second["application"], second["region_name"]) == (2, later.pk, "South")


def test_the_ranking_comes_in_pages(world):
    another(world)
    another(world)
    client = world.client(world.manager)
    page = client.get(ranking_url(world.call), {"page_size": 2}).json()
    assert (page["count"], len(page["results"])) == (3, 2)
    following = client.get(page["next"]).json()
    assert [row["position"] for row in following["results"]] == [3]
    assert following["next"] is None
    assert client.get(following["previous"]).json()["results"] == page["results"]
    past = client.get(ranking_url(world.call), {"page": 9}).json()
    assert (past["count"], past["results"]) == (3, [])


def test_the_ranking_filters_by_region_and_decision(world):
    another(world, region="South")
    client = world.client(world.manager)
    south = world.program.regions.get(name="South")
    assert [
        row["region_name"] for row in client.get(ranking_url(world.call), {"region": south.pk}).json()["results"]
    ] == ["South"]
    decisions_record(applications=[world.application], outcome="reject", by=world.manager)
    rejected = client.get(ranking_url(world.call), {"status": "reject"}).json()["results"]
    assert [(row["application"], row["decision_outcome"]) for row in rejected] == [(world.application.pk, "reject")]


@pytest.mark.parametrize("person", ["applicant", "reviewer", "unassigned", "other_manager"])
def test_the_ranking_is_for_the_program_s_managers_only(world, person):
    assert world.client(getattr(world, person)).get(ranking_url(world.call)).status_code == 404


@pytest.mark.parametrize(
    "query",
    ["?page=0", "?page=x", "?page_size=201", "?status=maybe", "?region=99999999999", "?sort=score", "?expand=call"],
)
def test_odd_ranking_parameters_are_400(world, query):
    response = world.client(world.manager).get(ranking_url(world.call) + query)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"


# Decisions


def test_managers_read_pending_decisions_with_their_working(world):
    decisions_record(applications=[world.application], outcome="reject", by=world.manager)
    [row] = world.client(world.manager).get("/api/v1/decisions/").json()["results"]
    assert (row["application"], row["outcome"], row["status"]) == (world.application.pk, "reject", "pending")
    assert (row["decided_by"], row["reason"]) == (world.manager.pk, "")
    assert world.client(world.other_manager).get("/api/v1/decisions/").json()["results"] == []
    assert world.client(world.other_manager).get(f"/api/v1/decisions/{row['id']}/").status_code == 404


def test_the_applicant_reads_their_decision_once_published_and_its_outcome_alone(world):
    decisions_record(applications=[world.application], outcome="reject", by=world.manager)
    client = world.client(world.applicant)
    assert client.get("/api/v1/decisions/").json()["results"] == []
    decisions_publish(call=world.call, by=world.manager)
    [row] = client.get("/api/v1/decisions/").json()["results"]
    assert (row["outcome"], row["status"]) == ("reject", "published")
    assert (row["reason"], row["decided_by"], row["decided_at"], row["waitlist_position"]) == (None, None, None, None)
    for person in (world.other_applicant, world.reviewer):
        assert world.client(person).get("/api/v1/decisions/").json()["results"] == []
        assert world.client(person).get(f"/api/v1/decisions/{row['id']}/").status_code == 404


def test_decisions_filter_by_call(world):
    decisions_record(applications=[world.application], outcome="reject", by=world.manager)
    client = world.client(world.manager)
    assert len(ids(client.get("/api/v1/decisions/", {"call": world.call.pk}))) == 1
    assert ids(client.get("/api/v1/decisions/", {"call": world.other_call.pk})) == []


# Scopes


@pytest.mark.parametrize("path", ["/api/v1/applications/", "/api/v1/reviews/", "/api/v1/decisions/", "ranking"])
def test_a_token_without_the_scope_is_403_and_a_read_token_writing_is_403(world, path):
    path = ranking_url(world.call) if path == "ranking" else path
    assert world.client(world.manager, scopes=["cohorts:read"]).get(path).status_code == 403
    assert world.client(world.manager, scopes=["applications:read"]).post(path, {}, format="json").status_code == 403


# Fixed numbers of queries, for 1 row and for 500


def more_applications(world, count: int) -> list[Application]:
    """`count` more submitted, eligible applications to the world's call, each with an answer, a team member and a
    file, written in bulk (the services would take minutes)."""
    people = User.objects.bulk_create(User(email=f"bulk{i}@example.org", name=f"Bulk {i}") for i in range(count))
    region = world.program.regions.get(name="North")
    applications = Application.objects.bulk_create(
        Application(
            call=world.call,
            applicant=person,
            status=Application.Status.SUBMITTED,
            submitted_at=timezone.now(),
            eligibility=Application.Eligibility.ELIGIBLE,
            full_name=person.name,
            region=region,
            answers={str(world.website.pk): "https://example.org"},
        )
        for person in people
    )
    TeamMember.objects.bulk_create(TeamMember(application=a, name="Partner", role="designer") for a in applications)
    ApplicationFile.objects.bulk_create(
        ApplicationFile(
            application=a,
            question=world.file.question,
            file=f"applications/{a.pk}.pdf",
            original_name="deck.pdf",
            content_type="application/pdf",
            size=10,
        )
        for a in applications
    )
    return applications


def more_reviews(world, applications) -> None:
    """A draft review by the world's reviewer of each application, with a score per criterion."""
    assignments = ReviewerAssignment.objects.bulk_create(
        ReviewerAssignment(call=world.call, application=a, reviewer=world.reviewer) for a in applications
    )
    reviews = Review.objects.bulk_create(Review(assignment=a, comment="Fine") for a in assignments)
    CriterionScore.objects.bulk_create(
        CriterionScore(review=r, criterion=c, score=3, scale_min=c.scale_min, scale_max=c.scale_max)
        for r in reviews
        for c in world.call.criteria_set.all()
    )


def measured(client, url, django_assert_num_queries, queries: int, rows: int):
    assert client.get(url).status_code == 200  # the token's last use is written once a minute: not below
    with django_assert_num_queries(queries):
        response = client.get(url)
    assert response.status_code == 200
    assert len(response.json()["results"]) == min(rows, 200)


@pytest.mark.parametrize("rows", [1, 500])
@pytest.mark.parametrize("persona", ["manager", "reviewer"])
def test_the_applications_list_runs_a_fixed_number_of_queries(world, django_assert_num_queries, rows, persona):
    more_reviews(world, more_applications(world, rows - 1))
    # The token; the person's roles in the token's programs; the page of applications (with their call, cohort,
    # review settings, region and the reviewer's assignment); their team members; their files; their calls' questions.
    url = "/api/v1/applications/?page_size=200&expand=call"
    measured(world.client(getattr(world, persona)), url, django_assert_num_queries, 6, rows)


@pytest.mark.parametrize("rows", [1, 500])
def test_the_reviews_list_runs_a_fixed_number_of_queries(world, django_assert_num_queries, rows):
    more_reviews(world, more_applications(world, rows - 1))
    # The token; the person's roles in the token's programs; the page of reviews with their assignments; their scores
    # with their criteria.
    measured(world.client(world.manager), "/api/v1/reviews/?page_size=200", django_assert_num_queries, 4, rows)


@pytest.mark.parametrize("rows", [1, 500])
def test_the_decisions_list_runs_a_fixed_number_of_queries(world, django_assert_num_queries, rows):
    applications = [world.application, *more_applications(world, rows - 1)]
    Decision.objects.bulk_create(
        Decision(application=a, call=world.call, outcome=Decision.Outcome.REJECT, decided_by=world.manager)
        for a in applications
    )
    # The token; the person's roles in the token's programs; the page of decisions with their calls and cohorts.
    url = "/api/v1/decisions/?page_size=200&expand=call"
    measured(world.client(world.manager), url, django_assert_num_queries, 3, rows)


@pytest.mark.parametrize("rows", [1, 500])
def test_the_ranking_runs_a_fixed_number_of_queries(world, django_assert_num_queries, rows):
    more_applications(world, rows - 1)
    # The token; the person's roles in the token's programs; the call with its review settings; the ranking's page.
    url = ranking_url(world.call) + "?page_size=200"
    measured(world.client(world.manager), url, django_assert_num_queries, 4, rows)


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/calls/99999999999999999999/ranking/",
        "/api/v1/applications/99999999999999999999/",
        "/api/v1/reviews/99999999999999999999/",
        "/api/v1/decisions/99999999999999999999/",
    ],
)
def test_ids_past_the_database_s_integers_are_no_500(world, path):
    assert world.client(world.manager).get(path).status_code in (400, 404)
