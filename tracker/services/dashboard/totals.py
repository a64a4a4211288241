"""The dashboard's figures, each an aggregate computed in the database over the programmes in scope.

Most figures are sums of each programme's row of figures (see the figures service), in one query; the
heatmap and attention list read the latest assessments. Money is summed for the current financial year,
except the focus split and "technology only", which weigh whole-life approved investment.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import String, Subquery, case, func, null, or_, select, type_coerce, union_all

from tracker.extensions import db
from tracker.models import (
    ChangeRequest,
    ChangeRequestStatus,
    Focus,
    GateRequest,
    GateStatus,
    Investment,
    InvestmentCategory,
    Milestone,
    Programme,
    Rag,
    RebaselineRequest,
    RequestStatus,
    RiskAssessment,
    Trend,
)
from tracker.models.figures import PAST_WEEKS, SAVINGS_BUCKETS, planned_column, rating_column, realised_column
from tracker.services.portfolio.definitions import in_year
from tracker.services.portfolio.figures import FIGURES
from tracker.services.portfolio.scope import scoped_ids

PENNY = Decimal("0.01")
ATTENTION_SIZE = 10
RATING_BASE = 1 << 20
"""More programmes than any portfolio holds, so counts packed in this base never carry into each other."""
RATING_WEIGHTS = {Rag.GREEN: 1, Rag.AMBER: RATING_BASE, Rag.RED: RATING_BASE**2}
TECHNOLOGY_ONLY_SHOWN = 5
CHANGES_SHOWN = 5
SEVERITY = {Rag.GREEN.value: 1, Rag.AMBER.value: 2, Rag.RED.value: 3}


@dataclass(frozen=True)
class Counts:
    """This year's money and the counts the headline shows."""

    approved: Decimal
    forecast: Decimal
    actual: Decimal
    overdue_milestones: int
    stale_programmes: int
    pending_rebaselines: int
    forecast_unknown: int = 0
    """This year's lines with no forecast: the forecast is then the least it can be (their spend counted)."""


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


@dataclass(frozen=True)
class Totals:
    """The stored (or computed) figures of the programmes in scope, summed: everything but the lists."""

    programmes: int
    focus: list[FocusRow]
    counts: Counts
    service_benefits: ServiceBenefits
    technology_only: tuple[int, Decimal]
    planned: list[Decimal]
    planned_to_date: Decimal
    realised: list[Decimal]
    realised_to_date: Decimal
    weeks: list[dict[Rag | None, int]]
    """Programmes by rating at the end of the day 11 weeks ago, 10 weeks ago ... 1 week ago."""


