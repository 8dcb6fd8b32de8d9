"""The price estimator: its arithmetic, its validation, and the page with and without htmx."""

from __future__ import annotations

import re
from urllib.parse import parse_qsl

import pytest
from hypothesis import given
from hypothesis import strategies as st

from catalog import estimator
from dashboard.money import Money
from dashboard.upstream import catalog

PER_MINUTE_7_20 = {"default": {"price": "0.0001666667", "currency": "EUR", "period": "minute"}}


def size(name: str, ordinal: int, cents_per_hour: int, **extra):
    return catalog.size_from(
        {
            "id": f"id-{name}",
            "name": name,
            "human_name": name,
            "ordinal": ordinal,
            "hourly_price": cents_per_hour,
            "thirtydays_price": cents_per_hour * 720,
            "memory": 268435456,
            "human_cpu": "low CPU priority",
            **extra,
        }
    )


SIZES = [size("S", 2, 1, pricings=PER_MINUTE_7_20), size("M", 3, 2)]
PROVIDERS = [
    catalog.provider_from(
        {
            "id": "postgresql",
            "name": "PostgreSQL",
            "plans": [
                {
                    "id": "a",
                    "name": "postgresql-starter-512",
                    "display_name": "Starter 512M",
                    "position": 1,
                    "pricings": PER_MINUTE_7_20,
                },
                {"id": "b", "name": "postgresql-business", "display_name": "Business", "position": 2, "price": 72},
                {
                    "id": "c",
                    "name": "postgresql-old",
                    "display_name": "Old",
                    "position": 3,
                    "price": 1,
                    "disabled": True,
                },
            ],
        }
    )
]


def run(**query):
    return estimator.estimate(query, SIZES, PROVIDERS)


def test_it_shows_the_estimate_line_by_line():
    result = run(
        **{"size-S": "3", "size-M": "1", "addon-postgresql-starter-512": "2", "addon-postgresql-business": "0"}
    )
    assert [(line.label, line.count, line.subtotal) for line in result.lines] == [
        ("S containers", 3, Money.from_euros("21.60")),
        ("M containers", 1, Money.from_euros("14.40")),
        ("PostgreSQL Starter 512M", 2, Money.from_euros("14.40")),
    ]
    assert result.total == Money.from_euros("50.40")
    assert not result.has_errors
    assert dict(parse_qsl(result.query)) == {"size-S": "3", "size-M": "1", "addon-postgresql-starter-512": "2"}


def test_it_handles_an_empty_estimate():
    result = run()
    assert result.lines == [] and result.total == Money.zero() and result.query == ""
    assert [c.field for c in result.choices] == [
        "size-S",
        "size-M",
        "addon-postgresql-starter-512",
        "addon-postgresql-business",
    ]


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("-1", "A count cannot be negative."),
        ("- 4", "A count cannot be negative."),
        ("-2.5", "A count cannot be negative."),
        ("1001", "That is too many: enter 1,000 at most."),
        ("99999999999999999999", "That is too many: enter 1,000 at most."),
        ("2.5", "Enter a whole number, such as 2."),
        ("two", "Enter a whole number, such as 2."),
        ("1e3", "Enter a whole number, such as 2."),
        ("²", "Enter a whole number, such as 2."),
    ],
)
def test_it_handles_negative_absurd_and_unreadable_counts(raw, message):
    result = run(**{"size-S": raw, "size-M": "2"})
    refused = result.choices[0]
    assert refused.error == message
    assert refused.raw == raw.strip()  # kept as typed
    assert result.has_errors
    assert [line.label for line in result.lines] == ["M containers"]


def test_it_limits_addon_counts_separately():
    result = run(**{"addon-postgresql-business": "101"})
    assert result.choices[3].error == "That is too many: enter 100 at most."
    assert run(**{"addon-postgresql-business": "100"}).total == Money.from_euros("7200")


def test_it_handles_items_the_catalog_no_longer_offers():
    query = {"size-4XL": "2", "addon-postgresql-old": "1", "addon-gone": "0", "other": "1", "size-Call us now!": "1"}
    result = run(**query)
    assert result.unknown == ["4XL", "postgresql-old"]
    assert result.lines == []


