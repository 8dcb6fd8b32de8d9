"""The one way from an upstream failure to what a person reads (``upstream_message`` and the
wordings the apps give it), and the one way a 422 lands under a form's fields (``add_field_errors``):
fixed sentences, in English and in French."""

from __future__ import annotations

import pytest
from django import forms
from django.utils import translation
from django.utils.translation import gettext_lazy

from accounts.views import SIGN_IN
from billing.views import DOWNLOAD, SAVE
from dashboard.feedback import CHANGE, Wording, add_field_errors, upstream_message
from dashboard.upstream import downloads, errors

UNREACHABLE_EN = "The platform API cannot be reached right now. Nothing was changed; please try again in a moment."
UNREACHABLE_FR = (
    "L’API de la plateforme est injoignable pour le moment. Rien n’a été modifié ; réessayez dans un instant."
)
BUSY_EN = "The platform is receiving too many requests from this account. Wait a minute and try again."
BUSY_FR = "La plateforme reçoit trop de requêtes de ce compte. Patientez une minute puis réessayez."


def in_language(
    language: str, failure: errors.UpstreamError, *, wording: Wording = CHANGE, deadline_seconds: int | None = None
) -> str:
    with translation.override(language):
        return upstream_message(failure, wording=wording, deadline_seconds=deadline_seconds)


# A change on the platform (the default wording) ----------------------------------------------------


@pytest.mark.parametrize(
    ("failure", "english", "french"),
    [
        (
            errors.RateLimited(retry_after_seconds=30),
            "The platform is receiving too many requests from this account. It asked to wait 30 seconds: "
            "try again then.",
            "La plateforme reçoit trop de requêtes de ce compte. Elle demande d’attendre 30 secondes : "
            "réessayez ensuite.",
        ),
        (
            errors.RateLimited(retry_after_seconds=1),
            "The platform is receiving too many requests from this account. It asked to wait 1 second: try again then.",
            "La plateforme reçoit trop de requêtes de ce compte. Elle demande d’attendre 1 seconde : "
            "réessayez ensuite.",
        ),
        (errors.RateLimited(), BUSY_EN, BUSY_FR),
        (
            errors.NotFound(),
            "The platform no longer knows this item: it may have been removed elsewhere. Reload the page.",
            "La plateforme ne connaît plus cet élément : il a peut-être été supprimé ailleurs. Rechargez la page.",
        ),
        (
            errors.Conflict("Cannot delete project with existing apps."),
            "This project still has apps. Delete its apps or move them to another project first.",
            "Ce projet contient encore des applications. Supprimez-les ou déplacez-les d’abord vers un autre projet.",
        ),
        (
            errors.Conflict("the moon is full"),
            "The platform refused this change because of the account's current state. "
            "The platform said (in English): “the moon is full”",
            "La plateforme a refusé cette modification en raison de l’état actuel du compte. "
            "La plateforme a répondu (en anglais) : « the moon is full »",
        ),
        (
            errors.Conflict(),
            "The platform refused this change because of the account's current state.",
            "La plateforme a refusé cette modification en raison de l’état actuel du compte.",
        ),
        (
            errors.Forbidden("the moon is full"),
            "The platform does not allow this change for this account.",
            "La plateforme n’autorise pas cette modification pour ce compte.",
        ),
        (
            errors.PaymentRequired(),
            "The platform does not allow this change for this account.",
            "La plateforme n’autorise pas cette modification pour ce compte.",
        ),
        (
            errors.BadRequest(),
            "The platform could not read this request. Nothing was changed.",
            "La plateforme n’a pas pu lire cette requête. Rien n’a été modifié.",
        ),
        (
            errors.ValidationFailed({"email": ["has already been taken"]}),
            "This email is already used by another account. Use another one.",
            "Cette adresse e-mail est déjà utilisée par un autre compte. Utilisez-en une autre.",
        ),
        (
            errors.RequestRefused(),
            "The platform refused the credentials given with this change. Nothing was changed.",
            "La plateforme a refusé les identifiants fournis avec cette modification. Rien n’a été modifié.",
        ),
        (
            errors.MalformedResponse("not JSON"),
            "The platform sent an answer we could not read. Reload the page to see whether the change was made.",
            "La plateforme a envoyé une réponse que nous n’avons pas pu lire. Rechargez la page pour voir si la "
            "modification a été faite.",
        ),
        (errors.ServerError("502"), UNREACHABLE_EN, UNREACHABLE_FR),
        (errors.UpstreamTimeout(), UNREACHABLE_EN, UNREACHABLE_FR),
        (errors.UpstreamConnectionError(), UNREACHABLE_EN, UNREACHABLE_FR),
    ],
)
def test_it_says_a_failed_change_in_english_and_french(failure, english, french):
    assert in_language("en", failure) == english
    assert in_language("fr", failure) == french


