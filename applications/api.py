"""The API's reading of calls, applications, reviews, rankings and decisions (access rule: cohorts/api.py).

Each row is read as its pages show it to the caller: an application in full by its applicant and the managers of
its program, and by a reviewer as the review page shows it (no status, date of birth or account; on an anonymised
call no name, contact details, contact questions, team names or file names). Fields a reader may not see are null."""

import os
import re
from functools import cached_property

from django import forms
from django.db.models import Exists, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Lower
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import exceptions, serializers, viewsets
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

from applications.forms import question_field_name
from applications.models import Application, ApplicationFile, Call, Question, TeamMember
from applications.scoring import selectors
from applications.scoring.models import ConflictOfInterest, CriterionScore, Decision, Review, ReviewerAssignment
from cohorts.api import CohortSerializer, api_managed_ids, api_program_ids
from incubator.api.lists import MAX_PAGE_SIZE, ApiReadViewSet, ListParameters
from incubator.api.serializers import ExpandableField

# The largest id or page number a filter takes: past PostgreSQL's integer, a lookup would fail rather than find none.
MAX_ID = 2**31 - 1


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


class ReadingViewSet(ApiReadViewSet):
    """A list whose rows are read differently by the managers of their program: the serializer learns which."""

    api_area = "applications"

    @cached_property
    def managed_ids(self) -> frozenset[int]:
        return api_managed_ids(self.request)

    def get_serializer_context(self):
        context = super().get_serializer_context()
        if self.request is not None and self.request.auth is not None:
            context["managed_ids"] = self.managed_ids
        return context


def _reads_in_full(serializer, application: Application) -> bool:
    """The applicant and the managers of the program read the application page; anyone else reads the review page."""
    user = serializer.context["request"].user
    return application.applicant_id == user.pk or application.call.cohort.program_id in serializer.context.get(
        "managed_ids", ()
    )


def _anonymised_for(serializer, application: Application) -> bool:
    return not _reads_in_full(serializer, application) and selectors.settings_for(application.call).anonymised


def _file_name(stored: ApplicationFile, *, anonymised: bool) -> str:
    """The review page's name for a file: its own, or on an anonymised call a neutral one (names name authors)."""
    if not anonymised:
        return stored.original_name
    extension = os.path.splitext(stored.original_name)[1].lower()
    extension = extension if re.fullmatch(r"\.[a-z0-9]{1,8}", extension) else ""
    return f"application-{stored.application_id}-{stored.question_id}{extension}"


class TeamMemberSerializer(serializers.Serializer):
    name = serializers.CharField(allow_null=True, help_text="Null when the review is anonymised")
    role = serializers.CharField()


class AnswerSerializer(serializers.Serializer):
    question = serializers.IntegerField()
    label = serializers.CharField()
    kind = serializers.ChoiceField(Question.Kind.choices)
    value = serializers.JSONField(allow_null=True, help_text="As stored: text, a number, “yes”/“no”, a list")
    as_typed = serializers.JSONField(
        allow_null=True, help_text="What the applicant typed that is not valid yet (kept in drafts), else null"
    )


class ApplicationFileSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    question = serializers.IntegerField()
    name = serializers.CharField()
    size = serializers.IntegerField()
    content_type = serializers.CharField()
    url = serializers.URLField(help_text="The portal's download page, which checks the signed-in person's rights")


