"""The cohort's program's manager, a manager elsewhere, and Rina invited to the cohort."""

import pytest

from cohorts.member_invitations import membership_invite
from tests.factories import UserFactory, program_manager


@pytest.fixture
def boss(cohort):
    """The cohort's program's manager, listed through the audited service."""
    return program_manager(cohort.program, name="Bina Boss")


@pytest.fixture
def other_boss(other_cohort):
    return program_manager(other_cohort.program, name="Otto Other")


@pytest.fixture
def invitee(db):
    return UserFactory(email="rina@example.org", name="Rina Secretname")


@pytest.fixture
def invited(cohort, north, boss, invitee):
    """A pending invitation of Rina's address to the cohort, with the name the manager typed, and its token."""
    return membership_invite(cohort=cohort, email="Rina@Example.org", name="R. Typed", region=north, by=boss)


@pytest.fixture
def other_invitee(cohort, boss):
    """Someone else invited to the same cohort: another invitee, who must not answer Rina's invitation."""
    person = UserFactory(email="omer@example.org", name="Omer Otherinvitee")
    membership_invite(cohort=cohort, email=person.email, name="Omer", by=boss)
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
