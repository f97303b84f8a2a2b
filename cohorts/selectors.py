"""Reads of a cohort's community, each a fixed number of queries whatever the number of rows."""

import datetime

from django.db.models import CharField, Count, F, Func, Prefetch, Q, TextField, Value
from django.db.models.functions import Coalesce
from django.utils.hashable import make_hashable
from django.utils.translation import get_language

from cohorts.access import COMMUNITY_STATUSES
from cohorts.models import (
    FIELD_CHOICES,
    Answer,
    Initiative,
    InitiativeUpdate,
    MemberProfile,
    Membership,
    Milestone,
    Post,
    Venture,
    VentureMember,
)


def _cohort_ventures(cohort) -> Prefetch:
    """Each person's ventures in this cohort only, on `person.cohort_ventures`."""
    return Prefetch(
        "person__venture_memberships",
        queryset=VentureMember.objects.filter(venture__cohort=cohort).select_related("venture"),
        to_attr="cohort_ventures",
    )


def directory_members(cohort, *, q: str = "", field: str = "", skill: str = "", region_id: int | None = None):
    """Members' cards: one query for the members with person, profile and region, one for their ventures."""
    members = (
        # A deleted account keeps its membership for the counts, not a nameless card in the directory.
        Membership.objects.filter(cohort=cohort, status__in=COMMUNITY_STATUSES, person__is_active=True)
        .select_related("person__member_profile", "region")
        .prefetch_related(_cohort_ventures(cohort))
        .order_by("person__name", "pk")
    )
    if q:
        members = (
            members.annotate(
                skills_text=Func(
                    F("person__member_profile__skills"),
                    Value(" "),
                    function="array_to_string",
                    output_field=TextField(),
                )
            )
            .filter(
                Q(person__name__icontains=q)
                | Q(person__member_profile__headline__icontains=q)
                | Q(person__member_profile__offers__icontains=q)
                | Q(person__member_profile__needs__icontains=q)
                | Q(skills_text__icontains=q)
                | Q(
                    person__venture_memberships__venture__cohort=cohort,
                    person__venture_memberships__venture__name__icontains=q,
                )
            )
            .distinct()
        )
    if field:
        members = members.filter(person__member_profile__field=field)
    if skill:
        members = members.filter(person__member_profile__skills__contains=[skill])
    if region_id:
        members = members.filter(region_id=region_id)
    return members


def directory_cards(members, cohort) -> list[Membership]:
    """The directory page's members, each with what its card needs beyond the rows: `field_label` and
    `status_label`, named in the active language once per page (`get_FOO_display` translates every choice of the
    field on each call: 3 ms of a page of 30 cards), and `card_key`, every value the card is made of, by which
    `{% kept %}` renders each card once until one of them (or the page's language) changes."""
    fields = {value: str(label) for value, label in FIELD_CHOICES}
    statuses = {value: str(label) for value, label in Membership.Status.choices}
    language = get_language()
    members = list(members)
    for membership in members:
        person = membership.person
        profile = getattr(person, "member_profile", None)
        membership.field_label = fields.get(profile.field, profile.field) if profile else ""
        membership.status_label = statuses.get(membership.status, membership.status)
        ventures = tuple((_stored(member), _stored(member.venture)) for member in person.cohort_ventures)
        membership.card_key = (
            language,
            cohort.slug,
            *map(_stored, (membership, membership.region, person, profile)),
            ventures,
        )
    return members


def _stored(row) -> tuple:
    """Every stored value of a row, hashable (lists as tuples), for a key that changes whenever the row does."""
    if row is None:
        return ()
    return tuple(make_hashable(field.value_from_object(row)) for field in row._meta.concrete_fields)


def directory_skills(cohort) -> list[str]:
    """The skills the cohort's members list, for the filter (one query)."""
    return list(
        MemberProfile.objects.filter(user__memberships__cohort=cohort, user__memberships__status__in=COMMUNITY_STATUSES)
        .annotate(skill=Func(F("skills"), function="unnest", output_field=CharField()))
        .values_list("skill", flat=True)
        .distinct()
        .order_by("skill")
    )