class ApplicationSerializer(serializers.ModelSerializer):
    call = ExpandableField(CallSerializer)
    applicant = serializers.IntegerField(source="applicant_id", allow_null=True)
    status = serializers.ChoiceField(Application.Status.choices, allow_null=True)
    submitted_at = serializers.DateTimeField(allow_null=True)
    region_name = serializers.CharField(source="region.name", allow_null=True, default=None)
    full_name = serializers.CharField(allow_null=True)
    date_of_birth = serializers.DateField(allow_null=True)
    phone = serializers.CharField(allow_null=True)
    email = serializers.CharField(allow_null=True)
    team = serializers.SerializerMethodField()
    answers = serializers.SerializerMethodField()
    files = serializers.SerializerMethodField()

    # What the review page does not show, and what it hides on an anonymised call.
    REVIEW_HIDES = ("applicant", "status", "submitted_at", "date_of_birth")
    ANONYMISED_HIDES = ("full_name", "phone", "email")

    class Meta:
        model = Application
        fields = [
            "id",
            "call",
            "applicant",
            "status",
            "submitted_at",
            "region",
            "region_name",
            "full_name",
            "date_of_birth",
            "phone",
            "email",
            "team",
            "answers",
            "files",
            "changed_at",
        ]

    def to_representation(self, instance):
        data = super().to_representation(instance)
        hidden = () if _reads_in_full(self, instance) else self.REVIEW_HIDES
        if _anonymised_for(self, instance):
            hidden += self.ANONYMISED_HIDES
        return {name: None if name in hidden else value for name, value in data.items()}

    def _questions(self, application: Application) -> list[Question]:
        anonymised = _anonymised_for(self, application)
        return [q for q in application.call.questions.all() if not (anonymised and q.is_contact_detail)]

    @extend_schema_field(TeamMemberSerializer(many=True))
    def get_team(self, application):
        anonymised = _anonymised_for(self, application)
        return [
            {"name": None if anonymised else member.name, "role": member.role}
            for member in application.team_members.all()
        ]

    @extend_schema_field(AnswerSerializer(many=True))
    def get_answers(self, application):
        typed = application.invalid_answers if _reads_in_full(self, application) else {}
        return [
            {
                "question": question.pk,
                "label": question.label,
                "kind": question.kind,
                "value": application.answers.get(str(question.pk)),
                "as_typed": typed.get(question_field_name(question)) or None,
            }
            for question in self._questions(application)
            if question.kind != Question.Kind.FILE
        ]

    @extend_schema_field(ApplicationFileSerializer(many=True))
    def get_files(self, application):
        shown = {q.pk for q in self._questions(application)}
        anonymised = _anonymised_for(self, application)
        request = self.context["request"]
        if _reads_in_full(self, application):
            page, key = "applications:file", application.pk
        else:
            page, key = "scoring:file", application.api_assignment_id
        return [
            {
                "id": stored.pk,
                "question": stored.question_id,
                "name": _file_name(stored, anonymised=anonymised),
                "size": stored.size,
                "content_type": stored.content_type,
                "url": request.build_absolute_uri(reverse(page, args=[key, stored.pk])),
            }
            for stored in application.files.all()
            if stored.question_id in shown
        ]


def _conflicted(user) -> Q:
    """Applications `user` must not review (`scoring.services.is_conflicted` in SQL): their own or their team's by
    email, or declared against the application, the applicant's or a team member's email."""
    email = (user.email or "").lower()
    team_emails = TeamMember.objects.filter(application=OuterRef(OuterRef("pk"))).exclude(email="")
    declared = ConflictOfInterest.objects.filter(reviewer=user).filter(
        Q(application=OuterRef("pk"))
        | ~Q(email="")
        & (
            Q(email=Lower(OuterRef("email")))
            | Q(email=Lower(OuterRef("applicant__email")))
            | Q(email__in=team_emails.annotate(lowered=Lower("email")).values("lowered"))
        )
    )
    conflicted = Q(applicant=user) | Exists(declared)
    if email:
        conflicted |= (
            Q(email__iexact=email)
            | Q(applicant__email__iexact=email)
            | Exists(TeamMember.objects.filter(application=OuterRef("pk"), email__iexact=email))
        )
    return conflicted


class ApplicationParameters(ListParameters):
    call = forms.IntegerField(required=False, min_value=1, max_value=MAX_ID, help_text="A call's id")
    status = forms.ChoiceField(
        required=False,
        choices=[("", "")] + Application.Status.choices,
        help_text="Matches only the applications whose status you may read (not those you review)",
    )


