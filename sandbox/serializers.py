"""Model → JSON in the contract's field names, types and units."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from babel import Locale
from django.http import HttpRequest
from django.urls import reverse

from sandbox import behaviours
from sandbox.models import (
    ApiToken,
    App,
    BillingOperation,
    BillingProfile,
    ContainerSize,
    Event,
    Invoice,
    SshKey,
    User,
)

_PARIS = ZoneInfo("Europe/Paris")

PREFERENCE_DEFAULTS: dict[str, Any] = {
    "time_zone": "Europe/Paris",
    "locale": "en",
    "stream_logs": True,
    "sticky_search": False,
    "app_sort_key": "name",
    "theme": "light",
    "logs_font_size": 14,
}


def iso(value: datetime | None) -> str | None:
    """UTC with milliseconds and ``Z``: ``2016-06-02T17:07:39.000Z``."""
    if value is None:
        return None
    return value.astimezone(ZoneInfo("UTC")).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def iso_paris(value: datetime) -> str:
    """Paris offset, as billing operations are published: ``2016-09-01T15:02:09.013+02:00``."""
    return value.astimezone(_PARIS).isoformat(timespec="milliseconds")


def euros(value: Decimal | int) -> float:
    return float(Decimal(value))


ODD_USER_FIELDS = behaviours.register(
    "user-odd-types",
    "The user carries odd types in fields nobody needs to sign in: referral_clicks a non-numeric "
    "string, flags a string, limits a list, created_at null, free_trial_started_at unreadable.",
)
_ODD_USER_VALUES = {
    "referral_clicks": "a lot",
    "flags": "beta-tester",
    "limits": ["free_trial_apps", "10"],
    "created_at": None,
    "free_trial_started_at": "last spring",
}


def user_json(user: User) -> dict[str, Any]:
    data = _user_json(user)
    if behaviours.active(ODD_USER_FIELDS):
        data.update(_ODD_USER_VALUES)
    return data


def _user_json(user: User) -> dict[str, Any]:
    return {
        "id": user.id,
        "uuid": user.id,
        "email": user.email,
        "username": user.username,
        "fullname": user.fullname,
        "company": user.company,
        "location": user.location,
        "role": user.role,
        "created_at": iso(user.created_at),
        "free_trial_started_at": iso(user.free_trial_started_at),
        "free_trial_end_time": iso(user.free_trial_end_time),
        "suspended_at": iso(user.suspended_at),
        "suspension_reason": user.suspension_reason,
        "tos_accepted": user.tos_accepted,
        "email_newsletter": user.email_newsletter,
        "referral_url": f"https://sclng.io/r/{user.referral_code}",
        "referral_clicks": user.referral_clicks,
        "flags": user.flags,
        "limits": user.limits,
        "github": user.github,
        "profile_valid": bool(user.fullname),
        "confirmed": user.confirmed,
        "unconfirmed_email": user.unconfirmed_email,
        "preferences": {**PREFERENCE_DEFAULTS, **user.preferences},
        "contracts": [],
        "new_contracts": [],
    }


def owner_json(user: User) -> dict[str, Any]:
    return {"id": user.object_id, "username": user.username, "email": user.email}


def token_json(token: ApiToken, secret: str | None = None) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": token.id,
        "name": token.name,
        "created_at": iso(token.created_at),
        "last_used_at": iso(token.last_used_at),
        "issued_at": iso(token.issued_at),
    }
    if secret is not None:
        data["token"] = secret
    return data


def key_json(key: SshKey) -> dict[str, Any]:
    return {
        "id": key.id,
        "name": key.name,
        "content": key.content,
        "fingerprint": key.fingerprint,
        "created_at": iso(key.created_at),
        "owner": owner_json(key.user),
    }


def app_json(app: App, request: HttpRequest) -> dict[str, Any]:
    return {
        "id": app.id,
        "name": app.name,
        "region": app.region,
        "status": app.status,
        "url": f"https://{app.name}.{app.region}.scalingo.io",
        "git_url": f"git@ssh.{app.region}.scalingo.com:{app.name}.git",
        "created_at": iso(app.created_at),
        "updated_at": iso(app.updated_at),
        "owner": owner_json(app.owner),
        "project": {"id": app.project_id, "name": app.project_name},
    }


def stripe_json(stripe: dict[str, Any] | None) -> dict[str, Any] | None:
    if stripe is None:
        return None
    keys = (
        "id",
        "default_card_last4",
        "default_card_exp",
        "default_card_brand",
        "default_card_name",
        "sepa_bank_code",
        "sepa_country",
        "sepa_last4",
        "sepa_mandate_reference",
        "sepa_mandate_url",
    )
    return {key: stripe.get(key) for key in keys}


COUNTRY_NAME = behaviours.register(
    "billing-country-name",
    "The billing profile's address_country comes back as an English name (France), as the "
    "documentation's example shows, instead of the ISO code (FR) the official client sends.",
)


def _country(stored: str) -> str:
    """The ISO code the platform keeps (the seed and older writes may hold a name), or, with the
    variant on, its English name."""
    names = {code: name for code, name in Locale("en").territories.items() if len(code) == 2}
    code = (
        stored.upper()
        if stored.upper() in names
        else next((c for c, name in names.items() if name.casefold() == stored.strip().casefold()), stored)
    )
    return names.get(code, code) if behaviours.active(COUNTRY_NAME) else code


def profile_json(profile: BillingProfile) -> dict[str, Any]:
    return {
        "id": profile.id,
        "name": profile.name,
        "email": profile.email,
        "company": profile.company,
        "address_line1": profile.address_line1,
        "address_line2": profile.address_line2,
        "address_city": profile.address_city,
        "address_zip": profile.address_zip,
        "address_state": profile.address_state,
        "address_country": _country(profile.address_country),
        "vat_number": profile.vat_number,
        "invoice_additional_info": profile.invoice_additional_info,
        "credit": euros(profile.credit),
        "payment_method": profile.payment_method or None,
        "stripe_payment_method": stripe_json(profile.stripe),
        "paypal_payment_method": profile.paypal,
        "flags": profile.flags,
    }


def invoice_pdf_url(request: HttpRequest, invoice: Invoice) -> str:
    from sandbox.views.files import files_url  # the file host's views import this module

    return files_url(request, reverse("sandbox-invoice-pdf", args=[invoice.id]))


def invoice_json(invoice: Invoice, request: HttpRequest) -> dict[str, Any]:
    return {
        "id": invoice.id,
        "invoice_number": invoice.invoice_number,
        "billing_month": invoice.billing_month.isoformat(),
        "state": invoice.state,
        "vat_rate": invoice.vat_rate,
        "total_price": invoice.total_price,
        "total_price_with_vat": invoice.total_price_with_vat,
        "pdf_url": invoice_pdf_url(request, invoice),
        "items": invoice.items,
        "detailed_items": invoice.detailed_items,
        "created_at": iso(invoice.created_at),
    }


def operation_json(operation: BillingOperation, request: HttpRequest) -> dict[str, Any]:
    invoice = operation.invoice
    return {
        "id": operation.id,
        "created_at": iso_paris(operation.created_at),
        "amount": euros(operation.amount),
        "source": operation.source,
        "description": operation.description,
        "invoice_id": invoice.id if invoice else None,
        "invoice_url": invoice_pdf_url(request, invoice) if invoice else None,
    }


def custom_size_json(size: ContainerSize) -> dict[str, Any]:
    from sandbox.catalog_data import per_minute, pricings, thirtydays_cents

    return {
        "id": size.id,
        "name": size.name,
        "human_name": size.human_name,
        "ordinal": size.ordinal,
        "hourly_price": size.hourly_price,
        "thirtydays_price": thirtydays_cents(size.hourly_price),
        "memory": size.memory,
        "swap": size.swap,
        "human_cpu": size.human_cpu,
        "pids_limit": size.pids_limit,
        "sku": size.sku,
        "pricings": pricings(per_minute(thirtydays_cents(size.hourly_price))),
    }


def event_json(event: Event) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": event.id,
        "created_at": iso(event.created_at),
        "type": event.type,
        "type_data": event.type_data,
        "user": {
            "id": event.user.id,
            "username": event.user.username,
            "email": event.user.email,
        },
    }
    if event.app_id:
        data["app_id"] = event.app_id
        data["app_name"] = event.app_name
    return data


def month_label(value: date) -> str:
    return f"{value.month}/{value.year}"
