"""An unhandled error reaches someone: a redacted traceback in the logs, and a Sentry event (when
SENTRY_DSN is set) without personal data or secrets."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator

import httpx
import pytest
import sentry_sdk
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.test import Client
from sentry_sdk.transport import Transport

from dashboard import reporting
from dashboard.logging import JsonFormatter, TextFormatter
from tests.dashboard.boom_urls import API_TOKEN, BEARER, LOCAL_SECRET

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.dashboard.boom_urls")]

PASSWORD = "correct-horse-battery-staple-42"
SESSION_SECRET = "session-held-secret-91b2"
COOKIE_SECRET = "cookie-held-secret-55e1"
EVERY_SECRET = [BEARER, API_TOKEN, LOCAL_SECRET, PASSWORD, SESSION_SECRET, COOKIE_SECRET]


class Lines(logging.Handler):
    def __init__(self, formatter: logging.Formatter) -> None:
        super().__init__(level=logging.DEBUG)
        self.setFormatter(formatter)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))


@pytest.fixture
def logged() -> Iterator[dict[str, Lines]]:
    handlers = {"json": Lines(JsonFormatter()), "text": Lines(TextFormatter("%(levelname)s %(name)s %(message)s"))}
    root = logging.getLogger()
    for handler in handlers.values():
        root.addHandler(handler)
    yield handlers
    for handler in handlers.values():
        root.removeHandler(handler)


def failing_request(client: Client):
    session = client.session
    session["held"] = SESSION_SECRET
    session.save()
    client.cookies["remember"] = COOKIE_SECRET
    return client.post(
        "/boom/?api_token=" + API_TOKEN,
        {"login": "someone@example.com", "password": PASSWORD},
        headers={"Authorization": f"Bearer {BEARER}", "X-Api-Token": API_TOKEN},
    )


def failing_http_request(base_url: str) -> httpx.Response:
    """The same request over real HTTP, through Django's WSGI handler (which Sentry instruments)."""
    session = SessionStore()
    session["held"] = SESSION_SECRET
    session.save()
    cookies = {settings.SESSION_COOKIE_NAME: session.session_key or "", "remember": COOKIE_SECRET}
    return httpx.post(
        f"{base_url}/boom/?api_token={API_TOKEN}",
        data={"login": "someone@example.com", "password": PASSWORD},
        headers={"Authorization": f"Bearer {BEARER}", "X-Api-Token": API_TOKEN},
        cookies=cookies,
        timeout=10,
    )


def test_an_unhandled_error_logs_its_traceback_with_secrets_redacted(logged):
    response = failing_request(Client(raise_request_exception=False))

    assert response.status_code == 500
    json_lines = [json.loads(line) for line in logged["json"].lines]
    errors = [line for line in json_lines if line.get("exception") == "RuntimeError"]
    assert len(errors) == 1, json_lines
    error = errors[0]
    assert error["level"] == "ERROR"
    assert error["message"] == "Internal Server Error: /boom/"
    tb = error["traceback"]
    assert tb.startswith("Traceback (most recent call last):")
    assert 'tests/dashboard/boom_urls.py", line 17, in boom' in tb
    assert "raise RuntimeError(" in tb
    assert "RuntimeError: the platform refused Authorization: Bearer [Filtered] for tk-us-[Filtered] (28)" in tb

    text = "\n".join(logged["text"].lines)
    assert "Traceback (most recent call last):" in text
    assert "in boom" in text
    assert "Bearer [Filtered]" in text

    everything = "\n".join(logged["json"].lines) + "\n" + text
    for secret in EVERY_SECRET:
        assert secret not in everything


class Captured(Transport):
    def __init__(self, options=None) -> None:
        super().__init__(options)
        self.envelopes: list = []

    def capture_envelope(self, envelope) -> None:
        self.envelopes.append(envelope)


@pytest.fixture
def sentry() -> Iterator[Captured]:
    """Sentry initialised as the settings do it, with a transport that keeps events here (no network)."""
    transport = Captured()
    reporting.init_sentry(
        dsn="https://public@sentry.invalid/1", environment="test", release="abc123", transport=transport
    )
    yield transport
    sentry_sdk.get_global_scope().set_client(None)


def events(transport: Captured) -> list[dict]:
    return [item.payload.json for envelope in transport.envelopes for item in envelope.items if item.type == "event"]


@pytest.mark.django_db(transaction=True)
def test_a_sentry_event_carries_no_personal_data_and_no_secret(sentry, live_server):
    response = failing_http_request(live_server.url)
    sentry_sdk.flush()

    assert response.status_code == 500
    captured = events(sentry)
    assert len(captured) == 1, captured
    event = captured[0]
    # The event is useful: what failed, where, on which route.
    assert event["exception"]["values"][-1]["type"] == "RuntimeError"
    assert event["exception"]["values"][-1]["stacktrace"]["frames"][-1]["function"] == "boom"
    assert event["request"]["method"] == "POST"
    assert event["request"]["url"].endswith("/boom/")
    assert event["environment"] == "test"
    assert event["release"] == "abc123"
    # And carries nothing personal or secret.
    request = event["request"]
    assert request["headers"]["Authorization"] == "[Filtered]"
    assert request["headers"]["X-Api-Token"].endswith("[Filtered]")
    assert "Cookie" not in request["headers"] or request["headers"]["Cookie"] == "[Filtered]"
    assert "cookies" not in request
    assert request.get("data") in (None, "[Filtered]")
    assert "env" not in request
    assert "user" not in event
    frames = [frame for value in event["exception"]["values"] for frame in value["stacktrace"]["frames"]]
    assert all("vars" not in frame for frame in frames)
    serialized = json.dumps(event)
    print(json.dumps(event["request"], indent=1))
    for secret in [*EVERY_SECRET, "someone@example.com", "127.0.0.1"]:
        assert secret not in serialized, secret


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Authorization: Bearer abc.def-ghi", "Authorization: Bearer [Filtered]"),
        ("token tk-us-AbCdEf_123-xyz here", "token tk-us-[Filtered] here"),
        ("{'password': 'hunter2', 'login': 'me'}", "{'password': '[Filtered]', 'login': 'me'}"),
        ("?otp=123456&next=/billing/", "?otp=[Filtered]&next=/billing/"),
        ("redis://default:s3cr3t@redis.example:6379/0", "redis://default:[Filtered]@redis.example:6379/0"),
        ("value gAAAAABmZXJuZXQtdG9rZW4= end", "value [Filtered] end"),
        ("nothing to hide: GET /invoices/ 200", "nothing to hide: GET /invoices/ 200"),
    ],
)
def test_redact_by_shape(text, expected):
    assert reporting.redact(text) == expected
