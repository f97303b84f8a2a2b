import datetime
from dataclasses import dataclass, field
from types import SimpleNamespace

import factory
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group

from demo.users import DEMO_PASSWORD
from incubator.models import User


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    name = factory.Faker("name")
    preferred_language = "en"
    time_zone = "UTC"
    password = factory.django.Password(DEMO_PASSWORD)

    @factory.post_generation
    def verified(self, create, extracted, **kwargs):
        if create and extracted is not False:
            EmailAddress.objects.create(user=self, email=self.email, verified=True, primary=True)

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        if create and extracted:
            self.groups.add(*Group.objects.filter(name__in=extracted))


class ProgramFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "cohorts.Program"

    name = factory.Sequence(lambda n: f"Program {n}")
    slug = factory.Sequence(lambda n: f"program-{n}")
    language = "en"
    time_zone = "Asia/Jerusalem"


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "cohorts.Region"

    program = factory.SubFactory(ProgramFactory)
    name = factory.Sequence(lambda n: f"Region {n}")


class CohortFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "cohorts.Cohort"

    program = factory.SubFactory(ProgramFactory)
    name = factory.Sequence(lambda n: f"Cohort {n}")
    slug = factory.Sequence(lambda n: f"cohort-{n}")
    starts_on = factory.LazyFunction(lambda: datetime.date(2026, 1, 1))
    ends_on = factory.LazyFunction(lambda: datetime.date(2026, 12, 31))
    status = "running"


@dataclass
class Acceptance:
    """An accepted application as `membership_create_from_application` reads it (cohorts never imports
    applications, so tests need no applications model either)."""

    applicant: User
    call: SimpleNamespace
    region: object = None
    venture_name: str = ""
    venture_field: str = ""
    venture_description: str = ""
    team_members: list = field(default_factory=list)


def accept(cohort, person=None, **venture):
    """A member of `cohort`, made the way production makes them: through the acceptance service."""
    from cohorts.services import membership_create_from_application

    person = person or UserFactory()
    acceptance = Acceptance(applicant=person, call=SimpleNamespace(cohort=cohort), **venture)
    return membership_create_from_application(application=acceptance, by=None)


def invited_member(cohort, person, *, by, region=None):
    """A member of `cohort` who joined by a manager's invitation: invited by address, accepted by the account that
    confirmed it (cohorts/member_invitations.py)."""
    from cohorts.member_invitations import membership_invitation_accept, membership_invite

    invitation, _token = membership_invite(cohort=cohort, email=person.email, name=person.name, region=region, by=by)
    membership, _created = membership_invitation_accept(invitation=invitation, by=person)
    return membership


def superuser():
    """The portal's superuser, who names programs' managers."""
    person = User.objects.filter(email="root@example.org").first()
    return person or UserFactory(email="root@example.org", name="Root", is_superuser=True, is_staff=True)


def grant(program, person, role: str):
    """List `person` on `program` as "manager", "reviewer" or "mentor", through the audited service."""
    from cohorts.program_roles import program_role_grant

    program_role_grant(program=program, person=person, role=role, by=superuser())
    return person


def program_manager(program, **kwargs):
    """A manager of `program` (and of no other)."""
    return grant(program, UserFactory(**kwargs), "manager")
