"""What the platform says, in words a person can act on, in the active language.

The platform answers in English: Rails-style validation messages under a field (``"has already
been taken"``), a few error sentences, billing-operation labels (``"Invoice for November 2026"``)
and suspension reasons. This module is the one place that maps its text to ours: a small catalogue
keyed on the platform's message, and on the field where the same words call for different advice.
Anything not in the catalogue is shown as sent, marked as the platform's own words in English.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime

from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.translation import get_language, gettext_lazy, ngettext
from django.utils.translation import gettext as _

_REQUEST_SHAPE = gettext_lazy(
    "The platform could not read what the dashboard sent. Nothing was changed; reload the page and try again."
)

# (field or None, the platform's message in lower case, without a final period) → our sentence.
# A field of None is the advice for that message under any field the catalogue does not name.
FIELD_MESSAGES: dict[tuple[str | None, str], Promise] = {
    ("email", "has already been taken"): gettext_lazy(
        "This email is already used by another account. Use another one."
    ),
    ("username", "has already been taken"): gettext_lazy("This username is already taken. Choose another one."),
    ("content", "has already been taken"): gettext_lazy(
        "This SSH key is already registered. Add another key, or remove the registered one first."
    ),
    ("name", "has already been taken"): gettext_lazy("This name is already used. Choose another one."),
    (None, "has already been taken"): gettext_lazy("This value is already used. Choose another one."),
    ("email", "is invalid"): gettext_lazy(
        "This email address is not valid. Type it in full, such as name@example.com."
    ),
    ("current_password", "is invalid"): gettext_lazy("This is not your current password. Type it again."),
    ("attempt", "is invalid"): gettext_lazy(
        "This code is not right. Type the current code from your authenticator app."
    ),
    ("token", "is invalid"): gettext_lazy(
        "This confirmation link is no longer valid. Ask for a new one and use the latest email."
    ),
    ("vat_number", "is invalid"): gettext_lazy(
        "This VAT number is not valid. Type the country code then the number, such as FR12345678901."
    ),
    (None, "is not a valid vat number"): gettext_lazy(
        "This VAT number is not valid. Type the country code then the number, such as FR12345678901."
    ),
    (None, "is invalid"): gettext_lazy("This value is not valid. Check it and type it again."),
    ("email", "can't be blank"): gettext_lazy("Type an email address."),
    ("name", "can't be blank"): gettext_lazy("Give it a name."),
    ("content", "can't be blank"): gettext_lazy("Paste the public key: the whole line of your .pub file."),
    ("attempt", "can't be blank"): gettext_lazy("Type the code from your authenticator app."),
    (None, "can't be blank"): gettext_lazy("This field is required. Fill it in."),
    (None, "missing field"): gettext_lazy("This field is required. Fill it in."),
    (None, "is not a number"): gettext_lazy("Type a number, with digits only."),
    (None, "is not included in the list"): gettext_lazy("This choice is not offered. Choose one from the list."),
    ("tos_accepted", "must be accepted"): gettext_lazy("Accept the terms of service to go on."),
    (None, "must be accepted"): gettext_lazy("Tick this box to go on."),
    (None, "is too long"): gettext_lazy("This is too long. Shorten it."),
    (None, "is too short"): gettext_lazy("This is too short. Make it longer."),
    ("password_confirmation", "doesn't match password"): gettext_lazy(
        "The two new passwords are different. Type the same password twice."
    ),
    (
        "password",
        "cannot be set here: this account was created with github; use the password reset",
    ): gettext_lazy(
        "This account signs in with GitHub, so it has no password to change here. Sign out, then use "
        "“Forgot your password?” with the email of your GitHub account."
    ),
    (
        "username",
        "should contain only lowercase letters, digits, hyphens and underscores (2 to 49)",
    ): gettext_lazy(
        "Use 2 to 49 lower-case letters, digits, hyphens or underscores, starting with a letter or a digit."
    ),
    (None, "should contain only lowercap letters, digits and hyphens"): gettext_lazy(
        "Use only lower-case letters, digits and hyphens."
    ),
    (None, "should be a date formatted as yyyy-mm-dd"): gettext_lazy(
        "This date is not valid. Type it as YYYY-MM-DD, such as 2026-11-30."
    ),
    ("from", "should be before to"): gettext_lazy("The start date must come before the end date. Swap them."),
    (None, "should be stripe or paypal"): gettext_lazy(
        "Choose a card or SEPA debit (Stripe), or PayPal, as the payment method."
    ),
    ("tfa", "is already enabled"): gettext_lazy(
        "Two-factor authentication is already on for this account. Reload the page."
    ),
    ("tfa", "is not enabled"): gettext_lazy("Two-factor authentication is already off for this account."),
    ("tfa", "enrolment not started: post /client/tfa first"): gettext_lazy(
        "The set-up of two-factor authentication was not started or has expired. Start it again."
    ),
    ("provider", "is not supported (only totp)"): gettext_lazy(
        "Only authenticator apps (TOTP codes) are supported for two-factor authentication."
    ),
    # Answers to a request the dashboard itself shaped wrongly: nothing the person typed is at fault.
    (None, "should be a string"): _REQUEST_SHAPE,
    (None, "should be an object"): _REQUEST_SHAPE,
    (None, "should be true or false"): _REQUEST_SHAPE,
    (None, "fields should be strings or null"): _REQUEST_SHAPE,
    (None, "must be a positive integer"): _REQUEST_SHAPE,
    ("profile", "already exists: update it with put /profiles/:id"): gettext_lazy(
        "This account already has a billing profile. Reload the page to edit it."
    ),
}


def _too_short(field: str | None, match: re.Match[str]) -> str:
    count = int(match[1])
    if field == "password":
        return ngettext(
            "This password is too short. Use at least %(count)d character.",
            "This password is too short. Use at least %(count)d characters.",
            count,
        ) % {"count": count}
    return ngettext(
        "This is too short. Use at least %(count)d character.",
        "This is too short. Use at least %(count)d characters.",
        count,
    ) % {"count": count}


def _too_long(field: str | None, match: re.Match[str]) -> str:
    count = int(match[1])
    return ngettext(
        "This is too long. Use at most %(count)d character.",
        "This is too long. Use at most %(count)d characters.",
        count,
    ) % {"count": count}


def _wrong_length(field: str | None, match: re.Match[str]) -> str:
    count = int(match[1])
    return ngettext(
        "This must be exactly %(count)d character long.",
        "This must be exactly %(count)d characters long.",
        count,
    ) % {"count": count}


def _bad_public_key(field: str | None, match: re.Match[str]) -> str:
    return _(
        "This is not a valid SSH public key. Paste the whole line of your .pub file, "
        "such as “ssh-ed25519 AAAA… you@laptop”."
    )


def _key_type(field: str | None, match: re.Match[str]) -> str:
    return _("This type of key (%(type)s) is not accepted. Use an Ed25519 key, or an RSA or ECDSA key.") % {
        "type": match[1]
    }


# Messages that carry a number or a detail: (pattern on the lower-cased message, its sentence).
FIELD_PATTERNS: list[tuple[re.Pattern[str], Callable[[str | None, re.Match[str]], str]]] = [
    (re.compile(r"is too short \(minimum is (\d+) characters?\)"), _too_short),
    (re.compile(r"is too long \(maximum is (\d+) characters?\)"), _too_long),
    (re.compile(r"is the wrong length \(should be (\d+) characters?\)"), _wrong_length),
    (re.compile(r"is not a valid public key( \(.*\))?"), _bad_public_key),
    (re.compile(r"has an unsupported key type \((.{1,40})\)"), _key_type),
]

# Sentences the platform sends as ``{"error": "…"}`` (§5 of the contract, and the sandbox's own).
ERRORS: dict[str, Promise] = {
    "cannot delete project with existing apps": gettext_lazy(
        "This project still has apps. Delete its apps or move them to another project first."
    ),
    "cannot delete an account that still owns applications": gettext_lazy(
        "This account still owns applications. Delete them or transfer them to someone else first."
    ),
    "only the owner can delete this application": gettext_lazy(
        "Only the owner of this application can delete it. Ask them, or leave the application instead."
    ),
    "sorry, you need to verify your account (billing profile and payment card) to create a new app": gettext_lazy(
        "Add a billing profile and a payment card to your account first, then try again."
    ),
    "internal error occured, we're on it!": gettext_lazy(
        "The platform had an internal error. Nothing was changed; try again in a moment."
    ),
    "upstream provider returned an error, please retry later": gettext_lazy(
        "A service the platform relies on returned an error. Try again in a moment."
    ),
    "retry later": gettext_lazy("The platform is receiving too many requests. Wait a minute and try again."),
}


def _key(message: str) -> str:
    return " ".join(message.strip().rstrip(".").split()).lower()


def unknown(message: str) -> str:
    """The platform's words as sent, marked as such: better than hiding what it said."""
    return _("The platform said (in English): “%(message)s”") % {"message": message.strip()}


