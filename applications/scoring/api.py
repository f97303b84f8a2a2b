"""The API's reading of selection scoring: reviews with their scores, a call's ranking and decisions (access rule:
cohorts/api.py; the calls and applications they belong to: applications/api.py)."""

from django import forms
from django.db.models import Prefetch, Q
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, serializers, viewsets
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

from applications.api import MAX_ID, CallSerializer, ReadingViewSet
from applications.models import Application, Call
from applications.scoring import selectors
from applications.scoring.models import CriterionScore, Decision, Review, ReviewStage
from cohorts.api import api_managed_ids, api_program_ids
from incubator.api.lists import MAX_PAGE_SIZE, ListParameters
from incubator.api.serializers import ExpandableField


class CriterionScoreSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="criterion.name")

    class Meta:
        model = CriterionScore
        fields = ["criterion", "name", "score"]


class ReviewSerializer(serializers.ModelSerializer):
    application = serializers.IntegerField(source="assignment.application_id")
    call = serializers.IntegerField(source="assignment.call_id")
    reviewer = serializers.IntegerField(source="assignment.reviewer_id")
    stage = serializers.ChoiceField(
        source="assignment.stage", choices=ReviewStage.choices, help_text="The written review, or the interview"
    )
    scores = CriterionScoreSerializer(many=True)

    class Meta:
        model = Review
        fields = [
            "id",
            "application",
            "call",
            "reviewer",
            "stage",
            "status",
            "recommendation",
            "comment",
            "points",
            "scores",
            "updated_at",
            "submitted_at",
            "changed_at",
        ]


class ReviewParameters(ListParameters):
    call = forms.IntegerField(required=False, min_value=1, max_value=MAX_ID, help_text="A call's id")
    application = forms.IntegerField(required=False, min_value=1, max_value=MAX_ID, help_text="An application's id")


class ReviewViewSet(ReadingViewSet):
    """Reviews with their scores: every review of the programs the person manages, drafts included, and the
    person's own reviews. Never an applicant's, nor another reviewer's to a reviewer."""

    serializer_class = ReviewSerializer
    parameters = ReviewParameters

    def rows(self, request):
        held = api_program_ids(request)
        return (
            Review.objects.filter(
                Q(assignment__call__cohort__program_id__in=self.managed_ids)
                | Q(assignment__reviewer=request.user, assignment__call__cohort__program_id__in=held)
            )
            .select_related("assignment")
            .prefetch_related(
                Prefetch(
                    "scores",
                    queryset=CriterionScore.objects.select_related("criterion").order_by(
                        "criterion__position", "criterion_id"
                    ),
                )
            )
        )

    def filtered(self, queryset, values):
        if values.get("call"):
            queryset = queryset.filter(assignment__call_id=values["call"])
        if values.get("application"):
            queryset = queryset.filter(assignment__application_id=values["application"])
        return queryset


class DecisionSerializer(serializers.ModelSerializer):
    call = ExpandableField(CallSerializer)
    reason = serializers.CharField(allow_null=True)
    waitlist_position = serializers.IntegerField(allow_null=True)
    decided_by = serializers.IntegerField(source="decided_by_id", allow_null=True)
    decided_at = serializers.DateTimeField(allow_null=True)

    # The managers' own working: the applicant's pages show the outcome alone.
    MANAGERS_ONLY = ("reason", "waitlist_position", "decided_by", "decided_at")

    class Meta:
        model = Decision
        fields = [
            "id",
            "application",
            "call",
            "outcome",
            "status",
            "published_at",
            "reason",
            "waitlist_position",
            "decided_by",
            "decided_at",
            "changed_at",
        ]

    def to_representation(self, instance):
        data = super().to_representation(instance)
        if instance.call.cohort.program_id in self.context.get("managed_ids", ()):
            return data
        return {name: None if name in self.MANAGERS_ONLY else value for name, value in data.items()}


class DecisionParameters(ListParameters):
    call = forms.IntegerField(required=False, min_value=1, max_value=MAX_ID, help_text="A call's id")


class DecisionViewSet(ReadingViewSet):
    """Decisions: all of the programs the person manages (pending, published and cancelled), and the person's own
    once published, with the outcome alone (reason, waitlist position and decider are null)."""

    serializer_class = DecisionSerializer
    parameters = DecisionParameters
    expandable = {"call": "call"}

    def rows(self, request):
        return Decision.objects.filter(
            Q(call__cohort__program_id__in=self.managed_ids)
            | Q(
                call__cohort__program_id__in=api_program_ids(request),
                application__applicant=request.user,
                status=Decision.Status.PUBLISHED,
            )
        ).select_related("call__cohort")

    def filtered(self, queryset, values):
        if values.get("call"):
            queryset = queryset.filter(call_id=values["call"])
        return queryset


