"""The member invitations' pages, the personas who try them, and a client signed in as one of them."""

import re

from django.urls import reverse

from cohorts.models import Membership, ProgramRoleInvitation

State = ProgramRoleInvitation.State
TOKEN_IN_LINK = re.compile(r"/cohorts/invitations/([A-Za-z0-9_-]{40,})/")
PERSONAS = ("manager", "invitee", "other_invitee", "outsider", "other_manager")


def invite_url(cohort):
    return reverse("cohorts:member_invite", args=[cohort.slug])


def dashboard_url(cohort):
    return reverse("cohorts:dashboard", args=[cohort.slug])


def withdraw_url(invitation):
    return reverse("cohorts:member_invitation_revoke", args=[invitation.cohort.slug, invitation.pk])


def link(token):
    return reverse("cohorts:invitation", args=[token])


def accept_url(invitation):
    return reverse("cohorts:invitation_accept", args=[invitation.pk])


def decline_url(invitation):
    return reverse("cohorts:invitation_decline", args=[invitation.pk])


def as_(client, person):
    client.logout()
    if person is not None:
        client.force_login(person)
    return client


def is_member(person, cohort) -> bool:
    return Membership.objects.filter(person=person, cohort=cohort).exists()