def field_error(field: str | None, message: str, *, apart: bool = False) -> str:
    """A 422 message about ``field`` (the platform's field name), as a sentence saying what to do.
    ``apart``: shown away from any input, so an unknown message keeps its field's name."""
    key = _key(message)
    known = FIELD_MESSAGES.get((field, key)) or FIELD_MESSAGES.get((None, key))
    if known is not None:
        return str(known)
    for pattern, sentence in FIELD_PATTERNS:
        match = pattern.fullmatch(key)
        if match:
            return sentence(field, match)
    return unknown(f"{field.replace('_', ' ')} {message}" if apart and field else message)


def field_errors(errors: dict[str, list[str]]) -> str:
    """Every message of a 422, one sentence each, for a place that shows them together."""
    return " ".join(
        field_error(field, message, apart=True) for field, messages in errors.items() for message in messages
    )


def known_error(message: str) -> str | None:
    """Our sentence for one the platform sent as ``{"error": "…"}``, or None when it is not known."""
    known = ERRORS.get(_key(message))
    return str(known) if known is not None else None


def error(message: str) -> str:
    """A sentence the platform sent as ``{"error": "…"}``; unknown ones as sent, marked."""
    return known_error(message) or unknown(message)


_UNPAID_FOR_DAYS = re.compile(r"invoice unpaid for (\d+) days?")


