"""The API's reading of monthly check-ins and of the metrics they answer.

Who reads what is what the check-in history pages show (cohorts/checkin_views.py): the program's managers read
every check-in of the program; a cohort's mentors those of the cohort's ventures; a member of a cohort those of the
ventures on whose team they are. Answers are listed for sent check-ins only, as the history shows them: a draft's
typed answers are its team's, on the check-in form."""

from decimal import Decimal

from django import forms
from django.db.models import Prefetch, Q
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from cohorts.access import COMMUNITY_STATUSES
from cohorts.api import VentureSerializer, api_managed_ids, api_program_ids
from cohorts.models import CheckIn, CheckInAnswer, Cohort, Membership, Metric, Venture
from incubator.api.lists import ApiReadViewSet, ListParameters
from incubator.api.serializers import ExpandableField
from incubator.bounds import MAX_BIGINT, validate_day

ID_FIELD = {"required": False, "min_value": 1, "max_value": MAX_BIGINT}


def _team_ventures(user):
    """The ventures the person is on the team of, in a cohort they belong to (its pages are theirs to open)."""
    member_of = Membership.objects.filter(person=user, status__in=COMMUNITY_STATUSES).values("cohort_id")
    return Venture.objects.filter(team__user=user, cohort_id__in=member_of).values("pk")


def _mentored_cohorts(user):
    return Cohort.objects.filter(mentors=user).values("pk")


def readable_checkins(request):
    user = request.user
    return CheckIn.objects.filter(
        Q(venture__cohort__program_id__in=api_managed_ids(request))
        | Q(venture__cohort__program_id__in=api_program_ids(request))
        & (Q(venture__cohort_id__in=_mentored_cohorts(user)) | Q(venture_id__in=_team_ventures(user)))
    )


class MetricSerializer(serializers.ModelSerializer):
    program = serializers.IntegerField(source="metric_set.program_id", read_only=True)
    label = serializers.CharField(
        read_only=True, help_text="A standard metric's name in the request's language, or the name its program gave"
    )
    currency = serializers.CharField(
        source="metric_set.currency", read_only=True, help_text="ISO 4217: the currency of the program's amounts"
    )

    class Meta:
        model = Metric
        fields = ["id", "program", "standard", "name", "label", "kind", "position", "retired", "currency", "changed_at"]


class MetricParameters(ListParameters):
    program = forms.IntegerField(**ID_FIELD, help_text="A program's id")


class MetricViewSet(ApiReadViewSet):
    """The questions of the programs' monthly check-ins, for those who read the programs' check-ins: managers, the
    mentors of a cohort, the members of a venture's team. Retired metrics are no longer asked; their answers stay."""

    api_area = "cohorts"
    serializer_class = MetricSerializer
    parameters = MetricParameters

    def rows(self, request):
        user = request.user
        reader_cohorts = Cohort.objects.filter(
            Q(pk__in=_mentored_cohorts(user)) | Q(ventures__in=_team_ventures(user))
        ).values("program_id")
        return Metric.objects.select_related("metric_set").filter(
            Q(metric_set__program_id__in=api_managed_ids(request))
            | Q(metric_set__program_id__in=api_program_ids(request)) & Q(metric_set__program_id__in=reader_cohorts)
        )

    def filtered(self, queryset, values):
        if values.get("program"):
            queryset = queryset.filter(metric_set__program_id=values["program"])
        return queryset


@extend_schema_field(
    {
        "oneOf": [{"type": "integer"}, {"type": "string"}, {"type": "boolean"}],
        "nullable": True,
        "description": "By the metric's kind: count a whole number; money, fte and percentage a decimal string; "
        "yes_no a boolean; text a string",
    }
)
class AnswerValueField(serializers.Field):
    def __init__(self, **kwargs):
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, answer):
        value = answer.value
        return str(value) if isinstance(value, Decimal) else value


class CheckInAnswerSerializer(serializers.ModelSerializer):
    value = AnswerValueField()
    currency = serializers.SerializerMethodField(help_text="An amount's currency (ISO 4217); null for other kinds")

    class Meta:
        model = CheckInAnswer
        fields = ["metric", "value", "currency"]

    def get_currency(self, answer) -> str | None:
        return answer.currency if answer.metric.kind == Metric.Kind.MONEY else None


class CheckInSerializer(serializers.ModelSerializer):
    venture = ExpandableField(VentureSerializer)
    cohort = serializers.IntegerField(source="venture.cohort_id", read_only=True)
    month = serializers.DateField(read_only=True, help_text="The first day of the month the check-in is about")
    answers = CheckInAnswerSerializer(many=True, read_only=True, help_text="A sent check-in's answers; else empty")
    submitted_by = serializers.SerializerMethodField(
        help_text="Who sent or skipped it (a person's id), to the program's managers (the admin shows it); else null"
    )

    class Meta:
        model = CheckIn
        fields = [
            "id",
            "venture",
            "cohort",
            "month",
            "status",
            "late",
            "skip_reason",
            "submitted_at",
            "submitted_by",
            "answers",
            "changed_at",
        ]

    def get_submitted_by(self, checkin) -> int | None:
        managed = self.context.get("managed", frozenset())
        return checkin.submitted_by_id if checkin.venture.cohort.program_id in managed else None


class CheckInParameters(ListParameters):
    venture = forms.IntegerField(**ID_FIELD, help_text="A venture's id")
    cohort = forms.IntegerField(**ID_FIELD, help_text="A cohort's id")
    month_from = forms.DateField(
        required=False, validators=[validate_day], help_text="Check-ins of this month (any day of it) or later"
    )
    month_to = forms.DateField(
        required=False, validators=[validate_day], help_text="Check-ins of this month (any day of it) or earlier"
    )
    status = forms.ChoiceField(required=False, choices=CheckIn.Status.choices, help_text="draft, submitted, skipped")


class CheckInViewSet(ApiReadViewSet):
    """Monthly check-ins: every one of the programs the person manages, those of the ventures of the cohorts they
    mentor, and their own venture's. Answers are listed for sent check-ins."""

    api_area = "cohorts"
    serializer_class = CheckInSerializer
    parameters = CheckInParameters
    expandable = {"venture": "venture__team"}

    def rows(self, request):
        sent = CheckInAnswer.objects.filter(checkin__status=CheckIn.Status.SUBMITTED).select_related("metric")
        answers = Prefetch("answers", queryset=sent.order_by("metric__position", "metric_id"))
        return readable_checkins(request).select_related("venture__cohort").prefetch_related(answers)

    def get_serializer_context(self):
        context = super().get_serializer_context()
        if self.request is not None and self.request.auth is not None:
            context["managed"] = api_managed_ids(self.request)
        return context

    def filtered(self, queryset, values):
        for name, lookup in (("venture", "venture_id"), ("cohort", "venture__cohort_id"), ("status", "status")):
            if values.get(name):
                queryset = queryset.filter(**{lookup: values[name]})
        if values.get("month_from"):
            queryset = queryset.filter(month__gte=values["month_from"].replace(day=1))
        if values.get("month_to"):
            queryset = queryset.filter(month__lte=values["month_to"])
        return queryset


def register(router) -> None:
    router.register("checkin-metrics", MetricViewSet, basename="checkin-metric")
    router.register("checkins", CheckInViewSet, basename="checkin")
