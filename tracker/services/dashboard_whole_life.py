"""The dashboard's whole-life cost: baselines and forecasts of the programmes in scope, in one query."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import case, func, select

from tracker.domain.rules_whole_life import growth_pct
from tracker.extensions import db
from tracker.models import Programme
from tracker.models.types import ZERO
from tracker.services.figures import flagged


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
