"""Log lines that carry the request id: structured (JSON), or one readable line of text."""

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
    """``LOG_FORMAT=text``: one readable line per event, then the redacted traceback when there is
    one. Paths and path templates only: no query string, header or body.

    ``2026-12-01 09:00:00 INFO GET /billing/ 200 123ms rid=…`` for a request,
    ``… INFO upstream GET regional /v1/account/invoices 200 45ms rid=…`` for a call to the platform,
    ``… WARNING django.request Not Found: /nope rid=…`` for anything else.
    """

    def format(self, record: logging.LogRecord) -> str:
        line = f"{self.formatTime(record)} {record.levelname} {_summary(record)}"
        request_id = getattr(record, "request_id", None) or current_request_id()
        if request_id and request_id != "-":
            line += f" rid={request_id}"
        if record.exc_info and record.exc_info[0]:
            # Files, lines and code, never locals; secrets in the message are redacted by shape.
            line += "\n" + format_traceback(record.exc_info)
        return line


def _summary(record: logging.LogRecord) -> str:
    fields = record.__dict__
    if record.name == "dashboard.requests" and "status" in fields:
        htmx = " htmx" if fields.get("htmx") else ""
        return f"{fields.get('method')} {fields.get('path')} {fields['status']} {_ms(fields)}{htmx}"
    if record.name == "dashboard.upstream" and "status" in fields and "path" in fields:
        host = fields.get("upstream_host")
        path = f"/v1{fields['path']}" if host in ("auth", "regional") else fields["path"]
        return f"upstream {fields.get('method')} {host} {path} {fields['status']} {_ms(fields)}"
    return f"{record.name} {redact(record.getMessage())}"


def _ms(fields: dict[str, object]) -> str:
    duration = fields.get("duration_ms")
    return f"{round(duration)}ms" if isinstance(duration, int | float) else "?ms"
