"""Billing-specific formatting for templates (durations, percentages), in the chosen language."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from babel.dates import format_date
from django import template
from django.utils.translation import get_language, pgettext
from django.utils.translation import gettext as _

from dashboard import billing_calendar, countries
from dashboard.money import babel_locale, format_number, format_percent, permille_to_percent
from dashboard.upstream.billing import Invoice

register = template.Library()


@register.filter
def hours(minutes: int | None) -> str:
    """Minutes (the upstream's durations) as hours with one decimal: 4949 → "82.5 h"."""
    if minutes is None:
        return "—"
    return _("%(hours)s h") % {"hours": format_number(Decimal(minutes) / 60, get_language(), digits=1)}


@register.filter
def percent(value: Decimal | None, digits: int = 1) -> str:
    if value is None:
        return "—"
    return format_percent(value, get_language(), digits=digits)


@register.filter
def vat_percent(per_mille: int) -> str:
    return percent(permille_to_percent(per_mille), 1)


@register.filter
def signed_percent(value: Decimal | None) -> str:
    if value is None:
        return pgettext("an app absent the month before", "New")
    sign = "+" if value > 0 else ""
    return f"{sign}{format_percent(value, get_language(), digits=1)}"


@register.filter
def percent_of(ratio: Decimal | None) -> str:
    """A 0–1 ratio as a whole percentage: 0.4032 → "40 %"."""
    if ratio is None:
        return "—"
    return percent(ratio * 100, 0)


@register.filter
def forecast_for(forecast: object, app: object) -> object:
    """The month estimate of one app of a usage report."""
    return getattr(forecast, "per_app", {}).get(getattr(app, "app_id", None))


@register.filter
def short_month(value: date | None) -> str:
    """A month for a chart's axis: "Dec 26", "déc. 26"."""
    if value is None:
        return ""
    return format_date(value, "MMM yy", locale=babel_locale(get_language()))


@register.filter
def in_progress(invoice: Invoice) -> bool:
    """The invoice of the running month (billing calendar): not complete, not charged yet."""
    return billing_calendar.in_progress(invoice)


@register.filter
def days_in_month(month: date) -> int:
    return billing_calendar.month_last_day(month).day


@register.filter
def country_name(value: str | None) -> str:
    """A billing country, code or name as the platform stored it, named in the active language."""
    return countries.name_of(value, get_language() or "en")


@register.filter
def outcome_for(outcomes: object, operation: object) -> object:
    """Whether the payment of one billing operation went through (``activity.payments.Outcome``)."""
    return outcomes.get(getattr(operation, "id", None)) if isinstance(outcomes, dict) else None