def totals(rows: Subquery, conditions: list[Any], *, year: int) -> Totals:
    """Sum the figures of the programmes in scope (`rows`: see the figures service) in one query."""
    c = rows.c
    sums = {
        name: func.sum(c[name])
        for name in FIGURES
        if name not in ("programme_id", "stale", "technology_only") and not name.startswith("rating_week_")
    }
    flagged = c.technology_only.is_(True)
    by_focus = {
        **{f"programmes_{focus.value}": func.count(case((c.focus == focus, 1))) for focus in Focus},
        **{
            f"investment_{focus.value}": func.sum(case((c.focus == focus, c.whole_life_approved), else_=0))
            for focus in Focus
        },
    }
    extra = {
        "programmes": func.count(),
        "stale": func.count(case((c.stale.is_(True), 1))),
        "technology_only": func.count(case((flagged, 1))),
        "technology_investment": func.sum(case((flagged, c.whole_life_approved), else_=0)),
        "pending": pending_rebaselines(conditions),
        "forecast_unknown": lines_without_forecast(conditions, year),
    }
    # Each week's Red, Amber and Green counts packed into one sum (see RATING_WEIGHTS): a quarter of the work.
    weeks = {
        rating_column(weeks): func.sum(
            case(
                *((c[rating_column(weeks)] == rag.value, weight) for rag, weight in RATING_WEIGHTS.items()),
                else_=0,
            )
        )
        for weeks in range(1, PAST_WEEKS + 1)
    }
    columns = {**sums, **by_focus, **extra, **weeks}
    row = db.session.execute(select(*(value.label(name) for name, value in columns.items()))).one()._mapping

    def total(name: str) -> Decimal:
        return money(row[name])

    def count(name: str) -> int:
        return int(row[name] or 0)

    return Totals(
        programmes=count("programmes"),
        focus=[
            FocusRow(focus, count(f"programmes_{focus.value}"), total(f"investment_{focus.value}"))
            for focus in Focus
        ],
        counts=Counts(
            approved=total("approved"),
            forecast=total("forecast"),
            actual=total("actual"),
            overdue_milestones=count("overdue_milestones"),
            stale_programmes=count("stale"),
            pending_rebaselines=count("pending"),
            forecast_unknown=count("forecast_unknown"),
        ),
        service_benefits=ServiceBenefits(
            total=count("service_total"),
            off_track=count("service_off_track"),
            on_track=count("service_on_track"),
            not_measured=count("service_not_measured"),
        ),
        technology_only=(count("technology_only"), total("technology_investment")),
        planned=[total(planned_column(bucket)) for bucket in range(SAVINGS_BUCKETS)],
        planned_to_date=total("planned_to_date"),
        realised=[total(realised_column(bucket)) for bucket in range(SAVINGS_BUCKETS)],
        realised_to_date=total("realised_to_date"),
        weeks=[
            unpack_ratings(count(rating_column(weeks)), count("programmes"))
            for weeks in range(PAST_WEEKS, 0, -1)
        ],
    )


