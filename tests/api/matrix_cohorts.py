"""The API matrix's expectations for the cohorts area (tests/api/test_api_matrix.py)."""

from tests.api.matrix_personas import PROGRAM_PEOPLE, PROGRAM_STAFF, TOKEN_HOLDERS

EXPECTED = {
    "programs_list": {"ok": TOKEN_HOLDERS},
    "programs_retrieve": {"args": {"id": "program"}, "ok": ("applicant_a", "applicant_b", *PROGRAM_PEOPLE)},
    "cohorts_list": {"ok": TOKEN_HOLDERS},
    "cohorts_retrieve": {"args": {"id": "cohort"}, "ok": ("mentor", "participant", *PROGRAM_STAFF)},
}
