"""The API's reading of spaces, resources, bookings and ledger lines, and booking and cancelling through it (the
access rule: cohorts/api.py; who books where: workspaces/access.py; what a row shows: workspaces/api_serializers.py).

Who reads what, as on the pages: a space and its active resources to whoever may book in it (its programs'
active participants and managers; a manager also the resources taken out of booking, as the admin shows them);
a booking or a ledger line to its person, and to the managers of the program whose subsidy plan pays for it (the
admin's booking list and the space report's statements: a program sharing a space with another never sees the
other's participants)."""

import datetime

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Exists, OuterRef, Prefetch, Q
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import exceptions, serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from cohorts.api import api_managed_ids, api_program_ids
from incubator import bounds
from incubator.api.lists import ApiReadViewSet, InstantField, ListParameters
from workspaces import booking_checks, services
from workspaces.access import booker_membership, spaces_for
from workspaces.api_serializers import (
    BookingSerializer,
    LedgerLineSerializer,
    ResourceSerializer,
    SpaceSerializer,
    booking_rows,
    resource_rows,
)
from workspaces.models import Booking, LedgerLine, Resource, Space, SubsidyPlan

ID_FIELD = {"required": False, "min_value": 1, "max_value": bounds.MAX_BIGINT}


def api_spaces(request):
    """The spaces the person may book in through the token's programs, annotated `viewer_is_staff`."""
    return spaces_for(request.user, program_ids=api_program_ids(request), managed_ids=api_managed_ids(request))


def _in_programs(space_path: str, program_ids) -> Exists:
    """The row's space (reached by `space_path`) is used by one of the programs."""
    return Exists(Space.programs.through.objects.filter(space=OuterRef(space_path), program_id__in=program_ids))


class WorkspacesViewSet(ApiReadViewSet):
    api_area = "workspaces"

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["program_ids"] = api_program_ids(self.request) if self.request else frozenset()
        return context


class SpaceViewSet(WorkspacesViewSet):
    """The spaces the person may book in through the token's programs: as an active participant or a manager of a
    program using the space."""

    serializer_class = SpaceSerializer

    def rows(self, request):
        return api_spaces(request).prefetch_related("programs")


class ResourceParameters(ListParameters):
    space = forms.IntegerField(**ID_FIELD, help_text="Only this space's resources")


class ResourceViewSet(WorkspacesViewSet):
    """The resources of the spaces the person may book in: the bookable ones, and to the space's managers also
    those taken out of booking."""

    serializer_class = ResourceSerializer
    parameters = ResourceParameters
    expandable = {"space": "space__programs"}

    def rows(self, request):
        spaces = api_spaces(request)
        return resource_rows().filter(
            Q(space__in=spaces.values("pk"), is_active=True)
            | Q(space__in=spaces.filter(viewer_is_staff=True).values("pk"))
        )

    def filtered(self, queryset, values):
        if values.get("space"):
            queryset = queryset.filter(space_id=values["space"])
        return queryset


class BookingParameters(ListParameters):
    resource = forms.IntegerField(**ID_FIELD, help_text="Only this resource's bookings")
    space = forms.IntegerField(**ID_FIELD, help_text="Only this space's bookings")
    status = forms.ChoiceField(required=False, choices=Booking.Status.choices, help_text="active, cancelled, …")
    starts_after = InstantField(required=False, help_text="Starting at or after this instant (ISO 8601)")
    starts_before = InstantField(required=False, help_text="Starting before this instant (ISO 8601)")


