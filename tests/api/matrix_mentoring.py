"""The API matrix's expectations for the mentoring area (tests/api/test_api_matrix.py)."""

from tests.api.matrix_personas import PROGRAM_STAFF, TOKEN_HOLDERS

# The world's session: logged by the mentor with the participant, their mentee.
SESSION_S_PEOPLE = ("mentor", "participant", *PROGRAM_STAFF)

EXPECTED = {
    "sessions_list": {"ok": TOKEN_HOLDERS},
    "sessions_retrieve": {"args": {"id": "session"}, "ok": SESSION_S_PEOPLE},
    # An individual session with the participant: only their mentor and the program's managers log it (the other
    # mentor may log sessions, but not an individual one with someone else's mentee).
    "sessions_create": {
        "body": lambda world: {
            "program": world.program.pk,
            "kind": "individual",
            "starts_at": "2026-05-04T08:00:00Z",
            "minutes": 45,
            "participants": [world.participant.pk],
            "summary": "Went through the catalogue.",
            "private_notes": "Ready for the fair.",
        },
        "ok": ("mentor", *PROGRAM_STAFF),
    },
    "attendance_list": {"ok": TOKEN_HOLDERS},
    "attendance_retrieve": {"args": {"id": "attendance"}, "ok": SESSION_S_PEOPLE},
}
