"""The API's reading of calls and applications (access rule: cohorts/api.py; reviews, rankings and decisions:
applications/scoring/api.py).

Each row is read as its pages show it to the caller: an application in full by its applicant and the managers of
its program, and by a reviewer as the review page shows it (no status, date of birth or account; on an anonymised
call no name, contact details, contact questions, team names or file names). Fields a reader may not see are null."""

from functools import cached_property

from django import forms
from django.db.models import Exists, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Lower
from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from applications.forms import question_field_name
from applications.models import Application, Call, Question, TeamMember
from applications.scoring import selectors
from applications.scoring.access import reviewed_file_name
from applications.scoring.models import ConflictOfInterest, ReviewerAssignment
from cohorts.api import CohortSerializer, api_managed_ids, api_program_ids
from incubator.api.lists import ApiReadViewSet, ListParameters
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
                "name": reviewed_file_name(stored, anonymised=anonymised),
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


def register(router) -> None:
    # Imported here: the scoring endpoints build on this module's.
    from applications.scoring import api as scoring_api

    router.register("calls", CallViewSet, basename="call")
    router.register("applications", ApplicationViewSet, basename="application")
    scoring_api.register(router)
