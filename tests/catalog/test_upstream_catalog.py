"""Parsing of the catalog and referral endpoints, against the published examples and their quirks."""

from __future__ import annotations

import copy
import json
from decimal import Decimal

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from dashboard.money import Money
from dashboard.templatetags.dashboard import markdown_inline, sanitize_html
from dashboard.upstream import catalog, errors, referrals
from dashboard.upstream.http import set_transport_for_tests

STARTER_512 = {
    "id": "5cc45d223e6b3b001249e5a3",
    "name": "postgresql-starter-512",
    "display_name": "Starter 512M",
    "price": 7.2,
    "description": "[HTML Description]",
    "position": 11,
    "on_demand": False,
    "disabled": False,
    "disabled_alternative_plan_id": None,
    "sku": "fr1-pg-start-512m",
    "pricings": {"default": {"price": "0.0001666667", "currency": "EUR", "period": "minute"}},
    "hds_available": False,
}
SANDBOX_PLAN = {
    "id": "5cc45d3e3e6b3b001249e5a5",
    "name": "postgresql-sandbox",
    "display_name": "Sandbox",
    "price": 0,
    "description": "[HTML Description]",
    "position": 10,
    "on_demand": False,
    "disabled": False,
    "disabled_alternative_plan_id": None,
    "sku": "fr1-pg-sandbox",
    "pricings": {"default": {"price": "0.0", "currency": "EUR", "period": "minute"}},
    "hds_available": False,
}
PROVIDERS_EXAMPLE = {
    "addon_providers": [
        {
            "name": "PostgreSQL",
            "logo_url": "//cdn.scalingo.com/addons/Scalingo_Postgresql.svg",
            "id": "postgresql",
            "short_description": "Your PostgreSQL server in a dedicated ...",
            "description": "[HTML Description]",
            "provider_name": "Scalingo",
            "provider_url": "https://scalingo.com/databases/postgresql",
            "hds_available": True,
            "category": {"id": "5c9ba51326e28200e79ad3b2", "name": "Databases", "description": "", "position": 1},
            # Listed out of order on purpose: the client sorts by position.
            "plans": [STARTER_512, SANDBOX_PLAN],
        }
    ]
}
SIZES_EXAMPLE = {
    "container_sizes": [
        {
            "human_name": "M",
            "human_cpu": "standard CPU priority",
            "hourly_price": 20,
            "name": "M",
            "memory": 536870912,
            "id": "32629c23-4f69-42b8-b603-79849d1c2471",
            "ordinal": 3,
            "thirtydays_price": 1440,
        },
        {
            "human_name": "S",
            "hourly_price": 10,
            "human_cpu": "low CPU priority",
            "name": "S",
            "memory": 268435456,
            "ordinal": 2,
            "id": "01710ca1-5d40-45be-a038-7d029e05cb23",
            "thirtydays_price": 720,
        },
    ]
}


@pytest.fixture
def answer():
    """``answer(status, body)`` makes the mock upstream reply with it; returns the requests seen."""
    seen: list[httpx.Request] = []

    def _answer(status: int, body, headers=None):
        def handler(request: httpx.Request) -> httpx.Response:
            seen.append(request)
            if isinstance(body, bytes):
                return httpx.Response(status, content=body, headers=headers)
            return httpx.Response(status, json=body, headers=headers)

        set_transport_for_tests(httpx.MockTransport(handler))
        return seen

    yield _answer
    set_transport_for_tests(None)


def test_it_shows_the_documented_monthly_price_from_pricings():
    plan = catalog.plan_from(STARTER_512)
    assert plan.monthly_price.rounded() == Money.from_euros("7.20")
    assert plan.monthly_price.amount == Decimal("0.0001666667") * 43200
    assert plan.price_source == "pricings"


def test_it_handles_a_plan_without_pricings_by_falling_back_to_the_deprecated_price():
    legacy = {k: v for k, v in STARTER_512.items() if k != "pricings"}
    legacy["price"] = 14.4
    plan = catalog.plan_from(legacy)
    assert plan.monthly_price == Money.from_euros("14.4")
    assert plan.price_source == "price"


