"""The API matrix's expectations for monthly check-ins and their metrics (tests/api/test_api_matrix.py): as on the
check-in history pages, the participant's venture's check-ins are read by its team, its cohort's mentor and the
program's managers; a mentor of the program who does not mentor the cohort reads none."""

from tests.api.matrix_personas import PROGRAM_STAFF, TOKEN_HOLDERS

CHECKIN_READERS = ("mentor", "participant", *PROGRAM_STAFF)

EXPECTED = {
    "checkin_metrics_list": {"ok": TOKEN_HOLDERS},
    "checkin_metrics_retrieve": {"args": {"id": "metric"}, "ok": CHECKIN_READERS},
    "checkins_list": {"ok": TOKEN_HOLDERS},
    "checkins_retrieve": {"args": {"id": "checkin"}, "ok": CHECKIN_READERS},
}