def board_posts(cohort, *, kind: str = ""):
    posts = (
        Post.objects.filter(cohort=cohort)
        .select_related("author")
        .annotate(answer_count=Count("answers"))
        .order_by("-created_at", "-pk")
    )
    return posts.filter(kind=kind) if kind else posts


def post_with_answers(cohort, pk: int) -> Post | None:
    return (
        Post.objects.filter(cohort=cohort, pk=pk)
        .select_related("author")
        .prefetch_related(Prefetch("answers", queryset=Answer.objects.select_related("author")))
        .first()
    )


def venture_detail(cohort, pk: int) -> Venture | None:
    return (
        Venture.objects.filter(cohort=cohort, pk=pk)
        .prefetch_related(
            Prefetch("team", queryset=VentureMember.objects.select_related("user")),
            Prefetch("initiatives", queryset=Initiative.objects.order_by("title")),
        )
        .first()
    )


def initiatives_list(cohort):
    return (
        Initiative.objects.filter(cohort=cohort)
        .select_related("venture")
        .prefetch_related("team")
        .annotate(
            milestones_total=Count("milestones", distinct=True),
            milestones_done=Count("milestones", filter=Q(milestones__done_on__isnull=False), distinct=True),
        )
        .order_by("title")
    )


def initiative_detail(cohort, pk: int) -> Initiative | None:
    return (
        Initiative.objects.filter(cohort=cohort, pk=pk)
        .select_related("venture")
        .prefetch_related(
            "team",
            "milestones",
            Prefetch("updates", queryset=InitiativeUpdate.objects.select_related("author")),
            Prefetch("venture__team", queryset=VentureMember.objects.all()),
        )
        .first()
    )


def dashboard(cohort, *, today: datetime.date) -> dict:
    """The manager's figures: five queries, whatever the size of the cohort."""
    members = Membership.objects.filter(cohort=cohort)
    by_status = dict(members.values_list("status").annotate(n=Count("pk")).order_by())
    by_region = list(
        members.filter(status__in=COMMUNITY_STATUSES)
        .values_list(Coalesce("region__name", Value("")))
        .annotate(n=Count("pk"))
        .order_by(Coalesce("region__position", Value(10_000)), Coalesce("region__name", Value("")))
    )
    milestones = Milestone.objects.filter(initiative__cohort=cohort).aggregate(
        total=Count("pk"),
        done=Count("pk", filter=Q(done_on__isnull=False)),
        due=Count("pk", filter=Q(due_on__lte=today)),
        done_of_due=Count("pk", filter=Q(due_on__lte=today, done_on__isnull=False)),
        overdue=Count("pk", filter=Q(due_on__lt=today, done_on__isnull=True)),
    )
    initiatives = dict(
        Initiative.objects.filter(cohort=cohort).values_list("status").annotate(n=Count("pk")).order_by()
    )
    return {
        "by_status": [(status, label, by_status.get(status, 0)) for status, label in Membership.Status.choices],
        "by_region": by_region,
        "milestones": milestones,
        "initiatives": [(status, label, initiatives.get(status, 0)) for status, label in Initiative.Status.choices],
        "member_count": sum(by_status.values()),
        # The dashboard explains a count above the cohort's places: withdrawn members stay counted.
        "withdrawn_count": by_status.get(Membership.Status.WITHDRAWN, 0),
        "current_count": sum(by_status.values()) - by_status.get(Membership.Status.WITHDRAWN, 0),
    }


def members_table(cohort):
    """Every membership of the cohort (withdrawn too), for the dashboard table and the CSV export."""
    return (
        Membership.objects.filter(cohort=cohort)
        .select_related("person__member_profile", "region")
        .prefetch_related(_cohort_ventures(cohort))
        .order_by("person__name", "pk")
    )
