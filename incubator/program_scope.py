"""What a staff member's programs reach, for the admin of incubator's own models (accounts, the email ledger).

Programs are cohorts' concept, one floor up: cohorts hands its answers over when it starts (`CohortsConfig.ready`),
so that incubator never imports cohorts. Until it has, asking raises: a list is never shown unfiltered."""

from collections.abc import Callable

from django.db.models import QuerySet

_scope: dict[str, Callable] = {}


def provide(*, people: Callable, rows: Callable, programs: Callable) -> None:
    """`people(user)`: the accounts `user` may see. `rows(queryset, user, program_path)`: the rows of `queryset`
    whose program (reached by `program_path`) `user` manages. `programs(user)`: the programs `user` holds any
    role in (an API token may name these)."""
    _scope.update(people=people, rows=rows, programs=programs)


def people_visible_to(user) -> QuerySet:
    return _scope["people"](user)


def rows_visible_to(queryset: QuerySet, user, program_path: str) -> QuerySet:
    return _scope["rows"](queryset, user, program_path)


def programs_of(user) -> QuerySet:
    return _scope["programs"](user)
