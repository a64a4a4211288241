"""What a board pack says, as plain frozen values, before any format draws it (PDF here, PowerPoint in
`deck`): a portfolio pack for a day and the dashboard's filters, and one programme's highlight report.

The pack reuses the dashboard's sums (money this year, cashable savings, the spend and savings charts),
computed as at the end of the pack's day; ratings, the heatmap and the ratings chart come from each
programme's newest assessment by then, so a pack of a past day shows that day's ratings, not today's;
milestones, money and benefits come from the risk scan's snapshot of the day. A fixed number of
queries, however many programmes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from flask import current_app
from sqlalchemy import select

from tracker.domain.calendar import financial_year_label, format_date, london_today
from tracker.domain.charts import Chart
from tracker.models import Programme, Rag, StatusUpdate, User
from tracker.models.types import utcnow
from tracker.services.dashboard import charts
from tracker.services.dashboard.page import RATING_COLUMNS, HeatRow, heatmap, portfolio_dashboard
from tracker.services.errors import Invalid
from tracker.services.packs.programme import (
    BenefitLine,
    MilestoneLine,
    ProgrammeMoney,
    ProgrammePage,
    ProgrammeStatus,
    SubmittedUpdate,
    programme_status,
    submitted_update,
)
from tracker.services.packs.reads import (
    decisions_waiting,
    rated_programmes,
    submitted_updates,
)
from tracker.services.packs.summary import (
    RatingLine,
    RatingMove,
    by_directorate,
    by_rating,
    month_before,
    moves,
    rating_lines,
    scope_words,
)
from tracker.services.pipeline.pack import PipelinePack, chosen_for_pack
from tracker.services.portfolio.scope import ProgrammeFilter, filter_choices, scope_conditions
from tracker.services.ratings.past import day_end
from tracker.services.ratings.snapshots import load_portfolio

__all__ = [
    "AppendixRow",
    "BenefitLine",
    "HighlightReport",
    "MilestoneLine",
    "PackSummary",
    "PortfolioPack",
    "ProgrammeMoney",
    "ProgrammePage",
    "ProgrammeStatus",
    "RatingLine",
    "RatingMove",
    "SubmittedUpdate",
    "council_pack",
    "highlight_report",
    "portfolio_pack",
]


@dataclass(frozen=True)
class PackSummary:
    programmes: int
    ratings: tuple[RatingLine, ...]
    compared_with: date
    """The day a month before, whose ratings the changes are counted from."""
    worse: int
    better: int
    new: int
    moves: tuple[RatingMove, ...]
    """Worse first, then newly rated, then better; the highest score first within each."""
    financial_year: str
    approved: Decimal
    """This financial year's approved budget over the programmes' cost lines (unknown amounts left out)."""
    forecast: Decimal
    actual: Decimal
    lines_without_forecast: int
    cashable_planned_to_date: Decimal
    cashable_realised_to_date: Decimal
    cashable_target_year_end: Decimal
    decisions_waiting: int
    """Re-baselines, change requests and gate decisions asked for and not decided by the end of the day."""
    overdue_milestones: int
    stale_programmes: int
    cost_lines_today: bool = False
    """A pack of a past day: cost lines' amounts keep no history, so the money is as they stand today."""


@dataclass(frozen=True)
class AppendixRow:
    code: str
    name: str
    directorate: str
    stage_label: str
    manager: str | None
    rating: Rag | None
    rating_label: str
    rating_last_month: Rag | None
    confidence_label: str
    forecast_end_date: date | None
    whole_life_baseline: Decimal | None
    whole_life_forecast: Decimal | None
    flags: int


COST_LINES_TODAY = (
    "Cost lines' amounts keep no history: this past day's budget, forecast and spend are as the lines "
    "stand today."
)


@dataclass(frozen=True)
class PortfolioPack:
    title: str
    organisation: str
    scope: str
    """Whose programmes: "Whole council", a directorate, "My programmes", with any other filter."""
    as_of: date
    generated_at: datetime
    summary: PackSummary
    heat_columns: tuple[tuple[str, str], ...]
    """(key, label) of the heatmap's columns, worst rating first, then not yet rated."""
    heatmap: tuple[HeatRow, ...]
    charts: tuple[Chart, ...]
    """Spend against budget profile, cashable savings against plan, ratings over the last weeks; each
    carries its data table and a description in words."""
    programme_pages: tuple[ProgrammePage, ...]
    """One per Red or Amber programme: Red first, the highest score first."""
    appendix: tuple[AppendixRow, ...]
    """Every programme in the pack, by code."""
    pipeline: PipelinePack | None = None
    """The chosen pipeline scenario, as at the day the pack is drawn; None when none is chosen."""


@dataclass(frozen=True)
class HighlightReport:
    """A submitted highlight report with the programme's figures as they stood at the end of the day it was
    submitted (the finest grain the history keeps)."""

    title: str
    organisation: str
    status: ProgrammeStatus
    update: SubmittedUpdate


