"""A person's workspaces data: what their download holds; erasure frees their future desks and keeps the ledger."""

import datetime
import io
import json
import zipfile

from incubator.personal_data import account_erase, personal_data_export
from tests.factories import UserFactory
from tests.workspaces.factories import participant
from workspaces import services
from workspaces.models import Booking, Induction, LedgerLine

D = datetime.datetime


def _data(user) -> dict:
    with zipfile.ZipFile(io.BytesIO(personal_data_export(user=user))) as opened:
        return json.loads(opened.read("data.json"))


def test_the_download_holds_bookings_statements_and_inductions(world):
    cohort, space, desk, person = world
    trainer = UserFactory()
    space.trainers.add(trainer)
    services.induction_record(
        space=space, person=person, induction_type="laser", inducted_on=datetime.date(2026, 5, 1), by=trainer
    )
    booking = services.booking_create(resource=desk, starts=D(2026, 6, 2, 8), ends=D(2026, 6, 2, 18), by=person)
    part = _data(person)["workspaces"]
    assert [b["id"] for b in part["bookings"]] == [booking.pk]
    assert part["bookings"][0]["resource"] == "Desk 1"
    assert [line["booking_id"] for line in part["statements"]] == [booking.pk]
    assert part["inductions"][0]["induction_type"] == "laser"
    # Someone else's download holds none of it.
    assert _data(participant(cohort))["workspaces"] == {"bookings": [], "statements": [], "inductions": []}


def test_erasure_frees_future_desks_keeps_the_ledger_and_forgets_inductions(world):
    cohort, space, desk, person = world
    trainer = UserFactory()
    space.trainers.add(trainer)
    services.induction_record(
        space=space, person=person, induction_type="laser", inducted_on=datetime.date(2026, 5, 1), by=trainer
    )
    booking = services.booking_create(resource=desk, starts=D(2026, 6, 9, 8), ends=D(2026, 6, 9, 18), by=person)
    subsidy_before = sum(line.subsidy for line in LedgerLine.objects.filter(booking=booking))
    assert subsidy_before > 0
    account_erase(user=person, by=person)
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CANCELLED
    # Lines are only added: the booking's charge and its reversal both stay, summing to nothing.
    assert LedgerLine.objects.filter(booking=booking).count() == 2
    assert sum(line.subsidy for line in LedgerLine.objects.filter(booking=booking)) == 0
    assert not Induction.objects.filter(person=person).exists()
    # The desk can be booked by someone else.
    other = participant(cohort)
    services.booking_create(resource=desk, starts=D(2026, 6, 9, 8), ends=D(2026, 6, 9, 18), by=other)
