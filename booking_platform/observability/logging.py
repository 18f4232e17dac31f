import logging

from booking_platform.observability.context import current_request_id


class RequestIdFilter(logging.Filter):
    """Stamp every record with the current request id so logs can be joined up."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not getattr(record, "request_id", None):
            record.request_id = current_request_id()
        return True
