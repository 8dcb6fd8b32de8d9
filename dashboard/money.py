"""Money: ``Decimal`` end to end, with the upstream's units made explicit at the boundary.

The upstream mixes units (upstream-api.md §8.6): integer cents, float euros, per-minute decimal
strings and VAT per mille. Each has one constructor here, rounding happens in ``Money.rounded``
and formatting in ``format_money``; nothing else in the code converts or rounds money.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from babel.numbers import format_currency, format_decimal

CENT = Decimal("0.01")
MINUTES_PER_30_DAYS = 43200
HOURS_PER_30_DAYS = 720


class MoneyError(ValueError):
    pass


def _decimal(value: Any) -> Decimal:
    if isinstance(value, bool):
        raise MoneyError(f"not an amount: {value!r}")
    if isinstance(value, Decimal):
        result = value
    elif isinstance(value, int):
        result = Decimal(value)
    elif isinstance(value, float):
        # repr() gives the shortest string that round-trips, so 0.1 becomes Decimal("0.1").
        result = Decimal(repr(value))
    elif isinstance(value, str):
        try:
            result = Decimal(value.strip())
        except InvalidOperation:
            raise MoneyError(f"not an amount: {value!r}") from None
    else:
        raise MoneyError(f"not an amount: {value!r}")
    if not result.is_finite():
        raise MoneyError(f"not an amount: {value!r}")
    return result


@dataclass(frozen=True, order=True)
class Money:
    amount: Decimal
    currency: str = "EUR"

    @classmethod
    def zero(cls, currency: str = "EUR") -> Money:
        return cls(Decimal(0), currency)

    @classmethod
    def from_cents(cls, value: Any, currency: str = "EUR") -> Money:
        """Integer cents: invoice prices, size ``hourly_price``/``thirtydays_price``."""
        return cls(_decimal(value) / 100, currency)

    @classmethod
    def from_euros(cls, value: Any, currency: str = "EUR") -> Money:
        """Float (or string) euros: usage prices, ``plan.price``, ``credit``, billing amounts."""
        return cls(_decimal(value), currency)

    @classmethod
    def from_rate(cls, per_period: Any, periods: int | Decimal, currency: str = "EUR") -> Money:
        """A per-minute (or per-hour) decimal-string price times a number of periods."""
        return cls(_decimal(per_period) * Decimal(periods), currency)

    def __add__(self, other: object) -> Money:
        if not isinstance(other, Money):
            return NotImplemented
        self._same_currency(other)
        return Money(self.amount + other.amount, self.currency)

    def __radd__(self, other: object) -> Money:
        if other == 0:  # lets sum() start from 0
            return self
        return self.__add__(other)

    def __sub__(self, other: object) -> Money:
        if not isinstance(other, Money):
            return NotImplemented
        self._same_currency(other)
        return Money(self.amount - other.amount, self.currency)

    def __mul__(self, factor: object) -> Money:
        if isinstance(factor, bool) or not isinstance(factor, int | Decimal):
            return NotImplemented
        return Money(self.amount * factor, self.currency)

    __rmul__ = __mul__

    def __neg__(self) -> Money:
        return Money(-self.amount, self.currency)

    def _same_currency(self, other: Money) -> None:
        if other.currency != self.currency:
            raise MoneyError(f"cannot mix {self.currency} and {other.currency}")

    def rounded(self) -> Money:
        return Money(self.amount.quantize(CENT, rounding=ROUND_HALF_UP), self.currency)

    @property
    def cents(self) -> int:
        return int(self.rounded().amount * 100)

    def is_zero(self) -> bool:
        return self.amount == 0

    def is_negative(self) -> bool:
        return self.amount < 0


def vat_on(net: Money, vat_rate_per_mille: int) -> Money:
    """VAT for a net amount, from the upstream's per-mille rate (200 = 20 %)."""
    return Money(net.amount * Decimal(vat_rate_per_mille) / 1000, net.currency).rounded()


def permille_to_percent(value: int) -> Decimal:
    return Decimal(value) / 10


def babel_locale(language: str | None) -> str:
    return {"fr": "fr_FR", "en": "en_GB"}.get((language or "en")[:2], "en_GB")


def format_money(value: Money, language: str | None, *, precise: bool = False) -> str:
    """The only place money becomes text. ``precise`` keeps sub-cent digits (per-minute rates)."""
    locale = babel_locale(language)
    if precise:
        return format_currency(
            value.amount,
            value.currency,
            locale=locale,
            format_type="standard",
            currency_digits=False,
            decimal_quantization=False,
        )
    return format_currency(value.rounded().amount, value.currency, locale=locale)


def format_number(value: Decimal | int | float, language: str | None, *, digits: int | None = None) -> str:
    locale = babel_locale(language)
    if digits is not None:
        quantum = Decimal(1).scaleb(-digits)
        return format_decimal(
            Decimal(str(value)).quantize(quantum, rounding=ROUND_HALF_UP),
            locale=locale,
            decimal_quantization=False,
        )
    return format_decimal(value, locale=locale)


def format_percent(value: Decimal | int, language: str | None, *, digits: int = 0) -> str:
    """A percentage as each language writes it: "20%" in English, "20 %" (no-break space) in French."""
    number = format_number(value, language, digits=digits)
    return f"{number}\u00a0%" if (language or "en")[:2] == "fr" else f"{number}%"


def plain_amount(value: Money) -> str:
    """A rounded amount with a dot and two decimals, whatever the language: CSV files ("1234.50")."""
    return f"{value.rounded().amount:.2f}"


def change_ratio(before: Money, after: Money) -> Decimal | None:
    """Relative change from ``before`` to ``after`` (0.25 = +25 %), or None when ``before`` is zero."""
    if before.amount == 0:
        return None
    return (after.amount - before.amount) / abs(before.amount)
