"""Sign-in limits (issue 18): failed sign-ins are held per account (the email typed, 5 in 5 minutes), and per address
only at a number sized for a shared address (a hundred businesses behind one connection); failures against made-up
emails count for those emails only. A refused attempt answers 429 with the form still holding the email and a
message saying when to try again, in the person's language. Behind trusted proxies (`TRUSTED_PROXY_COUNT`) the
client's address is the one counted."""

import datetime as dt
import os
import subprocess
import sys

import pytest
import time_machine
from allauth.account.adapter import get_adapter
from allauth.core.internal.ratelimit import parse_rates
from django.conf import settings
from django.core.cache import cache
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import translation

NOW = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
PROXY = "10.0.0.2"


@pytest.fixture(autouse=True)
def _fresh_allauth_counters():
    """allauth keeps its counters in the cache (this checkout's own embedded Redis)."""
    cache.clear()


def _sign_in(client, email, password, *, language="en", **extra):
    with translation.override(language):
        url = reverse("account_login")
    return client.post(url, {"login": email, "password": password}, **extra)


def _login_failed_rates():
    return {rate.per: rate for rate in parse_rates(settings.ACCOUNT_RATE_LIMITS["login_failed"])}


def test_failures_against_made_up_emails_do_not_refuse_a_real_persons_right_password(client, user, password):
    """Forty failures from one address (eight times the old per-address limit of 5), five on each of eight made-up
    emails: each made-up email is held, the real account from the same address is not."""
    with time_machine.travel(NOW, tick=False):
        for number in range(8):
            for _attempt in range(5):
                assert _sign_in(client, f"nobody{number}@example.org", "guess").status_code == 200
        assert _sign_in(client, "nobody0@example.org", "guess").status_code == 429, "a made-up email is held too"
        signed_in = _sign_in(client, user.email, password)
    assert signed_in.status_code == 302


def test_five_failures_on_one_account_refuse_its_right_password_saying_when(client, user, password):
    with time_machine.travel(NOW, tick=False) as traveller:
        pages = [_sign_in(client, user.email, "wrong") for _ in range(5)]
        assert [page.status_code for page in pages] == [200] * 5
        assert "Too many failed sign-ins" not in pages[-1].content.decode()

        traveller.shift(dt.timedelta(minutes=1))
        refused = _sign_in(client, user.email, password)
        assert refused.status_code == 429
        assert refused["Retry-After"] == "240"
        page = refused.content.decode()
        assert "Too many failed sign-ins for this email address. Try again in 4 minutes." in page
        # The form is shown again, still holding the email typed (never the password).
        assert refused.context["form"]["login"].value() == user.email
        assert f'value="{user.email}"' in page
        assert password not in page

        traveller.shift(dt.timedelta(minutes=3, seconds=30))
        assert "Try again in 1 minute." in _sign_in(client, user.email, password).content.decode()

        # Five minutes after the fifth failure, the right password signs in.
        traveller.shift(dt.timedelta(seconds=31))
        assert _sign_in(client, user.email, password).status_code == 302


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("he", "יותר מדי ניסיונות התחברות כושלים לכתובת הדוא״ל הזו. יש לנסות שוב בעוד 4 דקות."),
        ("ar", "محاولات تسجيل دخول فاشلة كثيرة جدًا لعنوان البريد الإلكتروني هذا. يُرجى المحاولة مرة أخرى بعد 4 دقائق."),
        ("fr", "Trop de tentatives de connexion échouées pour cette adresse e-mail. Réessayez dans 4 minutes."),
        ("pl", "Zbyt wiele nieudanych prób logowania dla tego adresu e-mail. Spróbuj ponownie za 4 minuty."),
    ],
)
def test_the_refusal_says_when_in_the_persons_language(client, user, password, language, expected):
    with time_machine.travel(NOW, tick=False) as traveller:
        for _ in range(5):
            _sign_in(client, user.email, "wrong", language=language)
        traveller.shift(dt.timedelta(minutes=1))
        refused = _sign_in(client, user.email, password, language=language)
    assert refused.status_code == 429
    assert expected in refused.content.decode()


def test_the_address_limit_still_holds_at_a_number_sized_for_a_shared_address(client, user, password):
    """300 failures an hour from one address (a hundred businesses behind one connection), then the address is held:
    even the right password of a real account, saying so and when; another address is not held."""
    address = _login_failed_rates()["ip"]
    assert (address.amount, address.duration) == (300, 3600)
    with time_machine.travel(NOW, tick=False) as traveller:
        for number in range(300):
            if number and number % 100 == 0:
                traveller.shift(dt.timedelta(minutes=1))  # under "login", 120 sign-ins a minute per address
            assert _sign_in(client, f"guess{number // 5}@example.org", "guess").status_code == 200
        traveller.shift(dt.timedelta(minutes=8))  # the failures began 10 minutes ago
        refused = _sign_in(client, user.email, password)
        assert refused.status_code == 429
        assert "Too many failed sign-ins from this network. Try again in 50 minutes." in refused.content.decode()
        assert _sign_in(client, user.email, password, REMOTE_ADDR="198.51.100.9").status_code == 302


