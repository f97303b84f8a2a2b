"""The workspaces endpoints read: spaces, resources, bookings and ledger lines, each as the booking's person, another
participant, the program's manager, an outsider and a manager of another program (booking and cancelling:
test_workspaces_writes.py)."""

import datetime
from decimal import Decimal

import pytest
from django.db.backends.postgresql.psycopg_any import DateTimeTZRange

from tests.api.workspaces_world import TUESDAY, book, ids, world_fixture  # noqa: F401 - the fixture
from tests.workspaces.factories import make_plan, make_resource, participant
from workspaces import services
from workspaces.models import Booking, LedgerLine, Resource, Space

pytestmark = pytest.mark.django_db


# Spaces


def test_a_space_lists_for_its_participants_and_managers(world):
    for person in (world.person, world.other_person, world.manager):
        assert ids(world.client(person).get("/api/v1/spaces/")) == [world.space.pk]
    row = world.client(world.person).get(f"/api/v1/spaces/{world.space.pk}/").json()
    assert row["time_zone"] == "Asia/Jerusalem"
    assert row["currency"] == "ILS"
    assert row["programs"] == [world.program.pk]
    assert row["changed_at"]


def test_outsiders_and_other_managers_get_no_space(world):
    for person in (world.outsider, world.other_manager):
        client = world.client(person)
        assert world.space.pk not in ids(client.get("/api/v1/spaces/"))
        assert client.get(f"/api/v1/spaces/{world.space.pk}/").status_code == 404


def test_a_space_through_a_program_the_token_does_not_name_is_404(world):
    client = world.client(world.person, programs=[world.other_program])
    assert ids(client.get("/api/v1/spaces/")) == []
    assert client.get(f"/api/v1/spaces/{world.space.pk}/").status_code == 404


def test_a_shared_space_names_only_the_caller_s_programs(world):
    world.space.programs.add(world.other_program)
    row = world.client(world.manager).get(f"/api/v1/spaces/{world.space.pk}/").json()
    assert row["programs"] == [world.program.pk]


# Resources


def test_resources_show_price_unit_and_induction(world):
    printer = make_resource(world.space, "Printer", unit=Resource.Unit.HOUR, price="12.50", induction_type="printer")
    rows = {row["id"]: row for row in world.client(world.person).get("/api/v1/resources/").json()["results"]}
    assert rows[world.desk.pk]["price"] == {"amount": "80.00", "currency": "ILS"}
    assert rows[world.desk.pk]["induction_required"] is False
    assert rows[printer.pk]["unit"] == "hour"
    assert rows[printer.pk]["induction_required"] is True
    assert rows[printer.pk]["induction_type"] == "printer"


def test_a_resource_out_of_booking_shows_to_managers_only(world):
    retired = make_resource(world.space, "Old desk", is_active=False)
    assert ids(world.client(world.person).get("/api/v1/resources/")) == [world.desk.pk]
    assert world.client(world.person).get(f"/api/v1/resources/{retired.pk}/").status_code == 404
    assert ids(world.client(world.manager).get("/api/v1/resources/")) == sorted([world.desk.pk, retired.pk])


def test_resources_filter_by_space_and_hide_others(world):
    theirs = make_resource(world.other_space, "Their desk")
    client = world.client(world.manager)
    assert ids(client.get("/api/v1/resources/", {"space": world.space.pk})) == [world.desk.pk]
    assert ids(client.get("/api/v1/resources/", {"space": world.other_space.pk})) == []
    assert client.get(f"/api/v1/resources/{theirs.pk}/").status_code == 404
    for person in (world.outsider, world.other_manager):
        assert world.desk.pk not in ids(world.client(person).get("/api/v1/resources/"))


def test_an_expanded_resource_carries_its_space(world):
    row = world.client(world.person).get(f"/api/v1/resources/{world.desk.pk}/?expand=space").json()
    assert row["space"]["slug"] == world.space.slug
    assert row["space"]["programs"] == [world.program.pk]


# Bookings


def test_a_participant_reads_their_own_bookings_only(world):
    theirs = book(world.desk, world.other_person, TUESDAY + datetime.timedelta(days=1))
    client = world.client(world.person)
    assert ids(client.get("/api/v1/bookings/")) == [world.booking.pk]
    assert client.get(f"/api/v1/bookings/{theirs.pk}/").status_code == 404
    row = client.get(f"/api/v1/bookings/{world.booking.pk}/").json()
    assert row["starts"] == "2026-06-02T08:00:00+03:00"
    assert row["ends"] == "2026-06-02T18:00:00+03:00"
    assert (row["space"], row["resource"], row["person"], row["status"]) == (
        world.space.pk,
        world.desk.pk,
        world.person.pk,
        "active",
    )


