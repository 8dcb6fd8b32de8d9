"""``manage.py upstream_check`` against the sandbox: every read endpoint, parsed by the dashboard's
own parsers, one table; never a write; a non-zero exit on a mismatch."""

from __future__ import annotations

import io
import re

import pytest
from django.core.management import CommandError, call_command

from tests.helpers import demo

pytestmark = pytest.mark.django_db(transaction=True)

ENDPOINTS = [
    "POST AUTH /tokens/exchange",
    "GET AUTH /users/self",
    "GET AUTH /tokens",
    "GET AUTH /keys",
    "GET AUTH /client/tfa",
    "GET AUTH /regions",
]
REGIONAL = [
    "/apps",
    "/account/billing/profile",
    "/account/billing/operations",
    "/account/invoices",
    "/account/invoices/{id}",
    "/account/invoices/{id}/download",
    "/account/usage",
    "/account/referrals/stats",
    "/addon_categories",
    "/addon_providers",
    "/features/container_sizes",
]


def _run(monkeypatch, *args: str, account: str = "ordinary") -> str:
    monkeypatch.setenv("SCALINGO_API_TOKEN", demo(account).api_token)
    out = io.StringIO()
    try:
        call_command("upstream_check", *args, stdout=out)
    finally:
        _run.output = out.getvalue()  # type: ignore[attr-defined]
    return out.getvalue()


def _row(output: str, endpoint: str) -> str:
    return next(line for line in output.splitlines() if line.startswith(endpoint + " "))


def test_it_reads_every_endpoint_on_every_region_and_writes_nothing(upstream, monkeypatch):
    output = _run(monkeypatch)
    for endpoint in ENDPOINTS:
        assert " OK " in _row(output, endpoint) + " "
    for region in ("osc-fr1", "osc-secnum-fr1"):
        for path in REGIONAL:
            row = _row(output, f"GET {region} {path}")
            assert "OK" in row and "FAIL" not in row and "WARN" not in row
    assert re.search(r"GET osc-fr1 /account/invoices/\{id\}/download +302 +\d+ ms +OK$", output, re.M)
    assert "0 warning(s), 0 failure(s)" in output
    writes = [(c["method"], c["route"]) for c in upstream.calls() if c["method"] != "GET"]
    assert writes == [("POST", "/v1/tokens/exchange")]
    regions_called = {c["region"] for c in upstream.calls(route="/v1/account/usage")}
    assert regions_called == {"osc-fr1", "osc-secnum-fr1"}
    assert demo("ordinary").api_token not in output


def test_it_reports_tolerated_fields_as_warnings(upstream, monkeypatch, sandbox_behaviour):
    sandbox_behaviour("user-odd-types")
    output = _run(monkeypatch)
    row = _row(output, "GET AUTH /users/self")
    assert "WARN" in row
    assert "user.referral_clicks: expected a whole number, got 'a lot' (tolerated)" in row
    assert "user.flags" in row and "user.limits" in row and "user.free_trial_started_at" in row
    assert "0 failure(s)" in output
    with pytest.raises(CommandError) as failed:
        _run(monkeypatch, "--strict")
    assert failed.value.returncode == 1


@pytest.mark.parametrize("behaviour", ["billing-profile-null", "billing-country-name", "user-deletion-404"])
def test_it_reads_the_other_plausible_answers(upstream, monkeypatch, sandbox_behaviour, behaviour):
    sandbox_behaviour(behaviour)
    output = _run(monkeypatch, account="empty" if behaviour == "billing-profile-null" else "ordinary")
    assert "0 warning(s), 0 failure(s)" in output
    assert "OK" in _row(output, "GET osc-fr1 /account/billing/profile")


def test_it_names_the_field_that_did_not_match_and_exits_non_zero(upstream, monkeypatch):
    from sandbox import serializers

    original = serializers.user_json
    monkeypatch.setattr(serializers, "user_json", lambda user: {**original(user), "username": ["not", "text"]})
    from sandbox.views import users

    monkeypatch.setattr(users, "user_json", serializers.user_json)
    with pytest.raises(CommandError) as failed:
        _run(monkeypatch)
    assert failed.value.returncode == 1
    row = _row(_run.output, "GET AUTH /users/self")  # type: ignore[attr-defined]
    assert "200" in row
    assert "FAIL user.username: expected text, got list" in row
    assert "1 failure(s)" in _run.output  # type: ignore[attr-defined]


def test_it_reports_a_platform_that_does_not_answer(upstream, monkeypatch):
    from sandbox import faults

    faults.configure(forced="500", paths=["/sandbox/api/osc-secnum-fr1/v1/account/usage"])
    with pytest.raises(CommandError):
        _run(monkeypatch)
    row = _row(_run.output, "GET osc-secnum-fr1 /account/usage")  # type: ignore[attr-defined]
    assert "500" in row and "FAIL" in row


def test_it_needs_a_token(upstream, monkeypatch):
    monkeypatch.delenv("SCALINGO_API_TOKEN", raising=False)
    with pytest.raises(CommandError) as failed:
        call_command("upstream_check", stdout=io.StringIO())
    assert failed.value.returncode == 2
    assert "SCALINGO_API_TOKEN" in str(failed.value)
    assert upstream.calls() == []


def test_it_says_when_the_token_is_refused(upstream, monkeypatch):
    monkeypatch.setenv("SCALINGO_API_TOKEN", "tk-us-not-a-real-token-at-all")
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("upstream_check", stdout=out)
    assert re.search(r"POST AUTH /tokens/exchange +401 +\d+ ms +FAIL", out.getvalue())
    assert [c["route"] for c in upstream.calls()] == ["/v1/tokens/exchange"]


def test_it_warns_about_odd_referral_counts_on_every_region(upstream, monkeypatch, sandbox_behaviour):
    sandbox_behaviour("referral-odd-types")
    output = _run(monkeypatch)
    for region in ("osc-fr1", "osc-secnum-fr1"):
        row = _row(output, f"GET {region} /account/referrals/stats")
        assert "WARN referral_stats.clicks: expected a whole number, got 'n/a' (tolerated)" in row
    assert "2 warning(s), 0 failure(s)" in output
