"""The API's reading of programs, cohorts, members and ventures, the managers' notes on members (read and added),
and the one access rule every app's endpoints narrow by.

A token acts as its person, within the programs it names: a row is readable through the API only if its page is
readable to the person (the predicates of cohorts.access and each app's access module) and its program is one of
the token's. `api_program_ids` and `api_managed_ids` are those two sets intersected; every endpoint's rows start
from one of them."""

import operator
from functools import reduce

from django import forms
from django.db.models import Exists, OuterRef, Prefetch, Q
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status
from rest_framework.response import Response

from cohorts.access import COMMUNITY_STATUSES
from cohorts.models import Cohort, MemberNote, Membership, Program, Venture, VentureMember
from cohorts.services import member_note_add
from incubator.api.lists import ApiReadViewSet, ApiViewSet, ListParameters
from incubator.api.serializers import ExpandableField
from incubator.bounds import MAX_BIGINT


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
    # A plain string: the field's choices (every zone, named in the reader's language) cost 10 ms to build.
    time_zone = serializers.CharField(help_text="IANA time zone, e.g. Asia/Jerusalem")

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


class MembershipSerializer(serializers.ModelSerializer):
    cohort = ExpandableField(CohortSerializer)
    person_name = serializers.CharField(source="person.name", read_only=True)
    region_name = serializers.CharField(source="region.name", read_only=True, allow_null=True, default=None)
    joined_on = serializers.DateField(source="started_on", read_only=True, allow_null=True)

    class Meta:
        model = Membership
        fields = [
            "id",
            "person",
            "person_name",
            "cohort",
            "status",
            "region",
            "region_name",
            "joined_on",
            "ended_on",
            "changed_at",
        ]


class MembershipParameters(ListParameters):
    cohort = forms.IntegerField(required=False, min_value=1, max_value=MAX_BIGINT, help_text="A cohort's id")
    status = forms.ChoiceField(required=False, choices=Membership.Status.choices, help_text="active, paused, …")


def _mentored_cohorts(user):
    return Cohort.objects.filter(mentors=user).values("pk")


class MembershipViewSet(ApiReadViewSet):
    """Members of cohorts: every membership of the programs the person manages; the members of the cohorts they
    mentor as the cohort's directory shows them (active, paused or graduated, with an account still open); their
    own memberships."""

    api_area = "cohorts"
    serializer_class = MembershipSerializer
    parameters = MembershipParameters
    expandable = {"cohort": "cohort"}

    def rows(self, request):
        user = request.user
        community = Q(status__in=COMMUNITY_STATUSES)
        return Membership.objects.select_related("person", "region").filter(
            Q(cohort__program_id__in=api_managed_ids(request))
            | Q(cohort__program_id__in=api_program_ids(request))
            & community
            & (Q(cohort_id__in=_mentored_cohorts(user), person__is_active=True) | Q(person=user))
        )

    def filtered(self, queryset, values):
        if values.get("cohort"):
            queryset = queryset.filter(cohort_id=values["cohort"])
        if values.get("status"):
            queryset = queryset.filter(status=values["status"])
        return queryset


class VentureSerializer(serializers.ModelSerializer):
    cohort = ExpandableField(CohortSerializer)
    member_ids = serializers.SerializerMethodField(help_text="The team's people who have an account (person ids)")

    class Meta:
        model = Venture
        fields = [
            "id",
            "cohort",
            "name",
            "field",
            "description",
            "website",
            "social_link",
            "member_ids",
            "created_at",
            "changed_at",
        ]

    def get_member_ids(self, venture) -> list[int]:
        return [member.user_id for member in venture.team.all() if member.user_id is not None]


class CohortParameters(ListParameters):
    cohort = forms.IntegerField(required=False, min_value=1, max_value=MAX_BIGINT, help_text="A cohort's id")


class VentureViewSet(ApiReadViewSet):
    """Ventures of the cohorts whose pages the person opens: of the programs they manage, the cohorts they mentor
    and the cohorts they are a member of."""

    api_area = "cohorts"
    serializer_class = VentureSerializer
    parameters = CohortParameters
    expandable = {"cohort": "cohort"}

    def rows(self, request):
        user = request.user
        member_of = Membership.objects.filter(person=user, status__in=COMMUNITY_STATUSES).values("cohort_id")
        return Venture.objects.prefetch_related(
            Prefetch("team", queryset=VentureMember.objects.only("pk", "venture_id", "user_id"))
        ).filter(
            Q(cohort__program_id__in=api_managed_ids(request))
            | Q(cohort__program_id__in=api_program_ids(request))
            & (Q(cohort_id__in=_mentored_cohorts(user)) | Q(cohort_id__in=member_of))
        )

    def filtered(self, queryset, values):
        if values.get("cohort"):
            queryset = queryset.filter(cohort_id=values["cohort"])
        return queryset


class MemberNoteSerializer(serializers.ModelSerializer):
    author_name = serializers.CharField(source="author.name", read_only=True, allow_null=True, default=None)

    class Meta:
        model = MemberNote
        fields = ["id", "membership", "author", "author_name", "text", "created_at", "changed_at"]


class MemberNoteInput(serializers.Serializer):
    text = serializers.CharField(max_length=10_000)


class MemberNoteViewSet(mixins.ListModelMixin, ApiViewSet):
    """Notes on one member, read and written by the managers of the member's program only (to anyone else the
    member is not found here)."""

    api_area = "cohorts"
    serializer_class = MemberNoteSerializer

    def membership(self, request) -> Membership:
        return get_object_or_404(
            Membership, pk=self.kwargs["member_pk"], cohort__program_id__in=api_managed_ids(request)
        )

    def rows(self, request):
        if getattr(self, "swagger_fake_view", False):
            return MemberNote.objects.none()
        return MemberNote.objects.select_related("author").filter(membership=self.membership(request))

    @extend_schema(request=MemberNoteInput, responses={201: MemberNoteSerializer})
    def create(self, request, member_pk: int):
        body = MemberNoteInput(data=request.data)
        body.is_valid(raise_exception=True)
        note = member_note_add(membership=self.membership(request), text=body.validated_data["text"], by=request.user)
        return Response(self.get_serializer(note).data, status=status.HTTP_201_CREATED)


def register(router) -> None:
    router.register("programs", ProgramViewSet, basename="program")
    router.register("cohorts", CohortViewSet, basename="cohort")
    router.register("members", MembershipViewSet, basename="member")
    router.register("members/<int:member_pk>/notes", MemberNoteViewSet, basename="member-note")
    router.register("ventures", VentureViewSet, basename="venture")
