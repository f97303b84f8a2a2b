"""The API matrix's expectations for the cohorts area (tests/api/test_api_matrix.py)."""

from tests.api.matrix_personas import PROGRAM_PEOPLE, PROGRAM_STAFF, TOKEN_HOLDERS

# The participant's membership and venture: their own, their cohort mentor's (the directory), their managers'.
PARTICIPANT_S_COHORT = ("mentor", "participant", *PROGRAM_STAFF)

EXPECTED = {
    "programs_list": {"ok": TOKEN_HOLDERS},
    "programs_retrieve": {"args": {"id": "program"}, "ok": ("applicant_a", "applicant_b", *PROGRAM_PEOPLE)},
    "cohorts_list": {"ok": TOKEN_HOLDERS},
    "cohorts_retrieve": {"args": {"id": "cohort"}, "ok": ("mentor", "participant", *PROGRAM_STAFF)},
    "members_list": {"ok": TOKEN_HOLDERS},
    "members_retrieve": {"args": {"id": "membership"}, "ok": PARTICIPANT_S_COHORT},
    "members_notes_list": {"args": {"member_pk": "membership"}, "ok": PROGRAM_STAFF},
    "members_notes_create": {
        "args": {"member_pk": "membership"},
        "body": {"text": "Asked for help with pricing."},
        "ok": PROGRAM_STAFF,
    },
    "ventures_list": {"ok": TOKEN_HOLDERS},
    "ventures_retrieve": {"args": {"id": "venture"}, "ok": PARTICIPANT_S_COHORT},
}
