"""Contract §4 (catalog), §5 (error shapes, 429), and the sandbox's own machinery: fault
injection, rate limit, request log, control endpoints, and the seed."""

from __future__ import annotations

import threading
import time
from decimal import Decimal

import httpx
import pytest
from django.core.management import call_command

from sandbox import faults, ratelimit, requestlog
from sandbox.demo import DEMO_ACCOUNTS
from sandbox.models import Invoice, User
from tests.sandbox.sandbox_support import Sandbox

SIZE_IDS = {
    "S": "01710ca1-5d40-45be-a038-7d029e05cb23",
    "M": "32629c23-4f69-42b8-b603-79849d1c2471",
    "L": "c623c087-69c3-4104-8a40-6b5cd3d41cae",
    "XL": "f6a6a2cb-aeba-433e-958d-3d3a74e6b065",
    "2XL": "30b895f6-4320-4299-ac10-61e42180f9f3",
}


# Catalog


def test_addon_categories_without_auth(sandbox: Sandbox) -> None:
    categories = sandbox.get("/api/osc-fr1/v1/addon_categories").json()["addon_categories"]
    for category in categories:
        assert set(category) == {"id", "name", "description", "position"}
        assert len(category["id"]) == 24


def test_addon_providers_and_the_category_filter(sandbox: Sandbox) -> None:
    providers = sandbox.get("/api/osc-fr1/v1/addon_providers").json()["addon_providers"]
    assert {"postgresql", "mysql"} <= {p["id"] for p in providers}
    descriptions = " ".join(p["description"] for p in providers)
    assert "<script>" in descriptions and "onerror=" in descriptions
    assert "<strong>" in descriptions and "<a href" in descriptions
    for provider in providers:
        assert provider["logo_url"].startswith("//")
        assert set(provider["category"]) == {"id", "name", "description", "position"}
        assert isinstance(provider["hds_available"], bool)
        for plan in provider["plans"]:
            pricing = plan["pricings"]["default"]
            assert isinstance(pricing["price"], str) and pricing["period"] == "minute"
            assert isinstance(plan["price"], int | float)
            assert abs(float(pricing["price"]) * 43200 - plan["price"]) < 0.01
    plans = [plan for p in providers for plan in p["plans"]]
    disabled = [plan for plan in plans if plan["disabled"]]
    assert disabled and disabled[0]["disabled_alternative_plan_id"] in {plan["id"] for plan in plans}
    assert any(plan["on_demand"] for plan in plans)
    databases = "5c9ba51326e28200e79ad3b2"
    filtered = sandbox.get("/api/osc-fr1/v1/addon_providers", params={"category_id": databases})
    assert {p["category"]["id"] for p in filtered.json()["addon_providers"]} == {databases}


def test_provider_plans(sandbox: Sandbox) -> None:
    default = sandbox.get("/api/osc-fr1/v1/addon_providers/postgresql/plans").json()["plans"]
    every = sandbox.get("/api/osc-fr1/v1/addon_providers/postgresql/plans", params={"show_all": "true"})
    assert len(every.json()["plans"]) == len(default) + 1
    missing = sandbox.get("/api/osc-fr1/v1/addon_providers/nope/plans")
    assert missing.status_code == 404 and missing.json()["resource"] == "addon_provider"


def test_container_sizes_are_the_documented_ones(sandbox: Sandbox) -> None:
    sizes = sandbox.get("/api/osc-fr1/v1/features/container_sizes").json()["container_sizes"]
    assert {s["name"]: s["id"] for s in sizes} == SIZE_IDS
    documented = {"S": (10, 720), "M": (20, 1440), "L": (40, 2880), "XL": (80, 5760), "2XL": (160, 11520)}
    for size in sizes:
        assert (size["hourly_price"], size["thirtydays_price"]) == documented[size["name"]]
        per_minute = Decimal(size["pricings"]["default"]["price"])
        assert (per_minute * 43200).quantize(Decimal("0.01")) == Decimal(size["thirtydays_price"]) / 100
        assert {"pricings", "pids_limit", "sku", "swap", "memory", "human_cpu", "ordinal"} <= set(size)
    assert [s["ordinal"] for s in sizes] == [2, 3, 4, 5, 6]


