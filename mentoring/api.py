"""The API's reading of mentoring sessions and attendance, and the logging of a held session (access rule:
cohorts/api.py; who sees a session: mentoring/access.py `get_session_for`)."""

from django import forms
from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import OuterRef, Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.response import Response

from cohorts.access import mentored_program_ids
from cohorts.api import api_managed_ids, api_program_ids
from incubator.api.lists import ApiReadViewSet, InstantField, ListParameters
from incubator.api.serializers import ExpandableField
from incubator.bounds import MAX_BIGINT, validate_day
from incubator.models import User
from mentoring import access, services
from mentoring.models import Attendance, Session, SessionKind
from mentoring.selectors import programs_led

MAX_PARTICIPANTS = 500


class SessionKindSerializer(serializers.ModelSerializer):
    class Meta:
        model = SessionKind
        fields = ["code", "name", "counts_as"]


class SessionSerializer(serializers.ModelSerializer):
    kind = SessionKindSerializer(read_only=True)
    minutes = serializers.SerializerMethodField()
    facilitators = serializers.ListField(
        child=serializers.IntegerField(), source="facilitator_ids", read_only=True, help_text="Person ids"
    )
    participants = serializers.ListField(
        child=serializers.IntegerField(), source="participant_ids", read_only=True, help_text="Invited person ids"
    )
    private_notes = serializers.SerializerMethodField(
        help_text="Only for the session's facilitators and the program's managers; null for anyone else"
    )

    class Meta:
        model = Session
        fields = [
            "id",
            "program",
            "cohort",
            "kind",
            "series",
            "title",
            "status",
            "starts_at",
            "ends_at",
            "minutes",
            "place",
            "online_link",
            "region",
            "facilitators",
            "participants",
            "agenda",
            "summary",
            "private_notes",
            "logged_at",
            "changed_at",
        ]

    def get_minutes(self, session) -> int:
        return int((session.ends_at - session.starts_at).total_seconds() // 60)

    def get_private_notes(self, session) -> str | None:
        return session.private_notes if self.context["leads"](session) else None


def _lead_rule(request):
    """Whether the person reads a session's private notes: as on its page (`get_session_for`'s `viewer_leads`), the
    program's managers, and its facilitators while they still mentor in the program."""
    user, managed, mentored = request.user, api_managed_ids(request), mentored_program_ids(request.user)

    def leads(session) -> bool:
        if session.program_id in managed:
            return True
        return session.program_id in mentored and user.pk in session.facilitator_ids

    return leads


def readable_sessions(request):
    """The sessions whose page the person opens, among the token's programs: every session of the programs they
    manage, those they facilitate while they mentor in the program, and those they are invited to."""
    user = request.user
    facilitated = Session.facilitators.through.objects.filter(user=user).values("session_id")
    invited = Attendance.objects.filter(person=user).values("session_id")
    programs = api_program_ids(request)
    return Session.objects.filter(
        Q(program_id__in=api_managed_ids(request))
        | Q(program_id__in=programs & mentored_program_ids(user), pk__in=facilitated)
        | Q(program_id__in=programs, pk__in=invited)
    )


def with_people(sessions):
    """Kind, facilitators' and participants' ids in the same query."""
    return sessions.select_related("kind").annotate(
        facilitator_ids=ArraySubquery(
            Session.facilitators.through.objects.filter(session=OuterRef("pk")).order_by("user_id").values("user_id")
        ),
        participant_ids=ArraySubquery(
            Attendance.objects.filter(session=OuterRef("pk")).order_by("person_id").values("person_id")
        ),
    )


class SessionParameters(ListParameters):
    kind = forms.CharField(required=False, max_length=32, help_text="A session kind's code, e.g. individual")
    starts_after = InstantField(required=False, help_text="Sessions starting at or after this instant")
    starts_before = InstantField(required=False, help_text="Sessions starting before this instant")


class SessionLogInput(serializers.Serializer):
    """A session that took place, as the "Log a session" page takes it."""

    program = serializers.IntegerField(min_value=1, max_value=MAX_BIGINT)
    kind = serializers.SlugField(max_length=32, help_text="The code of one of the program's individual or group kinds")
    starts_at = serializers.DateTimeField(validators=[validate_day], help_text="When it started; not in the future")
    minutes = serializers.IntegerField(min_value=5, max_value=60 * 24 * 14)
    participants = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=MAX_BIGINT),
        max_length=MAX_PARTICIPANTS,
        help_text="Person ids: for an individual session the mentor's own mentees, for a group one the program's "
        "active participants",
    )
    summary = serializers.CharField(max_length=20_000)
    private_notes = serializers.CharField(max_length=20_000, required=False, allow_blank=True, default="")

    def validate_starts_at(self, value):
        # Here rather than in the service: minutes added to a time near the year 9999 would overflow first.
        if value > timezone.now():
            raise serializers.ValidationError(_("This session has not happened yet: schedule it instead."))
        return value


