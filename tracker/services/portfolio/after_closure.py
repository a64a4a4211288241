"""Benefits after closure: a closed programme's benefits still being measured stay in the portfolio's
savings, in the benefits rule and in the digest until each is realised or written off.

The closed programme is not rated again (see `tracker.domain.risk`); its benefits are judged by the same
rule the scan runs for open programmes, `benefits_behind_trajectory`, and their savings summed as the
dashboard sums an open programme's."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import String, false, func, select, type_coerce

from tracker.domain.flags import Flag
from tracker.domain.rules_benefits import benefits_behind_trajectory, is_money
from tracker.domain.snapshot import BenefitSnap, DatedValue, ProgrammeSnapshot
from tracker.extensions import db
from tracker.models import Benefit, BenefitStatus, Measurement, Programme, Stage, TrajectoryPoint
from tracker.models.figures import SAVINGS_BUCKETS, planned_column, realised_column
from tracker.services.portfolio.figures import savings_of
from tracker.services.portfolio.scope import ProgrammeFilter, scope_conditions
from tracker.services.settings import current_thresholds

STILL_MEASURED = Benefit.status == BenefitStatus.TRACKING
SHOWN = 10
"""Benefits after closure listed on the dashboard; a large portfolio's thousands are in the register."""


@dataclass(frozen=True)
class ClosedBenefit:
    """A benefit of a closed programme still being measured, and how it stands against its plan."""

    programme_code: str
    programme_name: str
    manager_id: int | None
    benefit_id: int
    title: str
    owner: str
    latest: DatedValue | None
    money: bool
    flag: Flag | None
    """The benefits rule's flag when it is behind plan."""


@dataclass(frozen=True)
class AfterClosure:
    benefits: list[ClosedBenefit] = field(default_factory=list)
    planned: list[Decimal] = field(default_factory=list)
    planned_to_date: Decimal = Decimal(0)
    realised: list[Decimal] = field(default_factory=list)
    realised_to_date: Decimal = Decimal(0)

    @property
    def programmes(self) -> int:
        return len({benefit.programme_code for benefit in self.benefits})

    @property
    def behind(self) -> list[ClosedBenefit]:
        return [benefit for benefit in self.benefits if benefit.flag is not None]

    @property
    def shown(self) -> list[ClosedBenefit]:
        """The dashboard's few: those behind plan first, then the rest, by programme; the benefits register
        lists them all."""
        on_plan = [benefit for benefit in self.benefits if benefit.flag is None]
        return (self.behind + on_plan)[:SHOWN]


def closed_scope(user_id: int, filters: ProgrammeFilter) -> list[Any]:
    """The closed programmes the dashboard's filters select: none when they ask for a rating or a flag
    (closed programmes are no longer rated) or for another stage."""
    if filters.rating or filters.flag or filters.stage not in (None, Stage.CLOSED):
        return [false()]
    wider = replace(filters, include_closed=True, stage=None)
    return [*scope_conditions(user_id, wider), Programme.stage == Stage.CLOSED]


def after_closure(conditions: list[Any], *, today: date) -> AfterClosure:
    """The benefits still measured of the closed programmes `conditions` select (see `closed_scope`),
    judged as at today, with their cashable savings: four queries, whatever their number."""
    rows = db.session.execute(
        select(
            Programme.id,
            Programme.code,
            Programme.name,
            Programme.manager_id,
            Benefit.id,
            Benefit.title,
            type_coerce(Benefit.benefit_type, String),
            Benefit.owner,
            type_coerce(Benefit.direction, String),
            Benefit.unit,
            Benefit.baseline_value,
            Benefit.adoption_measure,
        )
        .join(Benefit, Benefit.programme_id == Programme.id)
        .where(*conditions, STILL_MEASURED)
        .order_by(Programme.code, Benefit.id)
    ).all()
    if not rows:
        return AfterClosure()
    ids = select(Benefit.id).join(Programme).where(*conditions, STILL_MEASURED)
    trajectory, measurements = _dated(TrajectoryPoint, ids), _latest_measurements(ids, today)
    thresholds = current_thresholds()
    benefits = []
    for pid, code, name, manager, bid, title, kind, owner, direction, unit, baseline, adoption in rows:
        measured = tuple(measurements.get(bid, ()))
        snap = BenefitSnap(
            bid, title, kind, owner, direction, unit, baseline, tuple(trajectory[bid]), measured, adoption
        )  # fmt: skip
        judged = ProgrammeSnapshot(pid, code, name, "closed", benefits=(snap,))
        flag = next(iter(benefits_behind_trajectory(judged, today, thresholds)), None)
        latest = max(snap.measurements, default=None, key=lambda point: point[0])
        benefits.append(ClosedBenefit(code, name, manager, bid, title, owner, latest, is_money(snap), flag))
    in_scope = select(Programme.id).where(*conditions)
    savings = db.session.execute(savings_of(in_scope, STILL_MEASURED, today=today)).one()
    values = {name: Decimal(value or 0) for name, value in savings._mapping.items()}
    return AfterClosure(
        benefits,
        [values[planned_column(bucket)] for bucket in range(SAVINGS_BUCKETS)],
        values["planned_to_date"],
        [values[realised_column(bucket)] for bucket in range(SAVINGS_BUCKETS)],
        values["realised_to_date"],
    )


def _latest_measurements(benefit_ids: Any, today: date) -> dict[int, tuple[DatedValue]]:
    """Each benefit's latest measurement up to today: all the benefits rule and the list need (reading
    every measurement of thousands of benefits took a third of the dashboard's time)."""
    newest = (
        func.row_number()
        .over(
            partition_by=Measurement.benefit_id, order_by=(Measurement.on_date.desc(), Measurement.id.desc())
        )
        .label("newest")
    )
    ranked = (
        select(Measurement.benefit_id, Measurement.on_date, Measurement.value, newest)
        .where(Measurement.benefit_id.in_(benefit_ids), Measurement.on_date <= today)
        .subquery()
    )
    rows = db.session.execute(
        select(ranked.c.benefit_id, ranked.c.on_date, ranked.c.value).where(ranked.c.newest == 1)
    )
    return {benefit_id: ((on_date, value),) for benefit_id, on_date, value in rows}


def _dated(model: Any, benefit_ids: Any) -> defaultdict[int, list[DatedValue]]:
    grouped: defaultdict[int, list[DatedValue]] = defaultdict(list)
    for benefit_id, on_date, value in db.session.execute(
        select(model.benefit_id, model.on_date, model.value)
        .where(model.benefit_id.in_(benefit_ids))
        .order_by(model.benefit_id, model.on_date)
    ):
        grouped[benefit_id].append((on_date, value))
    return grouped
