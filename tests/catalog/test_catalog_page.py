"""The public catalog page against the sandbox: tabs, providers, plans, sizes, caching."""

from __future__ import annotations

import re

import pytest
from django.template import Context, Template
from django.test import Client

from sandbox import faults
from sandbox.catalog_data import SIZE_BY_NAME

PROVIDERS = "/v1/addon_providers"
CATEGORIES = "/v1/addon_categories"
SIZES = "/v1/features/container_sizes"


def text(response) -> str:
    return response.content.decode()


def catalog_calls(upstream) -> list[dict]:
    return [call for call in upstream.calls() if call["route"] in (PROVIDERS, CATEGORIES, SIZES)]


def test_it_shows_the_catalog_without_signing_in(upstream, client):
    response = client.get("/catalog/")
    assert response.status_code == 200
    page = text(response)
    assert "<html" in page
    for name in ("PostgreSQL", "MySQL", "Redis", "Logtrail", "Mailpost"):
        assert name in page
    # Protocol-relative logos get the API's scheme (http for the local sandbox).
    assert f'src="{upstream.url}/sandbox/files/logos/postgresql.svg"' in page
    assert 'src="//' not in page
    assert 'href="https://scalingo.com/databases/postgresql"' in page
    assert "By Scalingo" in page
    # The public links are there for a signed-out visitor, the account sidebar is not.
    assert 'href="/catalog/estimate/"' in page
    assert 'class="sidebar"' not in page
    assert {call["identity"] for call in catalog_calls(upstream)} == {"anonymous"}


def test_it_shows_plans_by_position_with_monthly_prices_and_marks(upstream, client):
    page = text(client.get("/catalog/?category=databases"))
    postgres = page[page.index('id="provider-postgresql"') : page.index('id="provider-mysql"')]
    names = re.findall(r'class="plan-name">([^<]+)<', postgres)
    assert names == ["Sandbox", "Starter 512M", "Starter 1G", "Business 1G", "Legacy 256M"]
    assert "€7.20" in postgres  # 0.0001666667 €/min × 43 200
    assert "€72.00" in postgres
    assert "No longer offered" in postgres
    assert "Choose Starter 1G instead." in postgres
    assert "HDS" in postgres
    redis = page[page.index('id="provider-redis"') :]
    assert "On demand" in redis
    assert "€288.00" in redis


def test_it_filters_providers_by_category_tab(upstream, client):
    response = client.get("/catalog/?category=email")
    page = text(response)
    assert "Mailpost" in page
    assert "PostgreSQL" not in page and "Logtrail" not in page
    tabs = page[page.index('class="tabs category-tabs"') :]
    tabs = tabs[: tabs.index("</nav>")]
    assert re.search(r'<a class="tab" href="/catalog/\?category=email"[^>]*aria-current="page"', tabs)
    assert not re.search(r'<a class="tab" href="/catalog/"[^>]*aria-current="page"', tabs)
    assert "Databases" in tabs and "Monitoring &amp; Logs" in tabs
    # The tabs are htmx links that keep the URL in step and work as plain links.
    assert 'hx-get="/catalog/?category=monitoring-logs"' in page
    assert 'href="/catalog/?category=monitoring-logs"' in page
    assert 'hx-push-url="true"' in page


def test_it_shows_only_the_addons_fragment_to_htmx(upstream, client):
    response = client.get("/catalog/?category=monitoring-logs", HTTP_HX_REQUEST="true")
    page = text(response)
    assert response.status_code == 200
    assert "<html" not in page
    assert page.lstrip().startswith('<div id="addons"')
    assert "Logtrail" in page and "Mailpost" not in page
    assert "Container sizes" not in page
    assert "HX-Request" in response["Vary"]


def test_it_shows_the_whole_page_when_htmx_restores_history(upstream, client):
    response = client.get("/catalog/?category=email", HTTP_HX_REQUEST="true", HTTP_HX_HISTORY_RESTORE_REQUEST="true")
    assert "<html" in text(response)


def test_it_handles_an_unknown_category(upstream, client):
    page = text(client.get("/catalog/?category=nope"))
    assert "That category does not exist" in page
    assert "Mailpost" in page and "PostgreSQL" in page


def test_it_removes_scripts_and_event_handlers_from_provider_descriptions(upstream, client):
    page = text(client.get("/catalog/?category=monitoring-logs"))
    assert "Search your logs <strong>fast</strong>." in page
    body = page[page.index("<main") :]
    assert "<script" not in body
    assert "onerror" not in body
    assert "alert(" not in body
    assert "javascript:" not in body


