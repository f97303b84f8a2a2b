"""Monthly check-ins and their metrics in the API: who reads what (as on the history pages), the answers of sent
check-ins only, the filters, `updated_since`, and a fixed number of queries per list."""

import datetime

import pytest
import time_machine
from django.db.models import Max

from cohorts.checkins import checkin_save_draft, checkin_skip, checkin_submit, metric_add, metric_set_create
from cohorts.models import CheckIn, Membership, Venture
from cohorts.services import membership_status_change
from incubator.models import User
from tests.api.clients import api_client
from tests.factories import CohortFactory, ProgramFactory, UserFactory, accept, grant, program_manager

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 12, 3, 10, 0, tzinfo=datetime.UTC)
SEPTEMBER, OCTOBER, NOVEMBER = (datetime.date(2026, month, 1) for month in (9, 10, 11))


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(NOW, tick=False):
        yield


def typed_for(metric_set, revenue="-150.5") -> dict[int, str]:
    values = {"count": "3", "money": revenue, "fte": "1.5", "percentage": "40", "yes_no": "yes", "text": "Fine"}
    return {metric.pk: values[metric.kind] for metric in metric_set.metrics.filter(retired=False)}


class World:
    def __init__(self):
        self.program, self.other_program = ProgramFactory(time_zone="Asia/Jerusalem"), ProgramFactory()
        self.metric_set = metric_set_create(program=self.program, currency="ILS", by=None)
        self.own = metric_add(metric_set=self.metric_set, name="Kilns fired", kind="yes_no", by=None)
        self.cohort = CohortFactory(program=self.program, starts_on=datetime.date(2026, 3, 1))
        self.second_cohort = CohortFactory(program=self.program, starts_on=datetime.date(2026, 3, 1))
        self.manager = program_manager(self.program)
        self.other_manager = program_manager(self.other_program)
        self.member = accept(self.cohort, UserFactory(name="Mira Member"), venture_name="Mira Studio").person
        self.venture = Venture.objects.get(name="Mira Studio")
        self.peer = accept(self.cohort, UserFactory(), venture_name="Peer Prints").person
        self.peer_venture = Venture.objects.get(name="Peer Prints")
        self.elsewhere = accept(self.second_cohort, UserFactory(), venture_name="Elsewhere").person
        self.elsewhere_venture = Venture.objects.get(name="Elsewhere")
        self.mentor = grant(self.program, UserFactory(), "mentor")
        self.cohort.mentors.add(self.mentor)
        self.program_mentor = grant(self.program, UserFactory(), "mentor")  # mentors no cohort
        self.outsider = accept(CohortFactory(program=self.other_program)).person
        typed = typed_for(self.metric_set)
        self.sent = checkin_submit(venture=self.venture, month=OCTOBER, typed=typed, currency="ILS", by=self.member)
        self.draft = checkin_save_draft(
            venture=self.venture, month=NOVEMBER, typed=typed, currency="ILS", by=self.member
        )
        self.skipped = checkin_skip(venture=self.peer_venture, month=OCTOBER, reason="Closed", by=self.peer)
        self.other_sent = checkin_submit(
            venture=self.elsewhere_venture, month=SEPTEMBER, typed=typed, currency="ILS", by=self.elsewhere
        )

    def client(self, person, scopes=None):
        return api_client(person, [self.program, self.other_program], scopes=scopes)


@pytest.fixture
def world():
    return World()


def ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return sorted(row["id"] for row in response.json()["results"])


