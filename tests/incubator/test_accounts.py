import re

import pytest
from allauth.account.models import EmailAddress
from django.core.cache import cache
from django.urls import reverse

from incubator.models import User


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()


def test_signup_requires_email_verification(client, db, mailoutbox):
    response = client.post(
        reverse("account_signup"),
        {
            "email": "new.person@example.org",
            "password1": "a-long-passphrase-2026",
            "password2": "a-long-passphrase-2026",
            "name": "Noa Newcomer",
            "preferred_language": "he",
            "time_zone": "Asia/Jerusalem",
        },
    )
    assert response.status_code == 302
    assert response.url == reverse("account_email_verification_sent")
    user = User.objects.get(email="new.person@example.org")
    assert (user.name, user.preferred_language, user.time_zone) == ("Noa Newcomer", "he", "Asia/Jerusalem")
    assert not EmailAddress.objects.get(user=user).verified
    assert len(mailoutbox) == 1

    blocked = client.post(
        reverse("account_login"), {"login": "new.person@example.org", "password": "a-long-passphrase-2026"}
    )
    assert blocked.url == reverse("account_email_verification_sent")

    confirm_url = re.search(r"https?://\S+/confirm-email/\S+/", mailoutbox[0].body).group(0)
    client.post(confirm_url.split("testserver", 1)[-1])
    assert EmailAddress.objects.get(user=user).verified


def test_login_with_email_lands_on_home_in_preferred_language(client, user, password):
    user.preferred_language = "ar"
    user.save()
    response = client.post(reverse("account_login"), {"login": user.email, "password": password})
    assert response.status_code == 302
    assert response.url == "/ar/"


def test_password_reset_sends_a_link(client, user, mailoutbox):
    response = client.post(reverse("account_reset_password"), {"email": user.email})
    assert response.status_code == 302
    assert len(mailoutbox) == 1
    assert "/accounts/password/reset/key/" in mailoutbox[0].body


def test_login_is_rate_limited_after_repeated_failures(client, user, password):
    """Five failures on one account hold it for five minutes (details in test_sign_in_limits.py)."""
    pages = [client.post(reverse("account_login"), {"login": user.email, "password": "wrong"}) for _ in range(6)]
    assert "Too many failed sign-ins" not in pages[4].content.decode()
    assert pages[-1].status_code == 429
    assert "Too many failed sign-ins for this email address. Try again in 5 minutes." in pages[-1].content.decode()
    blocked = client.post(reverse("account_login"), {"login": user.email, "password": password})
    assert blocked.status_code == 429, "the right password is refused too while the limit holds"


def test_email_login_is_case_insensitive_and_unique(db):
    User.objects.create_user(email="Case@Example.org", name="Case", password="x")
    with pytest.raises(Exception, match="user_email_ci_unique"):
        User.objects.create_user(email="case@example.org", name="Case again", password="x")


def test_profile_change_switches_language(client, user):
    client.force_login(user)
    response = client.post(
        reverse("profile_edit"), {"name": "Renamed", "preferred_language": "fr", "time_zone": "Europe/Paris"}
    )
    assert response.status_code == 302
    assert response.url == "/fr/profile/"
    user.refresh_from_db()
    assert (user.name, user.preferred_language, user.time_zone) == ("Renamed", "fr", "Europe/Paris")


def test_profile_rejects_unknown_time_zone(client, user):
    client.force_login(user)
    response = client.post(
        reverse("profile_edit"), {"name": "X", "preferred_language": "fr", "time_zone": "Mars/Olympus"}
    )
    assert response.status_code == 200
    assert "time_zone" in response.context["form"].errors


def test_profile_needs_sign_in(client, db):
    response = client.get(reverse("profile_edit"))
    assert response.status_code == 302
    assert reverse("account_login") in response.url


def test_time_zone_choices_stay_out_of_migrations():
    """The tz database differs between machines; migrations must not, or `makemigrations --check` fails."""
    from incubator.models import TimeZoneField

    field = User._meta.get_field("time_zone")
    assert isinstance(field, TimeZoneField)
    assert "Asia/Jerusalem" in dict(field.flatchoices)
    assert "choices" not in field.deconstruct()[3]


def test_signup_is_rate_limited_per_address(client, db):
    answers = [
        client.post(
            reverse("account_signup"),
            {
                "email": f"flood{number}@example.org",
                "password1": "a-long-passphrase-2026",
                "password2": "a-long-passphrase-2026",
                "name": "Flood",
                "preferred_language": "en",
                "time_zone": "UTC",
            },
        ).status_code
        for number in range(11)
    ]
    assert answers[:10] == [302] * 10
    assert answers[10] == 429


def test_password_reset_is_rate_limited_per_email(client, user, mailoutbox):
    answers = [client.post(reverse("account_reset_password"), {"email": user.email}).status_code for _ in range(4)]
    assert answers == [302, 302, 302, 429]
    assert len(mailoutbox) == 3


def test_admin_sign_in_goes_through_the_rate_limited_page(client, db):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))
