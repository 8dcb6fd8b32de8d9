"""The platform's English messages as a person reads them: in the interface's language, as full
sentences that say what to do, and the platform's own words (marked) only when they are unknown."""

from __future__ import annotations

import re

import pytest
from django.utils import translation

from dashboard import platform_text
from dashboard.upstream import errors
from tests.accounts.test_ssh_keys import ED25519

PASSWORD = "demo-ordinary-password"

pytestmark = pytest.mark.django_db(transaction=True)

EN_MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
FR_MONTHS = "janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre"


def in_french(client):
    client.post("/i18n/language/", {"language": "fr", "next": "/"})
    return client


# The catalogue ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "message", "english", "french"),
    [
        (
            "email",
            "has already been taken",
            "This email is already used by another account. Use another one.",
            "Cette adresse e-mail est déjà utilisée par un autre compte. Utilisez-en une autre.",
        ),
        (
            "username",
            "Has already been taken.",
            "This username is already taken. Choose another one.",
            "Ce nom d’utilisateur est déjà pris. Choisissez-en un autre.",
        ),
        (
            "email",
            "is invalid",
            "This email address is not valid. Type it in full, such as name@example.com.",
            "Cette adresse e-mail n’est pas valide. Saisissez-la en entier, par exemple nom@exemple.fr.",
        ),
        (
            "current_password",
            "is invalid",
            "This is not your current password. Type it again.",
            "Ce n’est pas votre mot de passe actuel. Saisissez-le à nouveau.",
        ),
        (
            "company",
            "is invalid",
            "This value is not valid. Check it and type it again.",
            "Cette valeur n’est pas valide. Vérifiez-la et saisissez-la à nouveau.",
        ),
        (
            "password",
            "is too short (minimum is 8 characters)",
            "This password is too short. Use at least 8 characters.",
            "Ce mot de passe est trop court. Utilisez au moins 8 caractères.",
        ),
        (
            "name",
            "is too long (maximum is 200 characters)",
            "This is too long. Use at most 200 characters.",
            "C’est trop long. Utilisez au plus 200 caractères.",
        ),
        (
            "password_confirmation",
            "doesn't match Password",
            "The two new passwords are different. Type the same password twice.",
            "Les deux nouveaux mots de passe sont différents. Saisissez deux fois le même mot de passe.",
        ),
        (
            "preferences",
            "should be an object",
            "The platform could not read what the dashboard sent. Nothing was changed; reload the page and try again.",
            "La plateforme n’a pas pu lire ce que le tableau de bord a envoyé. Rien n’a été modifié ; rechargez la "
            "page et réessayez.",
        ),
        (
            "code",
            "is the wrong length (should be 6 characters)",
            "This must be exactly 6 characters long.",
            "Il faut exactement 6 caractères.",
        ),
        (
            "app",
            "missing field",
            "This field is required. Fill it in.",
            "Ce champ est obligatoire. Remplissez-le.",
        ),
    ],
)
def test_it_words_known_field_messages_in_both_languages(field, message, english, french):
    with translation.override("en"):
        assert platform_text.field_error(field, message) == english
    with translation.override("fr"):
        assert platform_text.field_error(field, message) == french


def test_it_keeps_an_unknown_message_marked_as_the_platforms_words():
    with translation.override("en"):
        assert platform_text.field_error("name", "is reserved") == "The platform said (in English): “is reserved”"
        assert (
            platform_text.field_error("name", "is reserved", apart=True)
            == "The platform said (in English): “name is reserved”"
        )
        assert platform_text.error("Quota exceeded") == "The platform said (in English): “Quota exceeded”"
    with translation.override("fr"):
        marked = "La plateforme a répondu (en anglais) : « is reserved »"
        assert platform_text.field_error("name", "is reserved") == marked


def test_it_rebuilds_invoice_labels_from_their_month():
    with translation.override("en"):
        assert platform_text.operation_label("Invoice for November 2026") == "Invoice for November 2026"
        assert platform_text.operation_label("Credit added") == "Credit added"
    with translation.override("fr"):
        assert platform_text.operation_label("Invoice for November 2026") == "Facture de novembre 2026"
        assert platform_text.operation_label("Invoice for February 2024") == "Facture de février 2024"
        assert platform_text.operation_label("Invoice for Smarch 2024") == "Invoice for Smarch 2024 (en anglais)"
        assert platform_text.operation_label("Credit added") == "Credit added (en anglais)"


@pytest.mark.parametrize(
    ("label", "english", "french"),
    [
        ("Containers Runtime", "Containers runtime", "Exécution des conteneurs"),
        (
            "Free Trial 2020-06-02 15:07 -> 2020-09-30 15:07",
            "Free trial, from 2 June 2020, 15:07 to 30 September 2020, 15:07",
            "Essai gratuit, du 2 juin 2020 à 15:07 au 30 septembre 2020 à 15:07",
        ),
        ("Containers - type: web- size: S", "Containers web, size S", "Conteneurs web, taille S"),
        (
            "Addon - PostgreSQL - Starter 512M",
            "Addon PostgreSQL, plan Starter 512M",
            "Addon PostgreSQL, offre Starter 512M",
        ),
        ("Support contract", "Support contract", "Support contract (en anglais)"),
    ],
)
def test_it_words_invoice_lines(label, english, french):
    with translation.override("en"):
        assert platform_text.invoice_item_label(label) == english
    with translation.override("fr"):
        assert platform_text.invoice_item_label(label) == french


