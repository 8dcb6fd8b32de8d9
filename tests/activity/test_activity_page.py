"""Activity page and the Authentication page's security card, against the sandbox over HTTP."""

from __future__ import annotations

import csv
import io
import re
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone

from sandbox import faults
from tests.helpers import demo

pytestmark = pytest.mark.django_db(transaction=True)

EVENTS = "/v1/events"


def _add_event(username: str, type_: str, *, minutes_ago: int = 1, app: tuple[str, str] | None = None, **data):
    """An event the platform recorded (as the sandbox's own writes would), newest unless told."""
    from sandbox.models import Event, User

    user = User.objects.get(username=username)
    Event.objects.create(
        user=user,
        type=type_,
        type_data=data,
        created_at=timezone.now() - timedelta(minutes=minutes_ago),
        app_id=app[0] if app else "",
        app_name=app[1] if app else "",
    )


def _rows(html: str) -> list[str]:
    body = re.search(r"<tbody>(.*?)</tbody>", html, re.S)
    assert body, html[:3000]
    rows = re.findall(r"<tr.*?</tr>", body.group(1), re.S)
    return [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row)).strip() for row in rows]


def test_it_shows_the_activity_in_words_with_one_upstream_call(signed_in, upstream):
    response = signed_in.get("/activity/")
    html = response.content.decode()
    assert response.status_code == 200 and "<html" in html
    assert 'href="/activity/" aria-current="page"' in html  # in the navigation
    assert "Failed sign-in from 192.0.2.77" in html
    assert "Signed in from 203.0.113.5" in html
    assert "Token “CI deploys” renewed" in html
    assert "Payment of" in html and "went through" in html
    assert "regenerate_token" not in html  # a known type is in words, not its name
    assert len(upstream.calls(route=EVENTS)) == 1
    call = upstream.calls(route=EVENTS)[0]
    assert call["status"] == 200


def test_it_asks_the_upstream_nothing_more_when_warm(signed_in, upstream):
    signed_in.get("/activity/")
    upstream.clear()
    response = signed_in.get("/activity/?kind=security")
    assert response.status_code == 200
    assert upstream.calls() == []


def test_it_marks_an_address_not_seen_before(signed_in, upstream):
    rows = _rows(signed_in.get("/activity/?kind=security").content.decode())
    failed = next(row for row in rows if "Failed sign-in from 192.0.2.77" in row)
    again = [row for row in rows if "Signed in from 203.0.113.5" in row]
    assert "New address" in failed
    assert again and all("New address" not in row for row in again)


def test_it_shows_the_time_in_the_persons_time_zone(signed_in, upstream):
    from sandbox.models import User

    user = User.objects.get(username="demo-ordinary")
    user.preferences = {"time_zone": "America/New_York"}
    user.save()
    cache.clear()  # the user read at sign-in
    _add_event("demo-ordinary", "login_success", minutes_ago=0, remote_ip="203.0.113.5")
    html = signed_in.get("/activity/").content.decode()
    assert "Times are in your time zone, America/New_York." in html
    stamp = re.search(r'<time datetime="([^"]+)"', html).group(1)
    assert stamp.endswith(("-05:00", "-04:00"))


def test_a_failed_signin_then_appears_with_its_address(upstream, client):
    account = demo("ordinary")
    refused = client.post("/signin/", {"method": "password", "login": account.username, "password": "not-it"})
    assert refused.status_code in (200, 400)
    client.post("/signin/", {"method": "password", "login": account.username, "password": account.password})
    rows = _rows(client.get("/activity/?kind=security").content.decode())
    # Newest first: this sign-in, then the failed one, both from the address the platform saw.
    assert "Signed in from 127.0.0.1" in rows[0]
    assert "Failed sign-in from 127.0.0.1" in rows[1]
    assert "New address" in rows[1]  # the seeded sign-ins came from elsewhere


def test_a_renewed_token_appears_by_name(signed_in, upstream):
    signed_in.get("/activity/")  # warm: the renewal must still show
    from sandbox.models import ApiToken

    token = ApiToken.objects.get(user__username="demo-ordinary", name="Laptop CLI")
    assert signed_in.post(f"/api-tokens/{token.id}/renew/").status_code == 200
    rows = _rows(signed_in.get("/activity/?kind=tokens").content.decode())
    assert "Token “Laptop CLI” renewed" in rows[0]


