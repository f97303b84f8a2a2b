"""The API matrix's expectations for the workspaces area (tests/api/test_api_matrix.py)."""

from tests.api.matrix_personas import PROGRAM_STAFF, TOKEN_HOLDERS

# Who may book in the world's space: the program's active participants (of either cohort) and its staff.
BOOKERS = ("participant", "other_participant", *PROGRAM_STAFF)
# Who reads the participant's booking and its ledger line: the participant, and the managers of the program whose
# subsidy plan pays for it.
BOOKING_READERS = ("participant", *PROGRAM_STAFF)

EXPECTED = {
    "spaces_list": {"ok": TOKEN_HOLDERS},
    "spaces_retrieve": {"args": {"id": "space"}, "ok": BOOKERS},
    "resources_list": {"ok": TOKEN_HOLDERS},
    "resources_retrieve": {"args": {"id": "desk"}, "ok": BOOKERS},
    "bookings_list": {"ok": TOKEN_HOLDERS},
    "bookings_retrieve": {"args": {"id": "booking"}, "ok": BOOKING_READERS},
    # The day after the world's booking (a Wednesday, open 08:00 to 18:00 in the space).
    "bookings_create": {
        "body": lambda world: {"resource": world.desk.pk, "starts": "2026-06-03T08:00", "ends": "2026-06-03T18:00"},
        "ok": BOOKERS,
    },
    # Only the booking's person cancels it; its program's staff read it but are refused (403).
    "bookings_cancel_create": {"args": {"id": "booking"}, "ok": ("participant",)},
    "ledger_lines_list": {"ok": TOKEN_HOLDERS},
    "ledger_lines_retrieve": {"args": {"id": "ledger_line"}, "ok": BOOKING_READERS},
}