def test_it_handles_pricings_per_hour_and_an_unknown_period():
    hourly = {**STARTER_512, "pricings": {"default": {"price": "0.01", "currency": "EUR", "period": "hour"}}}
    assert catalog.plan_from(hourly).monthly_price == Money.from_euros("7.20")
    yearly = {**STARTER_512, "pricings": {"default": {"price": "86.4", "currency": "EUR", "period": "year"}}}
    assert catalog.plan_from(yearly).monthly_price == Money.from_euros("7.2")


def test_it_handles_a_malformed_pricing():
    broken = {**STARTER_512, "pricings": {"default": {"price": "seven", "currency": "EUR", "period": "minute"}}}
    with pytest.raises(errors.MalformedResponse):
        catalog.plan_from(broken)
    negative = {**STARTER_512, "pricings": {"default": {"price": "-1", "currency": "EUR", "period": "minute"}}}
    with pytest.raises(errors.MalformedResponse):
        catalog.plan_from(negative)


def test_it_shows_providers_with_https_logo_and_plans_by_position(answer, settings):
    settings.SCALINGO_API_URL = "https://api.osc-fr1.scalingo.com"
    seen = answer(200, PROVIDERS_EXAMPLE)
    [provider] = catalog.addon_provider_list()
    assert provider.logo_url == "https://cdn.scalingo.com/addons/Scalingo_Postgresql.svg"
    assert [plan.display_name for plan in provider.plans] == ["Sandbox", "Starter 512M"]
    assert provider.category is not None and provider.category.name == "Databases"
    assert provider.hds_available is True
    assert seen[0].url.path.endswith("/v1/addon_providers")
    assert "authorization" not in seen[0].headers


def test_it_passes_the_category_filter_upstream_when_asked(answer):
    seen = answer(200, PROVIDERS_EXAMPLE)
    catalog.addon_provider_list(category_id="5c9ba51326e28200e79ad3b2")
    assert seen[0].url.params["category_id"] == "5c9ba51326e28200e79ad3b2"


def test_it_names_the_alternative_of_a_disabled_plan():
    data = copy.deepcopy(PROVIDERS_EXAMPLE["addon_providers"][0])
    data["plans"].append(
        {
            **STARTER_512,
            "id": "legacy",
            "display_name": "Legacy",
            "position": 30,
            "disabled": True,
            "disabled_alternative_plan_id": STARTER_512["id"],
        }
    )
    provider = catalog.provider_from(data)
    legacy = provider.plans[-1]
    assert legacy.disabled and legacy.disabled_alternative_name == "Starter 512M"
    assert [p.display_name for p in provider.available_plans] == ["Sandbox", "Starter 512M"]


def test_it_handles_a_disabled_plan_whose_alternative_is_unknown():
    plan = catalog.plan_from({**STARTER_512, "disabled": True, "disabled_alternative_plan_id": "elsewhere"})
    assert plan.disabled_alternative_plan_id == "elsewhere"
    assert plan.disabled_alternative_name is None


def test_it_removes_scripts_and_event_handlers_from_upstream_html():
    dirty = (
        '<p>Search <strong>fast</strong>.</p><script>alert("xss")</script>'
        '<img src="x" onerror="alert(1)"><a href="javascript:alert(2)" onclick="steal()">Pricing</a>'
        '<a href="https://example.com/docs" target="_blank">Docs</a><style>body{display:none}</style>'
        '<iframe src="https://evil.example"></iframe><p onmouseover="x()" style="color:red">Hi</p>'
    )
    clean = sanitize_html(dirty)
    for forbidden in (
        "<script",
        "alert(",
        "onerror",
        "onclick",
        "onmouseover",
        "javascript:",
        "<img",
        "<style",
        "<iframe",
        "style=",
    ):
        assert forbidden not in clean
    assert "<strong>fast</strong>" in clean
    assert '<a href="https://example.com/docs" rel="noopener noreferrer nofollow">Docs</a>' in clean
    assert "<p>Hi</p>" in clean


@given(st.text(max_size=200))
def test_it_never_lets_an_event_handler_through_whatever_the_input(text):
    clean = sanitize_html(f'<b onclick="x">{text}</b><script>{text}</script>')
    assert "onclick" not in clean
    assert "<script" not in clean.lower()


