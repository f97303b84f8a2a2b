"""The download and delete-my-account pages: signed in, POST only, password checked, rate limited, one's own
account alone."""

import json

from django.urls import reverse

from incubator.models import User
from tests.factories import UserFactory
from tests.incubator.personal_data_world import unzip


def test_anonymous_people_are_sent_to_sign_in(client, db):
    for url in (reverse("personal_data_download"), reverse("account_delete")):
        response = client.post(url)
        assert response.status_code == 302 and reverse("account_login") in response.url
    assert client.get(reverse("account_delete")).status_code == 302


def test_download_is_a_post_returning_an_attachment_and_is_rate_limited(world, client):
    client.force_login(world.amina)
    assert client.get(reverse("personal_data_download")).status_code == 405
    profile = client.get(reverse("profile_edit"))
    assert b'data-testid="download-my-data"' in profile.content

    response = client.post(reverse("personal_data_download"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"].startswith('attachment; filename="my-data-')
    data, _files = unzip(response.content)
    assert data["account"]["email"] == "amina@example.org"

    for _ in range(4):
        assert client.post(reverse("personal_data_download")).status_code == 200
    limited = client.post(reverse("personal_data_download"))
    assert limited.status_code == 429
    assert b"try again later" in limited.content


def test_the_confirmation_page_explains_and_a_wrong_password_changes_nothing(world, client):
    client.force_login(world.amina)
    page = client.get(reverse("account_delete"))
    assert page.status_code == 200
    assert b"What is erased" in page.content and b"What is kept, without your name" in page.content

    wrong = client.post(reverse("account_delete"), {"password": "not-it"})
    assert wrong.status_code == 400
    assert b"This is not your password." in wrong.content
    world.amina.refresh_from_db()
    assert world.amina.is_active and world.amina.name == "Amina Owner"


def test_deleting_signs_the_person_out_with_a_message(world, client, password):
    client.force_login(world.amina)
    response = client.post(reverse("account_delete"), {"password": password}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("home")
    assert b"Your account was deleted" in response.content
    assert not response.wsgi_request.user.is_authenticated
    assert client.get(reverse("profile_edit")).status_code == 302
    assert not User.objects.get(pk=world.amina.pk).is_active


def test_a_staff_member_cannot_delete_someone_else_through_these_pages(world, client, password):
    client.force_login(world.manager)
    # Whatever ids are sent, the page acts on the signed-in account only, and checks its own password.
    response = client.post(
        reverse("account_delete") + f"?user={world.amina.pk}",
        {"password": "not-the-managers", "user": world.amina.pk, "user_id": world.amina.pk},
    )
    assert response.status_code == 400
    world.amina.refresh_from_db()
    world.manager.refresh_from_db()
    assert world.amina.is_active and world.manager.is_active
    download = client.post(reverse("personal_data_download") + f"?user={world.amina.pk}", {"user": world.amina.pk})
    data, _files = unzip(download.content)
    assert data["account"]["email"] == world.manager.email and "Amina" not in json.dumps(data)


def test_a_superuser_sees_why_they_cannot_delete_their_account(db, client, password):
    boss = UserFactory(name="Bea Boss", is_superuser=True, is_staff=True)
    client.force_login(boss)
    page = client.get(reverse("account_delete"))
    assert b"Superuser accounts cannot be deleted here" in page.content
    refused = client.post(reverse("account_delete"), {"password": password})
    assert refused.status_code == 400
    boss.refresh_from_db()
    assert boss.is_active


def test_password_attempts_are_limited(world, client):
    client.force_login(world.amina)
    for _ in range(5):
        assert client.post(reverse("account_delete"), {"password": "guess"}).status_code == 400
    assert client.post(reverse("account_delete"), {"password": "guess"}).status_code == 429