def test_it_never_repeats_a_secret_the_failure_carries():
    failure = errors.ServerError("token tk-us-SECRET refused")
    assert "SECRET" not in in_language("en", failure)
    assert "SECRET" not in in_language("fr", failure)


# What an action's wording changes ------------------------------------------------------------------


def test_a_wording_without_a_sentence_for_a_failure_says_it_as_unreachable():
    terse = Wording(unreachable=gettext_lazy("Nothing was saved."), busy=gettext_lazy("Too many requests."))
    assert in_language("en", errors.NotFound(), wording=terse) == "Nothing was saved."
    assert in_language("en", errors.ValidationFailed({"email": ["is invalid"]}), wording=terse) == "Nothing was saved."
    # No plural for the wait: the platform's wait is left out, the busy sentence stays.
    assert in_language("en", errors.RateLimited(retry_after_seconds=30), wording=terse) == "Too many requests."
    # Without ``platform_words`` a known platform sentence is not used either.
    assert in_language("en", errors.Conflict("Cannot delete project with existing apps."), wording=terse) == (
        "Nothing was saved."
    )


@pytest.mark.parametrize(
    ("failure", "english", "french"),
    [
        (errors.RateLimited(retry_after_seconds=30), BUSY_EN, BUSY_FR),
        (
            errors.MalformedResponse(),
            "The platform sent an answer we could not read, so you are not signed in. Please try again later.",
            "La plateforme a envoyé une réponse que nous n’avons pas pu lire : vous n’êtes donc pas connecté. "
            "Réessayez plus tard.",
        ),
        (errors.NotFound(), UNREACHABLE_EN, UNREACHABLE_FR),
        (errors.ServerError(), UNREACHABLE_EN, UNREACHABLE_FR),
    ],
)
def test_it_says_a_failed_sign_in(failure, english, french):
    assert in_language("en", failure, wording=SIGN_IN) == english
    assert in_language("fr", failure, wording=SIGN_IN) == french


@pytest.mark.parametrize(
    ("failure", "english", "french"),
    [
        (
            errors.Conflict("Cannot delete project with existing apps."),
            "The platform refused the change. Nothing was saved.",
            "La plateforme a refusé la modification. Rien n’a été enregistré.",
        ),
        (
            errors.Forbidden(),
            "The platform refused the change. Nothing was saved.",
            "La plateforme a refusé la modification. Rien n’a été enregistré.",
        ),
        (
            errors.PaymentRequired(),
            "The platform API cannot be reached right now. Nothing was saved; please try again in a moment.",
            "L’API de la plateforme est injoignable pour le moment. Rien n’a été enregistré ; réessayez dans un "
            "instant.",
        ),
    ],
)
def test_it_says_a_failed_billing_profile_save(failure, english, french):
    assert in_language("en", failure, wording=SAVE) == english
    assert in_language("fr", failure, wording=SAVE) == french


