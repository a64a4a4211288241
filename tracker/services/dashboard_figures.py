"""The dashboard's figures, each an aggregate computed in the database over the programmes in scope.

Every function runs one query whatever the portfolio's size. Money is summed for the current financial
year, except the focus split and "technology only", which weigh whole-life approved investment.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import and_, case, func, literal, null, select, union_all

from tracker.extensions import db
from tracker.models import (
    Benefit,
    BenefitType,
    Focus,
    Investment,
    Measurement,
    Milestone,
    MilestoneStatus,
    Programme,
    Rag,
    RebaselineRequest,
    RequestStatus,
    RiskAssessment,
    Stage,
    Trend,
    User,
)
from tracker.models.types import ZERO
from tracker.services.dashboard_scope import latest_flags, scoped_ids

PENNY = Decimal("0.01")
ATTENTION_SIZE = 10
TECHNOLOGY_ONLY_SHOWN = 5
DONE = (MilestoneStatus.COMPLETE, MilestoneStatus.CANCELLED)


@dataclass(frozen=True)
class Counts:
    """This year's money and the counts the headline shows."""

    approved: Decimal
    forecast: Decimal
    actual: Decimal
    overdue_milestones: int
    stale_programmes: int
    pending_rebaselines: int


@dataclass(frozen=True)
class ServiceBenefits:
    """Service-improvement benefits: behind plan at the latest scan, measured and not behind, unmeasured."""

    total: int
    off_track: int
    on_track: int
    not_measured: int


@dataclass(frozen=True)
class FocusRow:
    focus: Focus
    programmes: int
    investment: Decimal


@dataclass(frozen=True)
class TechnologyOnly:
    """Programmes flagged "technology only", their whole-life approved investment, and the largest few."""

    programmes: int
    investment: Decimal
    largest: list[tuple[str, str, Decimal]]


@dataclass(frozen=True)
class AttentionItem:
    code: str
    name: str
    directorate: str
    rating: Rag
    score: int
    trend: Trend
    message: str


def money(value: Any) -> Decimal:
    """A sum from the database as pounds and pence (SQLite sums numerics as floats)."""
    return Decimal(str(value or 0)).quantize(PENNY)


def ratings_by_directorate(conditions: list[Any]) -> list[tuple[str, Rag | None, int]]:
    """(directorate, latest rating or None when not yet rated, programmes) for the heatmap and totals.

    Rated programmes are read from the latest assessments (an index on is_latest) rather than by
    looking up each programme's history, which reads every past assessment."""
    latest = RiskAssessment.is_latest.is_(True)
    rated = (
        select(Programme.directorate, RiskAssessment.rating, func.count(Programme.id))
        .join(Programme, Programme.id == RiskAssessment.programme_id)
        .where(latest, *conditions)
        .group_by(Programme.directorate, RiskAssessment.rating)
    )
    unrated = (
        select(Programme.directorate, null(), func.count(Programme.id))
        .where(*conditions, Programme.id.not_in(select(RiskAssessment.programme_id).where(latest)))
        .group_by(Programme.directorate)
    )
    return [
        (directorate, rating, count)
        for directorate, rating, count in db.session.execute(union_all(rated, unrated))
    ]


def headline_counts(conditions: list[Any], *, year: int, today: date) -> Counts:
    """This year's approved, forecast and actual spend, overdue milestones, stale programmes and pending
    re-baseline requests, as scalar subqueries of one statement."""
    programmes = scoped_ids(conditions)
    flags = latest_flags("stale")
    this_year = select(
        func.sum(Investment.approved), func.sum(Investment.forecast), func.sum(Investment.actual)
    ).where(Investment.financial_year == year, Investment.programme_id.in_(programmes))
    sums = this_year.subquery()
    overdue = select(func.count(Milestone.id)).where(
        Milestone.programme_id.in_(programmes), Milestone.status.not_in(DONE), Milestone.baseline_date < today
    )
    stale = select(func.count(func.distinct(flags.c.programme_id))).where(
        flags.c.programme_id.in_(programmes)
    )
    pending = (
        select(func.count(RebaselineRequest.id))
        .join(Milestone, Milestone.id == RebaselineRequest.milestone_id)
        .where(RebaselineRequest.status == RequestStatus.PENDING, Milestone.programme_id.in_(programmes))
    )
    columns = list(sums.c)
    row = db.session.execute(
        select(*columns, overdue.scalar_subquery(), stale.scalar_subquery(), pending.scalar_subquery())
    ).one()
    return Counts(
        approved=money(row[0]),
        forecast=money(row[1]),
        actual=money(row[2]),
        overdue_milestones=row[3] or 0,
        stale_programmes=row[4] or 0,
        pending_rebaselines=row[5] or 0,
    )


