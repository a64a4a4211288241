"""Reading the portfolio: the programmes list, filtered, sorted and paged, in a fixed number of queries."""

from __future__ import annotations

import dataclasses
import functools
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import Select, and_, bindparam, case, func, select
from sqlalchemy.orm import aliased

from tracker.domain.calendar import financial_year, london_today
from tracker.extensions import db
from tracker.models import (
    Confidence,
    ConfidenceSource,
    Investment,
    Milestone,
    Programme,
    Rag,
    RiskAssessment,
    Stage,
    User,
)
from tracker.models.types import ZERO, utcnow
from tracker.services.paging import page_of
from tracker.services.portfolio.definitions import in_year, milestone_open
from tracker.services.portfolio.scope import ProgrammeFilter, is_latest, scope_conditions

PER_PAGE = 50
MAX_PER_PAGE = 200

SORT_KEYS = (
    "code",
    "name",
    "directorate",
    "stage",
    "manager",
    "confidence",
    "rating",
    "next_milestone",
    "budget",
    "forecast",
)
STAGE_ORDER = {stage: position for position, stage in enumerate(Stage, start=1)}
CONFIDENCE_ORDER = {confidence: position for position, confidence in enumerate(Confidence, start=1)}


@dataclass(frozen=True)
class PortfolioQuery(ProgrammeFilter):
    """The list's filters, with the sort and page from the URL."""

    sort: str = "code"
    descending: bool = False
    page: int = 1


@dataclass(frozen=True)
class PortfolioRow:
    """One line of the list: plain values, so the template does no lookups."""

    code: str
    external_reference: str | None
    name: str
    directorate: str
    stage: Stage
    paused: bool
    manager_name: str | None
    confidence: Confidence | None
    confidence_source: ConfidenceSource | None
    confidence_assessed_on: date | None
    rating: Rag | None
    score: int | None
    next_milestone: str | None
    next_milestone_date: date | None
    budget: Decimal
    forecast: Decimal

    @property
    def is_closed(self) -> bool:
        return self.stage is Stage.CLOSED

    @property
    def stage_order(self) -> int:
        """Lifecycle position, so stages sort in order rather than alphabetically."""
        return STAGE_ORDER[self.stage]

    @property
    def confidence_order(self) -> int:
        return CONFIDENCE_ORDER.get(self.confidence, 0) if self.confidence else 0


@dataclass(frozen=True)
class PortfolioPage:
    """A page of rows and the totals pagination needs."""

    rows: list[PortfolioRow]
    total: int
    page: int
    pages: int
    financial_year: int


def list_programmes(
    user: User, query: PortfolioQuery, *, today: date | None = None, per_page: int = PER_PAGE
) -> PortfolioPage:
    """One page of programmes with rating, next milestone and this year's money: three queries in all.

    The page's programmes are chosen first, sorting on as little as the sort needs (a programme's own
    columns, its manager or latest rating; its next milestone or money only for those sorts); then the
    rows are built for those programmes alone, so the milestone and money sums read one page's records,
    not the portfolio's."""
    year = financial_year(today or london_today(utcnow()))
    per_page = min(max(per_page, 1), MAX_PER_PAGE)
    conditions = scope_conditions(user.id, query)
    total = db.session.scalar(select(func.count(Programme.id)).where(*conditions)) or 0
    page, pages = page_of(query.page, total, per_page)
    chosen, expression = _page_order(query.sort, year)
    direction = expression.desc() if query.descending else expression.asc()
    ids = list(
        db.session.scalars(
            chosen.where(*conditions)
            .order_by(case((expression.is_(None), 1), else_=0), direction, Programme.code)
            .limit(per_page)
            .offset((page - 1) * per_page)
        )
    )
    place = {programme_id: position for position, programme_id in enumerate(ids)}
    found = db.session.execute(_page_rows(), {"year": year, "ids": ids}) if ids else []
    rows = [  # the statement's columns are PortfolioRow's fields in order, then the id
        PortfolioRow(*values[:-1]) for values in sorted(found, key=lambda values: place[values.id])
    ]
    return PortfolioPage(rows=rows, total=total, page=page, pages=pages, financial_year=year)


def _due() -> Any:
    return func.coalesce(Milestone.forecast_date, Milestone.baseline_date)


def _money_sum(column: Any, year: int) -> Any:
    """This year's sum of a cost line column for the programme of the row (unknown amounts left out)."""
    return (
        select(func.sum(column))
        .where(Investment.programme_id == Programme.id, in_year(year))
        .correlate(Programme)
        .scalar_subquery()
    )


