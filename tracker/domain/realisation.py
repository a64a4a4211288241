"""How far a benefit is realised: one measured value judged against the plan on the day it was taken,
read the right way round for the benefit's direction, with the risk scan's limits for its colour."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Protocol

from tracker.domain.rules_benefits import planned_value_at, realisation_pct
from tracker.domain.thresholds import Thresholds
from tracker.domain.vocabulary import BenefitType, Direction
from tracker.domain.wording import format_percent

ON_TRACK_PCT = Decimal("99.95")
"""Realisation that rounds to 100% reads as on track."""


class PlannedPoint(Protocol):
    """A point on a benefit's planned trajectory."""

    @property
    def on_date(self) -> date: ...

    @property
    def value(self) -> Decimal: ...


class Benefit(Protocol):
    """What judging a measurement reads of a benefit: its plan, type, baseline and better direction."""

    @property
    def trajectory(self) -> Iterable[PlannedPoint]: ...

    @property
    def benefit_type(self) -> BenefitType: ...

    @property
    def baseline_value(self) -> Decimal | None: ...

    @property
    def direction(self) -> Direction: ...


@dataclass(frozen=True)
class Realisation:
    """One measured value judged against the plan on the day it was taken."""

    measured_on: date
    actual: Decimal
    planned: Decimal | None
    percent: Decimal | None
    status: str
    colour: str  # a GOV.UK tag colour: green, yellow, orange, red or grey


def judge(benefit: Benefit, measured_on: date, actual: Decimal, thresholds: Thresholds) -> Realisation:
    """Actual against the plan at that date, read the right way round for the benefit's direction."""
    plan = tuple((point.on_date, point.value) for point in benefit.trajectory)
    planned = planned_value_at(plan, measured_on)
    if planned is None:
        return Realisation(measured_on, actual, None, None, "No plan yet for this date", "grey")
    if benefit.benefit_type is BenefitType.DIS_BENEFIT:
        return _judge_dis_benefit(benefit, measured_on, actual, planned, thresholds)
    percent = realisation_pct(actual, planned, benefit.baseline_value, benefit.direction.value)
    if percent is None:  # the plan expects no change from the baseline yet: compare directly
        ahead = actual >= planned if benefit.direction is Direction.HIGHER else actual <= planned
        status, colour = ("On track", "green") if ahead else ("Behind plan", "orange")
        return Realisation(measured_on, actual, planned, None, status, colour)
    if percent >= ON_TRACK_PCT:
        return Realisation(measured_on, actual, planned, percent, "On track", "green")
    colour = _colour_for(100 - percent, thresholds)
    return Realisation(
        measured_on, actual, planned, percent, f"Behind plan ({format_percent(percent)})", colour
    )


def _judge_dis_benefit(
    benefit: Benefit, measured_on: date, actual: Decimal, planned: Decimal, thresholds: Thresholds
) -> Realisation:
    """A dis-benefit is on track while it is no larger than planned, whichever way it points."""
    baseline = benefit.baseline_value or Decimal(0)
    planned_size, actual_size = abs(planned - baseline), abs(actual - baseline)
    if actual_size <= planned_size:
        return Realisation(measured_on, actual, planned, None, "On track", "green")
    if planned_size == 0:
        return Realisation(measured_on, actual, planned, None, "Worse than plan", "orange")
    excess = (actual_size - planned_size) / planned_size * 100
    status = f"Worse than plan ({format_percent(excess)} larger)"
    return Realisation(measured_on, actual, planned, excess, status, _colour_for(excess, thresholds))


def _colour_for(shortfall: Decimal, thresholds: Thresholds) -> str:
    """The same limits as the risk scan, so the page and the flags agree."""
    if shortfall > thresholds.benefits_behind_red_pct:
        return "red"
    if shortfall > thresholds.benefits_behind_pct:
        return "orange"
    return "yellow"
