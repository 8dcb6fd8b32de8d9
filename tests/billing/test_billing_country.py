"""Billing country as an ISO 3166 code (what the official client sends), named in the active
language, read back whether the platform stores a code or a name; VAT numbers checked per country."""

from __future__ import annotations

import pytest

from dashboard import countries

pytestmark = pytest.mark.django_db(transaction=True)

PROFILE = {
    "name": "Demo Ordinary",
    "address_line1": "1 Unter den Linden",
    "address_zip": "10117",
    "address_city": "Berlin",
}


def _stored_country(username: str) -> str:
    from sandbox.models import BillingProfile

    return BillingProfile.objects.get(user__username=username).address_country


def test_it_offers_countries_by_name_and_sends_the_code(signed_in, upstream):
    form = signed_in.get("/billing/profile/").content.decode()
    assert '<select name="address_country"' in form
    assert '<option value="DE">Germany</option>' in form
    assert '<option value="FR" selected>France</option>' in form  # the seed's stored country
    response = signed_in.post("/billing/profile/", {**PROFILE, "address_country": "DE", "vat_number": "DE 123 456 789"})
    assert response.status_code == 302
    assert _stored_country("demo-ordinary") == "DE"
    from sandbox.models import BillingProfile

    assert BillingProfile.objects.get(user__username="demo-ordinary").vat_number == "DE123456789"
    page = signed_in.get("/billing/").content.decode()
    assert "Germany" in page


def test_it_names_countries_in_french(signed_in, upstream):
    signed_in.cookies["dashboard_language"] = "fr"
    form = signed_in.get("/billing/profile/").content.decode()
    assert '<option value="DE">Allemagne</option>' in form
    assert "Germany" not in form


@pytest.mark.parametrize("as_name", [False, True], ids=["code", "name"])
def test_it_reads_the_stored_country_as_a_code_or_a_name(signed_in, upstream, sandbox_behaviour, as_name):
    signed_in.post("/billing/profile/", {**PROFILE, "address_country": "DE"})
    if as_name:
        sandbox_behaviour("billing-country-name")
    from django.core.cache import cache

    cache.clear()
    form = signed_in.get("/billing/profile/").content.decode()
    assert '<option value="DE" selected>Germany</option>' in form
    signed_in.cookies["dashboard_language"] = "fr"
    page = signed_in.get("/billing/").content.decode()
    assert "Allemagne" in page
    assert "Germany" not in page


def test_it_checks_the_vat_prefix_for_the_country_and_keeps_what_was_typed(signed_in, upstream):
    response = signed_in.post(
        "/billing/profile/", {**PROFILE, "address_country": "FR", "vat_number": "DE123456789"}, HTTP_HX_REQUEST="true"
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "A VAT number from France starts with FR." in body
    assert 'value="DE123456789"' in body
    assert 'id="id_vat_number_errors"' in body
    assert upstream.calls(route="/profiles/:id", method="PUT") == []


def test_it_checks_the_vat_format_for_the_country(signed_in, upstream):
    response = signed_in.post("/billing/profile/", {**PROFILE, "address_country": "DE", "vat_number": "DE12345"})
    body = response.content.decode()
    assert response.status_code == 400
    assert "This is not the format of a VAT number from Germany: check what follows DE." in body
    assert 'value="DE12345"' in body
    assert 'value="1 Unter den Linden"' in body
    assert upstream.calls(route="/profiles/:id", method="PUT") == []


def test_it_says_the_vat_problem_in_french(signed_in, upstream):
    signed_in.cookies["dashboard_language"] = "fr"
    body = signed_in.post(
        "/billing/profile/", {**PROFILE, "address_country": "FR", "vat_number": "12"}
    ).content.decode()
    assert "Un numéro de TVA du pays choisi (France) commence par FR." in body


@pytest.mark.parametrize(
    ("value", "code"),
    [("FR", "FR"), ("de", "DE"), ("France", "FR"), ("Germany", "DE"), ("Allemagne", "DE"), ("côte d’ivoire", "CI")],
)
def test_it_reads_a_country_code_or_name(value, code):
    assert countries.code_of(value) == code


def test_it_leaves_an_unknown_country_as_it_came():
    assert countries.code_of("Atlantis") is None
    assert countries.name_of("Atlantis", "fr") == "Atlantis"
    assert countries.name_of("DE", "fr") == "Allemagne"


@pytest.mark.parametrize(
    ("vat", "country", "problem"),
    [
        ("FR40303265045", "FR", None),
        ("fr 40 303 265 045", "FR", None),
        ("DE123456789", "FR", "prefix"),
        ("FR4030326504", "FR", "format"),
        ("EL123456789", "GR", None),
        ("GR123456789", "GR", "prefix"),
        ("NL123456789B01", "NL", None),
        ("anything", "US", None),
    ],
)
def test_it_knows_vat_formats(vat, country, problem):
    assert countries.vat_problem(vat, country) == problem
