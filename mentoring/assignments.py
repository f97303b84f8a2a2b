"""Mentor assignments: made and ended by the program's managers, audited."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cohorts.access import manages_program
from cohorts.models import Program
from incubator.audit import audit_record
from incubator.models import User
from mentoring import access
from mentoring.models import Assignment


def assignment_create(*, program: Program, mentor: User, mentee: User, by: User, venture=None) -> Assignment:
    with transaction.atomic():
        Program.objects.select_for_update().get(pk=program.pk)
        if not manages_program(by, program):
            raise PermissionDenied(_("Only the program's managers assign mentors."))
        if not program.mentors.filter(pk=mentor.pk).exists():
            raise ValidationError(_("%(name)s is not a mentor of this program.") % {"name": mentor})
        if not access.is_participant_of(mentee, program):
            raise ValidationError(_("%(name)s is not an active participant of this program.") % {"name": mentee})
        if venture is not None and venture.cohort.program_id != program.pk:
            raise ValidationError(_("This venture belongs to another program."))
        if Assignment.objects.filter(program=program, mentor=mentor, mentee=mentee, ended_at__isnull=True).exists():
            raise ValidationError(_("%(name)s already mentors this participant.") % {"name": mentor})
        assignment = Assignment.objects.create(program=program, mentor=mentor, mentee=mentee, venture=venture)
        audit_record(actor=by, action="assignment.create", obj=assignment, after={"mentor": mentor.pk})
    return assignment


def assignment_end(*, assignment: Assignment, by: User) -> Assignment:
    with transaction.atomic():
        assignment = Assignment.objects.select_for_update().get(pk=assignment.pk)
        if not manages_program(by, assignment.program_id):
            raise PermissionDenied
        if assignment.ended_at is None:
            assignment.ended_at = timezone.now()
            assignment.save(update_fields=["ended_at"])
            audit_record(actor=by, action="assignment.end", obj=assignment)
    return assignment
