import pytest

from tests import databases


@pytest.fixture(scope="session")
def migrated_schema(django_db_setup, django_db_blocker):
    """The suite's migrated schema as a dump a stack restores (None: the stack migrates its own)."""
    with django_db_blocker.unblock():
        return databases.migrated_dump()