def test_the_custom_size_needs_its_account(sandbox: Sandbox) -> None:
    url = "/api/osc-fr1/v1/features/container_sizes"
    admin = sandbox.get(url, headers=sandbox.headers("teamadmin")).json()["container_sizes"]
    other = sandbox.get(url, headers=sandbox.headers("ordinary")).json()["container_sizes"]
    assert "3XL" in {s["name"] for s in admin}
    assert "3XL" not in {s["name"] for s in other}
    bad = sandbox.get(url, headers={"Authorization": "Bearer expired.or.bad"})
    assert bad.status_code == 401


# Error shapes


def test_unknown_paths_and_methods(sandbox: Sandbox, ordinary) -> None:
    assert sandbox.get("/api/osc-fr1/v1/nothing-here").status_code == 404
    assert sandbox.get("/api/unknown-region/v1/apps").status_code == 404
    response = ordinary.delete("/auth/v1/regions")
    assert response.status_code == 405
    assert "error" in response.json()


# Faults


@pytest.mark.parametrize(
    ("fault", "status", "content_type"),
    [
        ("500", 500, "application/json"),
        ("502", 502, "text/html"),
        ("503", 503, "application/json"),
        ("429", 429, "text/plain"),
        ("malformed", 200, "application/json"),
    ],
)
def test_a_fault_can_be_asked_per_request(sandbox: Sandbox, fault, status, content_type) -> None:
    for kwargs in ({"headers": {"X-Sandbox-Fault": fault}}, {"params": {"_sandbox_fault": fault}}):
        response = sandbox.get("/auth/v1/regions", **kwargs)
        assert response.status_code == status
        assert response.headers["Content-Type"].startswith(content_type)
    if fault == "500":
        assert response.json() == {"error": "Internal error occured, we're on it!"}
    if fault == "malformed":
        with pytest.raises(ValueError):
            response.json()
    if fault == "429":
        assert response.text == "Retry later"


def test_latency_is_added(sandbox: Sandbox) -> None:
    started = time.monotonic()
    assert sandbox.get("/auth/v1/regions", headers={"X-Sandbox-Latency": "300"}).status_code == 200
    assert time.monotonic() - started >= 0.3


def test_a_hang_outlasts_the_client_timeout_and_stops_on_reset(sandbox: Sandbox) -> None:
    faults.configure(hang_seconds=30)
    with pytest.raises(httpx.ReadTimeout):
        sandbox.http.get("/auth/v1/regions", headers={"X-Sandbox-Fault": "timeout"}, timeout=0.3)
    started = time.monotonic()
    faults.reset()
    time.sleep(0.2)
    assert time.monotonic() - started < 5


def test_the_python_api_forces_faults_on_some_paths(sandbox: Sandbox) -> None:
    faults.configure(forced="502", paths=["/sandbox/api/"])
    assert sandbox.get("/api/osc-fr1/v1/addon_categories").status_code == 502
    assert sandbox.get("/auth/v1/regions").status_code == 200
    faults.reset()
    assert sandbox.get("/api/osc-fr1/v1/addon_categories").status_code == 200


def test_a_fault_rate_mixes_errors(sandbox: Sandbox) -> None:
    faults.configure(fault_rate=1.0, hang_seconds=0.05)
    statuses = {sandbox.get("/auth/v1/regions").status_code for _ in range(40)}
    assert statuses & {500, 502}
    assert 200 in statuses  # malformed bodies and hangs that end in time answer 200


def test_the_control_endpoint_sets_faults(sandbox: Sandbox) -> None:
    response = sandbox.request("PUT", "/_control/faults", json={"forced": "500"})
    assert response.status_code == 200 and response.json()["faults"]["forced"] == "500"
    assert sandbox.get("/auth/v1/regions").status_code == 500
    assert sandbox.get("/_control/faults").status_code == 200
    bad = sandbox.request("PUT", "/_control/faults", json={"forced": "boom", "nope": 1})
    assert bad.status_code == 422
    assert sandbox.request("DELETE", "/_control/faults").status_code == 200
    assert sandbox.get("/auth/v1/regions").status_code == 200


# Rate limit


