"""The rules a new booking must pass, one function per rule, in the order `services.booking_create` calls them.

Each raises ValidationError (PermissionDenied for who may book) with the message the person reads. The
database's exclusion constraint is what makes double booking impossible; these give the clearer messages."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from cohorts.models import Membership
from incubator.models import User
from incubator.when import format_day
from workspaces.access import booker_membership, manages_space
from workspaces.models import Booking, ClosedDate, Induction, OpeningHours, Resource, Space
from workspaces.periods import days_range, space_today, week_start

# A period that is not a whole unit of the resource within the day's opening hours.
SHAPE = "shape"


def check_resource_bookable(resource: Resource) -> None:
    if not resource.is_active:
        raise ValidationError(
            _("%(resource)s cannot be booked at the moment.") % {"resource": resource.name}, code="not_bookable"
        )


def check_booker(space: Space, person: User) -> Membership | None:
    """Active participants of the space's programs book here, and their staff; returns the participant's
    membership (None for staff), which decides the subsidy plan."""
    membership = booker_membership(space, person)
    if membership is None and not manages_space(person, space):
        raise PermissionDenied(_("Only active participants and staff of this space's programs book here."))
    return membership


def check_ends_after_start(starts: datetime.datetime, ends: datetime.datetime) -> None:
    if ends <= starts:
        raise ValidationError(_("A booking ends after it starts."), code="ends_before_start")


def check_one_day(starts: datetime.datetime, ends: datetime.datetime) -> None:
    if ends.date() != starts.date():
        raise ValidationError(_("A booking starts and ends on the same day."), code="not_one_day")


def check_not_begun(lower: datetime.datetime) -> None:
    if lower <= timezone.now():
        raise ValidationError(_("This time has already begun or passed."), code="begun")


def check_within_horizon(space: Space, day: datetime.date) -> None:
    horizon = datetime.timedelta(days=space.booking_horizon_days)
    if day > space_today(space) + horizon:
        raise ValidationError(
            _("Bookings open %(days)s days ahead: book this day from %(date)s.")
            % {"days": space.booking_horizon_days, "date": format_day(day - horizon)},
            code="beyond_horizon",
        )


def check_not_closed(space: Space, day: datetime.date) -> None:
    closed = ClosedDate.objects.filter(space=space, date=day).first()
    if closed is not None:
        raise ValidationError(
            _("%(space)s is closed on %(date)s. %(reason)s")
            % {"space": space.name, "date": format_day(day), "reason": closed.reason},
            code="closed",
        )


def check_open_weekday(space: Space, day: datetime.date) -> OpeningHours:
    """Returns the day's opening hours, which the period's shape is checked against."""
    hours = OpeningHours.objects.filter(space=space, weekday=day.weekday()).first()
    if hours is None:
        raise ValidationError(
            _("%(space)s is closed on %(weekday)s.") % {"space": space.name, "weekday": format_day(day, "dayname")},
            code="closed",
        )
    return hours


def check_shape(resource: Resource, hours: OpeningHours, starts: datetime.datetime, ends: datetime.datetime) -> None:
    """The period must be a whole unit of the resource inside the day's opening hours."""
    if resource.unit == Resource.Unit.DAY:
        _check_full_day(resource, hours, starts, ends)
    elif resource.unit == Resource.Unit.HALF_DAY:
        _check_half_day(resource, hours, starts, ends)
    else:
        _check_hours(resource, hours, starts, ends)


def _check_full_day(resource, hours, starts, ends) -> None:
    day = starts.date()
    if (starts, ends) != (datetime.datetime.combine(day, hours.opens), datetime.datetime.combine(day, hours.closes)):
        raise ValidationError(
            _("%(resource)s is booked by the full day, from %(opens)s to %(closes)s on one day.")
            % {"resource": resource.name, "opens": f"{hours.opens:%H:%M}", "closes": f"{hours.closes:%H:%M}"},
            code=SHAPE,
        )


def _check_half_day(resource, hours, starts, ends) -> None:
    opens, midday, closes = (
        datetime.datetime.combine(starts.date(), t) for t in (hours.opens, hours.midday, hours.closes)
    )
    if (starts, ends) not in [(opens, midday), (midday, closes)]:
        raise ValidationError(
            _("%(resource)s is booked by the half day: %(opens)s–%(midday)s or %(midday)s–%(closes)s.")
            % {
                "resource": resource.name,
                "opens": f"{hours.opens:%H:%M}",
                "midday": f"{hours.midday:%H:%M}",
                "closes": f"{hours.closes:%H:%M}",
            },
            code=SHAPE,
        )


def _check_hours(resource, hours, starts, ends) -> None:
    if starts.minute or starts.second or ends.minute or ends.second:
        raise ValidationError(_("Hourly bookings start and end on the hour."), code=SHAPE)
    day = starts.date()
    if starts < datetime.datetime.combine(day, hours.opens) or ends > datetime.datetime.combine(day, hours.closes):
        raise ValidationError(
            _("The space is open from %(opens)s to %(closes)s that day.")
            % {"opens": f"{hours.opens:%H:%M}", "closes": f"{hours.closes:%H:%M}"},
            code=SHAPE,
        )
    length = (ends - starts) // datetime.timedelta(hours=1)
    if not resource.min_hours <= length <= resource.max_hours:
        raise ValidationError(
            _("%(resource)s is booked for %(min)s to %(max)s hours at a time.")
            % {"resource": resource.name, "min": resource.min_hours, "max": resource.max_hours},
            code=SHAPE,
        )


def check_induction(resource: Resource, person: User, day: datetime.date) -> None:
    if not resource.induction_type:
        return
    valid = Induction.objects.filter(
        Q(expires_on__isnull=True) | Q(expires_on__gte=day),
        space=resource.space,
        person=person,
        induction_type__iexact=resource.induction_type,
        inducted_on__lte=day,
    )
    if not valid.exists():
        raise ValidationError(
            _(
                "%(resource)s needs a valid induction on the %(type)s. Ask the space's trainer or your program "
                "manager to book an induction with you; once it is recorded you can book it here."
            )
            % {"resource": resource.name, "type": resource.induction_type},
            code="no_induction",
        )


def check_weekly_limit(space: Space, person: User, day: datetime.date) -> None:
    this_week = Booking.objects.filter(
        person=person,
        status=Booking.Status.ACTIVE,
        resource__space=space,
        period__overlap=days_range(space, week_start(space, day), 7),
    ).count()
    if this_week >= space.weekly_limit:
        raise ValidationError(
            _("You already have %(count)s bookings in this week, the most this space allows.") % {"count": this_week},
            code="weekly_limit",
        )
