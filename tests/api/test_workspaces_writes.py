"""Booking and cancelling through the API, for the token's person, by the services' rules; refusals as problem
documents: 404 outside the person's spaces, 409 for a slot just taken or a booking no longer active, 400 naming
the field, 403 for a token that may only read."""

import datetime

import pytest
import time_machine

from tests.api.workspaces_world import TUESDAY, book, day_of, world_fixture  # noqa: F401 - the fixture
from tests.factories import CohortFactory, accept
from tests.workspaces.factories import make_plan, make_resource
from workspaces.models import Booking, Induction

pytestmark = pytest.mark.django_db


# Booking through the API


def test_a_participant_books_with_wall_clock_times(world):
    wednesday = TUESDAY + datetime.timedelta(days=1)
    response = world.client(world.person).post(
        "/api/v1/bookings/", {"resource": world.desk.pk, **day_of(wednesday)}, format="json"
    )
    assert response.status_code == 201, response.content
    row = response.json()
    assert row["starts"] == "2026-06-03T08:00:00+03:00"
    booking = Booking.objects.get(pk=row["id"])
    assert booking.person == world.person
    assert booking.ledger_lines.count() == 1


def test_a_slot_taken_is_409(world):
    response = world.client(world.other_person).post(
        "/api/v1/bookings/", {"resource": world.desk.pk, **day_of(TUESDAY)}, format="json"
    )
    assert response.status_code == 409
    assert response["Content-Type"] == "application/problem+json"
    assert "Just taken" in response.json()["detail"]


def test_an_aware_time_is_refused_with_the_reason(world):
    body = {"resource": world.desk.pk, "starts": "2026-06-03T05:00:00Z", "ends": "2026-06-03T15:00:00+00:00"}
    response = world.client(world.person).post("/api/v1/bookings/", body, format="json")
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert "without an offset" in errors["starts"][0]
    assert "without an offset" in errors["ends"][0]


@pytest.mark.parametrize(
    ("body", "field", "words"),
    [
        ({"starts": "2026-06-03T18:00", "ends": "2026-06-03T08:00"}, "ends", "ends after it starts"),
        ({"starts": "2026-06-03T09:00", "ends": "2026-06-03T18:00"}, "starts", "full day"),
        ({"starts": "2026-05-31T08:00", "ends": "2026-05-31T18:00"}, "starts", "already begun"),
        ({"starts": "2026-06-05T08:00", "ends": "2026-06-05T18:00"}, "starts", "closed"),
        ({"starts": "2027-06-03T08:00", "ends": "2027-06-03T18:00"}, "starts", "days ahead"),
        ({"starts": "3000-06-03T08:00", "ends": "3000-06-03T18:00"}, "starts", "between"),
        ({"starts": "tomorrow", "ends": 8}, "ends", "YYYY-MM-DD"),
    ],
)
def test_a_refused_booking_is_400_with_the_service_s_message_on_its_field(world, body, field, words):
    response = world.client(world.person).post("/api/v1/bookings/", {"resource": world.desk.pk, **body}, format="json")
    assert response.status_code == 400, response.content
    assert words in " ".join(response.json()["errors"][field])


def test_a_resource_needing_an_induction_is_refused_on_the_resource(world):
    printer = make_resource(world.space, "Laser", induction_type="laser cutter")
    body = {"resource": printer.pk, **day_of(TUESDAY)}
    response = world.client(world.person).post("/api/v1/bookings/", body, format="json")
    assert response.status_code == 400
    assert "induction" in response.json()["errors"]["resource"][0]
    Induction.objects.create(
        space=world.space, person=world.person, induction_type="laser cutter", inducted_on=datetime.date(2026, 1, 1)
    )
    assert world.client(world.person).post("/api/v1/bookings/", body, format="json").status_code == 201


def test_the_weekly_limit_is_the_request_s_as_a_whole(world):
    world.space.weekly_limit = 1
    world.space.save()
    body = {"resource": world.desk.pk, **day_of(TUESDAY + datetime.timedelta(days=1))}
    response = world.client(world.person).post("/api/v1/bookings/", body, format="json")
    assert response.status_code == 400
    assert "this week" in response.json()["errors"]["non_field_errors"][0]


def test_a_resource_the_caller_may_not_book_is_404(world):
    theirs = make_resource(world.other_space, "Their desk")
    for person, resource in ((world.person, theirs), (world.outsider, world.desk), (world.other_manager, world.desk)):
        body = {"resource": resource.pk, **day_of(TUESDAY + datetime.timedelta(days=1))}
        assert world.client(person).post("/api/v1/bookings/", body, format="json").status_code == 404
    assert not Booking.objects.exclude(pk=world.booking.pk).exists()


