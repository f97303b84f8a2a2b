"""The role invitations' pages, the personas who try them, and a client signed in as one of them."""

import re

from django.urls import reverse

from cohorts.models import ProgramRoleInvitation

State = ProgramRoleInvitation.State
TOKEN_IN_LINK = re.compile(r"/cohorts/invitations/([A-Za-z0-9_-]{40,})/")
PERSONAS = ("manager", "invitee", "other_invitee", "outsider", "other_manager")


def roles_url(program):
    return reverse("cohorts:program_roles", args=[program.slug])


def link(token):
    return reverse("cohorts:invitation", args=[token])


def accept_url(invitation):
    return reverse("cohorts:invitation_accept", args=[invitation.pk])


def decline_url(invitation):
    return reverse("cohorts:invitation_decline", args=[invitation.pk])


def revoke_url(invitation):
    return reverse("cohorts:program_invitation_revoke", args=[invitation.program.slug, invitation.pk])


def as_(client, person):
    client.logout()
    if person is not None:
        client.force_login(person)
    return client
