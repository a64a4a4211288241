"""Risk rule about whole-life cost: growth of the current figure against the first approved baseline.

The current figure is the whole-life forecast, or the current baseline when no forecast is recorded
(a re-approved, larger baseline is still growth). It is compared with the first whole-life baseline
on record, so re-baselining does not hide growth. Unknown figures give no flag: unknown is not zero.
"""

from datetime import date
from decimal import Decimal

from tracker.domain.flags import Flag, Severity, Subject, weight_for
from tracker.domain.money import format_money
from tracker.domain.snapshot import ProgrammeSnapshot
from tracker.domain.thresholds import Thresholds
from tracker.domain.wording import format_percent

HUNDRED = Decimal(100)


def current_whole_life(forecast: Decimal | None, baseline: Decimal | None) -> Decimal | None:
    """The figure growth is measured on: the forecast when known, else the baseline approved now."""
    return forecast if forecast is not None else baseline


def growth_pct(current: Decimal | None, first: Decimal | None) -> Decimal | None:
    """Growth of `current` over `first` in %; None when either is unknown or the base is not positive."""
    if current is None or first is None or first <= 0:
        return None
    return (current - first) / first * HUNDRED


def whole_life_growth_pct(snapshot: ProgrammeSnapshot) -> Decimal | None:
    """Growth of the current whole-life figure over the first baseline, in %; None when either is unknown."""
    return growth_pct(_current(snapshot), snapshot.first_whole_life_baseline)


def whole_life_cost_growth(snapshot: ProgrammeSnapshot, today: date, thresholds: Thresholds) -> list[Flag]:
    """A programme costing much more over its life than first approved needs the case for it made again."""
    growth = whole_life_growth_pct(snapshot)
    if growth is None or growth <= thresholds.whole_life_growth_pct:
        return []
    current = _current(snapshot)
    first = snapshot.first_whole_life_baseline
    assert current is not None and first is not None  # growth is known, so both figures are
    basis = "forecast" if snapshot.whole_life_forecast is not None else "baseline"
    return [
        Flag(
            rule="whole_life_cost_growth",
            severity=Severity.RED if growth > thresholds.whole_life_growth_red_pct else Severity.AMBER,
            message=f"Whole-life cost {basis} {format_money(current)} is {format_percent(growth)} above "
            f"the first approved baseline of {format_money(first)}",
            evidence={
                "current": str(current),
                "basis": basis,
                "first_baseline": str(first),
                "growth_pct": str(round(growth, 1)),
            },
            subject=Subject("programme", snapshot.id),
            weight=weight_for(float(growth) - thresholds.whole_life_growth_pct, 10),
        )
    ]


def _current(snapshot: ProgrammeSnapshot) -> Decimal | None:
    return current_whole_life(snapshot.whole_life_forecast, snapshot.whole_life_baseline)
