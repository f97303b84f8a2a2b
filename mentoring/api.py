"""The API endpoints of mentoring (see cohorts/api.py for the access rule)."""


def register(router) -> None:
    """Endpoints are registered here as they are built."""
