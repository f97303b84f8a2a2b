"""incubator's admin and the API token form reach programs only through what cohorts provides
(`incubator.program_scope`)."""

import pytest

from cohorts.access import filter_managed
from cohorts.admin_access import people_of_managed_programs
from cohorts.api import person_programs
from incubator import program_scope


def test_cohorts_provides_the_scope_when_it_starts():
    assert program_scope._scope == {
        "people": people_of_managed_programs,
        "rows": filter_managed,
        "programs": person_programs,
    }


def test_without_a_provider_a_list_is_refused_rather_than_shown_whole(monkeypatch):
    monkeypatch.setattr(program_scope, "_scope", {})
    with pytest.raises(KeyError):
        program_scope.people_visible_to(None)
