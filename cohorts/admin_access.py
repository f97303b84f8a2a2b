"""The admin, per program: every model admin and inline of a program's data filters its rows, its permissions
and its drop-downs with `cohorts.access`, so a manager of one program sees nothing of another in /admin/."""

from django.contrib.auth import get_user_model
from django.db.models import Q

from cohorts.access import managed_program_ids, managed_q

# How each model reaches its program; drop-downs of these models keep only the managed programs' rows.
PROGRAM_PATHS: dict[str, str] = {
    "cohorts.program": "pk",
    "cohorts.region": "program",
    "cohorts.cohort": "program",
    "cohorts.membership": "cohort__program",
    "cohorts.venture": "cohort__program",
    "cohorts.post": "cohort__program",
    "cohorts.initiative": "cohort__program",
    "cohorts.metricset": "program",
    "cohorts.metric": "metric_set__program",
    "cohorts.checkin": "venture__cohort__program",
    "cohorts.availability": "program",
    "applications.call": "cohort__program",
    "applications.question": "call__cohort__program",
    "applications.application": "call__cohort__program",
}


def scoped(queryset, user, program_path: str):
    """`filter_managed`, also for the Program model itself (path "pk")."""
    if program_path == "pk":
        ids = managed_program_ids(user)
        return queryset if ids is None else queryset.filter(pk__in=ids)
    return queryset.filter(managed_q(user, program_path))


def people_of_managed_programs(user):
    """The accounts a manager may see: themselves and the people of their programs (staff, applicants, members).
    Someone merely invited to a role or to a cohort is not among them: only the role lists and the memberships
    count, which an invitation joins when its invited person accepts it (cohorts/invitations.py,
    cohorts/member_invitations.py)."""
    users = get_user_model().objects.all()
    ids = managed_program_ids(user)
    if ids is None:
        return users
    in_programs = (
        Q(managed_programs__in=ids)
        | Q(reviewed_programs__in=ids)
        | Q(mentored_programs__in=ids)
        | Q(applications__call__cohort__program__in=ids)
        | Q(memberships__cohort__program__in=ids)
    )
    return users.filter(Q(pk=user.pk) | Q(pk__in=users.filter(in_programs).values("pk")))


def program_reviewers(program):
    """The people listed as reviewers of `program` (none when there is no program yet)."""
    users = get_user_model().objects.all()
    return users.filter(reviewed_programs=program) if program is not None else users.none()


class ScopedChoicesMixin:
    """Drop-downs (foreign keys and many-to-many) offer only rows of the programs the user manages, and people
    of those programs; a forged choice outside them is refused by the form as an invalid choice."""

    def _scoped_kwargs(self, request, db_field, kwargs):
        model = db_field.related_model
        path = PROGRAM_PATHS.get(model._meta.label_lower)
        queryset = kwargs.get("queryset")
        if path is not None:
            kwargs["queryset"] = scoped(
                queryset if queryset is not None else model._default_manager.all(), request.user, path
            )
        elif model is get_user_model():
            people = people_of_managed_programs(request.user)
            kwargs["queryset"] = people if queryset is None else queryset.filter(pk__in=people.values("pk"))
        return kwargs

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        return super().formfield_for_foreignkey(db_field, request, **self._scoped_kwargs(request, db_field, kwargs))

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        return super().formfield_for_manytomany(db_field, request, **self._scoped_kwargs(request, db_field, kwargs))


class ProgramScopedMixin(ScopedChoicesMixin):
    """For a ModelAdmin: `program_path` leads from the model to its program. Lists hold only managed programs'
    rows; an object of another program is neither viewable, changeable nor deletable (the admin answers 404/403)."""

    program_path: str = ""

    def get_queryset(self, request):
        return scoped(super().get_queryset(request), request.user, self.program_path)

    def _in_program(self, request, obj) -> bool:
        if obj is None or request.user.is_superuser:
            return True
        cache = request.__dict__.setdefault("_program_scoped", {})
        key = (self.model._meta.label_lower, obj.pk)
        if key not in cache:
            cache[key] = self.get_queryset(request).filter(pk=obj.pk).exists()
        return cache[key]

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) and self._in_program(request, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._in_program(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._in_program(request, obj)