def test_it_words_every_kind_in_french(signed_in, upstream):
    _add_event("demo-ordinary", "add_voucher", code="NOEL-2026")
    _add_event("demo-ordinary", "add_credit", amount=12.5, payment_method="paypal")
    _add_event("demo-ordinary", "tfa_disabled")
    _add_event("demo-ordinary", "delete_key", name="vieux portable")
    _add_event("demo-ordinary", "login_lock", remote_ip="192.0.2.9")
    signed_in.cookies["dashboard_language"] = "fr"
    html = signed_in.get("/activity/?per_page=50").content.decode()
    for text in (
        "Connexion depuis 203.0.113.5",
        "Échec de connexion depuis 192.0.2.77",
        "Compte verrouillé après des échecs de connexion depuis 192.0.2.9",
        "Jeton « CI deploys » renouvelé",
        "Clé SSH « vieux portable » supprimée",
        "Authentification à deux facteurs désactivée",
        "Bon de réduction « NOEL-2026 » utilisé",
        "12,50\xa0€ de crédit prépayé ajoutés avec PayPal",
        "Réinitialisation du mot de passe demandée depuis 203.0.113.5",
        "Application ordinary-api : déploiement de 3f2a9c1 (success)",
        "Moyen de paiement ajouté : Visa se terminant par 4242, expire 08/2028",
        "Nouvelle adresse",
        "Application ordinary-api créée",
        "Jeton « Laptop CLI » créé",
        "Événement « new_integration »",
    ):
        assert text in html, text
    assert re.search(r"Paiement de \d+,\d\d\xa0€ par carte réussi", html)
    assert "Signed in from" not in html


def test_it_words_every_kind_in_english(signed_in, upstream):
    _add_event("demo-ordinary", "add_voucher", code="XMAS-2026")
    _add_event("demo-ordinary", "add_credit", value=12.5, payment_method="paypal")  # the doc's `value`
    _add_event("demo-ordinary", "tfa_enabled", provider="totp")
    _add_event("demo-ordinary", "edit_key", name="laptop")
    _add_event("demo-ordinary", "login_unlock_success", remote_ip="192.0.2.9")
    _add_event("demo-ordinary", "password_reset_success", remote_ip="192.0.2.9")
    _add_event("demo-ordinary", "rename_app", app=("5f0000000000000000000001", "blog"), old_name="old", new_name="blog")
    html = signed_in.get("/activity/?per_page=50").content.decode()
    for text in (
        "Voucher “XMAS-2026” redeemed",
        "€12.50 of prepaid credit added with PayPal",
        "Two-factor authentication turned on",
        "SSH key “laptop” edited",
        "Account unlocked from 192.0.2.9",
        "Password reset from 192.0.2.9",
        "App renamed from old to blog",
        "Payment method added: Visa ending in 4242, expires 08/2028",
        "Token “Laptop CLI” created",
        "App ordinary-blog created",
    ):
        assert text in html, text


def test_it_shows_an_unknown_type_by_its_name_with_its_fields(signed_in, upstream):
    _add_event("demo-ordinary", "new_notifier", notifier_name="ops-slack", webhook_token="s3cr3t", nested={"a": 1})
    rows = _rows(signed_in.get("/activity/").content.decode())
    assert "Event “new_notifier”" in rows[0]
    assert "notifier_name : ops-slack" in rows[0] or "notifier_name: ops-slack" in rows[0]
    assert "s3cr3t" not in rows[0]  # a field named like a secret is never shown


def test_filters_and_paging_keep_each_other_in_the_url(signed_in_as, upstream):
    client = signed_in_as("teamadmin")
    html = client.get("/activity/?kind=billing&per_page=10").content.decode()
    assert 'aria-current="page">Billing</a>' in html
    assert 'href="?kind=billing&amp;per_page=10&amp;page=2"' in html
    page2 = client.get("/activity/?kind=billing&per_page=10&page=2").content.decode()
    assert 'href="?kind=billing&amp;per_page=10"' in page2  # previous: page 1 of the same filter
    assert "Page 2 of" in page2
    assert all("Payment of" in row for row in _rows(page2))
    # The kind links keep the page size and start again at page 1.
    assert 'href="?kind=security&amp;per_page=10"' in page2


