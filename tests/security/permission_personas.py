"""The personas of the permission matrix (tests/security/matrix_world.py builds one account each) and the groups
of them the permission table's rows name."""

from tests.security.matrix_world import PERSONAS

EVERYONE = PERSONAS
SIGNED_IN = PERSONAS[1:]
NOT_STAFF = tuple(p for p in PERSONAS if p not in ("manager", "other_manager", "superuser"))
STAFF = ("manager", "other_manager", "superuser")
PROGRAM_STAFF = ("manager", "superuser")