class RankRowSerializer(serializers.Serializer):
    position = serializers.IntegerField(source="rank", help_text="The place in the whole call's ranking")
    application = serializers.IntegerField(source="id")
    full_name = serializers.CharField()
    region = serializers.IntegerField(source="region_id", allow_null=True)
    region_name = serializers.CharField()
    status = serializers.ChoiceField(Application.Status.choices)
    submitted_at = serializers.DateTimeField()
    review_count = serializers.IntegerField()
    score = serializers.FloatField(allow_null=True, help_text="What ranks: the mean, or the normalised score")
    mean = serializers.FloatField(allow_null=True)
    normalised = serializers.FloatField(allow_null=True, help_text="Null unless the call normalises per reviewer")
    median = serializers.FloatField(allow_null=True)
    stddev = serializers.FloatField(allow_null=True)
    disagreement = serializers.BooleanField(help_text="The reviewers' spread is past the call's threshold")
    yes = serializers.IntegerField()
    maybe = serializers.IntegerField()
    no = serializers.IntegerField()
    decision_outcome = serializers.ChoiceField(Decision.Outcome.choices, allow_null=True)
    decision_status = serializers.ChoiceField(Decision.Status.choices, allow_null=True)
    decision_reason = serializers.CharField()


class RankingPageSerializer(serializers.Serializer):
    count = serializers.IntegerField(help_text="Rows in the whole (filtered) ranking")
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    normalised = serializers.BooleanField(help_text="The call ranks by scores normalised per reviewer")
    results = RankRowSerializer(many=True)


RANKING_PAGE_SIZE = 50


class RankingParameters(forms.Form):
    page = forms.IntegerField(required=False, min_value=1, max_value=MAX_ID)
    page_size = forms.IntegerField(required=False, min_value=1, max_value=MAX_PAGE_SIZE)
    region = forms.IntegerField(required=False, min_value=1, max_value=MAX_ID)
    status = forms.ChoiceField(required=False, choices=[("", ""), *((key, key) for key in selectors.STATUS_FILTERS)])


class RankingSchema(AutoSchema):
    """One page object, not a list of rows (the view's only action is `list`)."""

    def _is_list_view(self, serializer=None) -> bool:
        return False


class RankingViewSet(viewsets.GenericViewSet):
    """A call's ranking as its ranking page shows it, by pages: for the managers of the call's program only."""

    api_area = "applications"
    schema = RankingSchema()
    serializer_class = RankingPageSerializer

    @extend_schema(
        parameters=[
            OpenApiParameter("call_pk", OpenApiTypes.INT, OpenApiParameter.PATH, description="The call's id"),
            OpenApiParameter("page", OpenApiTypes.INT, description="From 1"),
            OpenApiParameter(
                "page_size", OpenApiTypes.INT, description=f"1 to {MAX_PAGE_SIZE}; {RANKING_PAGE_SIZE} if not given"
            ),
            OpenApiParameter("region", OpenApiTypes.INT, description="A region's id"),
            OpenApiParameter(
                "status", OpenApiTypes.STR, enum=selectors.STATUS_FILTERS, description="The decision, or undecided"
            ),
        ]
    )
    def list(self, request, call_pk: int):
        call = get_object_or_404(
            Call.objects.select_related("review_settings"), pk=call_pk, cohort__program_id__in=api_managed_ids(request)
        )
        values = self._parameters(request)
        size = values["page_size"] or RANKING_PAGE_SIZE
        page = values["page"] or 1
        shape = {"region_id": values["region"], "status": values["status"]}
        rows = selectors.ranking(call, **shape, limit=size, offset=(page - 1) * size)
        if rows:
            total = rows[0].total
        else:  # past the last page: the count all the same
            first = selectors.ranking(call, **shape, limit=1)
            total = first[0].total if first else 0
        url = request.build_absolute_uri()
        previous = None
        if page > 1:
            previous = replace_query_param(url, "page", page - 1) if page > 2 else remove_query_param(url, "page")
        return Response(
            {
                "count": total,
                "next": replace_query_param(url, "page", page + 1) if page * size < total else None,
                "previous": previous,
                "normalised": selectors.settings_for(call).normalise,
                "results": RankRowSerializer(rows, many=True).data,
            }
        )

    @staticmethod
    def _parameters(request) -> dict:
        params = request.query_params
        if unknown := sorted(set(params) - set(RankingParameters.base_fields)):
            known = ", ".join(RankingParameters.base_fields)
            message = _("Unknown parameter; this takes: %(known)s.") % {"known": known}
            raise exceptions.ValidationError({name: [message] for name in unknown})
        form = RankingParameters(data={name: params.get(name) for name in params})
        if not form.is_valid():
            raise exceptions.ValidationError({name: list(errors) for name, errors in form.errors.items()})
        return form.cleaned_data


def register(router) -> None:
    router.register("calls/<int:call_pk>/ranking", RankingViewSet, basename="call-ranking")
    router.register("reviews", ReviewViewSet, basename="review")
    router.register("decisions", DecisionViewSet, basename="decision")
