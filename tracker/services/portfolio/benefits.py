"""The benefits register: every benefit across the portfolio, with its latest measurement and status, and
the cashable savings they add up to, counted as the dashboard counts them. Closed programmes' benefits
are in it while they are being measured (the benefits are what lives on after a closure), and all of
them when asked. A page at a time or all of them for a download, in a fixed number of queries."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import Select, Subquery, and_, case, distinct, func, or_, select, type_coerce

from tracker.domain.spreadsheet import Column, Kind, Sheet
from tracker.domain.vocabulary import label
from tracker.extensions import db
from tracker.models import (
    Benefit,
    BenefitStatus,
    BenefitType,
    Direction,
    Measurement,
    Programme,
    Stage,
    User,
)
from tracker.models.types import Measure
from tracker.services.paging import in_batches, page_of
from tracker.services.portfolio.figures import counts_as_saving, saving
from tracker.services.portfolio.scope import ProgrammeFilter, filter_choices, scope_conditions

PER_PAGE = 50
BATCH = 500
"""Rows a download fetches from the database at a time."""
ALL = "all"
"""`status` filter value: every benefit of every programme, whatever its status."""
AFTER_CLOSURE = "after_closure"
"""`status` filter value: the benefits of closed programmes still being measured (the dashboard's
benefits after closure)."""


@dataclass(frozen=True)
class BenefitsQuery:
    """The register's filters. `status` None: open programmes' benefits and closed programmes' still
    being measured; a BenefitStatus: those with it, in any programme; ALL: every one; AFTER_CLOSURE: closed
    programmes' still being measured."""

    mine: bool = False
    directorate: str | None = None
    manager_id: int | None = None
    benefit_type: BenefitType | None = None
    status: BenefitStatus | str | None = None
    owner: str | None = None
    """Part of the owner's name, in any case."""
    page: int = 1


@dataclass(frozen=True)
class BenefitRow:
    """One benefit, its latest measurement and its programme, as plain values (named as on Benefit, so the
    benefit pages' formatter words its values)."""

    id: int
    title: str
    benefit_type: BenefitType
    measure: str
    unit: str
    direction: Direction
    owner: str
    baseline_value: Decimal | None
    baseline_date: date | None
    target_value: Decimal | None
    target_date: date | None
    status: BenefitStatus
    status_reason: str
    handed_over_on: date | None
    latest_value: Decimal | None
    latest_on: date | None
    code: str
    programme_name: str
    directorate: str
    stage: Stage


@dataclass(frozen=True)
class Savings:
    """Cashable savings of the benefits selected (every page), as the dashboard counts a saving: the move
    from the baseline in the better direction. A benefit with no target, or not measured yet, is left out
    of that total, and counted so the page can say so."""

    cashable: int
    planned: Decimal
    planned_from: int
    measured: Decimal
    measured_from: int


@dataclass(frozen=True)
class BenefitsPage:
    rows: list[BenefitRow]
    total: int
    programmes: int
    page: int
    pages: int
    savings: Savings
    directorates: list[str] = field(default_factory=list)
    managers: list[tuple[int, str]] = field(default_factory=list)


def latest_measurements() -> Subquery:
    """Each benefit's measurements, `position` 1 the latest (by date, then the last recorded): join on
    position 1 for the latest value and date."""
    return select(
        Measurement.benefit_id,
        Measurement.value,
        Measurement.on_date,
        func.row_number()
        .over(
            partition_by=Measurement.benefit_id, order_by=(Measurement.on_date.desc(), Measurement.id.desc())
        )
        .label("position"),
    ).subquery("latest_measurement")


def benefits_page(user: User, query: BenefitsQuery, *, per_page: int = PER_PAGE) -> BenefitsPage:
    """One page of benefits, the counts and savings of all of them, and the filters' choices: four
    queries."""
    conditions = _conditions(user, query)
    latest = latest_measurements()
    countable = counts_as_saving()
    with_target = and_(countable, Benefit.target_value.is_not(None))
    measured = and_(countable, latest.c.value.is_not(None))
    totals = db.session.execute(
        _joined(
            select(
                func.count(Benefit.id),
                func.count(distinct(Benefit.programme_id)),
                func.count(case((Benefit.benefit_type == BenefitType.CASHABLE, 1))),
                _total(case((with_target, saving(Benefit.target_value)))),
                func.count(case((with_target, 1))),
                _total(case((measured, saving(latest.c.value)))),
                func.count(case((measured, 1))),
            ),
            latest,
            conditions,
        )
    ).one()
    total, programmes, cashable, planned, planned_from, realised, measured_from = totals
    page, pages = page_of(query.page, total, per_page)
    statement = rows_statement(conditions, latest).limit(per_page).offset((page - 1) * per_page)
    rows = [BenefitRow(*values) for values in db.session.execute(statement)]
    directorates, managers = filter_choices(include_closed=True)
    return BenefitsPage(
        rows=rows,
        total=total,
        programmes=programmes,
        page=page,
        pages=pages,
        savings=Savings(cashable, planned, planned_from, realised, measured_from),
        directorates=directorates,
        managers=managers,
    )


