"""The suite's own databases (tests/databases.py): a test that commits leaves the worker's database as the migrated
template is, and a migration test's scratch database is dropped."""

from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.db import connection

from incubator.models import User
from tests import databases
from tests.factories import UserFactory


def test_a_committing_test_ends_with_the_migrated_template(transactional_db):
    UserFactory(email="left-behind@example.org")
    groups = Group.objects.count()
    databases.worker_database_reset()
    assert not User.objects.filter(email="left-behind@example.org").exists()
    assert Group.objects.count() == groups > 0  # what post_migrate wrote is in the template
    assert ContentType.objects.get_for_model(User).model == "user"


def test_the_scratch_database_is_dropped_and_the_worker_database_kept(scratch_database):
    scratch = connection.settings_dict["NAME"]
    assert scratch.endswith("_scratch")
    UserFactory(email="scratch@example.org")


def test_after_the_scratch_database_nothing_of_it_is_left(db):
    assert not connection.settings_dict["NAME"].endswith("_scratch")
    assert not User.objects.filter(email="scratch@example.org").exists()
    assert not databases._exists(connection.settings_dict["NAME"] + "_scratch")
