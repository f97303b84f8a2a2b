"""The per-program predicate every manager page and admin list relies on."""

import pytest

from applications.models import Application
from cohorts.access import filter_managed, manages_program, mentors_for_program, reviews_for_program
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def programs():
    from cohorts.models import Program

    return Program.objects.create(name="BizUP", slug="bizup"), Program.objects.create(name="Kawalis", slug="kawalis")


def test_a_manager_manages_only_the_programs_they_are_listed_on(programs):
    bizup, kawalis = programs
    manager = UserFactory()
    bizup.managers.add(manager)
    assert manages_program(manager, bizup)
    assert not manages_program(manager, kawalis)
    assert not manages_program(manager, kawalis.pk)


def test_a_superuser_manages_every_program(programs):
    superuser = UserFactory(is_superuser=True, is_staff=True)
    assert all(manages_program(superuser, program) for program in programs)


def test_an_outsider_and_an_anonymous_visitor_manage_nothing(programs):
    from django.contrib.auth.models import AnonymousUser

    assert not manages_program(UserFactory(), programs[0])
    assert not manages_program(AnonymousUser(), programs[0])
    assert not filter_managed(Application.objects.all(), AnonymousUser(), "call__cohort__program").exists()


def test_an_inactive_manager_manages_nothing(programs):
    manager = UserFactory(is_active=False)
    programs[0].managers.add(manager)
    assert not manages_program(manager, programs[0])


def test_reviewers_and_mentors_are_per_program(programs):
    bizup, kawalis = programs
    person = UserFactory()
    bizup.reviewers.add(person)
    kawalis.mentors.add(person)
    assert reviews_for_program(person, bizup) and not reviews_for_program(person, kawalis)
    assert mentors_for_program(person, kawalis) and not mentors_for_program(person, bizup)
