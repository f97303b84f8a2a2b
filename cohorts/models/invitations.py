"""An invitation to a program role or to a cohort: a program's manager names an email address, its owner accepts or
declines.

Nobody is listed on a program, nor made a member of a cohort, by someone else's word alone: the role is granted
(cohorts/invitations.py), or the membership created (cohorts/member_invitations.py), when the account whose
confirmed email is the invited address accepts. The secret in the invitation's link is stored only as its SHA-256
hash; the link itself exists only in the email."""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

INVITATION_VALID_FOR = datetime.timedelta(days=14)


class ProgramRoleInvitation(models.Model):
    class Role(models.TextChoices):
        MANAGER = "manager", _("Program manager")
        REVIEWER = "reviewer", _("Reviewer")
        MENTOR = "mentor", _("Mentor")
        MEMBER = "member", _("Cohort member")

    class State(models.TextChoices):
        PENDING = "pending", _("waiting for an answer")
        ACCEPTED = "accepted", _("accepted")
        DECLINED = "declined", _("declined")
        REVOKED = "revoked", _("withdrawn")

    program = models.ForeignKey(
        "cohorts.Program", on_delete=models.CASCADE, related_name="role_invitations", verbose_name=_("program")
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)
    # The address as the manager typed it (lower case): never the name of an account that may have it.
    email = models.EmailField(_("email address"))
    # A member invitation's cohort (required for them, none for program roles), the region the membership will
    # have, and the name the manager typed: shown to the manager instead of any account's name.
    cohort = models.ForeignKey(
        "cohorts.Cohort",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="member_invitations",
        verbose_name=_("cohort"),
    )
    region = models.ForeignKey(
        "cohorts.Region", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("region")
    )
    name = models.CharField(_("name given by the inviter"), max_length=150, blank=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("invited by"),
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    state = models.CharField(_("state"), max_length=16, choices=State.choices, default=State.PENDING)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires at"))
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("role invitation")
        verbose_name_plural = _("role invitations")
        ordering = ["-created_at"]
        constraints = [
            # One pending invitation per program, role, cohort (none for program roles) and address.
            models.UniqueConstraint(
                fields=["program", "role", "cohort", "email"],
                condition=Q(state="pending"),
                nulls_distinct=False,
                name="role_invitation_one_pending",
            ),
            models.CheckConstraint(
                condition=Q(state__in=["pending", "accepted", "declined", "revoked"]),
                name="role_invitation_state_known",
            ),
            models.CheckConstraint(
                condition=Q(role__in=["manager", "reviewer", "mentor", "member"]), name="role_invitation_role_known"
            ),
            # A member invitation names its cohort; a program role invitation has no cohort, region nor name.
            models.CheckConstraint(
                condition=Q(role="member", cohort__isnull=False)
                | (~Q(role="member") & Q(cohort__isnull=True, region__isnull=True, name="")),
                name="role_invitation_cohort_for_members",
            ),
            models.CheckConstraint(condition=Q(email=Lower("email")), name="role_invitation_email_lower"),
            # Answered (or withdrawn) exactly when no longer pending.
            models.CheckConstraint(
                condition=Q(state="pending", answered_at__isnull=True)
                | (~Q(state="pending") & Q(answered_at__isnull=False)),
                name="role_invitation_answered_when_closed",
            ),
            models.CheckConstraint(condition=Q(expires_at__gt=models.F("created_at")), name="role_invitation_expires"),
        ]
        indexes = [models.Index(fields=["email", "state"], name="role_invitation_email_state")]

    def __str__(self):
        return f"{self.email} — {self.get_role_display()} ({self.cohort or self.program})"

    @property
    def is_member_invitation(self) -> bool:
        return self.role == self.Role.MEMBER

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()

    @property
    def is_open(self) -> bool:
        """Pending and not expired: the only invitations that can be accepted or declined."""
        return self.state == self.State.PENDING and not self.is_expired