def portfolio_pack(
    user: User, filters: ProgrammeFilter, *, as_of: date, now: datetime | None = None
) -> PortfolioPack:
    """The portfolio pack for the open programmes the filters select, as they stood at the end of `as_of`."""
    now = now or utcnow()
    today = london_today(now)
    if as_of > today:
        raise Invalid("A pack can only show a day that has happened: choose today or an earlier date")
    moment = day_end(as_of)
    compared_with = month_before(as_of)
    weeks = [as_of - timedelta(weeks=ago) for ago in range(charts.WEEKS - 1, 0, -1)]
    conditions = scope_conditions(user.id, filters)
    rated = rated_programmes(
        conditions, moment=moment, earlier=[day_end(compared_with), *map(day_end, weeks)]
    )
    past = None if as_of == today else as_of
    snapshots = {
        snap.id: snap for snap in load_portfolio(past, programme_ids=[row.id for row in rated]).snapshots
    }
    rated = [row for row in rated if row.id in snapshots]
    dashboard = portfolio_dashboard(user, filters, now=now if past is None else moment - timedelta(seconds=1))
    statuses = {
        row.id: programme_status(row, snapshots[row.id], as_of=as_of, last_month=row.earlier[0])
        for row in rated
    }
    at_risk = sorted(
        (row for row in rated if row.rating in (Rag.RED, Rag.AMBER)),
        key=lambda row: (row.rating is not Rag.RED, -(row.score or 0), row.code),
    )
    updates = submitted_updates([row.id for row in at_risk], before=moment)
    counts = dashboard.counts
    history = [(day_end(day), by_rating(rated, index)) for index, day in enumerate(weeks, start=1)]
    history.append((moment, by_rating(rated, None)))
    scope = scope_words(filters, dashboard.managers)
    return PortfolioPack(
        title=f"Portfolio board pack, {format_date(as_of)}",
        organisation=str(current_app.config.get("ORG_NAME", "")),
        scope=scope,
        as_of=as_of,
        generated_at=now,
        summary=PackSummary(
            programmes=len(rated),
            ratings=rating_lines(rated),
            compared_with=compared_with,
            **moves(rated),
            financial_year=financial_year_label(dashboard.financial_year),
            approved=counts.approved,
            forecast=counts.forecast,
            actual=counts.actual,
            lines_without_forecast=counts.forecast_unknown,
            cost_lines_today=past is not None,
            cashable_planned_to_date=dashboard.cashable_planned_to_date,
            cashable_realised_to_date=dashboard.cashable_realised_to_date,
            cashable_target_year_end=dashboard.cashable_target_year_end,
            decisions_waiting=decisions_waiting(select(Programme.id).where(*conditions), moment=moment),
            overdue_milestones=counts.overdue_milestones,
            stale_programmes=counts.stale_programmes,
        ),
        heat_columns=RATING_COLUMNS,
        heatmap=tuple(heatmap(by_directorate(rated))),
        charts=(*dashboard.charts[:2], charts.ratings_chart(history, as_of)),
        programme_pages=tuple(
            ProgrammePage(
                statuses[row.id],
                submitted_update(*updates[row.id]) if row.id in updates else None,
            )
            for row in at_risk
        ),
        appendix=tuple(_appendix_row(statuses[row.id], len(row.flags)) for row in rated),
        pipeline=chosen_for_pack(today, user),
    )


def council_pack(
    *, directorate: str | None = None, as_of: date | None = None, now: datetime | None = None
) -> PortfolioPack:
    """The pack for the whole council or one directorate, for no one in particular (the command line)."""
    if directorate is not None:
        known = filter_choices()[0]
        match = next((name for name in known if name.casefold() == directorate.strip().casefold()), None)
        if match is None:
            raise Invalid(f"No open programme is in a directorate called {directorate!r}: {', '.join(known)}")
        directorate = match
    now = now or utcnow()
    # No one's id: without "my programmes" the filters select by no person.
    nobody = User(id=0, name="Board pack")
    return portfolio_pack(
        nobody, ProgrammeFilter(directorate=directorate), as_of=as_of or london_today(now), now=now
    )


def highlight_report(programme: Programme, update: StatusUpdate) -> HighlightReport:
    """A submitted update, with the programme as it stood at the end of the day it was submitted."""
    if update.submitted_at is None or update.programme_id != programme.id:
        raise Invalid("Only a submitted update of this programme can be printed as a highlight report")
    day = london_today(update.submitted_at)
    moment = day_end(day)
    earlier = [day_end(month_before(day))]
    (row,) = rated_programmes([Programme.id == programme.id], moment=moment, earlier=earlier)
    found = load_portfolio(day, programme_ids=[programme.id], closed_too=True).snapshots
    status = programme_status(row, found[0] if found else None, as_of=day, last_month=row.earlier[0])
    author = update.author.name if update.author else None
    return HighlightReport(
        title=f"Highlight report: {programme.code} {programme.name}, "
        f"{format_date(update.period_start)} to {format_date(update.period_end)}",
        organisation=str(current_app.config.get("ORG_NAME", "")),
        status=status,
        update=submitted_update(update, author),
    )


def _appendix_row(status: ProgrammeStatus, flags: int) -> AppendixRow:
    return AppendixRow(
        code=status.code,
        name=status.name,
        directorate=status.directorate,
        stage_label=status.stage_label,
        manager=status.manager,
        rating=status.rating,
        rating_label=status.rating_label,
        rating_last_month=status.rating_last_month,
        confidence_label=status.confidence_label,
        forecast_end_date=status.forecast_end_date,
        whole_life_baseline=status.money.whole_life_baseline,
        whole_life_forecast=status.money.whole_life_forecast,
        flags=flags,
    )
