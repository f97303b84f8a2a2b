from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from tests.factories import UserFactory


def test_a_request_shows_the_users_zone_and_leaves_none_behind(client, db):
    """The zone is the request's: left active on the thread, it would date the next request's queries (or a test's)
    in the last visitor's zone."""
    client.force_login(UserFactory(time_zone="Pacific/Honolulu"))
    response = client.get(reverse("home"))
    assert response.context["TIME_ZONE"] == "Pacific/Honolulu"
    assert timezone.get_current_timezone_name() == settings.TIME_ZONE


def test_an_unknown_zone_falls_back_to_the_servers(client, db):
    client.force_login(UserFactory(time_zone="Mars/Olympus_Mons"))
    response = client.get(reverse("home"))
    assert response.context["TIME_ZONE"] == settings.TIME_ZONE
    assert timezone.get_current_timezone_name() == settings.TIME_ZONE
