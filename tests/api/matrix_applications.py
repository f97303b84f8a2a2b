"""The API matrix's expectations for the applications area (tests/api/test_api_matrix.py)."""

from tests.api.matrix_personas import PROGRAM_PEOPLE, TOKEN_HOLDERS

EXPECTED = {
    "calls_list": {"ok": TOKEN_HOLDERS},
    "calls_retrieve": {"args": {"id": "call"}, "ok": ("applicant_a", "applicant_b", *PROGRAM_PEOPLE)},
}
