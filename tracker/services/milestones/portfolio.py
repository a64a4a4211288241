"""Milestones across the portfolio: every overdue or upcoming one of the open programmes, by date, a page at
a time or all of them for a download; a fixed number of queries whatever the portfolio's size."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Select, and_, distinct, func, select

from tracker.domain.calendar import london_today
from tracker.domain.definitions import overdue_days
from tracker.domain.spreadsheet import Column, Kind, Sheet
from tracker.domain.vocabulary import label
from tracker.extensions import db
from tracker.models import Milestone, Programme, Rag, RiskAssessment, User
from tracker.models.types import utcnow
from tracker.services.paging import page_of
from tracker.services.portfolio.definitions import milestone_open, milestone_overdue
from tracker.services.portfolio.scope import ProgrammeFilter, filter_choices, is_latest, scope_conditions

PER_PAGE = 50
OVERDUE = "overdue"
WEEKS = (2, 4, 8, 12)
"""The look-ahead choices, in weeks, besides overdue."""


@dataclass(frozen=True)
class MilestoneQuery:
    """The page's filters: which programmes, critical milestones only, and overdue or due within `weeks`."""

    mine: bool = False
    directorate: str | None = None
    manager_id: int | None = None
    critical: bool = False
    weeks: int | None = None
    """None: overdue; otherwise due from today to the end of that many weeks."""
    page: int = 1

    @property
    def overdue(self) -> bool:
        return self.weeks is None

    def programmes(self) -> ProgrammeFilter:
        """The programme filters, which leave out closed programmes as the list does."""
        return ProgrammeFilter(mine=self.mine, directorate=self.directorate, manager_id=self.manager_id)


@dataclass(frozen=True)
class MilestoneRow:
    """One milestone and its programme, as plain values."""

    id: int
    title: str
    critical: bool
    baseline_date: date
    forecast_date: date | None
    code: str
    programme_name: str
    directorate: str
    manager_name: str | None
    rating: Rag | None
    days: int
    """Days late when overdue, otherwise days until the baseline date (0: due today)."""


@dataclass(frozen=True)
class MilestonePage:
    rows: list[MilestoneRow]
    total: int
    programmes: int
    page: int
    pages: int
    today: date
    directorates: list[str] = field(default_factory=list)
    managers: list[tuple[int, str]] = field(default_factory=list)


def milestones_page(
    user: User, query: MilestoneQuery, *, today: date | None = None, per_page: int = PER_PAGE
) -> MilestonePage:
    """One page of milestones, the count and programme count, and the filters' choices: four queries."""
    today = today or london_today(utcnow())
    conditions = _conditions(user, query, today)
    total, programmes = db.session.execute(
        select(func.count(Milestone.id), func.count(distinct(Milestone.programme_id)))
        .join(Programme, Programme.id == Milestone.programme_id)
        .where(*conditions)
    ).one()
    page, pages = page_of(query.page, total, per_page)
    statement = _rows_statement(conditions).limit(per_page).offset((page - 1) * per_page)
    rows = [_row(values, query, today) for values in db.session.execute(statement)]
    directorates, managers = filter_choices()
    return MilestonePage(
        rows=rows,
        total=total,
        programmes=programmes,
        page=page,
        pages=pages,
        today=today,
        directorates=directorates,
        managers=managers,
    )


CSV_COLUMNS = [
    Column("Programme code", width=14),
    Column("Programme", width=40),
    Column("Directorate", width=24),
    Column("Programme manager", width=24),
    Column("Milestone", width=40),
    Column("Critical", width=8),
    Column("Latest approved baseline", Kind.DATE),
    Column("Forecast", Kind.DATE),
    Column("Days late", Kind.NUMBER, 10),
    Column("Due in (days)", Kind.NUMBER, 10),
    Column("Programme rating", width=12),
]


def milestones_sheet(user: User, query: MilestoneQuery, *, today: date | None = None) -> Sheet:
    """Every milestone the page's filters select, all pages, in the page's order; read as it is written."""
    today = today or london_today(utcnow())
    return Sheet("Milestones", CSV_COLUMNS, _sheet_rows(user, query, today))


def _sheet_rows(user: User, query: MilestoneQuery, today: date) -> Iterator[tuple[Any, ...]]:
    statement = _rows_statement(_conditions(user, query, today)).execution_options(yield_per=500)
    for values in db.session.execute(statement):
        row = _row(values, query, today)
        yield (
            row.code,
            row.programme_name,
            row.directorate,
            row.manager_name,
            row.title,
            row.critical,
            row.baseline_date,
            row.forecast_date,
            row.days if query.overdue else None,
            None if query.overdue else row.days,
            label(row.rating) if row.rating else "Not yet rated",
        )


def _conditions(user: User, query: MilestoneQuery, today: date) -> list[Any]:
    """Open milestones of the open programmes the filters select, overdue or due within the weeks asked."""
    if query.overdue:
        when = milestone_overdue(today)
    else:
        end = today + timedelta(weeks=query.weeks or 0)
        when = and_(milestone_open(), Milestone.baseline_date >= today, Milestone.baseline_date < end)
    conditions = [when, *scope_conditions(user.id, query.programmes())]
    if query.critical:
        conditions.append(Milestone.critical.is_(True))
    return conditions


def _rows_statement(conditions: list[Any]) -> Select[Any]:
    """Milestones by baseline date (most late first when overdue, soonest first when upcoming)."""
    return (
        select(
            Milestone.id,
            Milestone.title,
            Milestone.critical,
            Milestone.baseline_date,
            Milestone.forecast_date,
            Programme.code,
            Programme.name.label("programme_name"),
            Programme.directorate,
            User.name.label("manager_name"),
            RiskAssessment.rating,
        )
        .join(Programme, Programme.id == Milestone.programme_id)
        .outerjoin(User, User.id == Programme.manager_id)
        .outerjoin(
            RiskAssessment, and_(RiskAssessment.programme_id == Programme.id, is_latest(by_programme=True))
        )
        .where(*conditions)
        .order_by(Milestone.baseline_date, Programme.code, Milestone.id)
    )


def _row(values: Any, query: MilestoneQuery, today: date) -> MilestoneRow:
    """A row of `_rows_statement`, whose columns are MilestoneRow's fields in order, with its days."""
    baseline = values.baseline_date
    late = overdue_days(True, baseline, today) if query.overdue else None
    return MilestoneRow(*values, days=(baseline - today).days if late is None else late)
