"""The portfolio dashboard: headline figures, focus, business change, heatmap, attention list and charts
for the current UK financial year, over the open programmes the filters select.

A fixed number of queries whatever the portfolio's size: every figure is an aggregate in SQL over each
programme's row of figures (see dashboard_figures and the figures service); only the attention list and
the largest "technology only" programmes read rows, ten and five at most.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from tracker.domain.calendar import financial_year, london_today
from tracker.domain.charts import Chart
from tracker.domain.vocabulary import RAG_LABELS
from tracker.models import Focus, Rag, User
from tracker.models.types import ZERO, utcnow
from tracker.services.dashboard import charts
from tracker.services.dashboard import totals as figures
from tracker.services.dashboard.totals import (
    AttentionItem,
    Counts,
    RatingChanges,
    ServiceBenefits,
    TechnologyOnly,
)
from tracker.services.dashboard.whole_life import WholeLifeTotals, whole_life_totals
from tracker.services.portfolio.after_closure import AfterClosure, after_closure, closed_scope
from tracker.services.portfolio.figures import figures_in_scope, flagged, stored_in_scope
from tracker.services.portfolio.scope import NOT_RATED, ProgrammeFilter, filter_choices, scope_conditions

RATING_COLUMNS: tuple[tuple[str, str], ...] = (
    *((rag.value, RAG_LABELS[rag]) for rag in (Rag.RED, Rag.AMBER, Rag.GREEN)),
    (NOT_RATED, "Not yet rated"),
)
"""The ratings worst first, and programmes not rated yet, as the dashboard and the list's filter word them."""
HEAT_LEVELS = 3


@dataclass(frozen=True)
class RatingCount:
    """Programmes with a rating now, and a week ago (from the assessment history)."""

    key: str
    label: str
    count: int
    last_week: int

    @property
    def change(self) -> int:
        return self.count - self.last_week


@dataclass(frozen=True)
class HeatCell:
    rating: str
    label: str
    count: int
    level: int
    """0 for none, then 1 to HEAT_LEVELS by share of the busiest cell, for shading."""


@dataclass(frozen=True)
class HeatRow:
    directorate: str
    cells: list[HeatCell]
    total: int


@dataclass(frozen=True)
class FocusShare:
    focus: Focus
    programmes: int
    programme_share: Decimal
    investment: Decimal
    investment_share: Decimal


@dataclass(frozen=True)
class Dashboard:
    filters: ProgrammeFilter
    financial_year: int
    as_at: datetime
    programmes: int
    ratings: list[RatingCount]
    compared: bool
    changes: RatingChanges
    """False when no programme in scope had a rating a week ago, so there is no change to show."""
    counts: Counts
    cashable_planned_to_date: Decimal
    cashable_target_year_end: Decimal
    cashable_realised_to_date: Decimal
    service_benefits: ServiceBenefits
    focus: list[FocusShare]
    technology_only: TechnologyOnly
    heatmap: list[HeatRow]
    attention: list[AttentionItem]
    charts: list[Chart]
    whole_life: WholeLifeTotals
    after_closure: AfterClosure
    """Closed programmes' benefits still being measured: in the savings above, and listed."""
    directorates: list[str]
    managers: list[tuple[int, str]]


