import json
import os
import time
from urllib.parse import urlsplit

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils.module_loading import import_string

from demo.scale import Scale, Sizes
from incubator.embedded import DATABASE_NAME

# Each capability adds its seeding steps here, in dependency order (mentoring sessions and desk bookings go after
# the cohorts' people). Each takes the `Scale` and bulk-inserts its part.
SEEDERS = [
    "demo.scale.cohorts.seed_program",
    "demo.scale.cohorts.seed_participants",
    "demo.scale.cohorts.seed_mentors",
    "demo.scale.applications.seed_call",
    "demo.scale.scoring.seed_reviews",
    "demo.scale.applications.seed_deadline_call",
    "demo.scale.mentoring.seed_sessions",
    "demo.scale.availability.seed_office_hours",
    "demo.scale.availability.seed_interviews",
    "demo.scale.workspaces.seed_space",
    "demo.scale.workspaces.seed_bookings",
    "demo.scale.checkins.seed_checkins",
]
DEFAULT_DATABASE = "bench"


def portal_database_name() -> str:
    """The portal's own database (demo or production data): never seeded with the scale program."""
    url = os.environ.get("DATABASE_URL")
    return urlsplit(url).path.lstrip("/") if url else DATABASE_NAME


def database_sizes(cursor, name: str) -> dict | None:
    """The sizes a finished seeding wrote on the database (its comment), or None."""
    cursor.execute("SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s", [name])
    row = cursor.fetchone()
    if row is None or not row[0]:
        return None
    try:
        return json.loads(row[0]).get("seed_scale")
    except ValueError:
        return None


class Command(BaseCommand):
    help = (
        "Seed a country-sized program (10,000 applications by default) into its own database on the same "
        "PostgreSQL server, for `make bench`. Reuses the database when it already holds the same sizes."
    )

    def add_arguments(self, parser):
        parser.add_argument("--database-name", default=DEFAULT_DATABASE, help="database to create and fill")
        parser.add_argument("--fresh", action="store_true", help="drop the database and seed it again")
        for name, default in Sizes().as_dict().items():
            parser.add_argument(f"--{name.replace('_', '-')}", type=int, default=default, dest=name)

    def handle(self, *args, database_name, fresh, **options):
        sizes = Sizes(**{name: options[name] for name in Sizes().as_dict()})
        if database_name == portal_database_name():
            raise CommandError(f"{database_name!r} is the portal's own database: seed the scale program elsewhere.")
        # The database this process already uses (a test database) is seeded in place: not vacuumed, not marked.
        separate = connection.settings_dict["NAME"] != database_name
        if separate and not self._switch_to(database_name, sizes, fresh):
            self.stdout.write(f"Database {database_name!r} already holds these sizes: reused.")
            return
        started = time.monotonic()
        self.stdout.write(f"Seeding {database_name!r}: {json.dumps(sizes.as_dict())}")
        scale = Scale(sizes=sizes, stdout=self.stdout)
        for dotted in SEEDERS:
            with transaction.atomic():
                import_string(dotted)(scale)
        if separate:
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")  # as autovacuum would on a database that grew this fast
                comment = json.dumps({"seed_scale": sizes.as_dict()}).replace("'", "''")
                cursor.execute(f"COMMENT ON DATABASE \"{database_name}\" IS '{comment}'")
        self.stdout.write(self.style.SUCCESS(f"Seeded in {time.monotonic() - started:.0f} s."))

    def _switch_to(self, name: str, sizes: Sizes, fresh: bool) -> bool:
        """Point this process at database `name`, (re)created and migrated; False when it is already seeded."""
        with connection._nodb_cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            exists = cursor.fetchone() is not None
            reuse = exists and not fresh and database_sizes(cursor, name) == sizes.as_dict()
            if exists and not reuse:
                cursor.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
            if not reuse:
                cursor.execute(f'CREATE DATABASE "{name}"')
        # As Django's test runner does for its test database: the same server, another database.
        connection.close()
        connection.settings_dict["NAME"] = name
        # A reused database gets the migrations written since it was seeded (they carry their own data changes).
        call_command("migrate", verbosity=0)
        return not reuse