def test_it_words_suspension_reasons():
    with translation.override("en"):
        assert platform_text.suspension_reason("Invoice unpaid for 5 days") == "an invoice unpaid for 5 days"
        assert platform_text.suspension_reason("Fraud check.") == "“Fraud check” (the platform's words, in English)"
    with translation.override("fr"):
        assert platform_text.suspension_reason("Invoice unpaid for 5 days") == "une facture impayée depuis 5 jours"


# What a person sees -------------------------------------------------------------------------------


def test_a_taken_email_is_explained_in_english(signed_in):
    response = signed_in.post(
        "/profile/fields/email/",
        {"email": "twofa@demo.sandbox.test", "current_password": PASSWORD, "page": "authentication"},
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert "This email is already used by another account. Use another one." in html
    assert "already been taken" not in html.lower()


def test_a_taken_email_is_explained_in_french(signed_in):
    in_french(signed_in)
    response = signed_in.post(
        "/profile/fields/email/",
        {"email": "twofa@demo.sandbox.test", "current_password": PASSWORD, "page": "authentication"},
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert "Cette adresse e-mail est déjà utilisée par un autre compte. Utilisez-en une autre." in html
    assert "already been taken" not in html.lower()
    assert 'value="twofa@demo.sandbox.test"' in html


def test_a_wrong_current_password_is_explained_in_french(signed_in):
    in_french(signed_in)
    data = {
        "current_password": "not-the-password",
        "new_password": "a brand new passphrase",
        "new_password_confirmation": "a brand new passphrase",
    }
    html = signed_in.post("/authentication/password/", data).content.decode()
    # The accounts' own message for a refused current password (422 or 401) wins over the catalogue's.
    assert "Le mot de passe actuel n’est pas le bon." in html
    assert "Is invalid" not in html and "is invalid" not in html


def test_a_duplicate_ssh_key_is_explained_in_french(signed_in):
    signed_in.post("/ssh-keys/add/", {"name": "One", "content": ED25519})
    in_french(signed_in)
    html = signed_in.post(
        "/ssh-keys/add/", {"name": "Two", "content": ED25519}, HTTP_HX_REQUEST="true"
    ).content.decode()
    assert "Cette clé SSH est déjà enregistrée." in html
    assert "already been taken" not in html.lower()


def test_a_bad_vat_number_is_explained_in_french(signed_in):
    in_french(signed_in)
    # A country whose VAT format the dashboard does not check itself: the platform's 422 shows.
    data = {"name": "N", "address_line1": "1 rue", "address_zip": "1", "address_city": "X", "address_country": "US"}
    data["vat_number"] = "12-not-vat!"
    html = signed_in.post("/billing/profile/", data, HTTP_HX_REQUEST="true").content.decode()
    assert "Ce numéro de TVA n’est pas valide." in html
    assert "is not a valid VAT number" not in html


def test_an_unknown_message_is_shown_marked(signed_in, monkeypatch):
    def refuse(*args, **kwargs):
        raise errors.ValidationFailed({"username": ["is reserved for the staff"]})

    monkeypatch.setattr("dashboard.upstream.users.user_update", refuse)
    in_french(signed_in)
    html = signed_in.post(
        "/profile/fields/username/", {"username": "staff", "page": "profile"}, HTTP_HX_REQUEST="true"
    ).content.decode()
    assert "La plateforme a répondu (en anglais) : « is reserved for the staff »" in html


def test_a_known_conflict_is_explained(signed_in, monkeypatch):
    def refuse(*args, **kwargs):
        raise errors.Conflict("Cannot delete an account that still owns applications")

    monkeypatch.setattr("dashboard.upstream.users.user_update", refuse)
    html = signed_in.post(
        "/profile/fields/username/", {"username": "someone-new", "page": "profile"}, HTTP_HX_REQUEST="true"
    ).content.decode()
    assert "This account still owns applications. Delete them or transfer them to someone else first." in html
    assert "Cannot delete an account" not in html


def test_payment_history_labels_follow_the_language(signed_in):
    english = signed_in.get("/billing/").content.decode()
    assert re.search(rf"<td[^>]*>Invoice for ({EN_MONTHS}) \d{{4}}</td>", english)
    french = in_french(signed_in).get("/billing/").content.decode()
    assert re.search(rf"<td[^>]*>Facture de ({FR_MONTHS}) \d{{4}}</td>", french)
    assert "Invoice for" not in french


def test_invoice_lines_follow_the_language(signed_in):
    invoices = signed_in.get("/invoices/").content.decode()
    invoice_path = re.search(r'href="(/invoices/[0-9a-f-]{36}/)"', invoices)[1]
    english = signed_in.get(invoice_path).content.decode()
    assert re.search(r"<td[^>]*>Containers runtime</td>", english)
    assert re.search(r"<td[^>]*>Containers web, size [SML]</td>", english)
    french = in_french(signed_in).get(invoice_path).content.decode()
    assert re.search(r"<td[^>]*>Exécution des conteneurs</td>", french)
    assert re.search(r"<td[^>]*>Conteneurs web, taille [SML]</td>", french)
    assert "Containers Runtime" not in french
    assert "type: web" not in french


def test_the_suspension_reason_follows_the_language(signed_in_as):
    client = signed_in_as("suspended")
    english = client.get("/").content.decode()
    assert "Reason: an invoice unpaid for 5 days." in english
    french = in_french(client).get("/").content.decode()
    assert "une facture impayée depuis 5 jours" in french
    assert "Invoice unpaid for 5 days" not in french
    assert "Invoice unpaid for 5 days" not in in_french(client).get("/profile/").content.decode()
