"""Reading the portfolio: the programmes list, filtered, sorted and paged, in a fixed number of queries."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import Select, and_, case, func, select

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
    """A page of rows, the totals pagination needs, and the choices the filters offer."""

    rows: list[PortfolioRow]
    total: int
    page: int
    pages: int
    financial_year: int
    directorates: list[str] = field(default_factory=list)
    managers: list[tuple[int, str]] = field(default_factory=list)


def list_programmes(
    user: User, query: PortfolioQuery, *, today: date | None = None, per_page: int = PER_PAGE
) -> PortfolioPage:
    """One page of programmes with rating, next milestone and this year's money: four queries in all."""
    year = financial_year(today or london_today(utcnow()))
    per_page = min(max(per_page, 1), MAX_PER_PAGE)
    conditions = scope_conditions(user.id, query)
    total = db.session.scalar(select(func.count(Programme.id)).where(*conditions)) or 0
    pages = max(1, math.ceil(total / per_page))
    page = min(max(query.page, 1), pages)
    statement, sort_columns = _rows_statement(year)
    expression = sort_columns.get(query.sort, sort_columns["code"])
    direction = expression.desc() if query.descending else expression.asc()
    statement = (
        statement.where(*conditions)
        .order_by(case((expression.is_(None), 1), else_=0), direction, Programme.code)
        .limit(per_page)
        .offset((page - 1) * per_page)
    )
    rows = [PortfolioRow(**values._mapping) for values in db.session.execute(statement)]
    return PortfolioPage(
        rows=rows,
        total=total,
        page=page,
        pages=pages,
        financial_year=year,
        directorates=list(
            db.session.scalars(select(Programme.directorate).distinct().order_by("directorate"))
        ),
        managers=[
            (user_id, name)
            for user_id, name in db.session.execute(
                select(User.id, User.name)
                .where(User.id.in_(select(Programme.manager_id).where(Programme.manager_id.is_not(None))))
                .order_by(User.name)
            )
        ],
    )


def _rows_statement(year: int) -> tuple[Select[Any], dict[str, Any]]:
    """Programmes joined to their manager, latest assessment, next open milestone and money totals."""
    money = (
        select(
            Investment.programme_id,
            func.sum(Investment.approved).label("budget"),
            func.sum(Investment.forecast).label("forecast"),
        )
        .where(in_year(year))
        .group_by(Investment.programme_id)
        .subquery()
    )
    due = func.coalesce(Milestone.forecast_date, Milestone.baseline_date)
    open_milestones = (
        select(
            Milestone.programme_id,
            Milestone.title,
            due.label("due"),
            func.row_number()
            .over(partition_by=Milestone.programme_id, order_by=(due, Milestone.id))
            .label("position"),
        )
        .where(milestone_open())
        .subquery()
    )
    budget = func.coalesce(money.c.budget, ZERO)
    forecast = func.coalesce(money.c.forecast, ZERO)
    statement = (
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
            open_milestones.c.title.label("next_milestone"),
            open_milestones.c.due.label("next_milestone_date"),
            budget.label("budget"),
            forecast.label("forecast"),
        )
        .outerjoin(User, User.id == Programme.manager_id)
        .outerjoin(
            RiskAssessment,
            and_(
                RiskAssessment.programme_id == Programme.id,
                is_latest(by_programme=True),  # each row's own assessments, not every latest one
                Programme.stage != Stage.CLOSED,  # closed programmes are not rated
            ),
        )
        .outerjoin(
            open_milestones,
            and_(open_milestones.c.programme_id == Programme.id, open_milestones.c.position == 1),
        )
        .outerjoin(money, money.c.programme_id == Programme.id)
    )
    sort_columns = {
        "code": Programme.code,
        "name": func.lower(Programme.name),
        "directorate": func.lower(Programme.directorate),
        "stage": case(STAGE_ORDER, value=Programme.stage),
        "manager": func.lower(User.name),
        "confidence": case(CONFIDENCE_ORDER, value=Programme.confidence),
        "rating": RiskAssessment.score,
        "next_milestone": open_milestones.c.due,
        "budget": budget,
        "forecast": forecast,
    }
    return statement, sort_columns
