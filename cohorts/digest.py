"""The weekly digest: each program manager's "needs you" list (cohorts/needs_you.py) by email, Monday morning.

One email per manager covering every program they are listed on, none when nothing needs them, none for those
who turned it off (`User.weekly_digest`, on their profile or through the link in the email). Exactly once a week
through the notification ledger: the key is (kind, the manager, the manager, the ISO week), so two sweeps at once
or a sweep run again send it once. The lines are read again when the email is written, in the manager's
language; if nothing needs them by then, nothing is sent."""

import dataclasses
import datetime

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.utils import timezone

from cohorts.models import Program
from cohorts.needs_you import needs_you_lines
from incubator.audit import audit_record
from incubator.emails import register, render_email
from incubator.language import absolute_url
from incubator.models import User
from incubator.notifications import Claim, notifications_claim, notifications_enqueue

DIGEST_KIND = "cohorts.weekly_digest"
UNSUBSCRIBE_SALT = "cohorts.weekly_digest.unsubscribe"


def iso_week(now: datetime.datetime) -> str:
    """ "2026-W50": the ledger threshold, one digest per manager per ISO week (in UTC, when the sweep runs)."""
    year, week, _day = timezone.localtime(now, datetime.UTC).isocalendar()
    return f"{year}-W{week:02d}"


def digest_programs(manager: User) -> list[Program]:
    """The programs the manager is listed on (a superuser gets the digest of the programs listing them only)."""
    return list(Program.objects.filter(managers=manager).order_by("name"))


def digest_lines(manager: User):
    return needs_you_lines(manager, digest_programs(manager))


def weekly_digest_sweep(*, now: datetime.datetime | None = None) -> int:
    """Claim this week's digest for every manager who wants it and has something in it; enqueue only our claims."""
    week = iso_week(now or timezone.now())
    managers = User.objects.filter(is_active=True, weekly_digest=True, managed_programs__isnull=False).distinct()
    claims = [
        Claim(DIGEST_KIND, manager.pk, manager.pk, week) for manager in managers.order_by("pk") if digest_lines(manager)
    ]
    with transaction.atomic():
        claimed = notifications_claim(claims=claims)
        notifications_enqueue(notification_ids=claimed)
    return len(claimed)


def unsubscribe_token(user: User) -> str:
    """The same for every email to the account (no date in it: an old email's link keeps working); it can only turn
    the digest off, so it needs no expiry."""
    return signing.Signer(salt=UNSUBSCRIBE_SALT).sign_object(user.pk)


def user_for_unsubscribe_token(token: str) -> User | None:
    try:
        pk = signing.Signer(salt=UNSUBSCRIBE_SALT).unsign_object(token)
    except signing.BadSignature:
        return None
    return User.objects.filter(pk=pk, is_active=True).first()


def weekly_digest_stop(*, user: User, by: User | None) -> bool:
    """Turn the digest off (True if it was on). `by` None: the unsubscribe link in the email, signed for `user`."""
    with transaction.atomic():
        changed = User.objects.filter(pk=user.pk, weekly_digest=True).update(weekly_digest=False)
        if changed:
            audit_record(actor=by, action="user.weekly_digest_stop", obj=user, before={"weekly_digest": True})
    return bool(changed)


def unsubscribe_url(user: User, language: str) -> str:
    return absolute_url("cohorts:digest_unsubscribe", language, args=[unsubscribe_token(user)])


@register(DIGEST_KIND)
def render_digest(notification):
    manager = notification.recipient
    if not manager.is_active or not manager.weekly_digest:
        return None  # turned off since the sweep
    lines = digest_lines(manager)
    if not lines:
        return None  # dealt with since the sweep
    language = manager.preferred_language
    groups: dict[int, dict] = {}
    for found in lines:
        group = groups.setdefault(found.program_id, {"program": found.program, "lines": []})
        group["lines"].append({"line": found, "url": settings.SITE_URL + found.url})
    unsubscribe = unsubscribe_url(manager, language)
    content = render_email(
        "cohorts/weekly_digest",
        {
            "manager": manager,
            "groups": list(groups.values()),
            "count": len(lines),
            "profile_url": absolute_url("profile_edit", language),
            "home_url": absolute_url("home", language),
            "unsubscribe_url": unsubscribe,
        },
    )
    # One-click unsubscribe for mail clients (RFC 8058): they POST to the same signed link.
    headers = (("List-Unsubscribe", f"<{unsubscribe}>"), ("List-Unsubscribe-Post", "List-Unsubscribe=One-Click"))
    return dataclasses.replace(content, headers=headers)