def _page_order(sort: str, year: int) -> tuple[Select[Any], Any]:
    """The ids of the programmes in order of `sort`, joined to no more than that sort reads."""
    chosen = select(Programme.id)
    if sort == "manager":
        return chosen.outerjoin(User, User.id == Programme.manager_id), func.lower(User.name)
    if sort == "rating":
        return _with_latest_rating(chosen), RiskAssessment.score
    if sort == "next_milestone":
        soonest = (
            select(func.min(_due()))
            .where(Milestone.programme_id == Programme.id, milestone_open())
            .correlate(Programme)
            .scalar_subquery()
        )
        return chosen, soonest
    if sort in ("budget", "forecast"):
        column = Investment.approved if sort == "budget" else Investment.forecast
        return chosen, func.coalesce(_money_sum(column, year), ZERO)
    own = {
        "name": lambda: func.lower(Programme.name),
        "directorate": lambda: func.lower(Programme.directorate),
        "stage": lambda: case(STAGE_ORDER, value=Programme.stage),
        "confidence": lambda: case(CONFIDENCE_ORDER, value=Programme.confidence),
    }
    return chosen, own[sort]() if sort in own else Programme.code


def _with_latest_rating(statement: Select[Any]) -> Select[Any]:
    return statement.outerjoin(
        RiskAssessment,
        and_(
            RiskAssessment.programme_id == Programme.id,
            is_latest(by_programme=True),  # each row's own assessments, not every latest one
            Programme.stage != Stage.CLOSED,  # closed programmes are not rated
        ),
    )


@functools.cache
def _page_rows() -> Select[Any]:
    """The rows of the programmes given as `ids`, with their ids, each figure read for those programmes
    only, for financial year `year`. Built once: a page's request only binds the two parameters."""
    statement, _ = _rows_statement(bindparam("year"), bindparam("ids", expanding=True))
    statement = statement.add_columns(Programme.id)
    columns = [column.key for column in statement.selected_columns]
    if columns != [each.name for each in dataclasses.fields(PortfolioRow)] + ["id"]:
        raise RuntimeError(f"The list's columns {columns} are not PortfolioRow's fields in order")
    return statement


def _rows_statement(year: int | Any, ids: list[int] | Any = None) -> tuple[Select[Any], dict[str, Any]]:
    """Programmes joined to their manager, latest assessment, next open milestone and this year's money,
    with the sort expressions. Exports read every programme; with `ids` (a page's programmes), the
    milestones and money of those programmes alone are read, and only their rows returned. Either may
    be a bound parameter."""

    def of_these(column: Any) -> list[Any]:
        return [] if ids is None else [column.in_(ids)]

    money = (
        select(
            Investment.programme_id,
            func.sum(Investment.approved).label("budget"),
            func.sum(Investment.forecast).label("forecast"),
        )
        .where(in_year(year), *of_these(Investment.programme_id))
        .group_by(Investment.programme_id)
        .subquery()
    )
    # Each programme's next open milestone, found through the programme's own milestones in due
    # order (its index), rather than by numbering every open milestone with a window.
    next_one = aliased(Milestone, name="next_milestone")
    first_open = (
        select(Milestone.id)
        .where(Milestone.programme_id == Programme.id, milestone_open())
        .order_by(_due(), Milestone.id)
        .limit(1)
        .correlate(Programme)
        .scalar_subquery()
    )
    next_due = func.coalesce(next_one.forecast_date, next_one.baseline_date)
    budget = func.coalesce(money.c.budget, ZERO)
    forecast = func.coalesce(money.c.forecast, ZERO)
    statement = (
        _with_latest_rating(
            select(
                Programme.code,
                Programme.external_reference,
                Programme.name,
                Programme.directorate,
                Programme.stage,
                Programme.paused,
                User.name.label("manager_name"),
                Programme.confidence,
                Programme.confidence_source,
                Programme.confidence_assessed_on,
                RiskAssessment.rating,
                RiskAssessment.score,
                next_one.title.label("next_milestone"),
                next_due.label("next_milestone_date"),
                budget.label("budget"),
                forecast.label("forecast"),
            ).outerjoin(User, User.id == Programme.manager_id)
        )
        .outerjoin(next_one, next_one.id == first_open)
        .outerjoin(money, money.c.programme_id == Programme.id)
        .where(*of_these(Programme.id))
    )
    sort_columns = {
        "code": Programme.code,
        "name": func.lower(Programme.name),
        "directorate": func.lower(Programme.directorate),
        "stage": case(STAGE_ORDER, value=Programme.stage),
        "manager": func.lower(User.name),
        "confidence": case(CONFIDENCE_ORDER, value=Programme.confidence),
        "rating": RiskAssessment.score,
        "next_milestone": next_due,
        "budget": budget,
        "forecast": forecast,
    }
    return statement, sort_columns
