import logging


class RefusalWithoutTraceback(logging.Filter):
    """A refused request (403 PermissionDenied, 404 Http404) is the portal working as meant: log it as one
    line. Only server errors (5xx) keep their traceback."""

    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)
        if status is not None and status < 500:
            record.exc_info = None
            record.exc_text = None
        return True
