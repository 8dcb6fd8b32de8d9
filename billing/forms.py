from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from billing.invoices import PER_PAGE_CHOICES, InvoiceFilter
from dashboard import countries
from dashboard.upstream.billing import INVOICE_STATES

MAX_RANGE_DAYS = 366
STATE_LABELS = {"new": _("New"), "paid": _("Paid"), "failed": _("Failed")}


class BillingProfileForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    company = forms.CharField(label=_("Company"), max_length=200, required=False)
    email = forms.EmailField(label=_("Billing email"), max_length=200, required=False)
    address_line1 = forms.CharField(label=_("Address"), max_length=200)
    address_line2 = forms.CharField(label=_("Address (line 2)"), max_length=200, required=False)
    address_zip = forms.CharField(label=_("Postal code"), max_length=20)
    address_city = forms.CharField(label=_("City"), max_length=100)
    address_state = forms.CharField(label=_("State or region"), max_length=100, required=False)
    address_country = forms.ChoiceField(label=_("Country"))
    vat_number = forms.CharField(
        label=_("VAT number"),
        max_length=30,
        required=False,
        help_text=_("For companies in the European Union, e.g. FR40303265045."),
    )
    invoice_additional_info = forms.CharField(
        label=_("Extra text printed on invoices"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("A purchase order number or an internal reference, for example."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._country_choices()
        autocomplete = {
            "name": "name",
            "company": "organization",
            "email": "email",
            "address_line1": "address-line1",
            "address_line2": "address-line2",
            "address_zip": "postal-code",
            "address_city": "address-level2",
            "address_state": "address-level1",
            "address_country": "country",
        }
        for name, field in self.fields.items():
            if name in autocomplete:
                field.widget.attrs["autocomplete"] = autocomplete[name]
            if field.help_text:
                field.widget.attrs["aria-describedby"] = f"id_{name}_help"

    def _country_choices(self) -> None:
        """ISO codes named in the active language. A stored name (``France``) selects its code; a
        value we cannot place stays selectable as it came, so saving never loses it."""
        stored = str(self.initial.get("address_country") or "")
        if stored:
            self.initial["address_country"] = countries.code_of(stored) or stored
        options: list[tuple[str, str]] = [("", str(_("Choose a country")))]
        options += countries.choices(get_language() or "en")
        kept = str(self.initial.get("address_country") or "")
        if kept and kept not in dict(options):
            options.append((kept, kept))
        field = self.fields["address_country"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = options

    def clean_vat_number(self) -> str:
        return countries.vat_normalized(self.cleaned_data.get("vat_number") or "")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        country, vat = cleaned.get("address_country"), cleaned.get("vat_number")
        problem = countries.vat_problem(vat or "", country) if country and vat else None
        if problem is not None and country:
            names = {
                "country": countries.name_of(country, get_language() or "en"),
                "prefix": countries.vat_prefix(country),
            }
            if problem == "prefix":
                message = _("A VAT number from %(country)s starts with %(prefix)s.") % names
            else:
                message = (
                    _("This is not the format of a VAT number from %(country)s: check what follows %(prefix)s.") % names
                )
            self.add_error("vat_number", message)
        return cleaned

    def full_clean(self) -> None:
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                self.fields[name].widget.attrs["aria-invalid"] = "true"


@dataclass(frozen=True)
class UsageRange:
    preset: str
    date_from: date
    date_to: date  # inclusive


def preset_range(preset: str, today: date) -> tuple[date, date]:
    if preset == "last_month":
        last_day = today.replace(day=1) - timedelta(days=1)
        return last_day.replace(day=1), last_day
    if preset == "last_30_days":
        return today - timedelta(days=29), today
    return today.replace(day=1), today


class UsageRangeForm(forms.Form):
    """GET form: ``preset`` picks the range, ``custom`` takes ``from`` and ``to`` (both included)."""

    preset = forms.ChoiceField(
        label=_("Period"),
        required=False,
        choices=[
            ("this_month", _("This month")),
            ("last_month", _("Last month")),
            ("last_30_days", _("Last 30 days")),
            ("custom", _("Custom")),
        ],
        error_messages={
            "invalid_choice": _("This period is unknown: choose This month, Last month, Last 30 days or Custom."),
        },
    )
    date_from = forms.DateField(
        label=_("From"),
        required=False,
        input_formats=["%Y-%m-%d"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Enter a date as YYYY-MM-DD, for example 2024-03-31.")},
    )
    date_to = forms.DateField(
        label=_("To (included)"),
        required=False,
        input_formats=["%Y-%m-%d"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Enter a date as YYYY-MM-DD, for example 2024-03-31.")},
    )

    def __init__(self, data: Any, *, today: date) -> None:
        data = data.copy()
        if not data.get("preset"):
            data["preset"] = "custom" if (data.get("from") or data.get("to")) else "this_month"
        super().__init__(data)
        self.today = today
        self.fields["date_from"].widget.attrs["max"] = today.isoformat()
        self.fields["date_to"].widget.attrs["max"] = today.isoformat()

    def add_prefix(self, field_name: str) -> str:
        # The query string says `from` and `to`, as the upstream does.
        return {"date_from": "from", "date_to": "to"}.get(field_name, field_name)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        preset = cleaned.get("preset") or "this_month"
        if preset != "custom":
            return cleaned
        date_from, date_to = cleaned.get("date_from"), cleaned.get("date_to")
        if "date_from" not in self.errors and date_from is None:
            self.add_error("date_from", _("Enter the first day of the period."))
        if "date_to" not in self.errors and date_to is None:
            self.add_error("date_to", _("Enter the last day of the period."))
        for name, value in (("date_from", date_from), ("date_to", date_to)):
            if value is not None and value > self.today:
                self.add_error(name, _("This date is in the future: usage is only known up to today."))
        if date_from and date_to and "date_from" not in self.errors and "date_to" not in self.errors:
            if date_from > date_to:
                self.add_error("date_to", _("The last day must be on or after the first day."))
            elif (date_to - date_from).days + 1 > MAX_RANGE_DAYS:
                self.add_error(
                    "date_to",
                    _("The period is longer than a year: choose at most %(days)d days.") % {"days": MAX_RANGE_DAYS},
                )
        return cleaned

    def full_clean(self) -> None:
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                self.fields[name].widget.attrs["aria-invalid"] = "true"

    def usage_range(self) -> UsageRange | None:
        """The range to show, or None when the form has errors."""
        if not self.is_valid():
            return None
        preset = self.cleaned_data.get("preset") or "this_month"
        if preset == "custom":
            return UsageRange(preset, self.cleaned_data["date_from"], self.cleaned_data["date_to"])
        date_from, date_to = preset_range(preset, self.today)
        return UsageRange(preset, date_from, date_to)


class InvoiceFilterForm(forms.Form):
    state = forms.ChoiceField(
        label=_("State"),
        required=False,
        choices=[("", _("All states")), *((state, STATE_LABELS[state]) for state in INVOICE_STATES)],
    )
    month_from = forms.CharField(
        label=_("From month"), required=False, widget=forms.TextInput(attrs={"type": "month", "placeholder": "YYYY-MM"})
    )
    month_to = forms.CharField(
        label=_("To month"), required=False, widget=forms.TextInput(attrs={"type": "month", "placeholder": "YYYY-MM"})
    )
    per_page = forms.TypedChoiceField(
        label=_("Per page"),
        required=False,
        coerce=int,
        choices=[(n, str(n)) for n in PER_PAGE_CHOICES],
    )

    def _month(self, name: str) -> date | None:
        raw = (self.cleaned_data.get(name) or "").strip()
        if not raw:
            return None
        try:
            year, month = (int(part) for part in raw.split("-"))
            return date(year, month, 1)
        except ValueError:
            raise forms.ValidationError(_("Enter a month as YYYY-MM, for example 2024-03.")) from None

    def clean_month_from(self) -> date | None:
        return self._month("month_from")

    def clean_month_to(self) -> date | None:
        return self._month("month_to")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("month_from"), cleaned.get("month_to")
        if start and end and start > end:
            self.add_error("month_to", _("The last month must be on or after the first month."))
        return cleaned

    def full_clean(self) -> None:
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                self.fields[name].widget.attrs["aria-invalid"] = "true"

    def criteria(self) -> InvoiceFilter:
        if not self.is_valid():
            valid = {k: v for k, v in self.cleaned_data.items() if k not in self.errors}
            return InvoiceFilter(state=valid.get("state") or "")
        return InvoiceFilter(
            state=self.cleaned_data.get("state") or "",
            month_from=self.cleaned_data.get("month_from"),
            month_to=self.cleaned_data.get("month_to"),
        )
