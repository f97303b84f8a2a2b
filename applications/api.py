"""The API's reading of calls, applications, reviews, rankings and decisions (access rule: cohorts/api.py)."""

from django.db.models import Q
from rest_framework import serializers

from applications.models import Call
from cohorts.api import CohortSerializer, api_managed_ids, api_program_ids
from incubator.api.lists import ApiReadViewSet
from incubator.api.serializers import ExpandableField


class CallSerializer(serializers.ModelSerializer):
    cohort = ExpandableField(CohortSerializer)

    class Meta:
        model = Call
        fields = [
            "id",
            "cohort",
            "slug",
            "title",
            "description",
            "opens_at",
            "closes_at",
            "seats",
            "is_published",
            "decisions_published_at",
            "changed_at",
        ]


class CallViewSet(ApiReadViewSet):
    """Published calls of the token's programs, and every call of the programs the person manages."""

    api_area = "applications"
    serializer_class = CallSerializer
    expandable = {"cohort": "cohort"}

    def rows(self, request):
        return Call.objects.filter(
            Q(cohort__program_id__in=api_managed_ids(request))
            | Q(cohort__program_id__in=api_program_ids(request), is_published=True)
        )


def register(router) -> None:
    router.register("calls", CallViewSet, basename="call")
