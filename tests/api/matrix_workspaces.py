"""The API matrix's expectations for the workspaces area (tests/api/test_api_matrix.py)."""

EXPECTED: dict = {}
