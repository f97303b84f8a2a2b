"""What of workspaces the audit history shows (incubator/history.py): subsidy plans and bookings. Who made a
booking is the event's actor and whom it is for its person, so a booking made for someone else shows both."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from incubator.history import Kind, register_kind, sentence


def _plan(event) -> str:
    return sentence(_("Subsidy plan of %(cohort)s in %(space)s"), cohort=event.cohort.name, space=event.space.name)


def _booking(event) -> str:
    return sentence(_("Booking of %(resource)s for %(person)s"), resource=event.resource.name, person=event.person)


def register() -> None:
    register_kind(
        Kind(
            key="subsidy_plan",
            label=gettext_lazy("Subsidy plans"),
            model="workspaces.SubsidyPlanEvent",
            program_path="cohort__program",
            describe=_plan,
            related=("cohort", "space"),
            ignored=("cohort", "space"),
        )
    )
    # A booking belongs to the program whose subsidy plan pays for it; one at full price without a plan
    # belongs to no program and shows only to superusers (in the admin's booking list).
    register_kind(
        Kind(
            key="booking",
            label=gettext_lazy("Bookings"),
            model="workspaces.BookingEvent",
            program_path="plan__cohort__program",
            describe=_booking,
            related=("resource", "person"),
            ignored=("resource", "person", "plan", "units", "changed_at"),
        )
    )
