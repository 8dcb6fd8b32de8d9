"""The upstream client against httpx.MockTransport: error shapes, quirks, retries, re-exchange."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterator

import httpx
import pytest

from dashboard.upstream import errors, http, tokens
from dashboard.upstream.http import Host, call


@pytest.fixture
def transport() -> Iterator[Callable[[Callable[[httpx.Request], httpx.Response]], list[httpx.Request]]]:
    """``transport(handler)`` routes the client through ``handler`` and returns the requests seen."""

    def install(handler: Callable[[httpx.Request], httpx.Response]) -> list[httpx.Request]:
        seen: list[httpx.Request] = []

        def recording(request: httpx.Request) -> httpx.Response:
            seen.append(request)
            return handler(request)

        http.set_transport_for_tests(httpx.MockTransport(recording))
        return seen

    yield install
    http.set_transport_for_tests(None)


@pytest.fixture(autouse=True)
def _upstream_urls(settings):
    settings.SCALINGO_AUTH_URL = "https://auth.example.test"
    settings.SCALINGO_API_URL = "https://api.example.test"
    settings.SCALINGO_BILLING_URL = "https://billing.example.test"


@pytest.fixture(autouse=True)
def _no_backoff(monkeypatch):
    monkeypatch.setattr(http, "_backoff", lambda attempt: None)


class FixedAuth:
    def __init__(self) -> None:
        self.exchanges = 0
        self.value = "bearer-1"

    def bearer(self) -> str:
        return self.value

    def reexchange(self, refused: str | None = None) -> str:
        self.exchanges += 1
        self.value = f"bearer-{self.exchanges + 1}"
        return self.value


def test_it_builds_urls_per_host(transport):
    seen = transport(lambda request: httpx.Response(200, json={"ok": True}))
    call("GET", Host.AUTH, "/users/self")
    call("GET", Host.REGIONAL, "/account/invoices/{id}", path_params={"id": "a/b"})
    call("GET", Host.BILLING, "/profile")
    call("GET", Host.REGIONAL, "/apps", api_url="https://api.other.test/")
    assert [str(r.url) for r in seen] == [
        "https://auth.example.test/v1/users/self",
        "https://api.example.test/v1/account/invoices/a%2Fb",
        "https://billing.example.test/profile",
        "https://api.other.test/v1/apps",
    ]


def test_it_sends_json_bearer_and_request_id(transport):
    seen = transport(lambda request: httpx.Response(201, json={"token": {}}))
    call("POST", Host.AUTH, "/tokens", auth=FixedAuth(), json={"token": {"name": "x"}})
    request = seen[0]
    assert request.headers["Authorization"] == "Bearer bearer-1"
    assert request.headers["Content-Type"] == "application/json"
    assert request.headers["Accept"] == "application/json"
    assert "X-Request-ID" in request.headers
    assert json.loads(request.content) == {"token": {"name": "x"}}


@pytest.mark.parametrize(
    ("status", "body", "expected"),
    [
        (400, {"error": "There was a problem in the JSON you submitted: 795: unexpected token"}, errors.BadRequest),
        (401, {"error": "invalid token"}, errors.Unauthorized),
        (401, {"error": "OTP Required"}, errors.OTPRequired),
        (
            402,
            {"error": "Sorry, you need to verify your account", "url": "https://my.scalingo.com/apps/billing"},
            errors.PaymentRequired,
        ),
        (403, {"error": "forbidden", "code": "x"}, errors.Forbidden),
        (404, {"resource": "invoice", "error": "not found"}, errors.NotFound),
        (404, {"error": "not found"}, errors.NotFound),
        (409, {"error": "Cannot delete project with existing apps"}, errors.Conflict),
        (422, {"errors": {"email": ["is already taken"]}}, errors.ValidationFailed),
        (422, {"errors": {}}, errors.MalformedResponse),
        (500, {"error": "Internal error occured, we're on it!"}, errors.ServerError),
        (503, None, errors.ServerError),
        (418, {"error": "teapot"}, errors.MalformedResponse),
    ],
)
def test_it_maps_every_error_shape(transport, status, body, expected):
    transport(lambda request: httpx.Response(status, json=body) if body is not None else httpx.Response(status))
    with pytest.raises(expected) as caught:
        call("POST", Host.REGIONAL, "/anything", json={})
    assert type(caught.value) is expected


def test_it_reads_fields_from_error_bodies(transport):
    transport(
        lambda request: httpx.Response(422, json={"errors": {"email": ["is invalid", "is taken"], "name": "blank"}})
    )
    with pytest.raises(errors.ValidationFailed) as caught:
        call("PUT", Host.AUTH, "/users/account", json={})
    assert caught.value.errors == {"email": ["is invalid", "is taken"], "name": ["blank"]}

    transport(lambda request: httpx.Response(404, json={"resource": "key", "error": "not found"}))
    with pytest.raises(errors.NotFound) as not_found:
        call("GET", Host.AUTH, "/keys/{id}", path_params={"id": "x"})
    assert not_found.value.resource == "key"

    transport(
        lambda request: httpx.Response(402, json={"error": "verify", "url": "https://my.scalingo.com/apps/billing"})
    )
    with pytest.raises(errors.PaymentRequired) as payment:
        call("POST", Host.REGIONAL, "/apps", json={})
    assert payment.value.url == "https://my.scalingo.com/apps/billing"


def test_it_handles_plain_text_429_without_retrying(transport):
    seen = transport(lambda request: httpx.Response(429, text="Retry later"))
    with pytest.raises(errors.RateLimited):
        call("GET", Host.AUTH, "/users/self")
    assert len(seen) == 1


def test_it_handles_an_html_502_and_malformed_json(transport):
    transport(lambda request: httpx.Response(502, html="<html><body>Bad gateway</body></html>"))
    with pytest.raises(errors.ServerError):
        call("POST", Host.AUTH, "/tokens", json={})
    transport(lambda request: httpx.Response(200, text='{"user": {"id": '))
    with pytest.raises(errors.MalformedResponse):
        call("GET", Host.AUTH, "/users/self")
    transport(lambda request: httpx.Response(200, json=["not", "an", "object"]))
    with pytest.raises(errors.MalformedResponse):
        call("GET", Host.AUTH, "/users/self")


def test_it_returns_204_and_302_without_a_body(transport):
    transport(lambda request: httpx.Response(204))
    assert call("DELETE", Host.AUTH, "/keys/{id}", path_params={"id": "k"}).body == {}
    transport(lambda request: httpx.Response(302, headers={"Location": "https://files.test/x.pdf"}))
    reply = call("GET", Host.REGIONAL, "/account/invoices/{id}/download", path_params={"id": "i"})
    assert reply.status == 302
    assert reply.headers["location"] == "https://files.test/x.pdf"


@pytest.mark.parametrize("status", [502, 503, 504])
def test_it_retries_idempotent_gets_on_gateway_errors(transport, status):
    answers = iter([httpx.Response(status), httpx.Response(status), httpx.Response(200, json={"user": {}})])
    seen = transport(lambda request: next(answers))
    assert call("GET", Host.AUTH, "/users/self").body == {"user": {}}
    assert len(seen) == 3


def test_it_gives_up_after_bounded_retries(transport, settings):
    settings.UPSTREAM_RETRIES = 2
    seen = transport(lambda request: httpx.Response(503))
    with pytest.raises(errors.ServerError):
        call("GET", Host.AUTH, "/users/self")
    assert len(seen) == 3


def test_it_retries_gets_on_connection_errors(transport):
    attempts = {"n": 0}

    def flaky(request: httpx.Request) -> httpx.Response:
        attempts["n"] += 1
        if attempts["n"] == 1:
            raise httpx.ConnectError("refused", request=request)
        return httpx.Response(200, json={"ok": True})

    transport(flaky)
    assert call("GET", Host.REGIONAL, "/apps").body == {"ok": True}
    assert attempts["n"] == 2


@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE"])
def test_it_never_retries_a_write(transport, method):
    seen = transport(lambda request: httpx.Response(503))
    with pytest.raises(errors.ServerError):
        call(method, Host.AUTH, "/keys", json={})
    assert len(seen) == 1

    def refused(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused", request=request)

    seen = transport(refused)
    with pytest.raises(errors.UpstreamConnectionError):
        call(method, Host.AUTH, "/keys", json={})
    assert len(seen) == 1


def test_it_does_not_retry_a_500(transport):
    seen = transport(lambda request: httpx.Response(500, json={"error": "Internal error occured, we're on it!"}))
    with pytest.raises(errors.ServerError):
        call("GET", Host.AUTH, "/users/self")
    assert len(seen) == 1


def test_it_turns_a_timeout_into_unavailable(transport):
    def slow(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("slow", request=request)

    seen = transport(slow)
    with pytest.raises(errors.UpstreamTimeout):
        call("GET", Host.AUTH, "/users/self")
    assert len(seen) == 1, "a timeout already used the time budget: it is not retried"


def test_it_reexchanges_once_on_401_then_succeeds(transport):
    auth = FixedAuth()

    def handler(request: httpx.Request) -> httpx.Response:
        if request.headers["Authorization"] == "Bearer bearer-1":
            return httpx.Response(401, json={"error": "token expired"})
        return httpx.Response(200, json={"user": {"id": "us-1"}})

    seen = transport(handler)
    assert call("GET", Host.AUTH, "/users/self", auth=auth).body == {"user": {"id": "us-1"}}
    assert auth.exchanges == 1
    assert [r.headers["Authorization"] for r in seen] == ["Bearer bearer-1", "Bearer bearer-2"]


def test_it_reexchanges_only_once(transport):
    auth = FixedAuth()
    seen = transport(lambda request: httpx.Response(401, json={"error": "nope"}))
    with pytest.raises(errors.Unauthorized):
        call("GET", Host.AUTH, "/users/self", auth=auth)
    assert auth.exchanges == 1
    assert len(seen) == 2


def test_it_logs_the_path_template_and_never_a_secret(transport, caplog):
    transport(lambda request: httpx.Response(200, json={"token": "x"}))
    with caplog.at_level(logging.INFO, logger="dashboard.upstream"):
        call("POST", Host.AUTH, "/tokens/exchange", basic=http.Basic("", "tk-us-secret-value"), json={})
        call("GET", Host.AUTH, "/tokens/{id}", path_params={"id": "tok-123"}, auth=FixedAuth())
    records = [r for r in caplog.records if r.name == "dashboard.upstream"]
    assert [(r.method, r.path, r.status) for r in records] == [
        ("POST", "/tokens/exchange", 200),
        ("GET", "/tokens/{id}", 200),
    ]
    assert all(isinstance(r.duration_ms, float) for r in records)
    text = " ".join(str(r.__dict__) for r in records)
    assert "tk-us-secret-value" not in text
    assert "bearer-1" not in text
    assert "tok-123" not in text


def _jwt(exp: object) -> str:
    import base64

    def part(data: dict) -> str:
        return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()

    return f"{part({'alg': 'HS256', 'typ': 'JWT'})}.{part({'exp': exp, 'sub': 'us-1'})}.c2ln"


def test_it_reads_the_bearer_expiry_without_verifying(transport):
    transport(lambda request: httpx.Response(200, json={"token": _jwt(2000000000)}))
    bearer = tokens.token_exchange(api_token="tk-us-abc")
    assert int(bearer.expires_at.timestamp()) == 2000000000
    assert "tk-us" not in repr(bearer)


@pytest.mark.parametrize("value", ["not-a-jwt", _jwt("soon"), _jwt(None)])
def test_it_refuses_a_bearer_without_numeric_exp(transport, value):
    transport(lambda request: httpx.Response(200, json={"token": value}))
    with pytest.raises(errors.MalformedResponse):
        tokens.token_exchange(api_token="tk-us-abc")


def test_it_sends_basic_auth_with_an_empty_username_to_exchange(transport):
    import base64

    seen = transport(lambda request: httpx.Response(200, json={"token": _jwt(2000000000)}))
    tokens.token_exchange(api_token="tk-us-abc")
    assert seen[0].headers["Authorization"] == "Basic " + base64.b64encode(b":tk-us-abc").decode()


def test_it_sends_the_otp_header_only_when_given(transport):
    created = {"token": {"id": "t1", "name": "n", "created_at": "2016-06-02T17:07:39.000Z", "token": "tk-us-new"}}
    seen = transport(lambda request: httpx.Response(201, json=created))
    tokens.token_create_with_login(login="a@b.c", password="pw", otp=None, name="n")
    tokens.token_create_with_login(login="a@b.c", password="pw", otp="123456", name="n")
    assert "X-Authorization-OTP" not in seen[0].headers
    assert seen[1].headers["X-Authorization-OTP"] == "123456"


def test_a_write_refused_with_a_fresh_bearer_is_the_requests_fault(transport):
    auth = FixedAuth()
    seen = transport(lambda request: httpx.Response(401, json={"error": "Invalid current password"}))
    with pytest.raises(errors.RequestRefused) as caught:
        call("PUT", Host.AUTH, "/users/account", auth=auth, json={"user": {"current_password": "typo"}})
    assert not isinstance(caught.value, errors.Unauthorized), "the session must not end"
    assert caught.value.message == "Invalid current password"
    assert auth.exchanges == 1
    assert len(seen) == 2


def test_a_write_refused_when_the_token_no_longer_exchanges_ends_the_session(transport):
    class DeadAuth(FixedAuth):
        def reexchange(self, refused: str | None = None) -> str:
            raise errors.Unauthorized("Invalid token")

    seen = transport(lambda request: httpx.Response(401, json={"error": "Token revoked"}))
    with pytest.raises(errors.Unauthorized):
        call("PUT", Host.AUTH, "/users/account", auth=DeadAuth(), json={"user": {}})
    assert len(seen) == 1


def test_it_reads_the_wait_a_429_gives(transport):
    transport(lambda request: httpx.Response(429, text="Retry later", headers={"Retry-After": "42"}))
    with pytest.raises(errors.RateLimited) as caught:
        call("GET", Host.AUTH, "/users/self")
    assert caught.value.retry_after_seconds == 42
    transport(lambda request: httpx.Response(429, text="Retry later"))
    with pytest.raises(errors.RateLimited) as caught:
        call("GET", Host.AUTH, "/users/self")
    assert caught.value.retry_after_seconds is None
