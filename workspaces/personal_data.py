"""Workspaces' part of a person's data: their download, and erasure.

Kept on erasure, under the anonymised account: bookings and their ledger lines, which the space's reports, the
subsidy budgets and the monthly statements add up (a ledger is only ever added to). The person's future
bookings are cancelled under the space's usual rules, so the desks they held are free again. Removed: their
inductions, which only say that this person may use a machine."""

from django.utils import timezone

from incubator.personal_data import PersonalDataSection
from workspaces.models import Booking, Induction, LedgerLine
from workspaces.services import booking_cancel


def workspaces_export(user) -> PersonalDataSection:
    """Three queries: bookings, ledger lines (the statements), inductions."""
    bookings = [
        {
            "id": b.pk,
            "space": b.resource.space.name,
            "resource": b.resource.name,
            "starts_at": b.period.lower,
            "ends_at": b.period.upper,
            "status": b.status,
            "units": b.units,
            "booked_at": b.created_at,
            "cancelled_at": b.cancelled_at,
            "checked_in_at": b.checked_in_at,
            "released_at": b.released_at,
        }
        for b in Booking.objects.filter(person=user).select_related("resource__space").order_by("period", "pk")
    ]
    statements = list(
        LedgerLine.objects.filter(person=user)
        .order_by("month", "created_at", "pk")
        .values(
            "booking_id",
            "month",
            "units",
            "subsidised_units",
            "list_price",
            "subsidy",
            "co_pay",
            "currency",
            "note",
            "created_at",
        )
    )
    inductions = list(
        Induction.objects.filter(person=user)
        .order_by("inducted_on", "pk")
        .values("space__name", "induction_type", "inducted_on", "expires_on")
    )
    return PersonalDataSection(data={"bookings": bookings, "statements": statements, "inductions": inductions})


def workspaces_erase(user) -> None:
    future = Booking.objects.filter(person=user, status=Booking.Status.ACTIVE, period__startswith__gt=timezone.now())
    for booking in future:
        booking_cancel(booking=booking, by=user)
    Induction.objects.filter(person=user).delete()
