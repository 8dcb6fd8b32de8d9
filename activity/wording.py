"""Each event as a sentence a person reads, in the active language, and the kind it belongs to."""

from __future__ import annotations

from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from dashboard.money import Money, format_money
from dashboard.upstream import events as upstream
from dashboard.upstream.events import Event

SECURITY = "security"
TOKENS = "tokens"
BILLING = "billing"
APPS = "apps"
OTHER = "other"

KINDS = (SECURITY, TOKENS, BILLING, APPS)
KIND_LABELS = {
    SECURITY: gettext_lazy("Security"),
    TOKENS: gettext_lazy("Tokens and keys"),
    BILLING: gettext_lazy("Billing"),
    APPS: gettext_lazy("Apps"),
    OTHER: gettext_lazy("Other"),
}
KIND_LABELS_ALL = gettext_lazy("All")


def kind_of(event: Event) -> str:
    if event.type in upstream.SECURITY_TYPES:
        return SECURITY
    if event.type in upstream.TOKEN_TYPES or event.type in upstream.KEY_TYPES:
        return TOKENS
    if event.type in upstream.BILLING_TYPES:
        return BILLING
    if event.app_id or event.app_name:
        return APPS
    return OTHER


def _money(value: Money | None) -> str:
    return format_money(value, get_language()) if value is not None else "?"


def _unknown_address() -> str:
    return _("an unknown address")


def _security(event: Event) -> str | None:
    ip = event.remote_ip or _unknown_address()
    sentences = {
        "login_success": _("Signed in from %(ip)s"),
        "login_failure": _("Failed sign-in from %(ip)s"),
        "login_lock": _("Account locked after failed sign-ins from %(ip)s"),
        "login_unlock_success": _("Account unlocked from %(ip)s"),
        "password_reset_query": _("Password reset requested from %(ip)s"),
        "password_reset_success": _("Password reset from %(ip)s"),
    }
    if event.type in sentences:
        return sentences[event.type] % {"ip": ip}
    if event.type == "tfa_enabled":
        return _("Two-factor authentication turned on")
    if event.type == "tfa_disabled":
        return _("Two-factor authentication turned off")
    if event.type == "new_user":
        return _("Account created")
    return None


def _tokens_and_keys(event: Event) -> str | None:
    data = event.data
    if isinstance(data, upstream.TokenData):
        name = data.token_name or "?"
        sentences = {
            "new_token": _("Token “%(name)s” created"),
            "regenerate_token": _("Token “%(name)s” renewed"),
            "delete_token": _("Token “%(name)s” deleted"),
        }
        return sentences[event.type] % {"name": name}
    if isinstance(data, upstream.KeyData):
        name = data.name or "?"
        sentences = {
            "new_key": _("SSH key “%(name)s” added"),
            "edit_key": _("SSH key “%(name)s” edited"),
            "delete_key": _("SSH key “%(name)s” deleted"),
        }
        return sentences[event.type] % {"name": name}
    return None


def payment_method_words(method: str | None) -> str:
    words = {
        "credit": _("with prepaid credit"),
        "card": _("by card"),
        "sepa": _("by SEPA debit"),
        "paypal": _("with PayPal"),
        "stripe": _("by card"),
    }
    if method in words:
        return words[method]
    return _("by %(method)s") % {"method": method} if method else ""


def _payment_method(data: upstream.PaymentMethodData) -> str:
    if data.payment_method_type == "paypal":
        return _("PayPal added as the payment method")
    if data.last4 and data.exp:
        return _("Payment method added: %(brand)s ending in %(last4)s, expires %(exp)s") % {
            "brand": data.brand or _("card"),
            "last4": data.last4,
            "exp": data.exp,
        }
    if data.last4:
        return _("Payment method added: %(brand)s ending in %(last4)s") % {
            "brand": data.brand or _("card"),
            "last4": data.last4,
        }
    return _("Payment method added")


def _billing(event: Event) -> str | None:
    data = event.data
    if isinstance(data, upstream.CreditData):
        text = _("%(amount)s of prepaid credit added") % {"amount": _money(data.amount)}
        method = payment_method_words(data.payment_method)
        return f"{text} {method}".strip()
    if isinstance(data, upstream.PaymentMethodData):
        return _payment_method(data)
    if isinstance(data, upstream.VoucherData):
        return _("Voucher “%(code)s” redeemed") % {"code": data.code or "?"}
    if isinstance(data, upstream.PaymentAttemptData):
        values = {"amount": _money(data.amount), "method": payment_method_words(data.payment_method)}
        if data.outcome == "paid":
            return (_("Payment of %(amount)s %(method)s went through") % values).replace("  ", " ")
        if data.outcome == "pending":
            return (_("Payment of %(amount)s %(method)s is pending") % values).replace("  ", " ")
        return (_("Payment of %(amount)s %(method)s failed") % values).replace("  ", " ")
    return None


def _apps(event: Event) -> str | None:
    app = event.app_name or event.app_id or "?"
    data = event.data
    if event.type == "new_app":
        return _("App %(app)s created") % {"app": app}
    if event.type == "delete_app":
        return _("App %(app)s deleted") % {"app": app}
    if event.type == "rename_app" and isinstance(data, upstream.AppChangeData):
        return _("App renamed from %(old)s to %(new)s") % {"old": data.old_name or "?", "new": data.new_name or app}
    if event.type == "deployment" and isinstance(data, upstream.AppChangeData):
        return _("App %(app)s: deployment of %(ref)s (%(status)s)") % {
            "app": app,
            "ref": data.git_ref or "?",
            "status": data.status or "?",
        }
    if event.type == "restart":
        return _("App %(app)s restarted") % {"app": app}
    if event.type in ("new_addon", "upgrade_addon", "delete_addon") and isinstance(data, upstream.AppChangeData):
        values = {"app": app, "addon": data.addon or "?", "plan": data.plan or "?"}
        if event.type == "new_addon":
            return _("App %(app)s: addon %(addon)s added (plan %(plan)s)") % values
        if event.type == "upgrade_addon":
            return _("App %(app)s: addon %(addon)s changed to plan %(plan)s") % values
        return _("App %(app)s: addon %(addon)s removed") % values
    return None


def _words(event: Event) -> str | None:
    for words in (_security, _tokens_and_keys, _billing, _apps):
        text = words(event)
        if text is not None:
            return text
    return None


def has_words(event: Event) -> bool:
    """False for a type the dashboard does not know: it is shown by its name, with its fields."""
    return _words(event) is not None


def describe(event: Event) -> str:
    """The event in words; a type without wording shows its name (its fields are shown beside)."""
    text = _words(event)
    if text is not None:
        return text
    if event.app_id or event.app_name:
        return _("App %(app)s: %(type)s") % {"app": event.app_name or event.app_id, "type": event.type}
    return _("Event “%(type)s”") % {"type": event.type}