def test_it_shows_standard_sizes_to_a_visitor(upstream, client):
    page = text(client.get("/catalog/"))
    sizes = page[page.index('id="sizes-heading"') :]
    names = re.findall(r'<th scope="row"[^>]*>([^<]+?)[ <]', sizes)
    assert names == ["S", "M", "L", "XL", "2XL"]
    assert "256 MiB" in sizes and "4 GiB" in sizes
    assert "low CPU priority" in sizes
    medium = sizes[sizes.index('<th scope="row" class="cell-title">M</th>') :]
    medium = medium[: medium.index("</tr>")]
    # The documented M: 1440 ¢ per 30 days (720 hours), so 2 ¢ an hour from its pricings.
    thirtydays_cents = SIZE_BY_NAME["M"].json("osc-fr1")["thirtydays_price"]
    assert thirtydays_cents == 1440
    assert "€14.40" in medium
    assert "€0.02" in medium
    assert "3XL" not in sizes
    assert "Sign in</a> to also see the sizes enabled for your account only." in sizes


def test_it_shows_account_only_sizes_when_signed_in(upstream, signed_in_as):
    client = signed_in_as("teamadmin")
    page = text(client.get("/catalog/"))
    sizes = page[page.index('id="sizes-heading"') :]
    assert "3XL (dedicated)" in sizes
    assert "Your account only" in sizes
    assert "8 GiB" in sizes
    assert "€0.32" in sizes  # 320 × 72 ¢ per 30 days, over 720 hours
    assert 'class="sidebar"' in page
    # The standard list is asked for anonymously, the account's own with its bearer.
    identities = [call["identity"] for call in upstream.calls(route=SIZES)]
    assert sorted(identities, key=lambda i: i == "anonymous")[-1] == "anonymous"
    assert any(identity != "anonymous" for identity in identities)


def test_it_costs_no_upstream_call_on_the_second_view(upstream, client):
    client.get("/catalog/")
    assert len(catalog_calls(upstream)) == 3
    upstream.clear()
    for path in ("/catalog/", "/catalog/?category=email", "/catalog/estimate/?size-M=2"):
        assert client.get(path).status_code == 200
    other = Client()
    assert other.get("/catalog/").status_code == 200
    assert catalog_calls(upstream) == []


def test_it_never_serves_one_accounts_sizes_to_another(upstream, signed_in_as):
    teamadmin = signed_in_as("teamadmin")
    assert "3XL" in text(teamadmin.get("/catalog/"))
    anonymous = Client()
    assert "3XL" not in text(anonymous.get("/catalog/"))
    ordinary = Client()
    from tests.conftest import sign_in

    sign_in(ordinary, "ordinary")
    upstream.clear()
    page = text(ordinary.get("/catalog/"))
    assert "3XL" not in page and "Your account only" not in page
    # The ordinary account's own list was asked for with its own bearer, not reused.
    assert [call["identity"] for call in upstream.calls(route=SIZES)] != []
    assert all(call["identity"] != "anonymous" for call in upstream.calls(route=SIZES))
    upstream.clear()
    assert "3XL" in text(teamadmin.get("/catalog/"))
    assert upstream.calls(route=SIZES) == []


def test_it_shows_the_catalog_in_french(upstream, client):
    client.cookies["dashboard_language"] = "fr"
    page = text(client.get("/catalog/?category=databases"))
    assert "Catalogue" in page
    assert 'hx-push-url="true">Tous <span class="tab-count">' in page
    assert ">All <" not in page
    assert re.search(r"7,20\s€", page)
    assert "Choisissez Starter 1G à la place." in page
    assert "priorité CPU faible" in page
    assert '<td class="num" data-label="Mémoire">256 MiB</td>' in page  # the unit symbol, as the platform writes it


@pytest.mark.parametrize("fault", ["500", "502", "429", "malformed", "timeout"])
def test_it_handles_an_upstream_failure_on_the_catalog(upstream, client, settings, fault):
    settings.UPSTREAM_READ_TIMEOUT = 0.5
    faults.configure(forced=fault, hang_seconds=1.5, paths=["/sandbox/api/osc-fr1/v1/addon_providers"])
    response = client.get("/catalog/")
    page = text(response)
    assert response.status_code == 200
    if fault == "429":
        assert "Too many requests." in page
    elif fault == "malformed":
        assert "The platform sent an answer we could not read." in page
        assert "not answering" not in page
    else:
        assert "The platform API is not answering right now." in page
    assert 'hx-get="/catalog/"' in page  # the retry link
    # The sizes still show, and the failure is not cached: the next view asks again.
    assert "2XL" in page
    faults.reset()
    upstream.clear()
    page = text(client.get("/catalog/"))
    assert "PostgreSQL" in page
    # The hung request the fault held may still finish (and be logged) after the clear: count answers.
    assert len([c for c in upstream.calls(route=PROVIDERS) if c["status"] == 200]) == 1