def test_a_refused_attempt_counts_for_nothing(client, user, password):
    """While the address is held, the person's own tries are not counted for their account: once the address is
    free again, the right password signs in at once."""
    with (
        override_settings(ACCOUNT_RATE_LIMITS={**settings.ACCOUNT_RATE_LIMITS, "login_failed": "5/5m/key,3/h/ip"}),
        time_machine.travel(NOW, tick=False) as traveller,
    ):
        for number in range(3):
            _sign_in(client, f"guess{number}@example.org", "guess")
        traveller.shift(dt.timedelta(minutes=59, seconds=58))
        for _ in range(6):
            assert _sign_in(client, user.email, "wrong").status_code == 429
        # The address is free again; the account would still be held had those six been counted for it.
        traveller.shift(dt.timedelta(seconds=3))
        assert _sign_in(client, user.email, password).status_code == 302


@override_settings(
    ALLAUTH_TRUSTED_PROXY_COUNT=1,
    ACCOUNT_RATE_LIMITS={**settings.ACCOUNT_RATE_LIMITS, "login_failed": "5/5m/key,3/h/ip"},
)
def test_behind_one_trusted_proxy_the_clients_address_is_counted(client, user, password):
    """With TRUSTED_PROXY_COUNT=1 the address counted is the one the proxy appended to X-Forwarded-For, not the
    proxy's own (everyone's), nor one a client wrote into the header itself. (The per-address limit is lowered to 3
    to keep the test short.)"""
    with time_machine.travel(NOW, tick=False):
        for number in range(3):
            forged = f"192.0.2.{number}, 203.0.113.7"  # the client's own forged entry, then the proxy's
            _sign_in(client, f"guess{number}@example.org", "guess", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forged)
        held = _sign_in(client, user.email, password, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.7")
        assert held.status_code == 429
        assert "from this network" in held.content.decode()
        neighbour = _sign_in(client, user.email, password, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.9")
        assert neighbour.status_code == 302, "another client behind the same proxy is not held"


@override_settings(ACCOUNT_RATE_LIMITS={**settings.ACCOUNT_RATE_LIMITS, "login_failed": "5/5m/key,3/h/ip"})
def test_without_trusted_proxies_the_header_is_ignored(client, user, password):
    """The default (0): X-Forwarded-For is not believed, the connection's address is counted."""
    with time_machine.travel(NOW, tick=False):
        for number in range(3):
            _sign_in(client, f"guess{number}@example.org", "guess", HTTP_X_FORWARDED_FOR=f"203.0.113.{number}")
        assert _sign_in(client, user.email, password, HTTP_X_FORWARDED_FOR="198.51.100.9").status_code == 429


def test_trusted_proxy_count_is_read_from_the_environment():
    assert int(os.environ.get("TRUSTED_PROXY_COUNT") or 0) == settings.ALLAUTH_TRUSTED_PROXY_COUNT
    env = {**os.environ, "TRUSTED_PROXY_COUNT": "1", "TRUSTED_CLIENT_IP_HEADER": "X-Real-IP"}
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'incubator.settings');"
            "from django.conf import settings;"
            "print(settings.ALLAUTH_TRUSTED_PROXY_COUNT, settings.ALLAUTH_TRUSTED_CLIENT_IP_HEADER)",
        ],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[-2:] == ["1", "X-Real-IP"]


@override_settings(ACCOUNT_RATE_LIMITS={**settings.ACCOUNT_RATE_LIMITS, "login_failed": "5/5m/key,6/h/ip"})
def test_a_password_reset_forgets_the_accounts_failures_not_the_addresses(client, user, password, rf):
    """allauth clears every failed sign-in count of the resetting request after a password reset, the address's too;
    only the account's is cleared, so resetting one's own password does not wipe a guesser's count."""
    with time_machine.travel(NOW, tick=False) as traveller:
        for _ in range(5):
            _sign_in(client, user.email, "wrong")
        assert _sign_in(client, user.email, password).status_code == 429
        # allauth takes a successful sign-in's count back by its time: a time of its own, as on a real clock.
        traveller.shift(dt.timedelta(seconds=1))
        request = rf.post("/")
        get_adapter(request)._delete_login_attempts_cached_email(request, email=user.email)
        assert _sign_in(client, user.email, password).status_code == 302
        stranger = Client()
        assert _sign_in(stranger, "other@example.org", "guess").status_code == 200, "the address's sixth failure"
        assert _sign_in(stranger, "third@example.org", "guess").status_code == 429, "the five are still counted"
