"""A person downloads their data and deletes their account from the profile page, in English and Arabic."""

import io
import json
import zipfile

import pytest
from playwright.sync_api import expect

from incubator.models import User
from tests.incubator.personal_data_world import World


@pytest.fixture
def world(transactional_db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return World()


def test_download_then_delete_my_account(world, live_server, page, sign_in, screenshot):
    sign_in(page, world.amina.email)
    page.goto(f"{live_server.url}/profile/")
    screenshot(page, "profile-personal-data-en")
    with page.expect_download() as download_info:
        page.click("[data-testid=download-my-data]")
    download = download_info.value
    assert download.suggested_filename.startswith("my-data-")
    with zipfile.ZipFile(io.BytesIO(open(download.path(), "rb").read())) as archive:
        data = json.loads(archive.read("data.json"))
    assert data["applications"]["applications"][0]["full_name"] == "Amina Owner"

    page.goto(f"{live_server.url}/ar/profile/delete/")
    assert page.get_attribute("html", "dir") == "rtl"
    screenshot(page, "account-delete-ar")
    page.goto(f"{live_server.url}/profile/delete/")
    page.fill("input[name=password]", "wrong password")
    page.click("[data-testid=confirm-delete]")
    expect(page.locator(".invalid-feedback, .alert-danger").first).to_be_visible()
    screenshot(page, "account-delete-wrong-password-en")
    page.fill("input[name=password]", "demo-pass-2026")
    page.click("[data-testid=confirm-delete]")
    page.wait_for_url(f"{live_server.url}/")
    assert page.locator(".alert-success").is_visible()
    assert page.locator("[data-testid=user-menu]").count() == 0
    screenshot(page, "account-deleted-en")
    assert not User.objects.get(pk=world.amina.pk).is_active