class ApplicationViewSet(ReadingViewSet):
    """The applicant's own applications, the applications of the programs the person manages, and those assigned
    to the person as a reviewer (unless conflicted), read as the review page shows them: fields it hides are null."""

    serializer_class = ApplicationSerializer
    parameters = ApplicationParameters
    expandable = {"call": "call"}

    def rows(self, request):
        user = request.user
        assigned = ReviewerAssignment.objects.filter(reviewer=user, application=OuterRef("pk"))
        return (
            Application.objects.filter(
                Q(call__cohort__program_id__in=self.managed_ids)
                | Q(call__cohort__program_id__in=api_program_ids(request))
                & (Q(applicant=user) | Exists(assigned) & ~_conflicted(user))
            )
            .annotate(api_assignment_id=Subquery(assigned.values("pk")[:1]))
            .select_related("call__cohort", "call__review_settings", "region")
            .prefetch_related(
                "team_members",
                "files",
                Prefetch("call__questions", queryset=Question.objects.order_by("position", "pk")),
            )
        )

    def filtered(self, queryset, values):
        if values.get("call"):
            queryset = queryset.filter(call_id=values["call"])
        if values.get("status"):
            readable = Q(call__cohort__program_id__in=self.managed_ids) | Q(applicant=self.request.user)
            queryset = queryset.filter(readable, status=values["status"])
        return queryset


class CriterionScoreSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="criterion.name")

    class Meta:
        model = CriterionScore
        fields = ["criterion", "name", "score"]


class ReviewSerializer(serializers.ModelSerializer):
    application = serializers.IntegerField(source="assignment.application_id")
    call = serializers.IntegerField(source="assignment.call_id")
    reviewer = serializers.IntegerField(source="assignment.reviewer_id")
    scores = CriterionScoreSerializer(many=True)

    class Meta:
        model = Review
        fields = [
            "id",
            "application",
            "call",
            "reviewer",
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


class RankingParameters(forms.Form):
    page = forms.IntegerField(required=False, min_value=1, max_value=MAX_ID)
    page_size = forms.IntegerField(required=False, min_value=1, max_value=MAX_PAGE_SIZE)
    region = forms.IntegerField(required=False, min_value=1, max_value=MAX_ID, help_text="A region's id")
    status = forms.ChoiceField(
        required=False,
        choices=[("", "")] + [(value, value) for value in selectors.STATUS_FILTERS],
        help_text="The decision: undecided, accept, waitlist or reject",
    )


class RankingSchema(AutoSchema):
    """One page object, not a list of rows (the view's only action is `list`)."""

    def _is_list_view(self, serializer=None) -> bool:
        return False


RANKING_PAGE_SIZE = 50


class RankingViewSet(viewsets.GenericViewSet):
    """A call's ranking as its ranking page shows it, by pages: for the managers of the call's program only."""

    api_area = "applications"
    schema = RankingSchema()
    serializer_class = RankingPageSerializer

    @extend_schema(
        parameters=[
            OpenApiParameter("call_pk", OpenApiTypes.INT, OpenApiParameter.PATH, description="The call's id"),
            *(
                OpenApiParameter(name, OpenApiTypes.INT if isinstance(field, forms.IntegerField) else OpenApiTypes.STR)
                for name, field in RankingParameters.base_fields.items()
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
        data = {
            "count": total,
            "next": replace_query_param(url, "page", page + 1) if page * size < total else None,
            "previous": None,
            "normalised": selectors.settings_for(call).normalise,
            "results": RankRowSerializer(rows, many=True).data,
        }
        if page > 1:
            data["previous"] = (
                replace_query_param(url, "page", page - 1) if page > 2 else remove_query_param(url, "page")
            )
        return Response(data)

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
    router.register("calls", CallViewSet, basename="call")
    router.register("calls/<int:call_pk>/ranking", RankingViewSet, basename="call-ranking")
    router.register("applications", ApplicationViewSet, basename="application")
    router.register("reviews", ReviewViewSet, basename="review")
    router.register("decisions", DecisionViewSet, basename="decision")