@given(
    counts=st.lists(st.integers(min_value=0, max_value=estimator.MAX_CONTAINERS), min_size=2, max_size=2),
    addons=st.integers(min_value=0, max_value=estimator.MAX_ADDONS),
)
def test_it_adds_up_the_lines_as_shown(counts, addons):
    result = run(**{"size-S": str(counts[0]), "size-M": str(counts[1]), "addon-postgresql-business": str(addons)})
    assert result.total == sum((line.subtotal for line in result.lines), Money.zero())
    assert (
        result.total
        == Money.from_euros("7.20") * counts[0] + Money.from_euros("14.40") * counts[1] + Money.from_euros(72) * addons
    )


def text(response) -> str:
    return response.content.decode()


def test_it_shows_the_estimator_page_without_javascript(upstream, client):
    response = client.get("/catalog/estimate/", {"size-M": "2", "addon-postgresql-starter-512": "1"})
    page = text(response)
    assert response.status_code == 200
    assert "<html" in page
    assert 'method="get" action="/catalog/estimate/"' in page
    assert 'name="size-M" value="2"' in page
    assert 'hx-get="/catalog/estimate/"' in page
    estimate = page[page.index('<div id="estimate"') :]
    assert "PostgreSQL Starter 512M" in estimate
    assert "€7.20" in estimate
    assert 'id="estimate-total">€36.00<' in estimate  # 2 × 14.40 + 7.20
    assert "http://testserver/catalog/estimate/?size-M=2&amp;addon-postgresql-starter-512=1" in estimate


def test_it_shows_only_the_estimate_to_htmx_with_a_shareable_url(upstream, client):
    response = client.get(
        "/catalog/estimate/",
        {"size-S": "", "size-M": "2", "size-L": "0", "addon-redis-starter-256": "1"},
        HTTP_HX_REQUEST="true",
    )
    page = text(response)
    assert response.status_code == 200
    assert "<html" not in page and "<form" not in page
    assert page.lstrip().startswith('<div id="estimate"')
    assert "€36.00" in page
    assert response["HX-Replace-Url"] == "/catalog/estimate/?size-M=2&addon-redis-starter-256=1"
    # The messages next to every field are refreshed out of band, empty here.
    assert page.count('hx-swap-oob="true"') == page.count("data-errors-for=")
    assert 'id="estimate-status" hx-swap-oob="innerHTML">Estimate: €36.00 for 30 days.' in page


def test_it_refuses_a_negative_count_next_to_its_field(upstream, client):
    page = text(client.get("/catalog/estimate/", {"size-S": "-3", "size-M": "abc", "size-XL": "5000"}))
    assert re.search(r'name="size-S" value="-3"[^>]*aria-invalid="true"', page)
    assert re.search(r'name="size-M" value="abc"[^>]*aria-invalid="true"', page)
    assert (
        '<ul class="field-errors" id="count-size-s-errors" data-errors-for="count-size-s">'
        "<li>A count cannot be negative.</li></ul>"
    ) in page
    assert "Enter a whole number, such as 2." in page
    assert "That is too many: enter 1,000 at most." in page
    assert "Some counts were refused" in page


def test_it_refuses_a_bad_count_to_htmx_with_the_message_out_of_band(upstream, client):
    page = text(client.get("/catalog/estimate/", {"size-S": "-3", "size-M": "1"}, HTTP_HX_REQUEST="true"))
    assert (
        '<ul class="field-errors" id="count-size-s-errors" data-errors-for="count-size-s" hx-swap-oob="true">'
        "<li>A count cannot be negative.</li></ul>"
    ) in page
    assert "Some counts were refused" in page
    assert "€14.40" in page


def test_it_offers_account_only_sizes_to_their_account(upstream, signed_in_as):
    client = signed_in_as("teamadmin")
    page = text(client.get("/catalog/estimate/", {"size-3XL": "1"}))
    assert 'name="size-3XL" value="1"' in page
    assert "€230.40" in page  # its thirtydays_price: 320 × 72 ¢


def test_it_shows_the_estimate_in_french(upstream, client):
    client.cookies["dashboard_language"] = "fr"
    page = text(client.get("/catalog/estimate/", {"addon-postgresql-starter-512": "1", "size-S": "-1"}))
    assert "Estimateur de prix" in page
    assert re.search(r"7,20\s€", page)
    assert "Un nombre ne peut pas être négatif." in page