@extend_schema_field(
    {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$", "example": "2026-06-02T09:00"}
)
class WallClockField(serializers.Field):
    """A wall-clock time in the resource's space, as its grid shows it: no offset, no Z."""

    default_error_messages = {"invalid": _("A time written YYYY-MM-DDThh:mm, e.g. 2026-06-02T09:00.")}

    def to_internal_value(self, value):
        if not isinstance(value, str):
            self.fail("invalid")
        try:
            wall = datetime.datetime.fromisoformat(value)
        except ValueError:
            self.fail("invalid")
        if wall.tzinfo is not None:
            raise exceptions.ValidationError(
                _(
                    "Give the wall-clock time in the space's time zone without an offset or Z, e.g. "
                    "2026-06-02T09:00; the space's time zone decides the instant."
                )
            )
        if not bounds.day_in_bounds(wall):
            raise exceptions.ValidationError(
                _("Give a time between %(earliest)s and %(latest)s.")
                % {"earliest": bounds.EARLIEST_DAY.isoformat(), "latest": bounds.LATEST_DAY.isoformat()}
            )
        return wall

    def to_representation(self, value):
        return value.isoformat(timespec="minutes")


class NewBookingSerializer(serializers.Serializer):
    """A booking for the token's person. `starts` and `ends` are wall-clock times in the resource's space
    (`YYYY-MM-DDThh:mm`, no offset: a time with an offset or Z is refused), e.g. 09:00 to 18:00 for a desk booked by
    the day, as the space's grid offers them."""

    resource = serializers.IntegerField(
        min_value=1, max_value=bounds.MAX_BIGINT, help_text="A resource of a space the person may book in (else 404)"
    )
    starts = WallClockField(help_text="Wall-clock time in the space, YYYY-MM-DDThh:mm (no offset)")
    ends = WallClockField(help_text="Wall-clock time in the space, YYYY-MM-DDThh:mm (no offset)")


# Which field of the request a refusal of workspaces.booking_checks is about; the rest are the request's as a whole.
REFUSED_FIELD = {
    "not_bookable": "resource",
    "no_induction": "resource",
    "ends_before_start": "ends",
    "not_one_day": "ends",
    "begun": "starts",
    "beyond_horizon": "starts",
    "closed": "starts",
    booking_checks.SHAPE: "starts",
}


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"


def _refused(error: ValidationError) -> exceptions.APIException:
    if getattr(error, "code", None) in (services.JUST_TAKEN, services.NOT_ACTIVE):
        return Conflict(" ".join(error.messages), code=error.code)
    field = REFUSED_FIELD.get(getattr(error, "code", None), "non_field_errors")
    return exceptions.ValidationError({field: error.messages})


class BookingViewSet(WorkspacesViewSet):
    """A person's own bookings (in the spaces of the token's programs), and to a program's managers the bookings its
    subsidy plans pay for. `POST` books for the token's person; `cancel` cancels one's own booking (both need the
    `workspaces:write` scope)."""

    serializer_class = BookingSerializer
    parameters = BookingParameters
    expandable = {"resource": Prefetch("resource", queryset=resource_rows())}

    def rows(self, request):
        return booking_rows().filter(
            Q(plan__cohort__program_id__in=api_managed_ids(request))
            | Q(_in_programs("resource__space_id", api_program_ids(request)), person=request.user)
        )

    def filtered(self, queryset, values):
        if values.get("resource"):
            queryset = queryset.filter(resource_id=values["resource"])
        if values.get("space"):
            queryset = queryset.filter(resource__space_id=values["space"])
        if values.get("status"):
            queryset = queryset.filter(status=values["status"])
        if values.get("starts_after"):
            queryset = queryset.filter(period__startswith__gte=values["starts_after"])
        if values.get("starts_before"):
            queryset = queryset.filter(period__startswith__lt=values["starts_before"])
        return queryset

    def _answer(self, booking: Booking, code: int) -> Response:
        row = self.get_queryset().get(pk=booking.pk)
        return Response(self.get_serializer(row).data, status=code)

    @extend_schema(request=NewBookingSerializer, responses={201: BookingSerializer})
    def create(self, request):
        body = NewBookingSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        wanted = body.validated_data
        # As on the pages: a resource of a space the person may not book in is not found, whatever its id.
        resource = (
            Resource.objects.select_related("space")
            .filter(pk=wanted["resource"], space__in=api_spaces(request).values("pk"))
            .first()
        )
        if resource is None:
            raise exceptions.NotFound()
        # The service books under the person's latest active membership in the space's programs: in a space shared
        # with a program the token does not name, that could be the other program's, and its subsidy plan.
        membership = booker_membership(resource.space, request.user)
        if membership is not None and membership.cohort.program_id not in api_program_ids(request):
            raise exceptions.PermissionDenied(
                _("Your bookings in this space count under another program, which this token does not name.")
            )
        try:
            booking = services.booking_create(
                resource=resource, starts=wanted["starts"], ends=wanted["ends"], by=request.user
            )
        except ValidationError as error:
            raise _refused(error) from None
        except PermissionDenied as error:
            raise exceptions.PermissionDenied(str(error)) from None
        return self._answer(booking, status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={200: BookingSerializer})
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        booking = self.get_object()
        # One's own booking is read in any space of the token's programs, but is cancelled (refunded to its plan)
        # only when the plan is of a program the token names.
        foreign_plan = SubsidyPlan.objects.filter(pk=booking.plan_id).exclude(
            cohort__program_id__in=api_program_ids(request)
        )
        if booking.plan_id and foreign_plan.exists():
            raise exceptions.PermissionDenied(
                _("This booking counts under another program, which this token does not name.")
            )
        try:
            booking = services.booking_cancel(booking=booking, by=request.user)
        except ValidationError as error:
            raise _refused(error) from None
        except PermissionDenied as error:
            raise exceptions.PermissionDenied(str(error)) from None
        return self._answer(booking, status.HTTP_200_OK)


class MonthField(forms.CharField):
    """`YYYY-MM`, to the month's first day."""

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        month = bounds.parse_month(value)
        if month is None:
            raise forms.ValidationError(
                _("A month written YYYY-MM, from %(earliest)s to %(latest)s.")
                % {"earliest": bounds.EARLIEST_MONTH, "latest": bounds.LATEST_MONTH}
            )
        return month


class LedgerLineParameters(ListParameters):
    month = MonthField(required=False, help_text="Only this month's lines (YYYY-MM)")
    after = MonthField(required=False, help_text="Lines of this month (YYYY-MM) and later")
    before = MonthField(required=False, help_text="Lines of months before this one (YYYY-MM)")


class LedgerLineViewSet(WorkspacesViewSet):
    """A person's own ledger lines (as their statement shows them), and to a program's managers the lines its
    subsidy plans pay part of (as the space report's statements show them)."""

    serializer_class = LedgerLineSerializer
    parameters = LedgerLineParameters
    expandable = {"booking": Prefetch("booking", queryset=booking_rows())}

    def rows(self, request):
        return LedgerLine.objects.filter(
            Q(plan__cohort__program_id__in=api_managed_ids(request))
            | Q(_in_programs("booking__resource__space_id", api_program_ids(request)), person=request.user)
        )

    def filtered(self, queryset, values):
        if values.get("month"):
            queryset = queryset.filter(month=values["month"])
        if values.get("after"):
            queryset = queryset.filter(month__gte=values["after"])
        if values.get("before"):
            queryset = queryset.filter(month__lt=values["before"])
        return queryset


def register(router) -> None:
    router.register("spaces", SpaceViewSet, basename="space")
    router.register("resources", ResourceViewSet, basename="resource")
    router.register("bookings", BookingViewSet, basename="booking")
    router.register("ledger-lines", LedgerLineViewSet, basename="ledger-line")
