"""Sign-up takes the browser's time zone unless the person chose one, and asks when it has neither."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from incubator.models import User

SIGNUP = {
    "email": "new.person@example.org",
    "password1": "a-long-passphrase-2026",
    "password2": "a-long-passphrase-2026",
    "name": "Noa Newcomer",
    "preferred_language": "he",
}


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()


def test_sign_up_takes_the_browsers_time_zone_and_preselects_no_utc(client, db):
    page = client.get(reverse("account_signup")).content.decode()
    assert "js/time_zone_guess.js" in page and 'name="browser_time_zone"' in page
    assert 'value="UTC" selected' not in page and "Choose your time zone" in page
    client.post(reverse("account_signup"), {**SIGNUP, "time_zone": "", "browser_time_zone": "Asia/Jerusalem"})
    assert User.objects.get(email=SIGNUP["email"]).time_zone == "Asia/Jerusalem"


def test_sign_up_without_any_time_zone_asks_for_one_and_keeps_the_form(client, db):
    response = client.post(reverse("account_signup"), {**SIGNUP, "time_zone": "", "browser_time_zone": "Mars/Base"})
    html = response.content.decode()
    assert response.status_code == 200 and "Choose your time zone." in html
    assert 'value="Noa Newcomer"' in html
    assert not User.objects.filter(email=SIGNUP["email"]).exists()


def test_a_chosen_time_zone_wins_over_the_browsers(client, db):
    client.post(
        reverse("account_signup"), {**SIGNUP, "time_zone": "Europe/Warsaw", "browser_time_zone": "Asia/Jerusalem"}
    )
    assert User.objects.get(email=SIGNUP["email"]).time_zone == "Europe/Warsaw"
