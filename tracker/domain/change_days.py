"""Reading change days as people type them: a positive number with at most one decimal place."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

MAX_CHANGE_DAYS = Decimal("99999.9")
"""The most the database column holds (seven digits, one after the point)."""


def parse_change_days(text: str, *, what: str, allow_zero: bool = False) -> tuple[Decimal | None, str | None]:
    """(value, None) for acceptable input, else (None, what to say); `what` names the field in the message."""
    cleaned = text.strip().replace(",", "")
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        return None, f"{what} must be a number, like 12 or 2.5"
    if not value.is_finite():
        return None, f"{what} must be a number, like 12 or 2.5"
    if value < 0 or (value == 0 and not allow_zero):
        return None, f"{what} must be more than 0" if not allow_zero else f"{what} must be 0 or more"
    if value != value.quantize(Decimal("0.1")):
        return None, f"{what} can have at most one decimal place, like 2.5"
    if value > MAX_CHANGE_DAYS:
        return None, f"{what} must be {MAX_CHANGE_DAYS:,} or less"
    return value.quantize(Decimal("0.1")), None
