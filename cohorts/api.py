"""The API's reading of programs and cohorts, and the one access rule every app's endpoints narrow by.

A token acts as its person, within the programs it names: a row is readable through the API only if its page is
readable to the person (the predicates of cohorts.access and each app's access module) and its program is one of
the token's. `api_program_ids` and `api_managed_ids` are those two sets intersected; every endpoint's rows start
from one of them."""

import operator
from functools import reduce

from django.db.models import Exists, OuterRef, Q
from rest_framework import serializers

from cohorts.access import COMMUNITY_STATUSES
from cohorts.models import Cohort, Membership, Program
from incubator.api.lists import ApiReadViewSet
from incubator.api.serializers import ExpandableField


def _role_annotations(user) -> dict:
    """Whether `user` manages, reviews, mentors, belongs to or applied to each program (named by lookup: cohorts
    imports no other app)."""
    return {
        "viewer_manages": Exists(Program.managers.through.objects.filter(program=OuterRef("pk"), user=user)),
        "viewer_reviews": Exists(Program.reviewers.through.objects.filter(program=OuterRef("pk"), user=user)),
        "viewer_mentors": Exists(Program.mentors.through.objects.filter(program=OuterRef("pk"), user=user)),
        "viewer_belongs": Exists(
            Membership.objects.filter(cohort__program=OuterRef("pk"), person=user, status__in=COMMUNITY_STATUSES)
        ),
        "viewer_applied": Exists(
            Program.objects.filter(pk=OuterRef("pk"), cohorts__calls__applications__applicant=user)
        ),
    }


def person_programs(user):
    """The programs the person holds any role in: manager, reviewer, mentor, member or applicant. A token may name
    these, and reaches no others."""
    if user.is_superuser:
        return Program.objects.all()
    roles = _role_annotations(user)
    return Program.objects.alias(**roles).filter(reduce(operator.or_, (Q(**{name: True}) for name in roles)))


def _token_programs(request) -> tuple[frozenset[int], frozenset[int]]:
    """(the token's programs the person holds a role in, those of them the person manages), in one query, read
    once per request."""
    token = request.auth
    if not hasattr(token, "reach"):
        rows = person_programs(request.user).filter(pk__in=token.program_ids)
        if request.user.is_superuser:
            ids = frozenset(rows.values_list("pk", flat=True))
            token.reach = (ids, ids)
        else:
            pairs = list(
                rows.annotate(managed=_role_annotations(request.user)["viewer_manages"]).values_list("pk", "managed")
            )
            token.reach = (frozenset(pk for pk, _ in pairs), frozenset(pk for pk, managed in pairs if managed))
    return token.reach


def api_program_ids(request) -> frozenset[int]:
    """The token's programs the person holds any role in."""
    return _token_programs(request)[0]


def api_managed_ids(request) -> frozenset[int]:
    """The token's programs the person manages (a superuser manages all)."""
    return _token_programs(request)[1]


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
        mentors = Exists(Cohort.mentors.through.objects.filter(cohort=OuterRef("pk"), user=user))
        belongs = Exists(Membership.objects.filter(cohort=OuterRef("pk"), person=user, status__in=COMMUNITY_STATUSES))
        return Cohort.objects.filter(
            Q(program_id__in=api_managed_ids(request))
            | Q(program_id__in=api_program_ids(request)) & (mentors | belongs)
        )


def register(router) -> None:
    router.register("programs", ProgramViewSet, basename="program")
    router.register("cohorts", CohortViewSet, basename="cohort")
