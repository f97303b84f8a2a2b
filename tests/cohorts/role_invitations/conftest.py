"""A program, its manager, a manager elsewhere, and Rina invited to review for the program."""

import pytest

from cohorts.invitations import program_role_invite
from tests.factories import ProgramFactory, UserFactory, program_manager


@pytest.fixture
def program(db):
    return ProgramFactory(name="BizUP invitations", language="fr")


@pytest.fixture
def boss(program):
    return program_manager(program, name="Bina Boss")


@pytest.fixture
def other_boss(db):
    return program_manager(ProgramFactory(name="Elsewhere"), name="Otto Other")


@pytest.fixture
def invitee(db):
    return UserFactory(email="rina@example.org", name="Rina Secretname")


@pytest.fixture
def invited(program, boss, invitee):
    """A pending invitation of Rina's address to review for the program, and its token."""
    return program_role_invite(program=program, role="reviewer", email="Rina@Example.org", by=boss)


@pytest.fixture
def other_invitee(program, boss):
    """Someone else invited to the same program: another invitee, who must not answer Rina's invitation."""
    person = UserFactory(email="omer@example.org", name="Omer Otherinvitee")
    program_role_invite(program=program, role="reviewer", email=person.email, by=boss)
    return person


@pytest.fixture
def people(boss, invitee, other_invitee, outsider, other_boss):
    return {
        "manager": boss,
        "invitee": invitee,
        "other_invitee": other_invitee,
        "outsider": outsider,
        "other_manager": other_boss,
    }