def test_the_program_s_manager_reads_the_bookings_its_plans_pay_for(world):
    theirs = book(world.desk, world.other_person, TUESDAY + datetime.timedelta(days=1))
    assert ids(world.client(world.manager).get("/api/v1/bookings/")) == sorted([world.booking.pk, theirs.pk])


def test_outsiders_and_other_managers_read_no_booking(world):
    for person in (world.outsider, world.other_manager):
        client = world.client(person)
        assert ids(client.get("/api/v1/bookings/")) == []
        assert client.get(f"/api/v1/bookings/{world.booking.pk}/").status_code == 404


def test_a_manager_sharing_a_space_does_not_read_the_other_program_s_bookings(world):
    world.space.programs.add(world.other_program)
    theirs = participant(world.other_cohort)
    make_plan(world.other_cohort, world.space)
    their_booking = book(world.desk, theirs, TUESDAY + datetime.timedelta(days=1))
    assert ids(world.client(world.manager).get("/api/v1/bookings/")) == [world.booking.pk]
    assert ids(world.client(world.other_manager).get("/api/v1/bookings/")) == [their_booking.pk]


def test_bookings_filter(world):
    room = make_resource(world.space, "Room", kind=Resource.Kind.ROOM)
    wednesday = TUESDAY + datetime.timedelta(days=1)
    in_room = book(room, world.person, wednesday)
    cancelled = book(world.desk, world.person, wednesday + datetime.timedelta(days=1))
    services.booking_cancel(booking=cancelled, by=world.person)
    client = world.client(world.person)
    assert ids(client.get("/api/v1/bookings/", {"resource": room.pk})) == [in_room.pk]
    assert ids(client.get("/api/v1/bookings/", {"space": world.other_space.pk})) == []
    assert ids(client.get("/api/v1/bookings/", {"status": "cancelled"})) == [cancelled.pk]
    assert ids(client.get("/api/v1/bookings/", {"starts_after": "2026-06-03T00:00:00+03:00"})) == sorted(
        [in_room.pk, cancelled.pk]
    )
    assert ids(client.get("/api/v1/bookings/", {"starts_before": "2026-06-03T00:00:00+03:00"})) == [world.booking.pk]
    # An offset Python takes and PostgreSQL would not (past ±16 hours): the same instant in UTC.
    assert ids(client.get("/api/v1/bookings/", {"starts_before": "2026-06-03T20:00:00+23:00"})) == [world.booking.pk]


@pytest.mark.parametrize(
    "query",
    [
        {"status": "lost"},
        {"space": "x"},
        {"resource": "0"},
        {"resource": str(2**63)},
        {"starts_after": "soon"},
        {"starts_before": "9999-12-31T23:59:59-05:00"},
        {"expand": "person"},
    ],
)
def test_odd_booking_filters_are_400(world, query):
    response = world.client(world.person).get("/api/v1/bookings/", query)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"


def test_an_expanded_booking_carries_its_resource(world):
    row = world.client(world.person).get(f"/api/v1/bookings/{world.booking.pk}/?expand=resource").json()
    assert row["resource"]["name"] == world.desk.name
    assert row["resource"]["price"]["currency"] == "ILS"


# Scopes


def test_a_token_without_the_workspaces_scope_is_403(world):
    client = world.client(world.person, scopes=["cohorts:read"])
    for url in ("/api/v1/spaces/", "/api/v1/resources/", "/api/v1/bookings/", "/api/v1/ledger-lines/"):
        assert client.get(url).status_code == 403


def test_a_write_token_alone_may_not_read(world):
    client = world.client(world.person, scopes=["workspaces:write"])
    assert client.get("/api/v1/bookings/").status_code == 403


# Ledger lines


def test_ledger_lines_as_the_statement_and_the_report_show_them(world):
    line = world.client(world.person).get(f"/api/v1/ledger-lines/{world.line.pk}/").json()
    # 80 ILS, 75 % paid by the plan.
    assert (line["list_price"], line["subsidy"], line["co_pay"], line["currency"]) == ("80.00", "60.00", "20.00", "ILS")
    assert line["month"] == "2026-06-01"
    assert ids(world.client(world.manager).get("/api/v1/ledger-lines/")) == [world.line.pk]
    for person in (world.other_person, world.outsider, world.other_manager):
        client = world.client(person)
        assert ids(client.get("/api/v1/ledger-lines/")) == []
        assert client.get(f"/api/v1/ledger-lines/{world.line.pk}/").status_code == 404


