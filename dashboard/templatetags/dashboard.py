"""Formatting for the chosen language (money, numbers, bytes) and the account navigation."""

from __future__ import annotations

import html
import re
from decimal import Decimal

import nh3
from django import template
from django.urls import NoReverseMatch, reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from dashboard import platform_text
from dashboard.money import Money, format_money, format_number

register = template.Library()

NAVIGATION = [
    ("overview", _("Overview")),
    ("accounts:profile", _("Profile")),
    ("accounts:authentication", _("Authentication")),
    ("accounts:ssh_keys", _("SSH keys")),
    ("accounts:api_tokens", _("API tokens")),
    ("billing:billing", _("Billing")),
    ("billing:invoices", _("Invoices")),
    ("billing:usage", _("Usage")),
    ("referrals:referrals", _("Referrals")),
    ("activity:activity", _("Activity")),
    ("catalog:catalog", _("Catalog")),
]


@register.simple_tag(takes_context=True)
def navigation(context: template.Context) -> list[dict[str, object]]:
    request = context.get("request")
    path = request.path if request is not None else ""
    entries = []
    for name, label in NAVIGATION:
        try:
            url = reverse(name)
        except NoReverseMatch:
            continue
        active = path == url if name == "overview" else path.startswith(url)
        entries.append({"name": name, "label": label, "url": url, "active": active})
    return entries


# What upstream HTML may keep: text formatting, lists and links. No images, forms, frames,
# scripts, styles or event handlers; only http(s) and mailto links.
BLOCK_TAGS = {"p", "br", "strong", "b", "em", "i", "u", "code", "pre", "ul", "ol", "li", "a", "blockquote", "small"}
INLINE_TAGS = {"strong", "b", "em", "i", "code", "br", "a", "small"}
URL_SCHEMES = {"http", "https", "mailto"}


def _sanitized(text: str, *, inline: bool = False) -> SafeString:
    """Upstream HTML cleaned by nh3 (ammonia) with the allow-list; safe to print as is."""
    cleaned = nh3.clean(
        text,
        tags=INLINE_TAGS if inline else BLOCK_TAGS,
        clean_content_tags={"script", "style"},
        attributes={"a": {"href", "title"}},
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )
    return mark_safe(cleaned.strip())  # noqa: S308 - nh3 output is the allow-listed subset


@register.filter
def sanitize_html(value: str | None) -> SafeString:
    """Upstream HTML (a provider's or plan's description), cleaned with the allow-list above:
    text formatting, lists and links; never scripts, styles, frames or event handlers."""
    return _sanitized(value or "")


@register.filter
def sanitize_inline_html(value: str | None) -> SafeString:
    """Like ``sanitize_html``, for a one-line text: inline formatting and links only."""
    return _sanitized(value or "", inline=True)


@register.filter
def markdown_inline(value: str | None) -> SafeString:
    """Category descriptions are Markdown (§4.2): escape everything, then keep **bold** and *em*."""
    text = html.escape(value or "")
    text = re.sub(r"\*\*(.+?)\*\*", r"<strong>\1</strong>", text)
    text = re.sub(r"(?<![*\w])\*(?!\s)(.+?)(?<!\s)\*(?![*\w])", r"<em>\1</em>", text)
    return _sanitized(text, inline=True)


@register.filter
def money(value: Money | None, precise: bool = False) -> str:
    if value is None:
        return "—"
    return format_money(value, get_language(), precise=bool(precise))


@register.filter
def number(value: Decimal | int | float | None, digits: int | None = None) -> str:
    if value is None:
        return "—"
    return format_number(value, get_language(), digits=digits)


@register.filter
def filesize(value: int | None) -> str:
    """Memory in binary units: 268435456 → "256 MiB" (localised digits)."""
    if value is None:
        return "—"
    size = Decimal(value)
    for unit in ("B", "KiB", "MiB", "GiB", "TiB"):
        if size < 1024 or unit == "TiB":
            digits = 0 if size == size.to_integral_value() else 1
            return f"{format_number(size, get_language(), digits=digits)} {unit}"
        size /= 1024
    return str(value)


@register.filter
def suspension_reason(value: str | None) -> str:
    """The platform's suspension reason in the active language (``Reason: {{ …|suspension_reason }}.``)."""
    return platform_text.suspension_reason(value) if value else ""


@register.filter
def operation_label(value: str | None) -> str:
    """A billing operation's label in the active language ("Invoice for November 2026")."""
    return platform_text.operation_label(value) if value else ""


@register.filter
def invoice_item_label(value: str | None) -> str:
    """An invoice line's label in the active language ("Containers Runtime", "Free Trial …")."""
    return platform_text.invoice_item_label(value) if value else ""
