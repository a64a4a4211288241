"""Money in pounds: read what people type or paste, and write it the UK way.

Amounts are `Decimal` rounded half-up to pence; floats never appear. Parsing accepts plain,
grouped (`1,250,000` or `1 250 000`), symbol (`£` or a pasted `$`) and scaled (`£1.9m`,
`£250k`, `1.2bn`) forms. A leading minus or brackets make an amount negative; whether a
negative amount is allowed is for the caller to decide.
"""

import re
from decimal import ROUND_HALF_UP, Decimal

PENNY = Decimal("0.01")
MAX_AMOUNT = Decimal("999999999999.99")
"""Largest amount accepted: keeps typed values inside a `Numeric(14, 2)` column."""

_SCALES = {"": Decimal(1), "k": Decimal(1_000), "m": Decimal(1_000_000), "bn": Decimal(1_000_000_000)}
_TOO_LARGE = "Enter an amount less than £1,000,000,000,000"
_EXAMPLE = "like £1,250,000, £1.9m or £250k"
_AMOUNT = re.compile(
    r"""
    (?P<minus>-)?\s*
    (?P<symbol>[£$])?\s*
    (?P<minus_after_symbol>-)?\s*
    (?P<whole>\d{1,3}(?:[,\s]\d{3})+|\d+)?
    (?:\.(?P<fraction>\d*))?
    \s*(?P<scale>k|m|bn)?
    """,
    re.IGNORECASE | re.VERBOSE,
)


class MoneyError(ValueError):
    """An amount that cannot be read as money; the message is fit to show to the person who typed it."""


def parse_money(text: str) -> Decimal:
    """People type and paste amounts in many shapes; turn any sensible one into pounds and pence."""
    cleaned = text.strip().replace("\u2212", "-").replace("\u2013", "-")
    if not cleaned:
        raise MoneyError("Enter an amount")
    bracketed = cleaned.startswith("(") and cleaned.endswith(")")
    if bracketed:
        cleaned = cleaned[1:-1].strip()
    match = _AMOUNT.fullmatch(cleaned)
    if match is None or not (match["whole"] or match["fraction"]):
        raise MoneyError(_explain(cleaned))
    minus_signs = [bracketed, bool(match["minus"]), bool(match["minus_after_symbol"])].count(True)
    if minus_signs > 1:
        raise MoneyError(f"Enter an amount with one minus sign or brackets, {_EXAMPLE}")
    whole = re.sub(r"[,\s]", "", match["whole"] or "0")
    amount = Decimal(f"{whole}.{match['fraction'] or '0'}") * _SCALES[(match["scale"] or "").lower()]
    if amount > MAX_AMOUNT + PENNY:  # checked before rounding, which fails on very long numbers
        raise MoneyError(_TOO_LARGE)
    amount = amount.quantize(PENNY, rounding=ROUND_HALF_UP)
    if amount > MAX_AMOUNT:
        raise MoneyError(_TOO_LARGE)
    return -amount if minus_signs else amount


def funding_gap(requested: Decimal | None, approved: Decimal | None) -> Decimal | None:
    """Investment gap: funding asked for but not approved; None (never 0) when either is not known."""
    if requested is None or approved is None:
        return None
    return requested - approved


def forecast_variance(forecast: Decimal | None, approved: Decimal | None) -> Decimal | None:
    """Forecast minus approved, positive for an overspend; None (never 0) when either is not known."""
    if forecast is None or approved is None:
        return None
    return forecast - approved


def _explain(cleaned: str) -> str:
    """Say what is wrong in words a council officer would use."""
    if cleaned.count(".") > 1:
        return "Enter an amount with no more than one decimal point"
    if re.search(r"[^\W\d_]", cleaned):
        return f"Enter the amount in numbers, {_EXAMPLE}"
    return f"Enter an amount {_EXAMPLE}"


def format_money(amount: Decimal | None) -> str:
    """Show money the way council papers do: pounds with commas, pence only when there are some."""
    if amount is None:
        return ""
    if not amount.is_finite():
        raise MoneyError("Cannot format an amount that is not a number")
    pence = amount.quantize(PENNY, rounding=ROUND_HALF_UP)
    sign = "-" if pence < 0 else ""
    text = f"{abs(pence):,.2f}"
    if text.endswith(".00"):
        text = text[:-3]
    return f"{sign}£{text}"