def test_ledger_lines_filter_by_month(world):
    july = book(world.desk, world.person, datetime.date(2026, 6, 30))
    july_line = july.ledger_lines.get()
    LedgerLine.objects.filter(pk=july_line.pk).update(month=datetime.date(2026, 7, 1))
    client = world.client(world.person)
    assert ids(client.get("/api/v1/ledger-lines/", {"month": "2026-06"})) == [world.line.pk]
    assert ids(client.get("/api/v1/ledger-lines/", {"after": "2026-07"})) == [july_line.pk]
    assert ids(client.get("/api/v1/ledger-lines/", {"before": "2026-07"})) == [world.line.pk]
    assert ids(client.get("/api/v1/ledger-lines/", {"after": "2026-06", "before": "2026-08"})) == sorted(
        [world.line.pk, july_line.pk]
    )


@pytest.mark.parametrize("query", [{"month": "2026-13"}, {"month": "June"}, {"after": "9999-12"}, {"before": "1"}])
def test_odd_months_are_400(world, query):
    response = world.client(world.person).get("/api/v1/ledger-lines/", query)
    assert response.status_code == 400
    assert "YYYY-MM" in str(response.json()["errors"])


def test_an_expanded_ledger_line_carries_its_booking(world):
    row = world.client(world.person).get(f"/api/v1/ledger-lines/{world.line.pk}/?expand=booking").json()
    assert row["booking"]["starts"] == "2026-06-02T08:00:00+03:00"


def test_updated_since_finds_a_cancelled_booking(world):
    client = world.client(world.person)
    # changed_at is the database's clock, not the frozen one.
    since = (Booking.objects.get(pk=world.booking.pk).changed_at + datetime.timedelta(microseconds=1)).isoformat()
    assert ids(client.get("/api/v1/bookings/", {"updated_since": since})) == []
    services.booking_cancel(booking=world.booking, by=world.person)
    assert ids(client.get("/api/v1/bookings/", {"updated_since": since})) == [world.booking.pk]


# A fixed number of queries, for 1 row and for 500


def _many_spaces(world, n):
    spaces = Space.objects.bulk_create(Space(name=f"Space {i}", slug=f"space-{i}") for i in range(n))
    Space.programs.through.objects.bulk_create(
        Space.programs.through(space=space, program=world.program) for space in spaces
    )


def _many_resources(world, n):
    Resource.objects.bulk_create(Resource(space=world.space, name=f"Desk {i} b", price=Decimal(5)) for i in range(n))


def _many_bookings(world, n):
    start = datetime.datetime(2030, 1, 1, 8, tzinfo=datetime.UTC)
    bookings = Booking.objects.bulk_create(
        Booking(
            resource=world.desk,
            person=world.person,
            plan=world.plan,
            units=1,
            period=DateTimeTZRange(start + datetime.timedelta(days=i), start + datetime.timedelta(days=i, hours=8)),
        )
        for i in range(n)
    )
    return bookings


def _many_lines(world, n):
    LedgerLine.objects.bulk_create(
        LedgerLine(
            booking=booking,
            person=world.person,
            plan=world.plan,
            month=datetime.date(2030, 1, 1),
            units=1,
            subsidised_units=1,
            list_price=80,
            subsidy=60,
            co_pay=20,
            currency="ILS",
        )
        for booking in _many_bookings(world, n)
    )


# Every list: the token with its programs (1), which of them the person holds a role in and manages (1).
ROLES = 2


@pytest.mark.parametrize(
    ("url", "more", "queries"),
    [
        # the spaces (1), their programs (1)
        ("/api/v1/spaces/", _many_spaces, ROLES + 2),
        # the resources (1), their spaces expanded (1) and those spaces' programs (1)
        ("/api/v1/resources/?expand=space", _many_resources, ROLES + 3),
        # the bookings with their space's id and time zone (1), their resources expanded (1)
        ("/api/v1/bookings/?expand=resource", _many_bookings, ROLES + 2),
        # the lines (1), their bookings expanded (1)
        ("/api/v1/ledger-lines/?expand=booking", _many_lines, ROLES + 2),
    ],
)
def test_lists_run_a_fixed_number_of_queries(world, django_assert_num_queries, url, more, queries):
    client = world.client(world.manager)
    client.get(url)  # the token's first use is written once
    with django_assert_num_queries(queries):
        assert len(client.get(url + ("&" if "?" in url else "?") + "page_size=200").json()["results"]) >= 1
    more(world, 499)
    with django_assert_num_queries(queries):
        assert len(client.get(url + ("&" if "?" in url else "?") + "page_size=200").json()["results"]) == 200