def test_the_rate_limit_is_a_sliding_window_per_identity() -> None:
    ratelimit.configure(limit=3)
    assert all(ratelimit.allow("a", now=100.0 + i) for i in range(3))
    assert not ratelimit.allow("a", now=110.0)
    assert ratelimit.allow("b", now=110.0)
    assert not ratelimit.allow("a", now=159.9)
    assert ratelimit.allow("a", now=160.5)
    ratelimit.configure(limit=0)
    assert all(ratelimit.allow("a", now=161.0) for _ in range(100))


def test_the_rate_limit_answers_429_in_plain_text(sandbox: Sandbox) -> None:
    headers = sandbox.headers("ordinary")
    response = sandbox.request("PUT", "/_control/ratelimit", json={"limit": 5})
    assert response.json()["ratelimit"]["limit"] == 5
    statuses = [sandbox.get("/auth/v1/users/self", headers=headers).status_code for _ in range(6)]
    assert statuses == [200] * 5 + [429]
    limited = sandbox.get("/auth/v1/users/self", headers=headers)
    assert limited.text == "Retry later" and limited.headers["Content-Type"].startswith("text/plain")
    other = sandbox.get("/auth/v1/users/self", headers=sandbox.headers("teamadmin"))
    assert other.status_code == 200
    assert sandbox.get("/_control/log").status_code == 200
    sandbox.request("DELETE", "/_control/ratelimit")
    assert ratelimit.limit() == 0


def test_the_default_limit_is_sixty(settings) -> None:
    del settings.SANDBOX_RATE_LIMIT
    ratelimit.reset()
    assert ratelimit.limit() == 60


# Request log


def test_the_request_log_records_route_and_identity(sandbox: Sandbox, ordinary) -> None:
    requestlog.clear()
    invoice = ordinary.get("/api/osc-fr1/v1/account/invoices").json()["invoices"][0]
    ordinary.get(f"/api/osc-fr1/v1/account/invoices/{invoice['id']}")
    sandbox.get("/auth/v1/regions")
    entries = requestlog.entries()
    assert [e["route"] for e in entries] == [
        "/v1/account/invoices",
        "/v1/account/invoices/:id",
        "/v1/regions",
    ]
    assert entries[1]["identity"].startswith("us-") and entries[1]["region"] == "osc-fr1"
    assert entries[1]["host"] == "api" and entries[1]["status"] == 200
    assert entries[2]["identity"] == "anonymous" and entries[2]["host"] == "auth"
    assert set(entries[0]) == {"at", "method", "host", "region", "path", "route", "identity", "status", "request_id"}
    assert entries[0]["request_id"] == ""  # this client sent no X-Request-ID
    over_http = sandbox.get("/_control/log").json()
    assert over_http["count"] == 3
    sandbox.request("DELETE", "/_control/log")
    assert requestlog.entries() == []


def test_the_request_log_is_thread_safe() -> None:
    def write() -> None:
        for _ in range(200):
            requestlog.record(method="GET", host="auth", route="/v1/x", status=200)

    threads = [threading.Thread(target=write) for _ in range(5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(requestlog.entries()) == 1000


# Seed


def test_the_seed_is_idempotent(sandbox: Sandbox) -> None:
    counts = (User.objects.count(), Invoice.objects.count())
    call_command("sandbox_seed", verbosity=0)
    assert (User.objects.count(), Invoice.objects.count()) == counts
    assert User.objects.filter(username__in=[a.username for a in DEMO_ACCOUNTS]).count() == len(DEMO_ACCOUNTS)


def test_the_seed_over_http(sandbox: Sandbox) -> None:
    assert sandbox.http.post("/_control/seed").json() == {"created": []}
    assert sandbox.http.post("/_control/reset").json() == {"reset": True}


def test_the_teamadmin_has_years_of_invoices(teamadmin) -> None:
    meta = teamadmin.get("/api/osc-fr1/v1/account/invoices").json()["meta"]["pagination"]
    assert meta["total_count"] >= 37
    owned = {
        region: [a["name"] for a in teamadmin.get(f"/api/{region}/v1/apps").json()["apps"]]
        for region in ("osc-fr1", "osc-secnum-fr1")
    }
    assert len(owned["osc-fr1"]) >= 2 and len(owned["osc-secnum-fr1"]) >= 2
