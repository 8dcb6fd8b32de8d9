"""Log lines in the text format (LOG_FORMAT=text, the demo's): one readable line per request and per
upstream call, with method, path, status, duration and request id, and never a secret."""

from __future__ import annotations

import logging
import re

import pytest

from dashboard.logging import TextFormatter
from tests.helpers import demo

pytestmark = pytest.mark.django_db(transaction=True)

STAMP = r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3}"


class Lines(logging.Handler):
    """The lines the configured console handler would write, formatted by its own formatter."""

    def __init__(self) -> None:
        super().__init__(level=logging.INFO)
        console = next(h for h in logging.getLogger().handlers if getattr(h, "name", "") == "console")
        self.setFormatter(console.formatter)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))


@pytest.fixture
def log_lines():
    handler = Lines()
    loggers = [logging.getLogger(name) for name in ("dashboard.requests", "dashboard.upstream")]
    for logger in loggers:
        logger.addHandler(handler)
    yield handler.lines
    for logger in loggers:
        logger.removeHandler(handler)


def test_the_test_settings_use_the_text_format():
    console = next(h for h in logging.getLogger().handlers if getattr(h, "name", "") == "console")
    assert isinstance(console.formatter, TextFormatter)


def test_a_request_line_says_method_path_status_duration_and_request_id(client, log_lines):
    client.get("/signin/?method=token", HTTP_X_REQUEST_ID="proxy-id-1234567")
    client.get("/no-such-page/", HTTP_X_REQUEST_ID="proxy-id-7654321")
    assert re.fullmatch(rf"{STAMP} INFO GET /signin/ 200 \d+ms rid=proxy-id-1234567", log_lines[0]), log_lines
    assert re.fullmatch(rf"{STAMP} INFO GET /no-such-page/ 404 \d+ms rid=proxy-id-7654321", log_lines[1]), log_lines
    assert "method=token" not in "\n".join(log_lines)  # no query string
    assert not any(line.endswith((" request", " upstream call")) for line in log_lines)


def test_an_upstream_call_line_says_host_path_status_and_duration_never_a_secret(upstream, client, log_lines):
    account = demo("ordinary")
    client.post(
        "/signin/",
        {"method": "token", "api_token": account.api_token},
        HTTP_X_REQUEST_ID="signin-request-1",
        HTTP_HX_REQUEST="true",
    )
    exchange = [line for line in log_lines if " upstream " in line and "/tokens/exchange" in line]
    assert exchange, log_lines
    assert re.fullmatch(
        rf"{STAMP} INFO upstream POST auth /v1/tokens/exchange 200 \d+ms rid=signin-request-1", exchange[0]
    )
    assert re.fullmatch(rf"{STAMP} INFO POST /signin/ 302 \d+ms htmx rid=signin-request-1", log_lines[-1]), log_lines
    text = "\n".join(log_lines)
    assert account.api_token not in text
    assert "Bearer" not in text


def test_an_exception_adds_its_redacted_traceback_after_the_line():
    import sys

    try:
        raise ValueError("tk-us-secretinamessage")
    except ValueError:
        record = logging.LogRecord("dashboard", logging.ERROR, __file__, 1, "it broke", None, sys.exc_info())
    first, *rest = TextFormatter().format(record).splitlines()
    assert first.endswith(" ERROR dashboard it broke")  # outside a request: no rid
    assert rest[0] == "Traceback (most recent call last):"
    assert "ValueError: tk-us-[Filtered]" in rest
    assert "secretinamessage" not in "\n".join(rest)
