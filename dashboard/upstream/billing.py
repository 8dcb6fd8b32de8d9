"""Billing reads and writes (upstream-api.md §3.1–3.4): profile, operations, invoices, usage.

Every amount becomes ``Money`` here, with the unit the contract gives for that field (§8.6):
invoice prices are integer cents, usage prices, operation amounts and the credit are euros.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from dashboard.money import Money

from . import errors, parse
from .http import Auth, Host, call

INVOICE_STATES = ("new", "paid", "failed")

# Fields of the billing profile a person can edit (the rest is payment data set up elsewhere).
PROFILE_FIELDS = (
    "name",
    "email",
    "company",
    "address_line1",
    "address_line2",
    "address_city",
    "address_zip",
    "address_state",
    "address_country",
    "vat_number",
    "invoice_additional_info",
)


@dataclass(frozen=True)
class StripePaymentMethod:
    id: str
    card_last4: str | None
    card_exp: date | None  # the first day of the expiry month
    card_brand: str | None
    card_name: str | None
    sepa_bank_code: str | None
    sepa_country: str | None
    sepa_last4: str | None
    sepa_mandate_reference: str | None
    sepa_mandate_url: str | None

    @property
    def is_sepa(self) -> bool:
        return self.sepa_last4 is not None

    @property
    def is_card(self) -> bool:
        return self.card_last4 is not None


@dataclass(frozen=True)
class BillingProfile:
    id: str
    name: str
    email: str
    company: str
    address_line1: str
    address_line2: str
    address_city: str
    address_zip: str
    address_state: str | None
    address_country: str
    vat_number: str
    invoice_additional_info: str
    credit: Money
    payment_method: str | None  # "stripe", "paypal" or None
    stripe: StripePaymentMethod | None
    paypal_id: str | None
    has_paypal: bool

    def editable_values(self) -> dict[str, str]:
        return {name: getattr(self, name) or "" for name in PROFILE_FIELDS}


@dataclass(frozen=True)
class BillingOperation:
    id: str
    created_at: datetime | None
    amount: Money
    source: str
    description: str
    invoice_id: str | None
    # Only when the platform says how its payment went (not in the published example): read as an
    # invoice state, ``paid``, ``failed`` or ``new``.
    status: str | None = None


@dataclass(frozen=True)
class InvoiceItem:
    id: str
    label: str
    price: Money


@dataclass(frozen=True)
class DetailedItem:
    id: str
    label: str
    price: Money
    app: str
    duration_minutes: int | None


@dataclass(frozen=True)
class Invoice:
    id: str
    invoice_number: str
    billing_month: date | None
    state: str
    vat_rate: int  # per mille
    total_price: Money
    total_price_with_vat: Money
    pdf_url: str | None
    items: tuple[InvoiceItem, ...]
    detailed_items: tuple[DetailedItem, ...]
    created_at: datetime | None

    @property
    def vat(self) -> Money:
        return self.total_price_with_vat - self.total_price

    @property
    def needs_action(self) -> bool:
        return self.state == "failed"

    @property
    def awaiting_payment(self) -> bool:
        return self.state == "new"


@dataclass(frozen=True)
class ContainerSizeRef:
    id: str
    name: str
    human_name: str
    human_cpu: str
    memory: int | None
    # Deprecated upstream field (cents), still served: what usage is priced from. Its sibling
    # ``hourly_price`` is a tenth of the charged rate (upstream-api.md §4.3, §8.6), so it is not used.
    thirtydays_price: Money | None = None


@dataclass(frozen=True)
class RuntimeUsage:
    size: ContainerSizeRef
    price: Money
    duration_minutes: int


@dataclass(frozen=True)
class AddonUsage:
    addon_id: str
    provider_name: str
    plan_name: str
    price: Money
    runtime_minutes: int
    status: str
    provisioned_at: datetime | None
    deprovisioned_at: datetime | None
    plan_price: Money | None = None  # per 30 days (deprecated ``plan.price``, euros), still served

    @property
    def active(self) -> bool:
        return self.deprovisioned_at is None


@dataclass(frozen=True)
class AppUsage:
    app: str
    app_id: str
    status: str
    first_month: date | None
    runtimes: tuple[RuntimeUsage, ...]
    addon_usages: tuple[AddonUsage, ...]

    @property
    def runtime_total(self) -> Money:
        return sum((r.price for r in self.runtimes), Money.zero())

    @property
    def addon_total(self) -> Money:
        return sum((a.price for a in self.addon_usages), Money.zero())

    @property
    def total(self) -> Money:
        return self.runtime_total + self.addon_total


# Parsing ---------------------------------------------------------------------------------------


def stripe_from(value: Any) -> StripePaymentMethod | None:
    if value is None:
        return None
    data = parse.obj(value, "stripe_payment_method")
    return StripePaymentMethod(
        id=parse.string(data.get("id")),
        card_last4=parse.optional_string(data.get("default_card_last4")),
        card_exp=parse.month_year(data.get("default_card_exp")),
        card_brand=parse.optional_string(data.get("default_card_brand")),
        card_name=parse.optional_string(data.get("default_card_name")),
        sepa_bank_code=parse.optional_string(data.get("sepa_bank_code")),
        sepa_country=parse.optional_string(data.get("sepa_country")),
        sepa_last4=parse.optional_string(data.get("sepa_last4")),
        sepa_mandate_reference=parse.optional_string(data.get("sepa_mandate_reference")),
        sepa_mandate_url=parse.protocol_relative(data.get("sepa_mandate_url")),
    )


def profile_from(value: Any) -> BillingProfile:
    data = parse.obj(value, "billing_profile")
    paypal = data.get("paypal_payment_method")
    paypal_id = None
    if isinstance(paypal, dict):
        paypal_id = parse.optional_string(paypal.get("id"))
    elif paypal is not None:
        raise errors.MalformedResponse("expected an object for paypal_payment_method")
    return BillingProfile(
        id=parse.string(data.get("id")),
        name=parse.string(data.get("name")),
        email=parse.string(data.get("email")),
        company=parse.string(data.get("company")),
        address_line1=parse.string(data.get("address_line1")),
        address_line2=parse.string(data.get("address_line2")),
        address_city=parse.string(data.get("address_city")),
        address_zip=parse.string(data.get("address_zip")),
        address_state=parse.optional_string(data.get("address_state")),
        address_country=parse.string(data.get("address_country")),
        vat_number=parse.string(data.get("vat_number")),
        invoice_additional_info=parse.string(data.get("invoice_additional_info")),
        credit=parse.money_euros(data.get("credit")),  # float in the docs, a string in [js]
        payment_method=parse.optional_string(data.get("payment_method")),
        stripe=stripe_from(data.get("stripe_payment_method")),
        paypal_id=paypal_id,
        has_paypal=isinstance(paypal, dict),
    )


def operation_from(value: Any) -> BillingOperation:
    data = parse.obj(value, "billing operation")
    return BillingOperation(
        id=parse.string(data.get("id")),
        created_at=parse.timestamp(data.get("created_at")),
        amount=parse.money_euros(data.get("amount")),
        source=parse.string(data.get("source")),
        description=parse.string(data.get("description")),
        invoice_id=parse.optional_string(data.get("invoice_id")),
        status=_operation_status(data),
    )


def _operation_status(data: dict[str, Any]) -> str | None:
    value = data.get("status", data.get("state"))
    return value if isinstance(value, str) and value in INVOICE_STATES else None


def invoice_from(value: Any) -> Invoice:
    data = parse.obj(value, "invoice")
    state = parse.string(data.get("state"))
    return Invoice(
        id=parse.string(data.get("id")),
        invoice_number=parse.string(data.get("invoice_number")),
        billing_month=parse.day(data.get("billing_month")),
        state=state,
        vat_rate=parse.integer(data.get("vat_rate")),
        total_price=parse.money_cents(data.get("total_price")),
        total_price_with_vat=parse.money_cents(data.get("total_price_with_vat")),
        pdf_url=parse.optional_string(data.get("pdf_url")),
        items=tuple(
            InvoiceItem(
                id=parse.string(item.get("id")),
                label=parse.string(item.get("label")),
                price=parse.money_cents(item.get("price")),
            )
            for item in (parse.obj(i, "invoice item") for i in parse.items(data.get("items"), "items"))
        ),
        detailed_items=tuple(
            DetailedItem(
                id=parse.string(item.get("id")),
                label=parse.string(item.get("label")),
                price=parse.money_cents(item.get("price")),
                app=parse.string(item.get("app")),
                duration_minutes=parse.optional_integer(item.get("duration")),
            )
            for item in (
                parse.obj(i, "detailed item") for i in parse.items(data.get("detailed_items"), "detailed_items")
            )
        ),
        created_at=parse.timestamp(data.get("created_at")),
    )


def _size_from(value: Any) -> ContainerSizeRef:
    data = parse.obj(value, "size")
    return ContainerSizeRef(
        id=parse.string(data.get("id")),
        name=parse.string(data.get("name")),
        human_name=parse.string(data.get("human_name")) or parse.string(data.get("name")),
        human_cpu=parse.string(data.get("human_cpu")),
        memory=parse.optional_integer(data.get("memory")),
        thirtydays_price=None
        if data.get("thirtydays_price") is None
        else parse.money_cents(data.get("thirtydays_price")),
    )


def _addon_usage_from(value: Any) -> AddonUsage:
    data = parse.obj(value, "addon usage")
    addon = parse.obj(data.get("addon") or {}, "addon")
    provider = parse.obj(addon.get("addon_provider") or {}, "addon_provider")
    plan = parse.obj(addon.get("plan") or {}, "plan")
    return AddonUsage(
        addon_id=parse.string(addon.get("id")),
        provider_name=parse.string(provider.get("name")) or parse.string(provider.get("id")),
        plan_name=parse.string(plan.get("display_name")) or parse.string(plan.get("name")),
        price=parse.money_euros(data.get("price")),
        runtime_minutes=parse.integer(data.get("runtime")),
        status=parse.string(data.get("status")),
        provisioned_at=parse.timestamp(data.get("provisioned_at")),
        deprovisioned_at=parse.timestamp(data.get("deprovisioned_at")),
        plan_price=None if plan.get("price") is None else parse.money_euros(plan.get("price")),
    )


def app_usage_from(value: Any) -> AppUsage:
    data = parse.obj(value, "app usage")
    return AppUsage(
        app=parse.string(data.get("app")),
        app_id=parse.string(data.get("app_id")),
        status=parse.string(data.get("status")),
        first_month=parse.month_year(data.get("first_month")),
        runtimes=tuple(
            RuntimeUsage(
                size=_size_from(runtime.get("size") or {}),
                price=parse.money_euros(runtime.get("price")),
                duration_minutes=parse.integer(runtime.get("duration")),
            )
            for runtime in (parse.obj(r, "runtime") for r in parse.items(data.get("runtimes"), "runtimes"))
        ),
        addon_usages=tuple(_addon_usage_from(a) for a in parse.items(data.get("addon_usages"), "addon_usages")),
    )


def usage_from(body: dict[str, Any]) -> list[AppUsage]:
    """The ``usage`` root as an array, a single app object, or a map of app objects (§3.1, §8.4)."""
    value = parse.root(body, "usage")
    if value is None:
        return []
    if isinstance(value, list):
        entries = value
    elif isinstance(value, dict) and ("app" in value or "runtimes" in value or "addon_usages" in value):
        entries = [value]
    elif isinstance(value, dict):
        entries = list(value.values())
    else:
        raise errors.MalformedResponse("expected a list or an object for usage")
    return [app_usage_from(entry) for entry in entries]


# Calls -----------------------------------------------------------------------------------------


def billing_profile_get(*, auth: Auth) -> BillingProfile | None:
    """The profile, or None when the account has none yet: a 404, or ``200 {"billing_profile": null}``
    (both plausible answers of the platform mean "no profile yet")."""
    try:
        reply = call("GET", Host.REGIONAL, "/account/billing/profile", auth=auth)
    except errors.NotFound:
        return None
    value = parse.root(reply.body, "billing_profile")
    return None if value is None else profile_from(value)


def _profile_reply(body: dict[str, Any]) -> BillingProfile:
    value = body.get("profile", body.get("billing_profile"))
    if value is None:
        raise errors.MalformedResponse("missing root key 'profile'")
    return profile_from(value)


def billing_profile_create(*, auth: Auth, fields: dict[str, Any]) -> BillingProfile:
    """``POST BILLING /profiles``: fails when a profile already exists."""
    reply = call("POST", Host.BILLING, "/profiles", auth=auth, json={"profile": fields})
    return _profile_reply(reply.body)


def billing_profile_update(*, auth: Auth, profile_id: str, fields: dict[str, Any]) -> BillingProfile:
    reply = call(
        "PUT", Host.BILLING, "/profiles/{id}", path_params={"id": profile_id}, auth=auth, json={"profile": fields}
    )
    return _profile_reply(reply.body)


def billing_operation_list(*, auth: Auth, page: int = 1, per_page: int = 20) -> parse.Page[BillingOperation]:
    reply = call(
        "GET", Host.REGIONAL, "/account/billing/operations", params={"page": page, "per_page": per_page}, auth=auth
    )
    return parse.page_of(reply.body, "billing-operations", operation_from)


def invoice_list(*, auth: Auth, page: int = 1, per_page: int = 20) -> parse.Page[Invoice]:
    reply = call("GET", Host.REGIONAL, "/account/invoices", params={"page": page, "per_page": per_page}, auth=auth)
    return parse.page_of(reply.body, "invoices", invoice_from)


def invoice_get(*, auth: Auth, invoice_id: str) -> Invoice:
    reply = call("GET", Host.REGIONAL, "/account/invoices/{id}", path_params={"id": invoice_id}, auth=auth)
    return invoice_from(parse.root(reply.body, "invoice"))


def invoice_download_url(*, auth: Auth, invoice_id: str) -> str:
    """Where the PDF is: the ``Location`` of the download endpoint's 302 (§3.4)."""
    reply = call(
        "GET",
        Host.REGIONAL,
        "/account/invoices/{id}/download",
        path_params={"id": invoice_id},
        auth=auth,
        headers={"Accept": "application/pdf,application/json"},
    )
    location: str | None = reply.headers.get("location") if reply.status in (301, 302, 303, 307, 308) else None
    if not location or not location.startswith(("https://", "http://")):
        raise errors.MalformedResponse("The platform API did not say where the invoice PDF is.")
    return location


def usage_get(
    *, auth: Auth, date_from: date | None, date_to: date | None, api_url: str | None = None
) -> list[AppUsage]:
    """``GET /account/usage`` for ``[date_from, date_to)`` (the upstream excludes ``to``)."""
    params = {}
    if date_from is not None:
        params["from"] = date_from.isoformat()
    if date_to is not None:
        params["to"] = date_to.isoformat()
    reply = call("GET", Host.REGIONAL, "/account/usage", params=params, auth=auth, api_url=api_url)
    return usage_from(reply.body)
