"""The personal-data tests' world, each test with its media in a temporary folder and fresh rate limits."""

import pytest
from django.core.cache import cache

from tests.incubator.personal_data_world import World


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()


@pytest.fixture
def world(db):
    return World()