def service_benefits(conditions: list[Any]) -> ServiceBenefits:
    """Service-improvement benefits judged by the latest scan: off track when a "benefits behind
    trajectory" flag names them, on track when measured and not flagged."""
    flags = latest_flags("benefits_behind_trajectory")
    behind = select(flags.c.subject_id).where(flags.c.subject_kind == "benefit")
    measured = select(Measurement.id).where(Measurement.benefit_id == Benefit.id).exists()
    off = Benefit.id.in_(behind)
    row = db.session.execute(
        select(
            func.count(Benefit.id),
            func.count(case((off, 1))),
            func.count(case((and_(measured, ~off), 1))),
            func.count(case((~measured, 1))),
        ).where(
            Benefit.benefit_type == BenefitType.SERVICE_IMPROVEMENT,
            Benefit.programme_id.in_(scoped_ids(conditions)),
        )
    ).one()
    return ServiceBenefits(total=row[0], off_track=row[1], on_track=row[2], not_measured=row[3])


def whole_life_investment() -> Any:
    """Approved investment of each programme over all its years, as a subquery."""
    return (
        select(Investment.programme_id, func.sum(Investment.approved).label("approved"))
        .group_by(Investment.programme_id)
        .subquery("whole_life")
    )


def focus_split(conditions: list[Any]) -> list[FocusRow]:
    """Programmes and whole-life approved investment by focus, every focus listed even when empty."""
    totals = whole_life_investment()
    statement = (
        select(Programme.focus, func.count(Programme.id), func.sum(totals.c.approved))
        .outerjoin(totals, totals.c.programme_id == Programme.id)
        .where(*conditions)
        .group_by(Programme.focus)
    )
    found = {focus: (count, money(total)) for focus, count, total in db.session.execute(statement)}
    return [FocusRow(focus, *found.get(focus, (0, ZERO))) for focus in Focus]


def technology_only(conditions: list[Any]) -> TechnologyOnly:
    """Programmes the latest scan flags as "technology only": the count and investment come with the
    largest few as window totals, so it is still one query."""
    flagged = select(latest_flags("technology_only").c.programme_id)
    totals = whole_life_investment()
    investment = func.coalesce(totals.c.approved, literal(0))
    rows = db.session.execute(
        select(
            Programme.code,
            Programme.name,
            investment,
            func.count().over(),
            func.sum(investment).over(),
        )
        .outerjoin(totals, totals.c.programme_id == Programme.id)
        .where(*conditions, Programme.id.in_(flagged))
        .order_by(investment.desc(), Programme.code)
        .limit(TECHNOLOGY_ONLY_SHOWN)
    ).all()
    if not rows:
        return TechnologyOnly(0, ZERO, [])
    return TechnologyOnly(
        programmes=rows[0][3],
        investment=money(rows[0][4]),
        largest=[(code, name, money(amount)) for code, name, amount, _, _ in rows],
    )


def attention(conditions: list[Any]) -> list[AttentionItem]:
    """The programmes most at risk, worst score first, each with its most serious flag's message."""
    statement = (
        select(
            Programme.code,
            Programme.name,
            Programme.directorate,
            RiskAssessment.rating,
            RiskAssessment.score,
            RiskAssessment.trend,
            RiskAssessment.flags,
        )
        .join(RiskAssessment, RiskAssessment.programme_id == Programme.id)
        .where(*conditions, RiskAssessment.is_latest.is_(True), RiskAssessment.score > 0)
        .order_by(RiskAssessment.score.desc(), Programme.code)
        .limit(ATTENTION_SIZE)
    )
    return [
        AttentionItem(code, name, directorate, rating, score, trend, top_flag_message(flags))
        for code, name, directorate, rating, score, trend, flags in db.session.execute(statement)
    ]


def top_flag_message(flags: Any) -> str:
    """The message of the most serious flag: red before amber, then the largest weight."""
    usable = [flag for flag in flags or [] if isinstance(flag, dict) and flag.get("message")]
    if not usable:
        return ""

    def seriousness(flag: dict[str, Any]) -> tuple[bool, int]:
        weight = flag.get("weight")
        return flag.get("severity") == "red", weight if isinstance(weight, int) else 0

    return str(max(usable, key=seriousness)["message"])


def filter_choices() -> tuple[list[str], list[tuple[int, str]]]:
    """Directorates of open programmes and the people who manage any: what the filters offer."""
    directorates = list(
        db.session.scalars(
            select(Programme.directorate)
            .where(Programme.stage != Stage.CLOSED)
            .distinct()
            .order_by(Programme.directorate)
        )
    )
    managers = [
        (user_id, name)
        for user_id, name in db.session.execute(
            select(User.id, User.name)
            .where(User.id.in_(select(Programme.manager_id).where(Programme.manager_id.is_not(None))))
            .order_by(User.name)
        )
    ]
    return directorates, managers
