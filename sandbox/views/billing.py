"""Billing (§3.2–§3.5): profile (REGIONAL read, BILLING writes), operations, invoices with
their PDF, usage and referral stats."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time
from typing import Any

from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils import timezone

from sandbox import behaviours, usage, validation
from sandbox.activity import attempt_method, event_record, invoice_amount, payment_method_data
from sandbox.http import Invalid, NotFound, json_response, optional_str, read_json, unwrap
from sandbox.models import (
    AddonRecord,
    App,
    BillingOperation,
    BillingProfile,
    ContainerSize,
    Invoice,
    RuntimeRecord,
    User,
)
from sandbox.pagination import paginate
from sandbox.serializers import invoice_json, invoice_pdf_url, operation_json, profile_json

_PROFILE_TEXT = (
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
_STRIPE_KEYS = (
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
_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _user(request: HttpRequest) -> User:
    return request.sandbox_user  # type: ignore[attr-defined,no-any-return]


def _profile(request: HttpRequest) -> BillingProfile:
    profile = BillingProfile.objects.filter(user=_user(request)).first()
    if profile is None:
        raise NotFound("billing_profile")
    return profile


PROFILE_NULL = behaviours.register(
    "billing-profile-null",
    'GET /account/billing/profile answers 200 {"billing_profile": null} instead of 404 when there is none.',
)


def billing_profile_show(request: HttpRequest) -> HttpResponse:
    if behaviours.active(PROFILE_NULL) and not BillingProfile.objects.filter(user=_user(request)).exists():
        return json_response({"billing_profile": None})
    return json_response({"billing_profile": profile_json(_profile(request))})


def billing_host_profile_show(request: HttpRequest) -> HttpResponse:
    return json_response({"profile": profile_json(_profile(request))})


def billing_host_profile_create(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    data = unwrap(read_json(request), "profile")
    if BillingProfile.objects.filter(user=user).exists():
        raise Invalid({"profile": ["already exists: update it with PUT /profiles/:id"]})
    profile = BillingProfile(user=user)
    _profile_apply(profile, data, creating=True)
    return json_response({"profile": profile_json(profile)}, status=201)


def billing_host_profile_update(request: HttpRequest, id: str) -> HttpResponse:
    profile = BillingProfile.objects.filter(user=_user(request), id=id).first()
    if profile is None:
        raise NotFound("billing_profile")
    _profile_apply(profile, unwrap(read_json(request), "profile"), creating=False)
    return json_response({"profile": profile_json(profile)})


def _profile_apply(profile: BillingProfile, data: dict[str, Any], *, creating: bool) -> None:
    """Validate and save. ``payment_method`` with ``stripe_payment_method`` or
    ``paypal_payment_method`` stands in for the Stripe/PayPal setup (a sandbox extension)."""
    errors: dict[str, list[str]] = {}
    values = {field: optional_str(data, field, errors) for field in _PROFILE_TEXT}
    for field in ("name", "address_country"):
        current = getattr(profile, field, "") if not creating else ""
        if not (values[field] if values[field] is not None else current):
            errors.setdefault(field, []).append("can't be blank")
    for field, value in values.items():
        if value and len(value) > 200 and field != "invoice_additional_info":
            errors.setdefault(field, []).append("is too long (maximum is 200 characters)")
    if values["email"] and validation.email_problem(values["email"]):
        errors.setdefault("email", []).append("is invalid")
    if values["vat_number"] and validation.vat_problem(values["vat_number"]):
        errors.setdefault("vat_number", []).append("is not a valid VAT number")
    payment = _payment_changes(data, errors)
    if errors:
        raise Invalid(errors)
    for field, value in values.items():
        if value is not None:
            setattr(profile, field, validation.vat_normalized(value) if field == "vat_number" else value)
    for field, value in payment.items():
        setattr(profile, field, value)
    with transaction.atomic():
        profile.save()
        if payment:
            event_record(profile.user, "add_payment_method", **payment_method_data(profile))
            _settle_unpaid(profile.user, profile)


def _payment_changes(data: dict[str, Any], errors: dict[str, list[str]]) -> dict[str, Any]:
    method = data.get("payment_method")
    if method is None:
        return {}
    if method == "stripe":
        stripe = data.get("stripe_payment_method")
        if not isinstance(stripe, dict):
            errors["stripe_payment_method"] = ["should be an object"]
            return {}
        clean = {key: stripe.get(key) for key in _STRIPE_KEYS}
        if any(value is not None and not isinstance(value, str) for value in clean.values()):
            errors["stripe_payment_method"] = ["fields should be strings or null"]
            return {}
        return {"payment_method": "stripe", "stripe": {"id": "pm_sandbox", **clean}, "paypal": None}
    if method == "paypal":
        paypal = data.get("paypal_payment_method") or {"id": "PAYID-SANDBOX"}
        if not isinstance(paypal, dict):
            errors["paypal_payment_method"] = ["should be an object"]
            return {}
        return {"payment_method": "paypal", "paypal": {"id": str(paypal.get("id", ""))}, "stripe": None}
    errors["payment_method"] = ["should be stripe or paypal"]
    return {}


def _settle_unpaid(user: User, profile: BillingProfile) -> None:
    """A newly added payment method pays the unpaid invoices at once and lifts a suspension."""
    for invoice in Invoice.objects.filter(user=user, state="failed").order_by("billing_month"):
        amount = invoice_amount(invoice)
        event_record(user, "payment_attempt", amount=amount, payment_method=attempt_method(profile), status="paid")
    Invoice.objects.filter(user=user, state="failed").update(state="paid")
    if user.suspended_at:
        user.suspended_at = None
        user.suspension_reason = None
        user.save(update_fields=["suspended_at", "suspension_reason"])


def billing_operation_list(request: HttpRequest) -> HttpResponse:
    queryset = (
        BillingOperation.objects.select_related("invoice").filter(user=_user(request)).order_by("-created_at", "id")
    )
    operations, meta = paginate(request, queryset)
    return json_response({"billing-operations": [operation_json(op, request) for op in operations], "meta": meta})


def invoice_list(request: HttpRequest) -> HttpResponse:
    queryset = Invoice.objects.filter(user=_user(request)).order_by("-billing_month", "id")
    invoices, meta = paginate(request, queryset)
    return json_response({"invoices": [invoice_json(i, request) for i in invoices], "meta": meta})


def _invoice(request: HttpRequest, invoice_id: str) -> Invoice:
    invoice = Invoice.objects.filter(user=_user(request), id=invoice_id).first()
    if invoice is None:
        raise NotFound("invoice")
    return invoice


def invoice_show(request: HttpRequest, id: str) -> HttpResponse:
    return json_response({"invoice": invoice_json(_invoice(request, id), request)})


def invoice_download(request: HttpRequest, id: str) -> HttpResponse:
    return HttpResponseRedirect(invoice_pdf_url(request, _invoice(request, id)))


def _day(request: HttpRequest, name: str) -> date | None:
    raw = request.GET.get(name)
    if raw is None or raw == "":
        return None
    try:
        if not _DATE_RE.match(raw):
            raise ValueError(raw)
        return date.fromisoformat(raw)
    except ValueError:
        raise Invalid({name: ["should be a date formatted as YYYY-MM-DD"]}) from None


def account_usage(request: HttpRequest) -> HttpResponse:
    """``[from, to)`` in UTC days, ``to`` excluded. Defaults: this month so far. Only this
    region's owned apps are counted, as every regional endpoint is per region."""
    now = timezone.now()
    start_day, end_day = _day(request, "from"), _day(request, "to")
    if start_day and end_day and start_day > end_day:
        raise Invalid({"from": ["should be before to"]})
    lo = _midnight(start_day) if start_day else now.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    hi = min(_midnight(end_day), now) if end_day else now
    user = _user(request)
    apps = list(App.objects.filter(owner=user, region=request.sandbox_region).order_by("name"))  # type: ignore[attr-defined]
    runtimes = _by_app(RuntimeRecord.objects.filter(app__in=apps, started_at__lt=hi))
    addons = _by_app(AddonRecord.objects.filter(app__in=apps, provisioned_at__lt=hi))
    sizes = usage.size_table(request.sandbox_region, ContainerSize.objects.filter(user=user))  # type: ignore[attr-defined]
    entries = [usage.app_usage(app, runtimes.get(app.id, []), addons.get(app.id, []), sizes, lo, hi) for app in apps]
    return json_response({"usage": [entry for entry in entries if entry]})


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


def _by_app(records: Any) -> dict[str, list[Any]]:
    grouped: dict[str, list[Any]] = {}
    for record in records:
        grouped.setdefault(record.app_id, []).append(record)
    return grouped


ODD_REFERRAL_COUNTS = behaviours.register(
    "referral-odd-types",
    'GET /account/referrals/stats sends clicks as a non-numeric string ("n/a") and signups as null.',
)


def referral_stats(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if behaviours.active(ODD_REFERRAL_COUNTS):
        odd = {"clicks": "n/a", "signups": None, "amount_earned": float(user.referral_earned)}
        return json_response({"referral_stats": {**odd, "url": f"https://sclng.io/r/{user.referral_code}"}})
    stats = {
        # A numeric string, as in the published example (contract §8.1).
        "clicks": str(user.referral_clicks),
        "signups": user.referral_signups,
        "amount_earned": float(user.referral_earned),
        "url": f"https://sclng.io/r/{user.referral_code}",
    }
    return json_response({"referral_stats": stats})
