"""Saving a person's availability: its settings, weekly windows and exceptions, all at once, as one action."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from cohorts.models import Availability, AvailabilityException, AvailabilityWindow, Program
from incubator.audit import audit_record
from incubator.history import recorded_by
from incubator.models import User

SETTINGS = (
    "time_zone",
    "slot_minutes",
    "notice_hours",
    "horizon_days",
    "cancel_hours",
    "place",
    "online_link",
    "active",
)


def _summary(availability: Availability, windows: list[dict], exceptions: list[dict]) -> dict:
    return {
        **{name: getattr(availability, name) for name in SETTINGS},
        "windows": [f"{w['weekday']} {w['starts']:%H:%M}-{w['ends']:%H:%M}" for w in windows],
        "exceptions": [
            f"{e['on']:%Y-%m-%d} "
            + ("closed" if e["closed"] else "open")
            + (f" {e['starts']:%H:%M}-{e['ends']:%H:%M}" if e["starts"] else "")
            for e in exceptions
        ],
    }


def _rows(availability: Availability) -> tuple[list[dict], list[dict]]:
    windows = [{"weekday": w.weekday, "starts": w.starts, "ends": w.ends} for w in availability.windows.all()]
    exceptions = [
        {"on": e.on, "closed": e.closed, "starts": e.starts, "ends": e.ends} for e in availability.exceptions.all()
    ]
    return windows, exceptions


@recorded_by
def availability_save(
    *,
    availability: Availability | None,
    program: Program,
    owner: User,
    purpose: str,
    settings: dict,
    windows: list[dict],
    exceptions: list[dict],
    by: User,
) -> Availability:
    """Create or replace the availability's rules: `settings` holds the fields of SETTINGS, `windows` rows of
    weekday/starts/ends, `exceptions` rows of on/closed/starts/ends (the forms' `rows()`). An office-hours
    availability is one per person and program: saved as new while one exists, the existing one is replaced."""
    if purpose not in Availability.Purpose.values:
        raise ValidationError(_("Choose what the availability is for."))
    with transaction.atomic():
        # The owner's row serialises two first saves of the same person's office hours.
        User.objects.select_for_update().filter(pk=owner.pk).first()
        if availability is None and purpose == Availability.Purpose.OFFICE_HOURS:
            availability = Availability.objects.filter(program=program, owner=owner, purpose=purpose).first()
        if availability is None:
            availability = Availability(program=program, owner=owner, purpose=purpose)
            before = None
        else:
            availability = Availability.objects.select_for_update().get(pk=availability.pk)
            if (availability.program_id, availability.owner_id) != (program.pk, owner.pk):
                raise ValidationError(_("This availability belongs to someone else."))
            before = _summary(availability, *_rows(availability))
        for name in SETTINGS:
            setattr(availability, name, settings[name])
        availability.full_clean(exclude=["program", "owner"], validate_unique=False, validate_constraints=False)
        availability.save()
        availability.windows.all().delete()
        availability.exceptions.all().delete()
        AvailabilityWindow.objects.bulk_create(AvailabilityWindow(availability=availability, **w) for w in windows)
        AvailabilityException.objects.bulk_create(
            AvailabilityException(availability=availability, **e) for e in exceptions
        )
        audit_record(
            actor=by,
            action="availability.save",
            obj=availability,
            before=before,
            after=_summary(availability, windows, exceptions),
        )
    return availability