def unpack_ratings(packed: int, programmes: int) -> dict[Rag | None, int]:
    """Counts by rating from a sum of RATING_WEIGHTS; the rest of the programmes were not rated by then."""
    counts = {rag: packed // weight % RATING_BASE for rag, weight in RATING_WEIGHTS.items()}
    return {**counts, None: programmes - sum(counts.values())}


def pending_rebaselines(conditions: list[Any]) -> Any:
    """Requests waiting for a decision on the programmes in scope (re-baselines, change requests and gate
    decisions), as a scalar subquery."""
    scoped = scoped_ids(conditions)
    rebaselines = (
        select(func.count(RebaselineRequest.id))
        .join(Milestone, Milestone.id == RebaselineRequest.milestone_id)
        .where(RebaselineRequest.status == RequestStatus.PENDING, Milestone.programme_id.in_(scoped))
        .scalar_subquery()
    )
    changes = (
        select(func.count(ChangeRequest.id))
        .where(ChangeRequest.status == ChangeRequestStatus.PENDING, ChangeRequest.programme_id.in_(scoped))
        .scalar_subquery()
    )
    gates = (
        select(func.count(GateRequest.id))
        .where(GateRequest.status == GateStatus.PENDING, GateRequest.programme_id.in_(scoped))
        .scalar_subquery()
    )
    return rebaselines + changes + gates


def lines_without_forecast(conditions: list[Any], year: int) -> Any:
    """This year's investment lines with no forecast on the programmes in scope, as a scalar subquery."""
    return (
        select(func.count(Investment.id))
        .where(
            in_year(year),
            Investment.forecast.is_(None),
            Investment.programme_id.in_(scoped_ids(conditions)),
        )
        .scalar_subquery()
    )


def technology_only(rows: Subquery, *, programmes: int) -> TechnologyOnly:
    """Programmes the latest scan flags as "technology only", weighed by their technology lines alone.

    As in the rule: approved technology spend, or the requested amount while none is approved; a railway's
    construction lines are not IT investment.
    """
    flagged = select(rows.c.programme_id).where(rows.c.technology_only.is_(True))
    amount = func.coalesce(func.sum(Investment.approved), func.sum(Investment.requested), 0)
    tech = (
        select(Investment.programme_id, amount.label("amount"))
        .where(Investment.category == InvestmentCategory.TECHNOLOGY, Investment.programme_id.in_(flagged))
        .group_by(Investment.programme_id)
        .subquery("technology")
    )
    largest = db.session.execute(
        select(Programme.code, Programme.name, tech.c.amount)
        .join(Programme, Programme.id == tech.c.programme_id)
        .order_by(tech.c.amount.desc(), Programme.code)
        .limit(TECHNOLOGY_ONLY_SHOWN)
    ).all()
    total = money(db.session.scalar(select(func.sum(tech.c.amount))))
    return TechnologyOnly(programmes, total, [(code, name, money(value)) for code, name, value in largest])


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


@dataclass(frozen=True)
class RatingChange:
    """A programme whose rating is not what it was a week ago, and the main reason it is what it is now."""

    code: str
    name: str
    before: Rag | None
    """None: not rated a week ago (a new programme, or one the scan had not reached)."""
    after: Rag
    why: str

    @property
    def worse(self) -> bool:
        return self.before is not None and SEVERITY[self.after.value] > SEVERITY[self.before.value]


@dataclass(frozen=True)
class RatingChanges:
    worse: int
    better: int
    new: int
    shown: list[RatingChange]
    """The first few: those that got worse, then the newly rated, then those that got better; the most
    at risk first within each."""


def rating_changes(rows: Subquery) -> RatingChanges:
    """Programmes rated differently from a week ago, or rated for the first time since (from each one's row
    of figures, `rows`): how many got worse, better or were new, and the first few. One query."""
    now = type_coerce(RiskAssessment.rating, String)
    before = rows.c[rating_column(1)]

    def severity(rating: Any) -> Any:
        return case(*((rating == value, rank) for value, rank in SEVERITY.items()), else_=0)

    # 2: worse, 1: newly rated, 0: better. The counts are windows over every changed row, worked out
    # before the limit keeps the first few: one pass over the portfolio, not two.
    kind = case((before.is_(None), 1), (severity(now) > severity(before), 2), else_=0)
    counts = [func.count(case((kind == value, 1))).over().label(f"kind_{value}") for value in (2, 1, 0)]
    first = (
        select(
            RiskAssessment.id.label("assessment_id"),
            RiskAssessment.score,
            kind.label("kind"),
            Programme.code,
            Programme.name,
            before.label("before"),
            now.label("now"),
            *counts,
        )
        .join(RiskAssessment, RiskAssessment.programme_id == rows.c.programme_id)
        .join(Programme, Programme.id == rows.c.programme_id)
        .where(RiskAssessment.is_latest.is_(True), or_(before.is_(None), before != now))
        # A top-few sort: no window orders the rows, so the database keeps only the best few as it goes.
        .order_by(kind.desc(), RiskAssessment.score.desc(), rows.c.programme_id)
        .limit(CHANGES_SHOWN)
        .subquery("first")
    )
    # The flags (the "why") are read for the few shown only, not carried through the sort.
    found = sorted(
        db.session.execute(
            select(first, RiskAssessment.flags).join(
                RiskAssessment, RiskAssessment.id == first.c.assessment_id
            )
        ).all(),
        key=lambda row: (-row.kind, -row.score, row.code),
    )
    worse, new, better = (found[0].kind_2, found[0].kind_1, found[0].kind_0) if found else (0, 0, 0)
    shown = [
        RatingChange(
            row.code,
            row.name,
            Rag(row.before) if row.before else None,
            Rag(row.now),
            top_flag_message(row.flags),
        )
        for row in found
    ]
    return RatingChanges(worse=worse or 0, better=better or 0, new=new or 0, shown=shown)


def top_flag_message(flags: Any) -> str:
    """The message of the most serious flag: red before amber, then the largest weight."""
    usable = [flag for flag in flags or [] if isinstance(flag, dict) and flag.get("message")]
    if not usable:
        return ""

    def seriousness(flag: dict[str, Any]) -> tuple[bool, int]:
        weight = flag.get("weight")
        return flag.get("severity") == "red", weight if isinstance(weight, int) else 0

    return str(max(usable, key=seriousness)["message"])
