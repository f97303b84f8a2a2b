"""The API matrix's expectations for the applications area (tests/api/test_api_matrix.py)."""

from tests.api.matrix_personas import PROGRAM_PEOPLE, PROGRAM_STAFF, TOKEN_HOLDERS

EXPECTED = {
    "calls_list": {"ok": TOKEN_HOLDERS},
    "calls_retrieve": {"args": {"id": "call"}, "ok": ("applicant_a", "applicant_b", *PROGRAM_PEOPLE)},
    "calls_ranking_retrieve": {"args": {"call_pk": "call"}, "ok": PROGRAM_STAFF},
    "applications_list": {"ok": TOKEN_HOLDERS},
    # Its applicant, the program's managers, and the reviewer assigned to it (not the one who declared a conflict).
    "applications_retrieve": {
        "args": {"id": "application"},
        "ok": ("applicant_a", "reviewer_assigned", *PROGRAM_STAFF),
    },
    "reviews_list": {"ok": TOKEN_HOLDERS},
    "reviews_retrieve": {"args": {"id": "review"}, "ok": ("reviewer_assigned", *PROGRAM_STAFF)},
    "decisions_list": {"ok": TOKEN_HOLDERS},
    # Pending: its applicant reads it once published.
    "decisions_retrieve": {"args": {"id": "decision"}, "ok": PROGRAM_STAFF},
}
