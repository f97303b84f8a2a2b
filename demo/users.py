"""Demo people, one per role; only `seed_demo` calls this, never a migration."""

from functools import cache

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group

from incubator.models import User
from incubator.roles import MENTOR, PARTICIPANT, PROGRAM_MANAGER, REVIEWER

DEMO_PASSWORD = "demo-pass-2026"
DEMO_USERS = [
    # email, name, role, language, time zone
    ("manager@example.org", "Maya Manager", PROGRAM_MANAGER, "en", "Asia/Jerusalem"),
    # One manager per demo program, each seeing only theirs (manager@ manages them all).
    ("manager.bizup@example.org", "Batya BizUP", PROGRAM_MANAGER, "he", "Asia/Jerusalem"),
    ("manager.kawalis@example.org", "Karima Kawalis", PROGRAM_MANAGER, "ar", "Africa/Casablanca"),
    ("manager.makerspace@example.org", "Marek Makerspace", PROGRAM_MANAGER, "pl", "Europe/Warsaw"),
    ("manager.leaders@example.org", "Lior Leaders", PROGRAM_MANAGER, "he", "Asia/Jerusalem"),
    ("reviewer@example.org", "Rachid Reviewer", REVIEWER, "fr", "Africa/Casablanca"),
    ("mentor@example.org", "Miriam Mentor", MENTOR, "he", "Asia/Jerusalem"),
    ("participant@example.org", "Piotr Participant", PARTICIPANT, "pl", "Europe/Warsaw"),
    ("applicant@example.org", "Amina Applicant", None, "ar", "Africa/Casablanca"),
]


@cache
def _demo_password_hash() -> str:
    # Hashing is slow on purpose; the demo seeds dozens of people who share one password, so hash it once.
    return make_password(DEMO_PASSWORD)


def demo_user(email: str, name: str, *, language: str = "en", time_zone: str = "UTC", role: str | None = None) -> User:
    """Create or refresh one demo person with a verified email and the demo password."""
    user, created = User.objects.get_or_create(
        email=email, defaults={"name": name, "preferred_language": language, "time_zone": time_zone}
    )
    if created:
        user.password = _demo_password_hash()
        user.save(update_fields=["password"])
    EmailAddress.objects.update_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
    if role:
        user.groups.add(Group.objects.get(name=role))
        if role == PROGRAM_MANAGER and not user.is_staff:
            user.is_staff = True
            user.save(update_fields=["is_staff"])
    return user


def seed_users(stdout) -> None:
    for email, name, role, language, time_zone in DEMO_USERS:
        demo_user(email, name, language=language, time_zone=time_zone, role=role)
    stdout.write(f"demo users: {len(DEMO_USERS)}")
