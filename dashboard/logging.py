"""Structured (JSON) log lines that carry the request id."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime

from dashboard.reporting import format_traceback, redact
from dashboard.requestid import current_request_id

_STANDARD = set(logging.LogRecord("", 0, "", 0, "", None, None).__dict__) | {
    "message",
    "asctime",
    "request_id",
}


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = current_request_id()
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "request_id": getattr(record, "request_id", current_request_id()),
            "message": record.getMessage(),
        }
        for key, value in record.__dict__.items():
            if key not in _STANDARD and not key.startswith("_"):
                # Django's own records carry the request, whose repr shows the query string.
                plain = isinstance(value, int | float | bool | list | tuple | dict | None)
                entry[key] = value if plain else redact(str(value))
        if record.exc_info:
            entry["exception"] = record.exc_info[0].__name__ if record.exc_info[0] else None
            # Files, lines and code, never locals; secrets in the message are redacted by shape.
            entry["traceback"] = format_traceback(record.exc_info)
        return json.dumps(entry, default=str)


class TextFormatter(logging.Formatter):
    """One line per record, then the redacted traceback when there is one."""

    def format(self, record: logging.LogRecord) -> str:
        # Another handler may have cached an unredacted traceback on the record.
        cached, record.exc_text = record.exc_text, None
        try:
            return super().format(record)
        finally:
            record.exc_text = cached

    def formatException(self, ei) -> str:
        return format_traceback(ei)
