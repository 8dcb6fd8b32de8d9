"""Parsing of the account resources at the upstream boundary (MockTransport, no sandbox)."""

from __future__ import annotations

import json

import httpx
import pytest

from dashboard.upstream import account, errors
from dashboard.upstream.http import set_transport_for_tests


class StaticAuth:
    def bearer(self) -> str:
        return "bearer"

    def reexchange(self, refused: str | None = None) -> str:
        raise errors.Unauthorized("refused")


@pytest.fixture
def answer(settings):
    settings.UPSTREAM_RETRIES = 0
    seen: list[httpx.Request] = []

    def _answer(status: int, body: object, content_type: str = "application/json") -> list[httpx.Request]:
        def handler(request: httpx.Request) -> httpx.Response:
            seen.append(request)
            content = body if isinstance(body, bytes) else json.dumps(body).encode()
            return httpx.Response(status, content=content, headers={"Content-Type": content_type})

        set_transport_for_tests(httpx.MockTransport(handler))
        return seen

    yield _answer
    set_transport_for_tests(None)


def test_it_reads_keys(answer):
    answer(200, {"keys": [{"id": "5f", "name": "laptop", "content": "ssh-ed25519 AAAA", "fingerprint": "56:ba"}]})
    [key] = account.key_list(auth=StaticAuth())
    assert (key.id, key.name, key.upstream_fingerprint, key.created_at) == ("5f", "laptop", "56:ba", None)


def test_it_sends_a_wrapped_key(answer):
    seen = answer(
        201, {"key": {"id": "5f", "name": "n", "content": "c", "created_at": "2015-01-13T09:20:31.123+01:00"}}
    )
    key = account.key_create(auth=StaticAuth(), name="n", content="c")
    assert json.loads(seen[0].content) == {"key": {"name": "n", "content": "c"}}
    assert key.created_at is not None and key.created_at.utcoffset().total_seconds() == 3600


def test_it_handles_a_duplicate_key(answer):
    answer(422, {"errors": {"content": ["has already been taken"]}})
    with pytest.raises(errors.ValidationFailed) as caught:
        account.key_create(auth=StaticAuth(), name="n", content="c")
    assert caught.value.errors == {"content": ["has already been taken"]}


def test_it_handles_a_malformed_key_list(answer):
    answer(200, {"keys": {"id": "not a list"}})
    with pytest.raises(errors.MalformedResponse):
        account.key_list(auth=StaticAuth())


def test_it_reads_the_2fa_flow(answer):
    answer(200, {"tfa": {"uuid": "us-1", "enabled": False}})
    assert account.tfa_show(auth=StaticAuth()) == account.TfaStatus(enabled=False, provider=None)
    answer(201, {"tfa": {"enabled": False, "provider": "totp", "uri": "otpauth://totp/x?secret=ABC"}})
    enrolment = account.tfa_enrol(auth=StaticAuth())
    assert enrolment.uri.startswith("otpauth://") and "ABC" not in repr(enrolment)
    seen = answer(200, {"tfa": {"codes": ["a1", "b2"], "user": {"enabled": True, "provider": "totp"}}})
    activation = account.tfa_validate(auth=StaticAuth(), code="012345")
    assert json.loads(seen[-1].content) == {"tfa": {"attempt": "012345"}}  # as typed, a string
    assert activation.recovery_codes == ["a1", "b2"] and "a1" not in repr(activation)


def test_it_refuses_an_enrolment_without_uri(answer):
    answer(201, {"tfa": {"enabled": False}})
    with pytest.raises(errors.MalformedResponse):
        account.tfa_enrol(auth=StaticAuth())


def test_it_sends_a_recovery_code_as_text(answer):
    seen = answer(204, b"")
    account.tfa_disable(auth=StaticAuth(), code="demo0recov1")
    assert seen[0].method == "DELETE"
    assert json.loads(seen[0].content) == {"tfa": {"attempt": "demo0recov1"}}


def test_it_reads_regions_and_apps_of_a_region(answer):
    seen = answer(200, {"regions": [{"name": "osc-fr1", "display_name": "Paris", "api": "https://api.example/"}]})
    [region] = account.region_list(auth=StaticAuth())
    assert region.api == "https://api.example"
    answer(200, {"apps": [{"id": "a", "name": "web", "owner": {"id": "54100245736f7563d5000000", "username": "u"}}]})
    [app] = account.app_list(auth=StaticAuth(), region=region)
    assert str(seen[-1].url) == "https://api.example/v1/apps"
    assert app.region == "osc-fr1" and app.owner is not None and app.owner.username == "u"


def test_it_refuses_a_region_without_api(answer):
    answer(200, {"regions": [{"name": "osc-fr1"}]})
    with pytest.raises(errors.MalformedResponse):
        account.region_list(auth=StaticAuth())


def test_it_handles_a_plain_text_429(answer):
    answer(429, b"Retry later", content_type="text/plain")
    with pytest.raises(errors.RateLimited):
        account.key_list(auth=StaticAuth())