def suspension_reason(reason: str) -> str:
    """The reason of a suspension, as a phrase that fits "Reason: %(reason)s." (no final period)."""
    match = _UNPAID_FOR_DAYS.fullmatch(_key(reason))
    if match:
        days = int(match[1])
        return ngettext("an invoice unpaid for %(days)d day", "an invoice unpaid for %(days)d days", days) % {
            "days": days
        }
    return _("“%(reason)s” (the platform's words, in English)") % {"reason": reason.strip().rstrip(".")}


MONTHS = {
    name: number
    for number, name in enumerate(
        (
            "january",
            "february",
            "march",
            "april",
            "may",
            "june",
            "july",
            "august",
            "september",
            "october",
            "november",
            "december",
        ),
        start=1,
    )
}
_INVOICE_FOR = re.compile(r"invoice for ([a-z]+) (\d{4})")


def unknown_label(label: str) -> str:
    """A label the catalogue does not know, as sent; outside English, marked as English."""
    text = label.strip()
    if not text or (get_language() or "en").startswith("en"):
        return text
    return _("%(label)s (in English)") % {"label": text}


def operation_label(description: str) -> str:
    """A billing operation's label. ``Invoice for <Month> <Year>`` is rebuilt from its month in the
    active language; any other label is shown as sent, marked as English."""
    match = _INVOICE_FOR.fullmatch(_key(description))
    if match and match[1] in MONTHS:
        month = date(int(match[2]), MONTHS[match[1]], 1)
        return _("Invoice for %(month)s") % {"month": date_format(month, "YEAR_MONTH_FORMAT")}
    return unknown_label(description)


_FREE_TRIAL = re.compile(r"Free Trial (\d{4}-\d\d-\d\d \d\d:\d\d) -> (\d{4}-\d\d-\d\d \d\d:\d\d)")
_CONTAINERS = re.compile(r"Containers - type: ?(\S+?)-? size: ?(\S+)")
_ADDON = re.compile(r"Addon - (.+?) - (.+)")


def invoice_item_label(label: str) -> str:
    """An invoice line's label (§3.4: ``Containers Runtime``, ``Free Trial <start> -> <end>``,
    ``Containers - type: web- size: S``…) in the active language; unknown ones as sent, marked."""
    text = " ".join(label.split())
    if text == "Containers Runtime":
        return _("Containers runtime")
    if text == "Addons":
        return _("Addons")
    if match := _FREE_TRIAL.fullmatch(text):
        start, end = (datetime.strptime(value, "%Y-%m-%d %H:%M") for value in match.groups())
        return _("Free trial, from %(start)s to %(end)s") % {
            "start": date_format(start, "DATETIME_FORMAT"),
            "end": date_format(end, "DATETIME_FORMAT"),
        }
    if match := _CONTAINERS.fullmatch(text):
        return _("Containers %(type)s, size %(size)s") % {"type": match[1], "size": match[2]}
    if match := _ADDON.fullmatch(text):
        return _("Addon %(provider)s, plan %(plan)s") % {"provider": match[1], "plan": match[2]}
    return unknown_label(label)
