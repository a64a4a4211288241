"""Scales for charts: round axis steps, mapping values onto pixels, and short labels for axes."""

from __future__ import annotations

from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal

NICE_STEPS = (Decimal(1), Decimal(2), Decimal("2.5"), Decimal(5), Decimal(10))


def nice_ticks(low: Decimal, high: Decimal, *, count: int = 5, whole: bool = False) -> list[Decimal]:
    """Axis values at round steps (1, 2, 2.5 or 5 times a power of ten), always including zero."""
    low, high = min(Decimal(low), Decimal(0)), max(Decimal(high), Decimal(0))
    if high == low:
        high = low + 1
    raw = (high - low) / count
    magnitude = Decimal(10) ** raw.adjusted()
    step = next(multiple * magnitude for multiple in NICE_STEPS if multiple * magnitude >= raw)
    if whole:
        step = max(step, Decimal(1)).to_integral_value(ROUND_CEILING)
    start = (low / step).to_integral_value(ROUND_FLOOR) * step
    end = (high / step).to_integral_value(ROUND_CEILING) * step
    ticks, value = [], start
    while value <= end:
        ticks.append(value)
        value += step
    return ticks


def scale(value: float | Decimal, domain: tuple[float, float], span: tuple[float, float]) -> float:
    """Map a value from its domain onto a pixel span, linearly, to one decimal place."""
    low, high = float(domain[0]), float(domain[1])
    share = 0.0 if high == low else (float(value) - low) / (high - low)
    return round(span[0] + share * (span[1] - span[0]), 1)


def short_money(value: Decimal) -> str:
    """Axis labels in pounds kept short: £0, £250k, £1.5m."""
    sign = "-" if value < 0 else ""
    size = abs(value)
    for threshold, suffix in ((Decimal(1_000_000), "m"), (Decimal(1_000), "k")):
        if size >= threshold:
            amount = (size / threshold).quantize(Decimal("0.1")).normalize()
            return f"{sign}£{amount:f}{suffix}"
    return f"{sign}£{size.quantize(Decimal(1)):f}"


def whole_number(value: Decimal) -> str:
    """Counts as people write them: 1,250."""
    return f"{value.quantize(Decimal(1)):,f}"