@pytest.mark.parametrize("body", [{}, {"resource": "desk"}, {"resource": 0}, {"resource": 2**63}, [1, 2], "x"])
def test_a_malformed_body_is_400(world, body):
    response = world.client(world.person).post("/api/v1/bookings/", body, format="json")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"


def test_malformed_json_is_400(world):
    response = world.client(world.person).post("/api/v1/bookings/", "{", content_type="application/json")
    assert response.status_code == 400


# Cancelling through the API


def test_a_participant_cancels_their_booking_once(world):
    client = world.client(world.person)
    response = client.post(f"/api/v1/bookings/{world.booking.pk}/cancel/")
    assert response.status_code == 200, response.content
    # 23 hours ahead, inside the space's 24 hours' notice: cancelled late, still charged.
    assert response.json()["status"] == "late_cancelled"
    again = client.post(f"/api/v1/bookings/{world.booking.pk}/cancel/")
    assert again.status_code == 409
    assert again["Content-Type"] == "application/problem+json"


def test_a_cancellation_in_time_is_refunded(world):
    later = book(world.desk, world.person, TUESDAY + datetime.timedelta(days=2))
    response = world.client(world.person).post(f"/api/v1/bookings/{later.pk}/cancel/")
    assert response.json()["status"] == "cancelled"
    assert sum(line.co_pay for line in later.ledger_lines.all()) == 0


def test_a_manager_reads_but_may_not_cancel_a_participant_s_booking(world):
    response = world.client(world.manager).post(f"/api/v1/bookings/{world.booking.pk}/cancel/")
    assert response.status_code == 403
    assert "your own" in response.json()["detail"]


def test_others_cannot_reach_the_booking_to_cancel(world):
    for person in (world.other_person, world.outsider, world.other_manager):
        assert world.client(person).post(f"/api/v1/bookings/{world.booking.pk}/cancel/").status_code == 404
    assert Booking.objects.get(pk=world.booking.pk).status == Booking.Status.ACTIVE


def test_a_booking_begun_is_400(world):
    with time_machine.travel(datetime.datetime(2026, 6, 2, 6, 0, tzinfo=datetime.UTC), tick=False):
        response = world.client(world.person).post(f"/api/v1/bookings/{world.booking.pk}/cancel/")
    assert response.status_code == 400
    assert "already started" in response.json()["errors"]["starts"][0]


def test_a_read_token_may_not_book_or_cancel(world):
    client = world.client(world.person, scopes=["workspaces:read"])
    body = {"resource": world.desk.pk, **day_of(TUESDAY + datetime.timedelta(days=1))}
    assert client.post("/api/v1/bookings/", body, format="json").status_code == 403
    assert client.post(f"/api/v1/bookings/{world.booking.pk}/cancel/").status_code == 403
    assert Booking.objects.filter(status=Booking.Status.ACTIVE).count() == 1


def _shared_with_a_later_cohort(world):
    """The space shared with another program the person also joined, later: their bookings there are now under
    its membership and subsidy plan."""
    later = CohortFactory(starts_on=datetime.date(2026, 5, 1))
    world.space.programs.add(later.program)
    make_plan(later, world.space)
    accept(later, world.person)
    return later


def test_a_token_books_only_under_a_membership_of_a_program_it_names(world):
    later = _shared_with_a_later_cohort(world)
    client = world.client(world.person, programs=[world.program])
    wednesday = TUESDAY + datetime.timedelta(days=1)
    response = client.post("/api/v1/bookings/", {"resource": world.desk.pk, **day_of(wednesday)}, format="json")
    assert response.status_code == 403, response.content
    assert response["Content-Type"] == "application/problem+json"
    assert not Booking.objects.filter(person=world.person, plan__cohort=later).exists()
    named_both = world.client(world.person, programs=[world.program, later.program])
    response = named_both.post("/api/v1/bookings/", {"resource": world.desk.pk, **day_of(wednesday)}, format="json")
    assert response.status_code == 201, response.content
    assert Booking.objects.get(pk=response.json()["id"]).plan.cohort == later


def test_a_token_cancels_only_bookings_counted_under_a_program_it_names(world):
    later = _shared_with_a_later_cohort(world)
    wednesday = TUESDAY + datetime.timedelta(days=1)
    theirs = book(world.desk, world.person, day=wednesday)
    assert theirs.plan.cohort == later
    response = world.client(world.person, programs=[world.program]).post(f"/api/v1/bookings/{theirs.pk}/cancel/")
    assert response.status_code == 403, response.content
    theirs.refresh_from_db()
    assert theirs.status == Booking.Status.ACTIVE
