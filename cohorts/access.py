"""Access is per program. Global groups say what kind of work a person does; these say where.

Every manager page, export, selector and admin `get_queryset` asks `manages_program` or filters with
`filter_managed`, so a manager of one program sees nothing of another. Superusers manage every program.
"""

from django.db.models import Q, QuerySet

from cohorts.models import Program


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
