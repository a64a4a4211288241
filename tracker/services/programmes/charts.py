"""The programme page's charts from rows its pages have already loaded: no queries of their own.

Each function turns models into the plain values `tracker.domain.programme_charts` and
`tracker.domain.programme_timeline` lay out, with today in London unless a caller passes it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from decimal import Decimal

from tracker.domain.calendar import london_today
from tracker.domain.chart_scales import short_money
from tracker.domain.charts import Chart
from tracker.domain.definitions import milestone_open
from tracker.domain.programme_charts import Empty, YearSpend, axis_number, benefit_trajectory, spend_by_year
from tracker.domain.programme_timeline import MilestoneDates, Timeline, milestone_timeline
from tracker.domain.vocabulary import label
from tracker.domain.wording import MONEY_UNITS
from tracker.models import Benefit, BenefitType, Direction, Milestone, MilestoneStatus, Programme
from tracker.models.types import utcnow
from tracker.services.benefits import format_measure
from tracker.services.money import MoneySummary


def _axis_format(unit: str) -> Callable[[Decimal], str]:
    """Axis labels stay short: a percentage keeps its sign, other units are left to the table."""
    return (lambda value: f"{axis_number(value)}%") if unit == "%" else axis_number


def _today(today: date | None) -> date:
    return today or london_today(utcnow())


def timeline_chart(
    programme: Programme, milestones: Sequence[Milestone], *, today: date | None = None
) -> Timeline | Empty:
    """The milestone timeline, its bars starting at the programme's start date."""
    return milestone_timeline(
        [
            MilestoneDates(
                id=m.id,
                title=m.title,
                critical=m.critical,
                status=label(m.status),
                open=milestone_open(m.status, m.actual_date),
                baseline=m.baseline_date,
                forecast=m.forecast_date,
                actual=m.actual_date,
                cancelled=m.status is MilestoneStatus.CANCELLED,
            )
            for m in milestones
        ],
        today=_today(today),
        start=programme.start_date,
    )


def spend_chart(summary: MoneySummary, *, today: date | None = None) -> Chart | Empty:
    """Approved, forecast and actual per financial year, from the money page's own totals."""
    return spend_by_year(
        [
            YearSpend(year.start, year.totals.approved, year.totals.forecast, year.totals.actual)
            for year in summary.years
        ],
        today=_today(today),
    )


def benefit_chart(benefit: Benefit, *, today: date | None = None) -> Chart | Empty:
    """A benefit's planned trajectory against its measurements, in the benefit's own unit."""
    money = benefit.benefit_type is BenefitType.CASHABLE or benefit.unit.strip().lower() in MONEY_UNITS
    return benefit_trajectory(
        title=benefit.title,
        planned=[(point.on_date, point.value) for point in benefit.trajectory],
        measured=[
            (m.on_date, m.value) for m in sorted(benefit.measurements, key=lambda m: (m.on_date, m.id))
        ],
        higher_is_better=benefit.direction is Direction.HIGHER,
        today=_today(today),
        value_format=lambda value: format_measure(benefit, value),
        axis_format=short_money if money else _axis_format(benefit.unit.strip()),
    )
