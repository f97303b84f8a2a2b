"""The API's reading of programs and cohorts, and the one access rule every app's endpoints narrow by.

A token acts as its person, within the programs it names: a row is readable through the API only if its page is
readable to the person (the predicates of cohorts.access and each app's access module) and its program is one of
the token's. `api_program_ids` and `api_managed_ids` are those two sets intersected; every endpoint's rows start
from one of them."""

from django.db.models import Q
from rest_framework import serializers

from cohorts.access import (
    COMMUNITY_STATUSES,
    managed_program_ids,
    mentored_program_ids,
    reviewed_program_ids,
)
from cohorts.models import Cohort, Program
from incubator.api.lists import ApiReadViewSet
from incubator.api.serializers import ExpandableField


def _member_program_ids(user) -> frozenset[int]:
    """Programs the person is a member of or has applied to (named by lookup: cohorts imports no other app)."""
    return frozenset(
        Program.objects.filter(
            Q(cohorts__memberships__person=user, cohorts__memberships__status__in=COMMUNITY_STATUSES)
            | Q(cohorts__calls__applications__applicant=user)
        ).values_list("pk", flat=True)
    )


def api_managed_ids(request) -> frozenset[int]:
    """The token's programs the person manages (a superuser manages all)."""
    token_ids = frozenset(request.auth.program_ids)
    managed = managed_program_ids(request.user)
    return token_ids if managed is None else token_ids & managed


def api_program_ids(request) -> frozenset[int]:
    """The token's programs the person holds any role in: manager, reviewer, mentor, member or applicant."""
    token_ids = frozenset(request.auth.program_ids)
    user = request.user
    if user.is_superuser:
        return token_ids
    held = managed_program_ids(user) | reviewed_program_ids(user) | mentored_program_ids(user)
    return token_ids & (held | _member_program_ids(user))


class ProgramSerializer(serializers.ModelSerializer):
    class Meta:
        model = Program
        fields = ["id", "name", "slug", "organisation", "description", "language", "time_zone", "changed_at"]


class CohortSerializer(serializers.ModelSerializer):
    program = ExpandableField(ProgramSerializer)

    class Meta:
        model = Cohort
        fields = ["id", "program", "name", "slug", "starts_on", "ends_on", "status", "capacity", "changed_at"]


class ProgramViewSet(ApiReadViewSet):
    """The programs of the token in which its person holds a role."""

    api_area = "cohorts"
    serializer_class = ProgramSerializer

    def rows(self, request):
        return Program.objects.filter(pk__in=api_program_ids(request))


class CohortViewSet(ApiReadViewSet):
    """Cohorts of managed programs, and those the person belongs to or mentors."""

    api_area = "cohorts"
    serializer_class = CohortSerializer
    expandable = {"program": "program"}

    def rows(self, request):
        user = request.user
        return Cohort.objects.filter(
            Q(program_id__in=api_managed_ids(request))
            | Q(program_id__in=api_program_ids(request))
            & (Q(mentors=user) | Q(memberships__person=user, memberships__status__in=COMMUNITY_STATUSES))
        ).distinct()


def register(router) -> None:
    router.register("programs", ProgramViewSet, basename="program")
    router.register("cohorts", CohortViewSet, basename="cohort")