CSV_COLUMNS = [
    Column("Programme code", width=14),
    Column("Programme", width=40),
    Column("Directorate", width=24),
    Column("Programme stage", width=14),
    Column("Benefit", width=40),
    Column("Type", width=18),
    Column("Owner in the service", width=24),
    Column("Measure", width=30),
    Column("Unit", width=10),
    Column("Better when", width=10),
    Column("Baseline value", Kind.NUMBER),
    Column("Baseline date", Kind.DATE),
    Column("Target value", Kind.NUMBER),
    Column("Target date", Kind.DATE),
    Column("Latest measured value", Kind.NUMBER),
    Column("Latest measured on", Kind.DATE),
    Column("Status", width=14),
    Column("Reason for the status", width=40),
    Column("Handed over on", Kind.DATE),
]


def benefits_sheet(user: User, query: BenefitsQuery) -> Sheet:
    """Every benefit the register's filters select, all pages, in the page's order; read as it is written."""
    statement = rows_statement(_conditions(user, query), latest_measurements())
    return Sheet("Benefits", CSV_COLUMNS, _sheet_rows(statement))


def _sheet_rows(statement: Select[Any]) -> Iterator[tuple[Any, ...]]:
    for values in in_batches(statement, BATCH):
        row = BenefitRow(*values)
        yield (
            row.code,
            row.programme_name,
            row.directorate,
            label(row.stage),
            row.title,
            label(row.benefit_type),
            row.owner or None,
            row.measure or None,
            row.unit or None,
            label(row.direction),
            row.baseline_value,
            row.baseline_date,
            row.target_value,
            row.target_date,
            row.latest_value,
            row.latest_on,
            label(row.status),
            row.status_reason or None,
            row.handed_over_on,
        )


def _conditions(user: User, query: BenefitsQuery) -> list[Any]:
    """Benefits of the programmes the filters select, of the type, status and owner asked."""
    programmes = ProgrammeFilter(
        mine=query.mine, include_closed=True, directorate=query.directorate, manager_id=query.manager_id
    )
    conditions = scope_conditions(user.id, programmes)
    if query.status is None:
        conditions.append(or_(Programme.stage != Stage.CLOSED, Benefit.status == BenefitStatus.TRACKING))
    elif query.status == AFTER_CLOSURE:
        conditions += [Programme.stage == Stage.CLOSED, Benefit.status == BenefitStatus.TRACKING]
    elif query.status != ALL:
        conditions.append(Benefit.status == BenefitStatus(query.status))
    if query.benefit_type:
        conditions.append(Benefit.benefit_type == query.benefit_type)
    if query.owner:
        conditions.append(func.lower(Benefit.owner).contains(query.owner.lower(), autoescape=True))
    return conditions


def _total(values: Any) -> Any:
    """The sum of the values that are not NULL, nothing when none is, as a Decimal."""
    return type_coerce(func.coalesce(func.sum(values), 0), Measure)


def _joined(statement: Select[Any], latest: Subquery, conditions: list[Any]) -> Select[Any]:
    """Benefits with their programme and latest measurement, where the conditions hold."""
    return (
        statement.select_from(Benefit)
        .join(Programme, Programme.id == Benefit.programme_id)
        .outerjoin(latest, and_(latest.c.benefit_id == Benefit.id, latest.c.position == 1))
        .where(*conditions)
    )


def rows_statement(conditions: list[Any], latest: Subquery) -> Select[Any]:
    """Benefits by programme, then in the order they were added; columns in BenefitRow's order."""
    columns = select(
        Benefit.id,
        Benefit.title,
        Benefit.benefit_type,
        Benefit.measure,
        Benefit.unit,
        Benefit.direction,
        Benefit.owner,
        Benefit.baseline_value,
        Benefit.baseline_date,
        Benefit.target_value,
        Benefit.target_date,
        Benefit.status,
        Benefit.status_reason,
        Benefit.handed_over_on,
        latest.c.value,
        latest.c.on_date,
        Programme.code,
        Programme.name.label("programme_name"),
        Programme.directorate,
        Programme.stage,
    )
    return _joined(columns, latest, conditions).order_by(Programme.code, Benefit.id)
