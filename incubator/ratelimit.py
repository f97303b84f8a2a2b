"""Limits on the portal's own emails sent at a person's request (an invitation, a board answer, a session moved).

Sign-in, sign-up, password reset and resending the address confirmation are limited by django-allauth
(`ACCOUNT_RATE_LIMITS` in settings). Its `ratelimit.consume` is keyed by allauth's own actions and settings, so
the portal's endpoints use this helper instead: a fixed window counted in the shared cache (Redis, so every web
server counts together), once per person and once per target (the address invited, the post's author, the
session), so that neither one person nor many together can flood someone's inbox through the portal.

A view calls `email_request_allowed` before the service; when it answers False, the view sends nothing and
answers 429: the form again with `REFUSED` (it stays filled), or `too_many_requests` for a button."""

import time
from dataclasses import dataclass

from django.core.cache import cache
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Limit:
    per_person: int  # requests one person may make in the window
    per_target: int | None  # requests about one target, whoever makes them (None: no target)
    window: int = 3600  # seconds


LIMITS = {
    "member_invite": Limit(per_person=30, per_target=3),
    "role_invite": Limit(per_person=30, per_target=3),  # target: the address invited
    "board_answer": Limit(per_person=30, per_target=20),
    "session_schedule": Limit(per_person=30, per_target=60),  # target: the program
    "session_email": Limit(per_person=30, per_target=5),  # target: the session moved or cancelled
    # A participant booking or cancelling office hours: each sends the mentor an invitation or a cancellation.
    "office_hours": Limit(per_person=20, per_target=None),
    # One admin action resends a whole selection of failed emails, each only while it is failed.
    "notification_resend": Limit(per_person=10, per_target=None),
}

REFUSED = _("Too many emails were asked for in a short time. Nothing was sent; please try again in an hour.")

# Tests set a fresh namespace per test, so that counters never leak from one test (or run) to the next.
NAMESPACE = ""


def _count(key: str, window: int) -> int:
    bucket = int(time.time() // window)
    full = f"ratelimit:{NAMESPACE}:{key}:{bucket}"
    cache.add(full, 0, timeout=window)
    try:
        return cache.incr(full)
    except ValueError:  # expired between add and incr
        cache.add(full, 1, timeout=window)
        return 1


def email_request_allowed(*, action: str, person, target=None) -> bool:
    """Count this request against `person` and `target`; False when either is over its limit. A request
    refused for the person is not counted for the target, so one person's flood does not lock others out."""
    limit = LIMITS[action]
    if _count(f"{action}:person:{person.pk}", limit.window) > limit.per_person:
        return False
    if limit.per_target is None:
        return True
    return _count(f"{action}:target:{target}", limit.window) <= limit.per_target


def too_many_requests(request, *, back: str = ""):
    """The styled 429 page, for a request that had no form to show again (a button)."""
    return render(request, "429.html", {"message": REFUSED, "back": back}, status=429)
