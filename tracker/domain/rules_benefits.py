"""Risk rules about benefits: are they defined, owned, and arriving as planned?

Planned values come from the trajectory by straight-line interpolation between its dated points,
holding the last value after the final point; before the first point nothing is planned yet, so
nothing is judged. Two points on one date are a step: the plan heads for the first recorded value,
and the last recorded one holds from that date on. Only the latest measurement of each benefit is
compared; of two on that date, the last recorded counts (points keep the order they were recorded in).

Realisation is `(actual - baseline) / (planned - baseline)` when the baseline is known, which
respects the direction by itself (for 'lower is better', a value above plan realises less than
100%). Without a baseline it is `actual / planned` for 'higher' and `planned / actual` for 'lower'.
A dis-benefit is behind when it is larger than planned: its size (distance from the baseline, or the
value itself without one) exceeds the planned size by more than the threshold, whatever the direction.
"""

from datetime import date
from decimal import Decimal
from itertools import pairwise

from tracker.domain.calendar import format_date
from tracker.domain.flags import Evidence, Flag, Severity, Subject, weight_for
from tracker.domain.snapshot import BenefitSnap, DatedValue, ProgrammeSnapshot
from tracker.domain.thresholds import Thresholds
from tracker.domain.wording import MONEY_UNITS, format_percent, format_quantity

HUNDRED = Decimal(100)


def planned_value_at(trajectory: tuple[DatedValue, ...], on: date) -> Decimal | None:
    """The value the plan expects on a date, so a measurement can be judged on the day it was taken."""
    points = sorted(trajectory, key=lambda point: point[0])
    if not points or on < points[0][0]:
        return None
    for (start, start_value), (end, end_value) in pairwise(points):
        if start <= on < end:  # so end > start: a step (two points on one date) never divides by zero
            elapsed = Decimal((on - start).days) / Decimal((end - start).days)
            return start_value + (end_value - start_value) * elapsed
    return points[-1][1]


def realisation_pct(
    actual: Decimal, planned: Decimal, baseline: Decimal | None, direction: str
) -> Decimal | None:
    """How much of the planned improvement has arrived, as a percentage; None when it can't be said."""
    if baseline is not None:
        if planned == baseline:
            return None
        return (actual - baseline) / (planned - baseline) * HUNDRED
    if direction == "higher":
        return None if planned == 0 else actual / planned * HUNDRED
    return None if actual <= 0 else planned / actual * HUNDRED


def is_money(benefit: BenefitSnap) -> bool:
    """Cashable savings and pound-denominated measures are shown as money."""
    return benefit.type == "cashable" or benefit.unit.strip().lower() in MONEY_UNITS


def benefits_behind_trajectory(
    snapshot: ProgrammeSnapshot, today: date, thresholds: Thresholds
) -> list[Flag]:
    """Benefits are why the money was spent; falling behind plan needs action while it can still help."""
    flags = []
    for benefit in snapshot.benefits:
        if not benefit.measurements or not benefit.still_measured:
            continue
        measured_on, actual = sorted(benefit.measurements, key=lambda point: point[0])[-1]
        planned = planned_value_at(benefit.trajectory, measured_on)
        if planned is None:
            continue
        if benefit.type == "dis_benefit":
            flag = _dis_benefit_flag(benefit, measured_on, actual, planned, thresholds)
        else:
            flag = _benefit_flag(benefit, measured_on, actual, planned, thresholds)
        if flag is not None:
            flags.append(flag)
    return flags


def _comparison(benefit: BenefitSnap, measured_on: date, actual: Decimal, planned: Decimal) -> str:
    """'Cashable saving is £120,000 against a planned £200,000 by 30 September 2026'."""
    money = is_money(benefit)
    return (
        f"{benefit.title} is {format_quantity(actual, benefit.unit, money=money)} against a planned "
        f"{format_quantity(planned, benefit.unit, money=money)} by {format_date(measured_on)}"
    )


def _evidence(measured_on: date, actual: Decimal, planned: Decimal, pct: Decimal) -> Evidence:
    """The numbers behind a benefit flag, as JSON-ready strings."""
    return {
        "measured_on": measured_on.isoformat(),
        "actual": str(actual),
        "planned": str(round(planned, 2)),
        "pct": str(round(pct, 1)),
    }


def _benefit_flag(
    benefit: BenefitSnap, measured_on: date, actual: Decimal, planned: Decimal, thresholds: Thresholds
) -> Flag | None:
    """Flag an ordinary benefit realising less of its plan than the threshold allows."""
    realised = realisation_pct(actual, planned, benefit.baseline_value, benefit.direction)
    if realised is None or realised >= 100 - thresholds.benefits_behind_pct:
        return None
    red = realised < 100 - thresholds.benefits_behind_red_pct
    return Flag(
        rule="benefits_behind_trajectory",
        severity=Severity.RED if red else Severity.AMBER,
        message=f"{_comparison(benefit, measured_on, actual, planned)} ({format_percent(realised)})",
        evidence=_evidence(measured_on, actual, planned, realised),
        subject=Subject("benefit", benefit.id),
        weight=weight_for(float(100 - thresholds.benefits_behind_pct - realised), 10),
    )


def _dis_benefit_flag(
    benefit: BenefitSnap, measured_on: date, actual: Decimal, planned: Decimal, thresholds: Thresholds
) -> Flag | None:
    """Flag a dis-benefit that has grown larger than planned by more than the threshold."""
    baseline = benefit.baseline_value or Decimal(0)
    planned_size, actual_size = abs(planned - baseline), abs(actual - baseline)
    if planned_size == 0:
        return None
    excess = (actual_size - planned_size) / planned_size * HUNDRED
    if excess <= thresholds.benefits_behind_pct:
        return None
    return Flag(
        rule="benefits_behind_trajectory",
        severity=Severity.RED if excess > thresholds.benefits_behind_red_pct else Severity.AMBER,
        message=f"{_comparison(benefit, measured_on, actual, planned)}: "
        f"a dis-benefit {format_percent(excess)} larger than planned",
        evidence=_evidence(measured_on, actual, planned, excess),
        subject=Subject("benefit", benefit.id),
        weight=weight_for(float(excess) - thresholds.benefits_behind_pct, 10),
    )


def no_benefits(snapshot: ProgrammeSnapshot, today: date, thresholds: Thresholds) -> list[Flag]:
    """A programme in delivery with nothing to deliver, or benefits nobody in the service owns, is just IT."""
    flags = []
    if snapshot.stage == "delivery" and not snapshot.benefits:
        flags.append(
            Flag(
                rule="no_benefits",
                severity=Severity.AMBER,
                message="No benefits are defined, but the programme is in delivery",
                evidence={"benefits": 0},
                subject=Subject("programme", snapshot.id),
            )
        )
    for benefit in snapshot.benefits:
        if benefit.still_measured and (benefit.owner is None or not benefit.owner.strip()):
            flags.append(
                Flag(
                    rule="no_benefits",
                    severity=Severity.AMBER,
                    message=f"{benefit.title} has no owner in the service",
                    evidence={"benefit": benefit.title},
                    subject=Subject("benefit", benefit.id),
                )
            )
    return flags
