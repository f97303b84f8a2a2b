import datetime

import pytest

from mentoring import assignments, services
from tests.factories import CohortFactory, ProgramFactory, RegionFactory, UserFactory, accept

# A time well in the past for logged sessions, and a fixed "now" for scheduled ones.
PAST = datetime.datetime(2026, 3, 10, 8, 0, tzinfo=datetime.UTC)


@pytest.fixture
def program(db):
    return ProgramFactory(name="BizUP test", slug="bizup-test", time_zone="Asia/Jerusalem")


@pytest.fixture
def region(program):
    return RegionFactory(program=program, name="Jerusalem")


@pytest.fixture
def cohort(program):
    return CohortFactory(program=program, name="BizUP test cohort")


@pytest.fixture
def mentee(cohort, region):
    person = UserFactory(name="Mira Mentee")
    accept(cohort, person, region=region)
    return person


@pytest.fixture
def second_mentee(cohort, region):
    return accept(cohort, UserFactory(name="Sami Second"), region=region).person


@pytest.fixture
def participant(cohort, region):
    """An active participant of the program who is not the mentor's mentee."""
    return accept(cohort, UserFactory(name="Pia Participant"), region=region).person


@pytest.fixture
def manager(program):
    person = UserFactory(name="Mona Manager")
    program.managers.add(person)
    return person


@pytest.fixture
def mentor(program, cohort, mentee, second_mentee, manager):
    person = UserFactory(name="Meir Mentor")
    program.mentors.add(person)
    cohort.mentors.add(person)
    assignments.assignment_create(program=program, mentor=person, mentee=mentee, by=manager)
    assignments.assignment_create(program=program, mentor=person, mentee=second_mentee, by=manager)
    return person


@pytest.fixture
def other_mentor(program, participant, manager):
    person = UserFactory(name="Olek Othermentor")
    program.mentors.add(person)
    assignments.assignment_create(program=program, mentor=person, mentee=participant, by=manager)
    return person


@pytest.fixture
def other_program(db):
    return ProgramFactory(name="Other program", slug="other-program", time_zone="Europe/Warsaw")


@pytest.fixture
def other_manager(other_program):
    person = UserFactory(name="Otto Othermanager")
    other_program.managers.add(person)
    return person


@pytest.fixture
def stranger(other_program):
    """An active participant of another program."""
    cohort = CohortFactory(program=other_program)
    return accept(cohort, UserFactory(name="Stan Stranger")).person


@pytest.fixture
def kinds(program):
    return {kind.code: kind for kind in services.session_kinds_ensure(program)}


@pytest.fixture
def held(program, kinds, mentor, mentee):
    """A logged individual session of the mentor with their mentee, with one action item."""
    session, _ = services.session_log(
        program=program,
        kind=kinds["individual"],
        starts_at=PAST,
        minutes=60,
        participants=[mentee],
        summary="Worked on the price list.",
        private_notes="Seems tired; check in next time.",
        action_items=[services.ActionItemInput(text="Send the price list", owner=mentee)],
        by=mentor,
    )
    return session
