"""No credential reaches a response or a log line, across a whole scripted session.

Credentials: the account password, the OTP code, the API token the session holds, the bearer,
and a newly created token's secret (which may appear once, in the response that creates it).
"""

from __future__ import annotations

import json
import logging
import re

import pyotp
import pytest
from django.urls import NoReverseMatch, reverse

from accounts import session as account_session
from dashboard.logging import JsonFormatter, TextFormatter
from tests.helpers import demo, nav_paths

pytestmark = pytest.mark.django_db(transaction=True)


class Capture(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.lines: list[str] = []
        self.formatter_json = JsonFormatter()
        self.formatter_text = TextFormatter()

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.formatter_json.format(record))
        self.lines.append(self.formatter_text.format(record))
        self.lines.append(json.dumps({k: str(v) for k, v in record.__dict__.items()}))


def _exposed(response, secrets: dict[str, str]) -> list[str]:
    body = b"".join(response.streaming_content) if response.streaming else response.content
    text = body.decode("utf-8", "replace") + "\n" + "\n".join(f"{k}: {v}" for k, v in response.items())
    text += "\n" + str(response.cookies)
    return [name for name, value in secrets.items() if value and value in text]


def test_it_never_exposes_a_credential(upstream, client):
    account = demo("twofa")
    capture = Capture()
    root = logging.getLogger()
    root.addHandler(capture)
    previous_level = root.level
    root.setLevel(logging.DEBUG)
    exposures: list[str] = []
    try:
        responses = []
        responses.append(client.get("/signin/"))
        responses.append(
            client.post("/signin/", {"method": "password", "login": account.username, "password": account.password})
        )
        code = pyotp.TOTP(account.totp_secret).now()
        responses.append(client.post("/signin/code/", {"otp": code}))
        session_token = account_session.api_token(client.session)
        bearer = account_session.decrypt(client.session[account_session.KEY]["bearer"])
        secrets = {
            "password": account.password,
            "otp": code,
            "session api token": session_token,
            "bearer": bearer,
            "demo api token": account.api_token,
        }
        for path in nav_paths():
            responses.append(client.get(path))
            responses.append(client.get(path, HTTP_HX_REQUEST="true"))
        created = None
        try:
            reverse("accounts:api_token_create")
        except NoReverseMatch:
            pass
        else:
            created = client.post(reverse("accounts:api_token_create"), {"name": "CI deploys"})
            found = re.search(r"tk-us-[A-Za-z0-9_-]{20,}", created.content.decode())
            assert found, "the new secret is shown once, in the answer to its creation"
            secrets["new token secret"] = found.group(0)
            exposures += [
                f"creation response: {n}"
                for n in _exposed(created, {k: v for k, v in secrets.items() if k != "new token secret"})
            ]
            responses.append(client.get(reverse("accounts:api_tokens")))
            responses.append(client.get(reverse("accounts:api_tokens"), HTTP_HX_REQUEST="true"))
        responses.append(client.post("/signout/"))
        responses.append(client.get("/signin/"))
        for response in responses:
            exposures += [f"{response.status_code} response: {name}" for name in _exposed(response, secrets)]
    finally:
        root.removeHandler(capture)
        root.setLevel(previous_level)
    log_text = "\n".join(capture.lines)
    exposures += [f"log: {name}" for name, value in secrets.items() if value in log_text]
    assert capture.lines, "the session was logged"
    assert exposures == []


def test_it_keeps_no_plain_secret_in_the_session_store(upstream, client):
    from django.contrib.sessions.models import Session

    account = demo("ordinary")
    client.post("/signin/", {"method": "password", "login": account.email, "password": account.password})
    stored = "".join(s.session_data for s in Session.objects.all())
    decoded = json.dumps([s.get_decoded() for s in Session.objects.all()])
    token = account_session.api_token(client.session)
    for value in (account.password, token):
        assert value not in stored
        assert value not in decoded
