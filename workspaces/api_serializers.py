"""What the workspaces API answers: spaces, resources, bookings and ledger lines (who reads which: workspaces/api.py).
Resources and bookings read annotations their querysets carry (`resource_rows`, `booking_rows`), so a page of rows
costs no query per row."""

from zoneinfo import ZoneInfo

from django.db.models import F
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from incubator.api.serializers import ExpandableField
from workspaces.models import Booking, LedgerLine, Resource, Space


class MoneySerializer(serializers.Serializer):
    amount = serializers.DecimalField(max_digits=12, decimal_places=2)
    currency = serializers.CharField(help_text="ISO 4217")


# Plain strings: a ChoiceField of every zone or currency would be built again for each expanded row (10 ms each).
TIME_ZONE = serializers.CharField(read_only=True, help_text="IANA time zone, e.g. Asia/Jerusalem")
CURRENCY = serializers.CharField(read_only=True, help_text="ISO 4217, e.g. ILS")


class SpaceSerializer(serializers.ModelSerializer):
    time_zone = TIME_ZONE
    currency = CURRENCY
    programs = serializers.SerializerMethodField(
        help_text="The programs using the space that the caller holds a role in"
    )

    class Meta:
        model = Space
        fields = [
            "id",
            "name",
            "slug",
            "address",
            "time_zone",
            "currency",
            "programs",
            "week_starts_on",
            "booking_horizon_days",
            "weekly_limit",
            "free_cancellation_hours",
            "check_in_minutes",
            "changed_at",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.ListField(child=serializers.IntegerField()))
    def get_programs(self, space) -> list[int]:
        # Another program sharing the space is not named to people who hold no role in it (cf. the space admin).
        visible = self.context["program_ids"]
        return sorted(program.pk for program in space.programs.all() if program.pk in visible)


class ResourceSerializer(serializers.ModelSerializer):
    space = ExpandableField(SpaceSerializer)
    price = serializers.SerializerMethodField(help_text="The list price of one unit, in the space's currency")
    induction_required = serializers.SerializerMethodField()

    class Meta:
        model = Resource
        fields = [
            "id",
            "space",
            "name",
            "kind",
            "unit",
            "min_hours",
            "max_hours",
            "price",
            "induction_required",
            "induction_type",
            "is_active",
            "changed_at",
        ]
        read_only_fields = fields

    @extend_schema_field(MoneySerializer)
    def get_price(self, resource) -> dict:
        return MoneySerializer({"amount": resource.price, "currency": resource.space_currency}).data

    def get_induction_required(self, resource) -> bool:
        return bool(resource.induction_type)


def resource_rows():
    """Resources with what ResourceSerializer reads beside them: their space's currency."""
    return Resource.objects.annotate(space_currency=F("space__currency"))


class SpaceTimeField(serializers.DateTimeField):
    """A bound of the booking's period, written with the offset of the space's time zone: its clock time is the
    space's wall-clock time, as the pages show it."""

    def __init__(self, bound: str, **kwargs):
        self.bound = bound
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, booking):
        instant = getattr(booking.period, self.bound)
        return instant.astimezone(ZoneInfo(booking.space_time_zone)).isoformat()


class BookingSerializer(serializers.ModelSerializer):
    resource = ExpandableField(ResourceSerializer)
    space = serializers.IntegerField(source="space_id", read_only=True)
    starts = SpaceTimeField("lower", help_text="In the space's time zone (its offset given)")
    ends = SpaceTimeField("upper", help_text="In the space's time zone (its offset given)")

    class Meta:
        model = Booking
        fields = [
            "id",
            "resource",
            "space",
            "person",
            "starts",
            "ends",
            "status",
            "units",
            "created_at",
            "cancelled_at",
            "checked_in_at",
            "released_at",
            "changed_at",
        ]
        read_only_fields = fields


def booking_rows():
    """Bookings with what BookingSerializer reads beside them: their space and its time zone."""
    return Booking.objects.annotate(space_id=F("resource__space_id"), space_time_zone=F("resource__space__time_zone"))


class LedgerLineSerializer(serializers.ModelSerializer):
    currency = CURRENCY
    booking = ExpandableField(BookingSerializer)
    month = serializers.DateField(help_text="The first day of the month the line counts in")
    note = serializers.CharField(help_text="In English, as written")

    class Meta:
        model = LedgerLine
        fields = [
            "id",
            "booking",
            "person",
            "month",
            "units",
            "subsidised_units",
            "list_price",
            "subsidy",
            "co_pay",
            "currency",
            "note",
            "created_at",
            "changed_at",
        ]
        read_only_fields = fields