def portfolio_dashboard(user: User, filters: ProgrammeFilter, *, now: datetime | None = None) -> Dashboard:
    """Everything the dashboard shows, for the open programmes in scope, as at now."""
    now = now or utcnow()
    today = london_today(now)
    year = financial_year(today)
    conditions = scope_conditions(user.id, filters)
    by_directorate = figures.ratings_by_directorate(conditions)
    current: dict[Rag | None, int] = {}
    for _, rating, count in by_directorate:
        current[rating] = current.get(rating, 0) + count
    rows = technology_rows = stored_in_scope(conditions, today=today)
    totals = figures.totals(rows, conditions, year=year)
    if totals.programmes != sum(count for _, _, count in by_directorate):
        # Some programme has no figures of today: sum stored and computed rows instead (one more query),
        # and list the largest "technology only" from rows computed for those programmes alone.
        rows = figures_in_scope(conditions, today=today)
        totals = figures.totals(rows, conditions, year=year)
        technology_rows = figures_in_scope([*conditions, flagged("technology_only")], today=today)
    history = [*charts.ratings_history(totals.weeks, now=now), (now, current)]
    counts = totals.counts
    axis = charts.year_axis(year, today)
    # A closed programme's benefits still being measured count in the savings until realised or written off.
    closed = after_closure(closed_scope(user.id, filters), today=today)
    cashable = charts.cashable_series(
        (_plus(totals.planned, closed.planned), totals.planned_to_date + closed.planned_to_date),
        (_plus(totals.realised, closed.realised), totals.realised_to_date + closed.realised_to_date),
        axis,
    )
    technology, _ = totals.technology_only
    directorates, managers = filter_choices()
    return Dashboard(
        filters=filters,
        financial_year=year,
        as_at=now,
        programmes=sum(count for _, _, count in by_directorate),
        ratings=rating_counts(current, history[-2][1]),
        compared=any(count for rating, count in history[-2][1].items() if rating is not None),
        changes=figures.rating_changes(rows),
        counts=counts,
        cashable_planned_to_date=cashable["planned_to_date"],
        cashable_target_year_end=cashable["target_year_end"],
        cashable_realised_to_date=cashable["realised_to_date"],
        service_benefits=totals.service_benefits,
        after_closure=closed,
        focus=focus_shares(totals.focus),
        technology_only=figures.technology_only(technology_rows, programmes=technology),
        heatmap=heatmap(by_directorate),
        whole_life=whole_life_totals(conditions),
        attention=figures.attention(conditions),
        charts=[
            charts.burn_up_chart(
                axis, approved=counts.approved, forecast=counts.forecast, actual=counts.actual
            ),
            charts.cashable_chart(axis, cashable),
            charts.ratings_chart(history, today),
        ],
        directorates=directorates,
        managers=managers,
    )


def _plus(months: list[Decimal], more: list[Decimal]) -> list[Decimal]:
    return [a + b for a, b in zip(months, more, strict=True)] if more else months


def rating_counts(current: dict[Rag | None, int], last_week: dict[Rag | None, int]) -> list[RatingCount]:
    """Programmes by rating now, beside last week's counts from the history."""

    def keyed(counts: dict[Rag | None, int]) -> dict[str, int]:
        return {(rating.value if rating else NOT_RATED): count for rating, count in counts.items()}

    now, then = keyed(current), keyed(last_week)
    return [RatingCount(key, label, now.get(key, 0), then.get(key, 0)) for key, label in RATING_COLUMNS]


def heatmap(by_directorate: list[tuple[str, Rag | None, int]]) -> list[HeatRow]:
    """Directorates by rating, shaded by each cell's share of the busiest cell."""
    cells: dict[str, dict[str, int]] = {}
    for directorate, rating, count in by_directorate:
        cells.setdefault(directorate, {})[rating.value if rating else NOT_RATED] = count
    busiest = max((count for _, _, count in by_directorate), default=0)

    def level(count: int) -> int:
        return 0 if not count else max(1, -(-count * HEAT_LEVELS // busiest))

    return [
        HeatRow(
            directorate,
            [
                HeatCell(key, label, counts.get(key, 0), level(counts.get(key, 0)))
                for key, label in RATING_COLUMNS
            ],
            sum(counts.values()),
        )
        for directorate, counts in sorted(cells.items(), key=lambda item: item[0].lower())
    ]


def focus_shares(rows: list[figures.FocusRow]) -> list[FocusShare]:
    """Each focus's share of the programmes and of the approved investment, as whole percentages."""
    programmes = sum(row.programmes for row in rows)
    investment = sum((row.investment for row in rows), ZERO)

    def share(part: Decimal | int, whole: Decimal | int) -> Decimal:
        return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal(1)) if whole else Decimal(0)

    return [
        FocusShare(
            row.focus,
            row.programmes,
            share(row.programmes, programmes),
            row.investment,
            share(row.investment, investment),
        )
        for row in rows
    ]