def test_it_answers_htmx_with_the_results_fragment_only(signed_in, upstream):
    response = signed_in.get("/activity/?kind=tokens", HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "<html" not in html and 'id="activity-results"' in html
    assert "Token “CI deploys” renewed" in html
    assert "Signed in from" not in html
    assert response["Vary"] and "HX-Request" in response["Vary"]


def test_it_has_an_empty_state(signed_in_as, upstream):
    from sandbox.models import Event

    Event.objects.filter(user__username="demo-empty").delete()
    html = signed_in_as("empty").get("/activity/").content.decode()
    assert "No activity yet" in html
    assert "<tbody>" not in html


def test_it_says_when_a_filter_matches_nothing(signed_in_as, upstream):
    html = signed_in_as("empty").get("/activity/?kind=billing").content.decode()
    assert "Nothing in “Billing” among the latest events." in html
    assert "Show all activity" in html


def test_it_exports_the_filtered_list_as_csv(signed_in, upstream):
    response = signed_in.get("/activity/export.csv?kind=security")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert 'filename="activity-security-' in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["time", "kind", "type", "description", "address", "new_address", "user", "app"]
    assert {row[1] for row in rows[1:]} == {"security"}
    failed = next(row for row in rows[1:] if row[2] == "login_failure")
    assert failed[3] == "Failed sign-in from 192.0.2.77" and failed[4] == "192.0.2.77" and failed[5] == "yes"


def test_it_shows_an_upstream_failure_in_place(signed_in, upstream):
    faults.configure(forced="500", paths=["/sandbox/api/osc-fr1/v1/events"])
    response = signed_in.get("/activity/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "The activity could not be loaded from the platform right now." in html


def test_it_tolerates_an_event_feed_with_odd_entries(signed_in, upstream):
    _add_event("demo-ordinary", "login_success", remote_ip=["not", "text"])
    _add_event("demo-ordinary", "payment_attempt", amount="lots", status="paid")
    rows = _rows(signed_in.get("/activity/").content.decode())
    assert "Signed in from an unknown address" in rows[1] or "Signed in from an unknown address" in rows[0]
    assert any("Payment of ?" in row for row in rows[:2])


def test_the_authentication_page_shows_the_latest_security_activity(signed_in, upstream):
    response = signed_in.get("/authentication/")
    html = response.content.decode()
    assert response.status_code == 200
    card = re.search(r'<section class="card" id="security-activity".*?</section>', html, re.S).group(0)
    assert "Security activity" in card
    assert "Failed sign-in from 192.0.2.77" in card and "New address" in card
    assert "Payment of" not in card and "App ordinary" not in card
    assert card.count("<tr") == 1 + 5  # the header row and the latest five
    assert 'href="/activity/?kind=security"' in card


def test_the_authentication_page_keeps_working_when_the_feed_fails(signed_in, upstream):
    faults.configure(forced="503", paths=["/sandbox/api/osc-fr1/v1/events"])
    html = signed_in.get("/authentication/").content.decode()
    assert "The security activity could not be loaded" in html
    assert "Two-factor authentication" in html


def test_an_unknown_app_event_names_its_app_and_type_with_its_fields(signed_in, upstream):
    _add_event("demo-ordinary", "new_log_drain", app=("5f0000000000000000000002", "ordinary-api"), drain_url="syslog")
    rows = _rows(signed_in.get("/activity/?kind=apps").content.decode())
    assert "App ordinary-api: new_log_drain" in rows[0]
    assert "drain_url" in rows[0] and "syslog" in rows[0]


def test_names_from_the_platform_are_escaped(signed_in, upstream):
    _add_event("demo-ordinary", "new_token", token_name="<script>alert(1)</script>", token_id="t-x")
    html = signed_in.get("/activity/").content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "Token “&lt;script&gt;alert(1)&lt;/script&gt;” created" in html
    export = signed_in.get("/activity/export.csv").content.decode()
    assert "Token “<script>alert(1)</script>” created" in export