@pytest.mark.parametrize(
    ("failure", "english", "french"),
    [
        (
            downloads.DownloadRefused("too many", host="files.example:443", reason="redirects"),
            "The platform's file host sent the download through too many redirects, so it was stopped. "
            "Please try again later, or download the PDF from the platform's own dashboard.",
            "L’hébergeur de fichiers de la plateforme a renvoyé le téléchargement de redirection en redirection "
            "(trop de redirections) : il a été arrêté. Réessayez plus tard, ou téléchargez le PDF depuis le "
            "tableau de bord de la plateforme.",
        ),
        (
            downloads.DownloadRefused("private", host="10.0.0.1:443", reason="address"),
            "The platform sent the download to a host this dashboard is not allowed to contact, so nothing was "
            "fetched. Please download the PDF from the platform's own dashboard, and tell this dashboard's "
            "operator.",
            "La plateforme a envoyé le téléchargement vers un hôte que ce tableau de bord n’est pas autorisé à "
            "contacter : rien n’a été récupéré. Téléchargez le PDF depuis le tableau de bord de la plateforme, "
            "et prévenez l’exploitant de ce tableau de bord.",
        ),
        (
            downloads.DownloadTooSlow(),
            "The platform's file host sent the PDF too slowly, so the download was stopped after 20 seconds. "
            "Please try again in a few minutes.",
            "L’hébergeur de fichiers de la plateforme a envoyé le PDF trop lentement : le téléchargement a été "
            "arrêté après 20 secondes. Réessayez dans quelques minutes.",
        ),
        (
            errors.RateLimited(retry_after_seconds=30),
            "Too many requests to the platform: wait a minute, then download the PDF again.",
            "Trop de requêtes vers la plateforme : patientez une minute, puis téléchargez à nouveau le PDF.",
        ),
        (
            errors.UpstreamTimeout(),
            "The invoice PDF could not be fetched from the platform right now. Please try again in a moment.",
            "Le PDF de la facture n’a pas pu être récupéré auprès de la plateforme. Réessayez dans un instant.",
        ),
    ],
)
def test_it_says_a_failed_download_with_its_deadline(failure, english, french):
    assert in_language("en", failure, wording=DOWNLOAD, deadline_seconds=20) == english
    assert in_language("fr", failure, wording=DOWNLOAD, deadline_seconds=20) == french


def test_a_too_slow_download_says_one_second_in_the_singular():
    with translation.override("en"):
        text = upstream_message(downloads.DownloadTooSlow(), wording=DOWNLOAD, deadline_seconds=1)
    assert "stopped after 1 second. Please" in text


# A 422 under the form's fields ----------------------------------------------------------------------


class ProfileForm(forms.Form):
    email = forms.EmailField(required=False)
    new_password = forms.CharField(required=False)


def bound_form() -> ProfileForm:
    form = ProfileForm({"email": "taken@example.com", "new_password": "x"})
    assert form.is_valid()
    return form


@pytest.mark.parametrize(
    ("language", "email_error", "password_error", "apart"),
    [
        (
            "en",
            "This email is already used by another account. Use another one.",
            "This password is too short. Use at least 8 characters.",
            "The platform said (in English): “colour is not a primary one”",
        ),
        (
            "fr",
            "Cette adresse e-mail est déjà utilisée par un autre compte. Utilisez-en une autre.",
            "Ce mot de passe est trop court. Utilisez au moins 8 caractères.",
            "La plateforme a répondu (en anglais) : « colour is not a primary one »",
        ),
    ],
)
def test_it_puts_each_422_message_under_its_field_and_unknown_fields_above_the_form(
    language, email_error, password_error, apart
):
    form = bound_form()
    failure = errors.ValidationFailed(
        {
            "email": ["has already been taken"],
            "password": ["is too short (minimum is 8 characters)"],
            "colour": ["is not a primary one"],
        }
    )
    with translation.override(language):
        add_field_errors(form, failure, fields={"password": "new_password"})
    assert form.errors["email"] == [email_error]
    assert form.errors["new_password"] == [password_error]
    assert form.non_field_errors() == [apart]
    assert "password" not in form.errors
    assert "colour" not in form.errors


def test_without_a_mapping_a_field_the_form_does_not_have_goes_above_it():
    form = bound_form()
    with translation.override("en"):
        add_field_errors(form, errors.ValidationFailed({"password": ["can't be blank"]}))
    assert form.non_field_errors() == ["This field is required. Fill it in."]
    assert "new_password" not in form.errors
