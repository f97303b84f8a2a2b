"""Who may see and do what, and where.

Access is per program. Global groups say what kind of work a person does; the program predicates here say where.
Every manager page, export, selector and admin `get_queryset` asks `manages_program` or filters with
`filter_managed`, so a manager of one program sees nothing of another. Superusers manage every program.

Inside a cohort, views use `get_cohort_for` as their one gate, then the plain `can_*` checks.
"""

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from cohorts.models import Cohort, Initiative, Membership, Program, Venture


def _ids(user, relation: str) -> frozenset[int]:
    """The ids of the programs `user` holds a role in, read once per user object."""
    cache = user.__dict__.setdefault("_program_role_ids", {})
    if relation not in cache:
        cache[relation] = frozenset(Program.objects.filter(**{relation: user}).values_list("pk", flat=True))
    return cache[relation]


def _program_id(program) -> int:
    return program if isinstance(program, int) else program.pk


def managed_program_ids(user) -> frozenset[int] | None:
    """The managed programs' ids; None means every program (a superuser)."""
    if not user.is_authenticated or not user.is_active:
        return frozenset()
    if user.is_superuser:
        return None
    return _ids(user, "managers")


def manages_program(user, program) -> bool:
    ids = managed_program_ids(user)
    return ids is None or _program_id(program) in ids


def manages_any_program(user) -> bool:
    ids = managed_program_ids(user)
    return ids is None or bool(ids)


def managed_programs(user) -> QuerySet[Program]:
    ids = managed_program_ids(user)
    return Program.objects.all() if ids is None else Program.objects.filter(pk__in=ids)


def managed_q(user, program_path: str) -> Q:
    """A filter keeping rows whose program (reached by `program_path`, e.g. "call__cohort__program") the user
    manages. Superusers: everything; anyone else without a managed program: nothing."""
    ids = managed_program_ids(user)
    if ids is None:
        return Q()
    return Q(**{f"{program_path}__in": ids})


def filter_managed(queryset: QuerySet, user, program_path: str) -> QuerySet:
    return queryset.filter(managed_q(user, program_path))


def reviews_for_program(user, program) -> bool:
    """Listed as a reviewer of the program (assignments to its calls come on top of this)."""
    return user.is_authenticated and _program_id(program) in _ids(user, "reviewers")


def mentors_for_program(user, program) -> bool:
    """Listed as a mentor of the program; mentors see only their own program's cohorts and participants."""
    return user.is_authenticated and _program_id(program) in _ids(user, "mentors")


def mentored_program_ids(user) -> frozenset[int]:
    return _ids(user, "mentors") if user.is_authenticated else frozenset()


def reviewed_program_ids(user) -> frozenset[int]:
    return _ids(user, "reviewers") if user.is_authenticated else frozenset()


# Withdrawn members leave the community; paused and graduated ones keep their place in it.
COMMUNITY_STATUSES = [Membership.Status.ACTIVE, Membership.Status.PAUSED, Membership.Status.GRADUATED]


def _viewer_annotations(user) -> dict:
    return {
        "viewer_is_member": Exists(
            Membership.objects.filter(cohort=OuterRef("pk"), person=user, status__in=COMMUNITY_STATUSES)
        ),
        "viewer_is_mentor": Exists(Cohort.mentors.through.objects.filter(cohort=OuterRef("pk"), user=user)),
        "viewer_manages_program": Exists(
            Program.managers.through.objects.filter(program=OuterRef("program_id"), user=user)
        ),
    }


def get_cohort_for(user, slug: str) -> Cohort:
    """The cohort with the viewer's roles in it (one query), or 404 for anyone who is not part of it.

    404 rather than 403: outsiders learn nothing about which cohorts exist."""
    if not user.is_authenticated:
        raise Http404
    cohort = Cohort.objects.select_related("program").annotate(**_viewer_annotations(user)).filter(slug=slug).first()
    if cohort is None:
        raise Http404
    # Managers of this cohort's program only: the Program manager group says what someone does, not where.
    cohort.viewer_is_manager = cohort.viewer_manages_program or user.is_superuser
    if not (cohort.viewer_is_member or cohort.viewer_is_mentor or cohort.viewer_is_manager):
        raise Http404
    return cohort


def cohorts_for(user):
    """The cohorts the user belongs to, mentors or manages (the `/cohorts/` index)."""
    if not user.is_authenticated:
        return Cohort.objects.none()
    annotated = Cohort.objects.select_related("program").annotate(**_viewer_annotations(user))
    if user.is_superuser:
        return annotated
    return annotated.filter(Q(viewer_is_member=True) | Q(viewer_is_mentor=True) | Q(viewer_manages_program=True))


def can_post(cohort: Cohort) -> bool:
    """Only the cohort's members post offers and needs."""
    return cohort.viewer_is_member


def can_answer(cohort: Cohort) -> bool:
    """Members answer each other; a mentor may point a member to someone too."""
    return cohort.viewer_is_member or cohort.viewer_is_mentor


def can_manage(cohort: Cohort) -> bool:
    return cohort.viewer_is_manager


def can_edit_venture(user, cohort: Cohort, venture: Venture) -> bool:
    return cohort.viewer_is_manager or (
        cohort.viewer_is_member and any(member.user_id == user.pk for member in venture.team.all())
    )


def can_create_venture(cohort: Cohort) -> bool:
    return cohort.viewer_is_member or cohort.viewer_is_manager


def can_create_initiative(cohort: Cohort) -> bool:
    return cohort.viewer_is_member or cohort.viewer_is_manager


def can_edit_initiative(user, cohort: Cohort, initiative: Initiative) -> bool:
    """The initiative's team, its venture's team, and the cohort's managers."""
    if cohort.viewer_is_manager:
        return True
    if not cohort.viewer_is_member:
        return False
    if any(person.pk == user.pk for person in initiative.team.all()):
        return True
    return initiative.venture is not None and any(m.user_id == user.pk for m in initiative.venture.team.all())
