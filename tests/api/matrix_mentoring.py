"""The API matrix's expectations for the mentoring area (tests/api/test_api_matrix.py)."""

EXPECTED: dict = {}
