"""The referrals page: link with a copy button, stats, the program, and a prepared mailto."""

from __future__ import annotations

import re
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest

from sandbox import faults

STATS = "/v1/account/referrals/stats"


def text(response) -> str:
    return response.content.decode()


def test_it_sends_a_visitor_to_sign_in(upstream, client):
    response = client.get("/referrals/")
    assert response.status_code == 302
    assert response["Location"] == "/signin/?next=%2Freferrals%2F"


def test_it_shows_the_referral_link_stats_and_program(upstream, signed_in_as):
    client = signed_in_as("teamadmin")
    response = client.get("/referrals/")
    page = text(response)
    assert response.status_code == 200
    assert "<html" in page
    link = re.search(r'id="referral-url" value="(https://sclng\.io/r/[0-9a-f]+)"', page)
    assert link is not None
    assert 'data-copy-target="#referral-url"' in page
    # Clicks arrive as the string "165" (contract §8.1); sign-ups and the amount as numbers.
    assert re.search(r'<dd class="stat">165</dd>', page)
    assert re.search(r'<dd class="stat">23</dd>', page)
    assert "€312.40" in page
    assert "20% of the invoices of each person you invited" in page
    assert "Every month for 12 months" in page
    assert len(upstream.calls(route=STATS, method="GET")) == 1
    assert response["Cache-Control"] == "max-age=0, no-cache, no-store, must-revalidate, private"


def test_it_prepares_an_invitation_email(upstream, signed_in):
    page = text(signed_in.get("/referrals/"))
    link = re.search(r'id="referral-url" value="([^"]+)"', page).group(1)
    mailto = unescape(re.search(r'href="(mailto:[^"]+)"', page).group(1))
    parts = urlsplit(mailto)
    assert parts.scheme == "mailto" and parts.path == ""
    assert "+" not in parts.query  # spaces are %20, which every mail app reads as spaces
    fields = parse_qs(parts.query)
    assert fields["subject"] == ["An invitation to try Scalingo"]
    assert link in fields["body"][0]
    assert "€8.64" in page and re.search(r'<dd class="stat">12</dd>', page)


def test_it_shows_referrals_in_french(upstream, signed_in_as):
    client = signed_in_as("teamadmin")
    client.cookies["dashboard_language"] = "fr"
    page = text(client.get("/referrals/"))
    assert "Parrainage" in page
    assert re.search(r"312,40\s€", page)
    assert re.search(r"20\s%\sdes factures", page)
    mailto = unescape(re.search(r'href="(mailto:[^"]+)"', page).group(1))
    assert parse_qs(urlsplit(mailto).query)["subject"] == ["Une invitation à essayer Scalingo"]


@pytest.mark.parametrize(("fault", "status"), [("500", 503), ("429", 429), ("malformed", 503)])
def test_it_handles_an_upstream_failure_on_referrals(upstream, signed_in, fault, status):
    faults.configure(forced=fault, paths=["/sandbox/api/osc-fr1/v1/account/referrals"])
    response = signed_in.get("/referrals/")
    assert response.status_code == status
    page = text(response)
    assert "Try again" in page
    assert "sclng.io" not in page


def test_it_shows_the_referral_page_with_odd_counts(upstream, signed_in_as, sandbox_behaviour, caplog):
    sandbox_behaviour("referral-odd-types")
    client = signed_in_as("teamadmin")
    response = client.get("/referrals/")
    page = text(response)
    assert response.status_code == 200
    assert re.search(r'id="referral-url" value="https://sclng\.io/r/[0-9a-f]+"', page)
    assert "€312.40" in page
    assert page.count('<dd class="stat">—</dd>') == 2
    assert "could not be loaded" not in page
    assert "referral_stats.clicks" in {getattr(r, "field", "") for r in caplog.records}


def test_it_shows_the_referral_counts_with_the_variant_off(upstream, signed_in_as):
    page = text(signed_in_as("teamadmin").get("/referrals/"))
    assert '<dd class="stat">—</dd>' not in page
    assert re.search(r'<dd class="stat">165</dd>', page)


@pytest.mark.parametrize(
    ("retry_after", "header", "wait"),
    [(False, "60", "It did not say how long to wait"), (True, "30", "It asked to wait 30 seconds")],
)
def test_a_429_on_referrals_states_the_wait_the_platform_gave(
    upstream, signed_in, sandbox_behaviour, retry_after, header, wait
):
    if retry_after:
        sandbox_behaviour("rate-limit-retry-after")
    faults.configure(forced="429", paths=["/sandbox/api/osc-fr1/v1/account/referrals"])
    response = signed_in.get("/referrals/")
    page = text(response)
    assert response.status_code == 429
    assert response["Retry-After"] == header
    assert wait in page
    assert "too many requests from this account" in page
    assert "60 requests a minute" not in page
