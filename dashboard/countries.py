"""Billing countries: ISO 3166 alpha-2 codes (what the platform's own client sends, ``FR``, ``DE``),
their names in the active language (CLDR data from Babel), and the VAT number format of each.

The platform's documentation shows ``address_country`` as a name (``France``) while scalingo.js
sends codes, so a stored value is read either way: a code, or a name in English or French.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

from babel import Locale, UnknownLocaleError

# Names are looked up in these languages when the platform sends a name instead of a code.
NAME_LANGUAGES = ("en", "fr")

# CLDR territories that are not countries a billing address can be in.
_NOT_COUNTRIES = frozenset({"EU", "EZ", "UN", "QO", "ZZ", "XA", "XB"})

# EU VAT numbers (VIES formats) and the few others customers commonly give, by VAT prefix: the
# country code, except Greece (EL). The part after the prefix, spaces, dots and dashes removed.
VAT_FORMATS: dict[str, str] = {
    "AT": r"U\d{8}",
    "BE": r"[01]\d{9}",
    "BG": r"\d{9,10}",
    "CY": r"\d{8}[A-Z]",
    "CZ": r"\d{8,10}",
    "DE": r"\d{9}",
    "DK": r"\d{8}",
    "EE": r"\d{9}",
    "EL": r"\d{9}",
    "ES": r"[A-Z0-9]\d{7}[A-Z0-9]",
    "FI": r"\d{8}",
    "FR": r"[A-HJ-NP-Z0-9]{2}\d{9}",
    "HR": r"\d{11}",
    "HU": r"\d{8}",
    "IE": r"\d{7}[A-W][A-I]?|\d[A-Z+*]\d{5}[A-W]",
    "IT": r"\d{11}",
    "LT": r"\d{9}|\d{12}",
    "LU": r"\d{8}",
    "LV": r"\d{11}",
    "MT": r"\d{8}",
    "NL": r"\d{9}B\d{2}",
    "PL": r"\d{10}",
    "PT": r"\d{9}",
    "RO": r"\d{2,10}",
    "SE": r"\d{10}01",
    "SI": r"\d{8}",
    "SK": r"\d{10}",
    "GB": r"\d{9}|\d{12}|GD\d{3}|HA\d{3}",
    "CH": r"E\d{9}(?:MWST|TVA|IVA)?",
    "NO": r"\d{9}(?:MVA)?",
}
_VAT_PREFIX = {"GR": "EL"}


def _language(language: str) -> str:
    return (language or "en").split("-")[0].split("_")[0].lower()


@cache
def _territories(language: str) -> dict[str, str]:
    try:
        names = Locale.parse(_language(language)).territories
    except (UnknownLocaleError, ValueError):
        names = Locale("en").territories
    return {
        code: name for code, name in names.items() if re.fullmatch(r"[A-Z]{2}", code) and code not in _NOT_COUNTRIES
    }


def _folded(text: str) -> str:
    """``Côte d’Ivoire`` and ``cote d'ivoire`` meet: no accents, no case, one kind of apostrophe."""
    decomposed = unicodedata.normalize("NFKD", text.replace("’", "'"))
    return " ".join("".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold().split())


@cache
def _codes_by_name() -> dict[str, str]:
    found: dict[str, str] = {}
    for language in NAME_LANGUAGES:
        for code, name in _territories(language).items():
            found.setdefault(_folded(name), code)
    return found


@cache
def choices(language: str) -> list[tuple[str, str]]:
    """``(code, name)`` for every country, named and sorted in ``language``."""
    names = _territories(language)
    return sorted(names.items(), key=lambda item: _folded(item[1]))


def code_of(value: str | None) -> str | None:
    """The ISO code for a stored value that is a code (``FR``, ``fr``) or a name (``France``,
    ``Allemagne``); None when it is neither."""
    text = (value or "").strip()
    if not text:
        return None
    if re.fullmatch(r"[A-Za-z]{2}", text) and text.upper() in _territories("en"):
        return text.upper()
    return _codes_by_name().get(_folded(text))


def name_of(code: str | None, language: str) -> str:
    """The country's name in ``language``; an unknown value is shown as it came."""
    if not code:
        return ""
    known = code_of(code)
    return _territories(language).get(known, code) if known else code


def vat_normalized(value: str) -> str:
    return re.sub(r"[\s.\-]", "", value).upper()


def vat_prefix(country: str) -> str:
    return _VAT_PREFIX.get(country, country)


def vat_problem(value: str, country: str | None) -> str | None:
    """Why ``value`` is not a VAT number of ``country`` (``"prefix"`` or ``"format"``), or None when
    it looks right or the country's format is not one we know."""
    if not value or not country:
        return None
    prefix = vat_prefix(country)
    pattern = VAT_FORMATS.get(prefix)
    if pattern is None:
        return None
    number = vat_normalized(value)
    if not number.startswith(prefix):
        return "prefix"
    if not re.fullmatch(pattern, number[len(prefix) :]):
        return "format"
    return None
