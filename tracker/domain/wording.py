"""Small pieces of wording for flag messages: counts, percentages and measured quantities."""

from decimal import ROUND_HALF_UP, Decimal

from tracker.domain.money import format_money

MONEY_UNITS = frozenset({"£", "gbp"})


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    """People read these messages, so say `1 day` but `2 days`."""
    word = singular if abs(count) == 1 else (plural_form or f"{singular}s")
    return f"{count:,} {word}"


def format_percent(value: Decimal) -> str:
    """Whole percentages read best; keep one decimal place only when it carries information."""
    rounded = value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    if rounded == rounded.to_integral_value():
        return f"{rounded.quantize(Decimal(1)):,}%"
    return f"{rounded:,}%"


def format_number(value: Decimal) -> str:
    """Measured values: commas for thousands, at most two decimal places, no trailing zeros."""
    rounded = value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP).normalize()
    return f"{rounded:,f}" if rounded != 0 else "0"


def format_quantity(value: Decimal, unit: str, *, money: bool = False) -> str:
    """A measured value with its unit: `£120,000`, `45%`, `8 days`, or a bare number."""
    if money or unit.strip().lower() in MONEY_UNITS:
        return format_money(value)
    unit = unit.strip()
    if unit == "%":
        return f"{format_number(value)}%"
    return f"{format_number(value)} {unit}" if unit else format_number(value)