def test_it_costs_no_upstream_call_on_a_signed_in_second_view(upstream, signed_in_as):
    client = signed_in_as("teamadmin")
    client.get("/catalog/")
    upstream.clear()
    assert "3XL" in text(client.get("/catalog/"))
    assert "3XL" in text(client.get("/catalog/estimate/?size-3XL=1"))
    assert upstream.calls() == []


def test_it_files_providers_under_a_category_named_differently_in_the_list():
    """The published examples give "Databases" one id inside providers and another in the list (§8.8)."""
    from catalog import services
    from dashboard.upstream import catalog

    listed = [
        catalog.category_from({"id": "54c6909b61646d0001000000", "name": "Data stores", "position": 1}),
        catalog.category_from({"id": "e", "name": "Email", "position": 3}),
    ]
    providers = [
        catalog.provider_from(
            {"id": "postgresql", "name": "PostgreSQL", "category": {"id": "5c9ba5", "name": "Databases", "position": 1}}
        ),
        catalog.provider_from({"id": "mail", "name": "Mail", "category": {"id": "other-id", "name": "email"}}),
        catalog.provider_from({"id": "loose", "name": "Loose"}),
    ]
    tabs = services.category_tabs(listed, providers)
    assert [(tab.slug, [p.id for p in tab.providers]) for tab in tabs] == [
        ("databases", ["postgresql"]),
        ("email", ["mail"]),
    ]
    assert services.selected_tab(tabs, "e").slug == "email"
    assert services.selected_tab(tabs, "data-stores") is None


@pytest.mark.parametrize("path", ["/catalog/", "/catalog/estimate/"])
def test_it_shows_the_suspension_alert_on_catalog_pages(signed_in_as, upstream, path):
    client = signed_in_as("suspended")
    page = text(client.get(path))
    assert "Your account is suspended." in page
    assert "See the unpaid invoice" in page
    assert len(upstream.calls(route="/v1/account/invoices", method="GET")) >= 1


def test_it_shows_a_failed_payment_alert_on_the_catalog(signed_in, upstream):
    from sandbox.models import Invoice

    invoice = Invoice.objects.filter(user__username="demo-ordinary").order_by("-billing_month").first()
    invoice.state = "failed"
    invoice.save(update_fields=["state"])
    page = text(signed_in.get("/catalog/"))
    assert "The payment of an invoice failed." in page
    assert "Your account is suspended." not in page


def test_it_shows_no_payment_alert_on_the_catalog_when_all_is_paid(signed_in, upstream):
    page = text(signed_in.get("/catalog/"))
    assert "Your account is suspended." not in page
    assert "failed." not in page


def test_the_client_gives_the_description_as_written_and_the_page_cleans_it(upstream):
    from dashboard.upstream import catalog

    provider = catalog.provider_from(
        {
            "id": "p",
            "name": "P",
            "short_description": "<em>Quick</em> <p>logs</p>",
            "description": '<p>Search <strong>fast</strong>.</p><script>alert("xss")</script>',
            "plans": [{"id": "free", "name": "free", "description": "<ul><li>1 GB</li></ul><script>x()</script>"}],
        }
    )
    assert provider.description == '<p>Search <strong>fast</strong>.</p><script>alert("xss")</script>'
    page = Template(
        "{% load dashboard %}<i1>{{ p.short_description|sanitize_inline_html }}</i1>"
        "<d1>{{ p.description|sanitize_html }}</d1><d2>{{ plan.description|sanitize_html }}</d2>"
    ).render(Context({"p": provider, "plan": provider.plans[0]}))
    assert page == (
        "<i1><em>Quick</em> logs</i1><d1><p>Search <strong>fast</strong>.</p></d1><d2><ul><li>1 GB</li></ul></d2>"
    )
    assert "<script" not in page
    assert "alert(" not in page


def test_the_sanitize_filter_keeps_allowed_links_and_drops_handlers():
    page = Template("{% load dashboard %}{{ d|sanitize_html }}").render(
        Context({"d": '<a href="https://example.com/docs" onclick="steal()">Docs</a><a href="javascript:x()">X</a>'})
    )
    assert '<a href="https://example.com/docs" rel="noopener noreferrer nofollow">Docs</a>' in page
    assert "onclick" not in page
    assert "javascript:" not in page


def test_it_shows_the_category_markdown_as_formatting_on_the_page(upstream, client):
    page = text(client.get("/catalog/?category=databases"))
    assert '<p class="muted">Managed <strong>databases</strong>, backed up every day.</p>' in page
    assert "**databases**" not in page
    email = text(client.get("/catalog/?category=monitoring-logs"))
    assert '<p class="muted">Watch your apps: <em>metrics</em>, logs and alerts.</p>' in email
    assert "*metrics*" not in email