def test_it_shows_category_markdown_as_plain_formatting():
    category = catalog.category_from(
        {"id": "c", "name": "Data", "description": "Managed **databases**, *fast* <script>x</script>", "position": 1}
    )
    assert category.description == "Managed **databases**, *fast* <script>x</script>"  # as written
    assert (
        markdown_inline(category.description)
        == "Managed <strong>databases</strong>, <em>fast</em> &lt;script&gt;x&lt;/script&gt;"
    )


def test_it_handles_a_provider_url_that_is_not_http():
    data = {**PROVIDERS_EXAMPLE["addon_providers"][0], "provider_url": "javascript:alert(1)", "logo_url": "data:x"}
    provider = catalog.provider_from(data)
    assert provider.provider_url is None
    assert provider.logo_url is None


def test_it_shows_sizes_by_ordinal_with_prices_from_the_deprecated_cents(answer):
    answer(200, SIZES_EXAMPLE)
    sizes = catalog.container_size_list()
    assert [size.name for size in sizes] == ["S", "M"]
    small = sizes[0]
    assert small.memory == 268435456
    assert small.hourly_price == Money.from_cents(10)
    assert small.thirtydays_price == Money.from_cents(720)


def test_it_shows_size_prices_from_pricings_when_present():
    size = catalog.size_from(
        {
            **SIZES_EXAMPLE["container_sizes"][1],
            "pricings": {"default": {"price": "0.0001666667", "currency": "EUR", "period": "minute"}},
        }
    )
    assert size.thirtydays_price.rounded() == Money.from_euros("7.20")
    assert size.hourly_price.rounded() == Money.from_euros("0.01")


def test_it_sends_the_bearer_for_sizes_when_signed_in(answer):
    class FixedAuth:
        def bearer(self):
            return "jwt"

        def reexchange(self, refused=None):
            return "jwt"

    seen = answer(200, SIZES_EXAMPLE)
    catalog.container_size_list(auth=FixedAuth())
    assert seen[0].headers["authorization"] == "Bearer jwt"


def test_it_shows_categories_by_position(answer):
    answer(
        200,
        {
            "addon_categories": [
                {"id": "b", "name": "Email", "description": "", "position": 3},
                {
                    "id": "54c6909b61646d0001000000",
                    "description": "[Markdown description]",
                    "name": "Data stores",
                    "position": 1,
                },
            ]
        },
    )
    assert [c.name for c in catalog.addon_category_list()] == ["Data stores", "Email"]


@pytest.mark.parametrize(
    "body",
    [
        b"not json",
        json.dumps({"addon_providers": {"oops": 1}}).encode(),
        json.dumps({"something_else": []}).encode(),
        json.dumps({"addon_providers": [{"plans": [{"pricings": {"default": {"price": "x"}}}]}]}).encode(),
    ],
)
def test_it_handles_malformed_catalog_answers(answer, body):
    answer(200, body)
    with pytest.raises(errors.MalformedResponse):
        catalog.addon_provider_list()


def test_it_handles_referral_clicks_as_a_string(answer):
    answer(
        200,
        {"referral_stats": {"clicks": "165", "signups": 23, "amount_earned": 312.4, "url": "https://sclng.io/r/81e5"}},
    )

    class FixedAuth:
        def bearer(self):
            return "jwt"

        def reexchange(self, refused=None):
            return "jwt"

    stats = referrals.referral_stats(auth=FixedAuth())
    assert stats.clicks == 165
    assert stats.signups == 23
    assert stats.amount_earned == Money.from_euros("312.4")
    assert stats.url == "https://sclng.io/r/81e5"


def test_it_handles_referral_clicks_as_a_number_and_missing_fields():
    stats = referrals.referral_stats_from({"clicks": 12})
    assert stats.clicks == 12 and stats.signups is None and stats.amount_earned.is_zero() and stats.url is None
    # An odd count is tolerated (the page shows a dash); an odd amount is not.
    assert referrals.referral_stats_from({"clicks": "many"}).clicks is None
    with pytest.raises(errors.MalformedResponse):
        referrals.referral_stats_from({"clicks": 1, "amount_earned": "lots"})