class SessionViewSet(ApiReadViewSet):
    """Mentoring sessions: every session of the programs the person manages, the sessions they facilitate as a
    mentor of the program, and the sessions they are invited to. Private notes only to the facilitators and the
    program's managers. POST logs a session that took place, for the program's mentors and managers."""

    api_area = "mentoring"
    serializer_class = SessionSerializer
    parameters = SessionParameters

    def rows(self, request):
        return with_people(readable_sessions(request))

    def filtered(self, queryset, values):
        if values.get("kind"):
            queryset = queryset.filter(kind__code=values["kind"])
        if values.get("starts_after"):
            queryset = queryset.filter(starts_at__gte=values["starts_after"])
        if values.get("starts_before"):
            queryset = queryset.filter(starts_at__lt=values["starts_before"])
        return queryset

    def get_serializer_context(self):
        context = super().get_serializer_context()
        if self.request is not None and self.request.user.is_authenticated:
            context["leads"] = _lead_rule(self.request)
        return context

    @extend_schema(request=SessionLogInput, responses={201: SessionSerializer})
    def create(self, request):
        body = SessionLogInput(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        # One answer whether the program exists or not: the token's programs where the person leads sessions.
        program = programs_led(request.user).filter(pk=data["program"], pk__in=api_program_ids(request)).first()
        if program is None:
            raise exceptions.PermissionDenied(_("You do not mentor in this program."))
        session, _overlaps = services.session_log(
            program=program,
            kind=_loggable_kind(program, data["kind"]),
            starts_at=data["starts_at"],
            minutes=data["minutes"],
            participants=_participants(request.user, program, data["participants"]),
            summary=data["summary"],
            private_notes=data["private_notes"],
            by=request.user,
        )
        session = self.rows(request).get(pk=session.pk)
        return Response(self.get_serializer(session).data, status=status.HTTP_201_CREATED)


def _loggable_kind(program, code: str) -> SessionKind:
    """One of the kinds the page offers for logging: a tour is scheduled, its activities logged."""
    kinds = services.session_kinds_ensure(program)
    kind = next((kind for kind in kinds if kind.code == code), None)
    if kind is None or kind.counts_as == SessionKind.CountsAs.SERIES:
        raise exceptions.ValidationError({"kind": [_("Not a kind of session this program logs.")]})
    return kind


def _participants(user, program, ids: list[int]) -> list[User]:
    """The people named, each among those the page would offer (`allowed_participant_ids`)."""
    allowed = access.allowed_participant_ids(user, program, individual=False)
    if unknown := sorted(set(ids) - allowed):
        raise exceptions.ValidationError(
            {"participants": [_("Not active participants of this program: %(ids)s.") % {"ids": unknown}]}
        )
    return list(User.objects.filter(pk__in=ids))


class AttendanceSerializer(serializers.ModelSerializer):
    session = ExpandableField(SessionSerializer)
    person_name = serializers.CharField(source="person.name", read_only=True)

    class Meta:
        model = Attendance
        fields = ["id", "session", "person", "person_name", "status", "changed_at"]


class AttendanceParameters(ListParameters):
    session = forms.IntegerField(required=False, min_value=1, max_value=MAX_BIGINT, help_text="A session's id")


class AttendanceViewSet(ApiReadViewSet):
    """Who was invited to a session and whether they came, for the sessions the person reads (see sessions)."""

    api_area = "mentoring"
    serializer_class = AttendanceSerializer
    parameters = AttendanceParameters

    @property
    def expandable(self):
        # A fresh Prefetch each time: prefetching may alter the object it is given.
        return {"session": Prefetch("session", queryset=with_people(Session.objects.all()))}

    def rows(self, request):
        return Attendance.objects.select_related("person").filter(
            session_id__in=readable_sessions(request).values("pk")
        )

    def filtered(self, queryset, values):
        if values.get("session"):
            queryset = queryset.filter(session_id=values["session"])
        return queryset

    def get_serializer_context(self):
        context = super().get_serializer_context()
        if self.request is not None and self.request.user.is_authenticated:
            context["leads"] = _lead_rule(self.request)
        return context


def register(router) -> None:
    router.register("sessions", SessionViewSet, basename="session")
    router.register("attendance", AttendanceViewSet, basename="attendance")