def test_a_manager_reads_every_check_in_of_the_program_with_the_sent_answers(world):
    client = world.client(world.manager)
    expected = [world.sent.pk, world.draft.pk, world.skipped.pk, world.other_sent.pk]
    assert ids(client.get("/api/v1/checkins/")) == sorted(expected)
    row = client.get(f"/api/v1/checkins/{world.sent.pk}/").json()
    assert (row["venture"], row["cohort"], row["month"], row["status"]) == (
        world.venture.pk,
        world.cohort.pk,
        "2026-10-01",
        "submitted",
    )
    assert row["submitted_by"] == world.member.pk and row["changed_at"]
    answers = {answer["metric"]: answer for answer in row["answers"]}
    revenue = world.metric_set.metrics.get(standard="revenue")
    assert answers[revenue.pk] == {"metric": revenue.pk, "value": "-150.50", "currency": "ILS"}
    assert answers[world.own.pk] == {"metric": world.own.pk, "value": True, "currency": None}
    assert answers[world.metric_set.metrics.get(standard="clients").pk]["value"] == 3
    assert answers[world.metric_set.metrics.get(standard="highlight").pk]["value"] == "Fine"
    draft = client.get(f"/api/v1/checkins/{world.draft.pk}/").json()
    assert draft["status"] == "draft" and draft["answers"] == []
    skipped = client.get(f"/api/v1/checkins/{world.skipped.pk}/").json()
    assert skipped["skip_reason"] == "Closed"


def test_a_cohort_s_mentor_reads_its_ventures_check_ins_only(world):
    client = world.client(world.mentor)
    assert ids(client.get("/api/v1/checkins/")) == sorted([world.sent.pk, world.draft.pk, world.skipped.pk])
    assert client.get(f"/api/v1/checkins/{world.other_sent.pk}/").status_code == 404


def test_a_member_reads_their_own_venture_s_check_ins_only(world):
    client = world.client(world.member)
    assert ids(client.get("/api/v1/checkins/")) == sorted([world.sent.pk, world.draft.pk])
    assert client.get(f"/api/v1/checkins/{world.sent.pk}/").json()["submitted_by"] is None  # the managers' to read
    assert client.get(f"/api/v1/checkins/{world.skipped.pk}/").status_code == 404


def test_a_withdrawn_member_reads_nothing_more(world):
    membership = Membership.objects.get(person=world.member, cohort=world.cohort)
    membership_status_change(membership=membership, status="withdrawn", reason="Moved", on=None, by=world.manager)
    assert ids(world.client(world.member).get("/api/v1/checkins/")) == []


@pytest.mark.parametrize("persona", ["other_manager", "outsider", "program_mentor"])
def test_others_read_nothing(world, persona):
    client = world.client(getattr(world, persona))
    assert ids(client.get("/api/v1/checkins/")) == []
    assert ids(client.get("/api/v1/checkin-metrics/")) == []
    assert client.get(f"/api/v1/checkins/{world.sent.pk}/").status_code == 404
    assert client.get(f"/api/v1/checkin-metrics/{world.own.pk}/").status_code == 404


def test_a_token_naming_only_another_program_reads_nothing_of_this_one(world):
    client = api_client(world.manager, [world.other_program])
    assert client.get(f"/api/v1/checkins/{world.sent.pk}/").status_code == 404


def test_check_ins_without_the_scope_are_403(world):
    client = world.client(world.manager, scopes=["mentoring:read"])
    assert client.get("/api/v1/checkins/").status_code == 403
    assert client.get("/api/v1/checkin-metrics/").status_code == 403


def test_check_ins_are_read_only(world):
    client = world.client(world.manager)
    assert client.post("/api/v1/checkins/", {}, format="json").status_code == 405
    assert client.delete(f"/api/v1/checkins/{world.sent.pk}/").status_code == 405


def test_metrics_in_the_request_s_language_for_those_who_read_check_ins(world):
    for person in (world.manager, world.mentor, world.member):
        rows = world.client(person).get("/api/v1/checkin-metrics/").json()["results"]
        assert len(rows) == 8, person
    rows = world.client(world.manager).get("/api/v1/checkin-metrics/", headers={"accept-language": "fr"})
    by_code = {row["standard"] or row["name"]: row for row in rows.json()["results"]}
    assert by_code["revenue"]["label"] == "Chiffre d’affaires" and by_code["revenue"]["kind"] == "money"
    assert by_code["Kilns fired"]["label"] == "Kilns fired" and by_code["Kilns fired"]["currency"] == "ILS"
    assert by_code["Kilns fired"]["program"] == world.program.pk and by_code["Kilns fired"]["retired"] is False


