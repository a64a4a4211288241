"""The dashboard's whole-life cost: baselines and forecasts of the programmes in scope, in one query."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import case, func, select

from tracker.domain.money import format_money
from tracker.domain.rules_whole_life import growth_pct
from tracker.domain.wording import format_percent
from tracker.extensions import db
from tracker.models import Programme
from tracker.models.types import ZERO
from tracker.services.portfolio.figures import flagged


@dataclass(frozen=True)
class WholeLifeTotals:
    """Totals of what is known, how many programmes each total leaves out, and how many are growing."""

    programmes: int
    baseline: Decimal
    forecast: Decimal
    baseline_unknown: int
    forecast_unknown: int
    both_known: int
    """Programmes with both figures: the only ones whose forecast is compared with their baseline."""
    baseline_of_both: Decimal
    forecast_of_both: Decimal
    growing: int
    """Programmes whose latest assessment flags whole-life cost growth."""

    @property
    def growth_pct(self) -> Decimal | None:
        """Forecast against baseline over the programmes that have both; None when none do."""
        return growth_pct(self.forecast_of_both, self.baseline_of_both)


def whole_life_totals(conditions: list[Any]) -> WholeLifeTotals:
    """Sum only known figures and count the unknown ones, so unknown is said rather than read as zero."""
    baseline, forecast = Programme.whole_life_baseline, Programme.whole_life_forecast
    both = baseline.is_not(None) & forecast.is_not(None)
    row = db.session.execute(
        select(
            func.count(Programme.id),
            func.coalesce(func.sum(baseline), ZERO),
            func.coalesce(func.sum(forecast), ZERO),
            func.count(Programme.id) - func.count(baseline),
            func.count(Programme.id) - func.count(forecast),
            func.coalesce(func.sum(case((both, 1), else_=0)), 0),
            func.coalesce(func.sum(case((both, baseline), else_=ZERO)), ZERO),
            func.coalesce(func.sum(case((both, forecast), else_=ZERO)), ZERO),
            func.coalesce(func.sum(case((flagged("whole_life_cost_growth"), 1), else_=0)), 0),
        ).where(*conditions)
    ).one()
    (
        count,
        baseline_sum,
        forecast_sum,
        no_baseline,
        no_forecast,
        paired,
        paired_baseline,
        paired_forecast,
        growing,
    ) = row
    return WholeLifeTotals(
        programmes=int(count),
        baseline=Decimal(baseline_sum),
        forecast=Decimal(forecast_sum),
        baseline_unknown=int(no_baseline),
        forecast_unknown=int(no_forecast),
        both_known=int(paired),
        baseline_of_both=Decimal(paired_baseline),
        forecast_of_both=Decimal(paired_forecast),
        growing=int(growing),
    )


def totals_of(figures: list[tuple[Decimal | None, Decimal | None]], *, growing: int) -> WholeLifeTotals:
    """The same totals from (baseline, forecast) pairs already loaded, as the digest has them."""
    both = [
        (baseline, forecast)
        for baseline, forecast in figures
        if baseline is not None and forecast is not None
    ]
    return WholeLifeTotals(
        programmes=len(figures),
        baseline=sum((b for b, _ in figures if b is not None), ZERO),
        forecast=sum((f for _, f in figures if f is not None), ZERO),
        baseline_unknown=sum(1 for b, _ in figures if b is None),
        forecast_unknown=sum(1 for _, f in figures if f is None),
        both_known=len(both),
        baseline_of_both=sum((b for b, _ in both), ZERO),
        forecast_of_both=sum((f for _, f in both), ZERO),
        growing=growing,
    )


def whole_life_sentence(totals: WholeLifeTotals) -> str:
    """One plain sentence for the digest, saying what is left out rather than counting it as zero."""
    parts = [f"baseline {format_money(totals.baseline)}", f"forecast {format_money(totals.forecast)}"]
    unknown = [
        f"{what} not known for {count} of {totals.programmes}"
        for what, count in (("baseline", totals.baseline_unknown), ("forecast", totals.forecast_unknown))
        if count
    ]
    sentence = f"Whole-life cost: {', '.join(parts)}"
    if unknown:
        sentence += f" ({'; '.join(unknown)}, left out of the totals)"
    growth = totals.growth_pct
    if growth is not None:
        direction = "above" if growth >= 0 else "below"
        sentence += (
            f". Where both are known ({totals.both_known}), the forecast is {format_percent(abs(growth))} "
            f"{direction} the baseline"
        )
    return sentence + "."
