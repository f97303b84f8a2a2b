"""Who manages, reviews and mentors a program: granted and revoked only here, audited, by the program's managers.

A program's managers give the reviewer and mentor roles for their own program; naming a program's managers is
for superusers (a manager cannot make someone, or themselves, manager of another program). The global groups
follow: someone listed on a program holds the group that says what kind of work they do there."""

from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cohorts.access import manages_program
from cohorts.models import Cohort, Program
from incubator.audit import audit_record
from incubator.history import recorded_by
from incubator.models import User
from incubator.roles import MENTOR, PROGRAM_MANAGER, REVIEWER

MANAGER, REVIEWER_ROLE, MENTOR_ROLE = "manager", "reviewer", "mentor"
ROLES = {
    # role: (Program many-to-many, global group, label)
    MANAGER: ("managers", PROGRAM_MANAGER, gettext_lazy("Program manager")),
    REVIEWER_ROLE: ("reviewers", REVIEWER, gettext_lazy("Reviewer")),
    MENTOR_ROLE: ("mentors", MENTOR, gettext_lazy("Mentor")),
}


def can_grant(by, program: Program, role: str) -> bool:
    """`by` None is the system itself (the demo seeder, a management command), never a person's request."""
    if by is None:
        return True
    if role == MANAGER:
        return bool(by and by.is_active and by.is_superuser)
    return bool(by) and manages_program(by, program)


def grantable_roles(by, program: Program) -> list[tuple[str, str]]:
    return [(role, label) for role, (_f, _g, label) in ROLES.items() if by is not None and can_grant(by, program, role)]


def _check(program: Program, role: str, by) -> str:
    if role not in ROLES:
        raise ValidationError(_("Choose a role: reviewer or mentor."))
    if not can_grant(by, program, role):
        raise PermissionDenied
    return ROLES[role][0]


@recorded_by
def program_role_grant(*, program: Program, person: User, role: str, by: User) -> bool:
    """List `person` on the program in `role`; True if they were not listed yet. Audited."""
    relation = _check(program, role, by)
    with transaction.atomic():
        program = Program.objects.select_for_update().get(pk=program.pk)
        people = getattr(program, relation)
        if people.filter(pk=person.pk).exists():
            return False
        people.add(person)
        person.groups.add(Group.objects.get(name=ROLES[role][1]))
        if role == MANAGER and not person.is_staff:
            person.is_staff = True  # the administration is where managers work
            person.save(update_fields=["is_staff"])
        audit_record(actor=by, action="program.role_grant", obj=program, after={"role": role, "person": person.pk})
    return True


@recorded_by
def program_role_revoke(*, program: Program, person: User, role: str, by: User) -> bool:
    """Take `person` off the program's `role`; the global group goes too once no program lists them in it."""
    relation = _check(program, role, by)
    with transaction.atomic():
        program = Program.objects.select_for_update().get(pk=program.pk)
        people = getattr(program, relation)
        if not people.filter(pk=person.pk).exists():
            return False
        people.remove(person)
        if role == MENTOR_ROLE:
            # A mentor of the program no longer: out of its cohorts' pages too.
            Cohort.mentors.through.objects.filter(cohort__program=program, user=person).delete()
        if not Program.objects.filter(**{relation: person}).exists():
            person.groups.remove(Group.objects.get(name=ROLES[role][1]))
            if role == MANAGER and person.is_staff and not person.is_superuser:
                person.is_staff = False
                person.save(update_fields=["is_staff"])
        audit_record(actor=by, action="program.role_revoke", obj=program, before={"role": role, "person": person.pk})
    return True