def test_check_ins_filter_by_venture_cohort_months_and_status(world):
    client = world.client(world.manager)
    assert ids(client.get("/api/v1/checkins/", {"venture": world.venture.pk})) == sorted(
        [world.sent.pk, world.draft.pk]
    )
    assert ids(client.get("/api/v1/checkins/", {"cohort": world.second_cohort.pk})) == [world.other_sent.pk]
    months = {"month_from": "2026-10-15", "month_to": "2026-10-31"}
    assert ids(client.get("/api/v1/checkins/", months)) == sorted([world.sent.pk, world.skipped.pk])
    assert ids(client.get("/api/v1/checkins/", {"month_to": "2026-09-01"})) == [world.other_sent.pk]
    assert ids(client.get("/api/v1/checkins/", {"status": "skipped"})) == [world.skipped.pk]
    assert ids(client.get("/api/v1/checkin-metrics/", {"program": world.other_program.pk})) == []


@pytest.mark.parametrize(
    "query",
    [
        "?status=lost",
        "?venture=x",
        "?cohort=0",
        "?venture=99999999999999999999",
        "?month_from=2026-13-01",
        "?month_to=0001-01-01",
        "?month_from=99999-01-01",
        "?months=2026-10",
        "?expand=answers",
    ],
)
def test_odd_check_in_filters_are_400(world, query):
    response = world.client(world.manager).get(f"/api/v1/checkins/{query}")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"


def test_updated_since_lists_the_check_in_just_sent(world):
    client = world.client(world.manager)
    # changed_at is the database's clock, which time-machine does not move.
    since = CheckIn.objects.aggregate(latest=Max("changed_at"))["latest"] + datetime.timedelta(microseconds=1)
    sent = checkin_submit(
        venture=world.venture, month=NOVEMBER, typed=typed_for(world.metric_set), currency="ILS", by=world.member
    )
    assert ids(client.get("/api/v1/checkins/", {"updated_since": since.isoformat()})) == [sent.pk]


def test_the_venture_expands(world):
    rows = world.client(world.manager).get("/api/v1/checkins/", {"venture": world.venture.pk, "expand": "venture"})
    assert {row["venture"]["name"] for row in rows.json()["results"]} == {"Mira Studio"}
    assert rows.json()["results"][0]["venture"]["member_ids"] == [world.member.pk]


# The same number of queries for one row and for 500


def many_checkins(world, count):
    people = User.objects.bulk_create(User(email=f"many{n}@example.org", name=f"Many {n}") for n in range(count))
    ventures = Venture.objects.bulk_create(Venture(cohort=world.cohort, name=f"Venture {n}") for n in range(count))
    Membership.objects.bulk_create(Membership(person=person, cohort=world.cohort) for person in people)
    checkins = CheckIn.objects.bulk_create(
        CheckIn(venture=venture, month=OCTOBER, status="submitted", submitted_at=NOW, submitted_by=person)
        for venture, person in zip(ventures, people, strict=True)
    )
    from cohorts.models import CheckInAnswer

    metrics = list(world.metric_set.metrics.all())
    CheckInAnswer.objects.bulk_create(
        CheckInAnswer(checkin=checkin, metric=metric, typed="1", count=1 if metric.kind == "count" else None)
        for checkin in checkins
        for metric in metrics
    )


def many_metrics(world, count):
    for number in range(count):
        metric_add(metric_set=world.metric_set, name=f"Own {number}", kind="count", by=None)


@pytest.mark.parametrize(
    ("url", "grow", "queries"),
    [
        # token; the token's programs with the person's roles in them; the page; the sent answers with their metrics
        ("/api/v1/checkins/?page_size=200", many_checkins, 4),
        # the same and the expanded ventures' teams
        ("/api/v1/checkins/?page_size=200&expand=venture", many_checkins, 5),
        # token; the token's programs; the page with its metric sets
        ("/api/v1/checkin-metrics/?page_size=200", many_metrics, 3),
    ],
)
@pytest.mark.parametrize("count", [1, 500])
def test_lists_run_a_fixed_number_of_queries(world, django_assert_num_queries, url, grow, queries, count):
    grow(world, count)
    client = world.client(world.manager)
    client.get("/api/v1/programs/")  # the token's first use is written down; later uses within a minute are not
    with django_assert_num_queries(queries):
        response = client.get(url)
    assert response.status_code == 200
    assert len(response.json()["results"]) >= min(count, 200)
