"""The portfolio as spreadsheets: the programmes list's own filters and sort, every page of it, and the
milestones, money, benefits, change requests, lessons, gate decisions, risks and issues, actions and
decisions of the same programmes; one query per sheet whatever the size.

Each sheet's rows are a generator that reads its query in batches (`yield_per`), so a file of
10,000 programmes never has all their rows in Python at once: the writer takes a batch, writes it,
and the next is fetched.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

from sqlalchemy import Select, and_, case, func, select, type_coerce
from sqlalchemy.orm import aliased

from tracker.domain.calendar import financial_year, financial_year_label, london_today
from tracker.domain.definitions import milestone_open, overdue_days
from tracker.domain.money import funding_gap
from tracker.domain.spreadsheet import Column, Kind, Sheet
from tracker.domain.vocabulary import (
    CONFIDENCE_LABELS,
    FOCUS_LABELS,
    RAG_LABELS,
    SOURCE_LABELS,
    STAGE_LABELS,
    label,
)
from tracker.models import (
    ActionStatus,
    Benefit,
    ChangeRequest,
    Decision,
    Investment,
    Lesson,
    Milestone,
    Programme,
    ProgrammeAction,
    RegisterEntry,
    RiskAssessment,
    User,
)
from tracker.models.types import ZERO, Money, utcnow
from tracker.services.dashboard.totals import top_flag_message
from tracker.services.paging import in_batches
from tracker.services.portfolio.benefits import latest_measurements
from tracker.services.portfolio.definitions import in_year, milestone_overdue
from tracker.services.portfolio.lessons import LESSON_COLUMNS, lessons_statement, sheet_rows

# The list's row query and its filter's WHERE clauses, so an export holds exactly what the list shows.
from tracker.services.portfolio.listing import PortfolioQuery, _rows_statement
from tracker.services.portfolio.risk_sheet import RISK_COLUMNS, risk_rows
from tracker.services.portfolio.scope import scope_conditions
from tracker.services.programmes.gates import GATE_COLUMNS, gate_rows

MONEY = Kind.MONEY
DATE = Kind.DATE
BATCH = 1000  # rows fetched from the database at a time


def export_date(today: date | None = None) -> date:
    """The date a file is named after: today in London."""
    return today or london_today(utcnow())


def programmes_sheet(
    user: User, query: PortfolioQuery, *, today: date | None = None, batch: int = BATCH
) -> Sheet:
    """Every programme the list would show (all pages), with its key figures and computed rating."""
    today = export_date(today)
    year = financial_year(today)
    label_year = financial_year_label(year)
    columns = [
        Column("Code", width=12),
        Column("Name", width=40),
        Column("Directorate", width=24),
        Column("Focus", width=20),
        Column("Stage", width=14),
        Column("Paused", width=8),
        Column("SRO", width=24),
        Column("Programme manager", width=24),
        Column("Start date", DATE, 16),
        Column("Baseline end date", DATE, 16),
        Column("Forecast end date", DATE, 16),
        Column("Next milestone", width=32),
        Column("Next milestone date", DATE, 16),
        Column(f"Budget {label_year}", MONEY),
        Column(f"Forecast {label_year}", MONEY),
        Column(f"Actual {label_year}", MONEY),
        Column("Total requested", MONEY),
        Column("Total approved", MONEY),
        Column("Total forecast", MONEY),
        Column("Total actual", MONEY),
        Column("Delivery confidence", width=12),
        Column("Confidence assessed by", width=24),
        Column("Confidence assessed on", DATE, 16),
        Column("Whole-life baseline", MONEY),
        Column("Whole-life forecast", MONEY),
        Column("Computed rating", width=12),
        Column("Risk score", Kind.NUMBER, 10),
        Column("Top flag", width=60),
        Column("Overdue milestones", Kind.NUMBER, 10),
        # Last, so spreadsheets that read the earlier columns by position keep working.
        Column("External reference", width=24),
    ]
    return Sheet("Programmes", columns, _programme_rows(user, query, year, today, batch))


def portfolio_sheets(
    user: User, query: PortfolioQuery, *, today: date | None = None, batch: int = BATCH
) -> list[Sheet]:
    """The workbook: programmes, then the milestones, money, benefits, change requests, lessons, gate
    decisions, risks and issues, actions and decisions of those programmes.

    The sheets are read one after the other, each query only once the writer reaches its sheet.
    """
    chosen = select(Programme.id).where(*scope_conditions(user.id, query))
    return [
        programmes_sheet(user, query, today=today, batch=batch),
        Sheet("Milestones", MILESTONE_COLUMNS, _milestone_rows(chosen, export_date(today), batch)),
        Sheet("Money", MONEY_COLUMNS, _money_rows(chosen, batch)),
        Sheet("Benefits", BENEFIT_COLUMNS, _benefit_rows(chosen, batch)),
        Sheet("Change requests", CHANGE_COLUMNS, _change_rows(chosen, batch)),
        Sheet("Lessons", LESSON_COLUMNS, _lesson_rows(chosen, batch)),
        Sheet("Gate decisions", GATE_COLUMNS, gate_rows(chosen, batch)),
        Sheet("Risks and issues", RISK_COLUMNS, risk_rows(chosen, batch)),
        Sheet("Actions", ACTION_COLUMNS, _action_rows(chosen, export_date(today), batch)),
        Sheet("Decisions", DECISION_COLUMNS, _decision_rows(chosen, batch)),
    ]


def _known_sum(column: Any) -> Any:
    """A programme's total of one amount, or NULL (an empty cell) when any of its lines does not know it."""
    return case((func.count(column) == func.count(Investment.id), func.sum(column)))


def _programmes_statement(user: User, query: PortfolioQuery, year: int, today: date) -> Select[Any]:
    """The list's row query and order, without its page limit, plus the columns only an export shows."""
    statement, sort_columns = _rows_statement(year)
    this_year = in_year(year)
    totals = (
        select(
            Investment.programme_id,
            func.sum(case((this_year, Investment.actual), else_=ZERO)).label("actual"),
            _known_sum(Investment.requested).label("requested"),
            _known_sum(Investment.approved).label("approved"),
            _known_sum(Investment.forecast).label("forecast"),
            _known_sum(Investment.actual).label("spent"),
        )
        .group_by(Investment.programme_id)
        .subquery()
    )
    overdue = (
        select(func.count(Milestone.id))
        .where(Milestone.programme_id == Programme.id, milestone_overdue(today))
        .scalar_subquery()
    )
    expression = sort_columns.get(query.sort, sort_columns["code"])
    direction = expression.desc() if query.descending else expression.asc()
    return (
        statement.add_columns(
            Programme.focus,
            Programme.sro_name,
            Programme.start_date,
            Programme.baseline_end_date,
            Programme.forecast_end_date,
            Programme.whole_life_baseline,
            Programme.whole_life_forecast,
            RiskAssessment.flags,
            func.coalesce(totals.c.actual, ZERO).label("actual"),
            *(
                type_coerce(case((totals.c.programme_id.is_(None), ZERO), else_=totals.c[name]), Money).label(
                    label
                )
                for name, label in (
                    ("requested", "total_requested"),
                    ("approved", "total_approved"),
                    ("forecast", "total_forecast"),
                    ("spent", "total_actual"),
                )
            ),
            overdue.label("overdue_milestones"),
        )
        .outerjoin(totals, totals.c.programme_id == Programme.id)
        .where(*scope_conditions(user.id, query))
        .order_by(case((expression.is_(None), 1), else_=0), direction, Programme.code)
    )


def _programme_rows(
    user: User, query: PortfolioQuery, year: int, today: date, batch: int
) -> Iterator[tuple[Any, ...]]:
    for row in in_batches(_programmes_statement(user, query, year, today), batch):
        yield (
            row.code,
            row.name,
            row.directorate,
            FOCUS_LABELS[row.focus],
            STAGE_LABELS[row.stage],
            row.paused,
            row.sro_name or None,
            row.manager_name,
            row.start_date,
            row.baseline_end_date,
            row.forecast_end_date,
            row.next_milestone,
            row.next_milestone_date,
            row.budget,
            row.forecast,
            row.actual,
            row.total_requested,
            row.total_approved,
            row.total_forecast,
            row.total_actual,
            CONFIDENCE_LABELS.get(row.confidence) if row.confidence else None,
            SOURCE_LABELS.get(row.confidence_source) if row.confidence_source else None,
            row.confidence_assessed_on,
            row.whole_life_baseline,
            row.whole_life_forecast,
            RAG_LABELS[row.rating] if row.rating else None,
            row.score if row.rating else None,
            (top_flag_message(row.flags) or None) if row.rating else None,
            row.overdue_milestones,
            row.external_reference,
        )


MILESTONE_COLUMNS = [
    Column("Programme code", width=14),
    Column("Milestone", width=40),
    Column("Kind", width=16),
    Column("Critical", width=8),
    Column("Owner", width=24),
    Column("Original baseline", DATE),
    Column("Latest approved baseline", DATE),
    Column("Forecast", DATE),
    Column("Actual", DATE),
    Column("Status", width=12),
    Column("Variance (days)", Kind.NUMBER, 10),
    Column("Overdue (days)", Kind.NUMBER, 10),
]


def _milestone_rows(chosen: Select[Any], today: date, batch: int) -> Iterator[tuple[Any, ...]]:
    """Each milestone, with days overdue as the risk rules count them (blank when not overdue)."""
    statement = (
        select(
            Programme.code,
            Milestone.title,
            Milestone.kind,
            Milestone.critical,
            Milestone.owner,
            Milestone.original_baseline_date,
            Milestone.baseline_date,
            Milestone.forecast_date,
            Milestone.actual_date,
            Milestone.status,
        )
        .join(Programme, Programme.id == Milestone.programme_id)
        .where(Milestone.programme_id.in_(chosen))
        .order_by(Programme.code, Milestone.baseline_date, Milestone.id)
    )
    # Plain columns, not Milestone objects: building 200,000 of them costs more than writing them.
    for row in in_batches(statement, batch):
        moved = row.actual_date or row.forecast_date  # as Milestone.variance_days counts
        yield (
            row.code,
            row.title,
            label(row.kind),
            row.critical,
            row.owner or None,
            row.original_baseline_date,
            row.baseline_date,
            row.forecast_date,
            row.actual_date,
            label(row.status),
            None if moved is None else (moved - row.baseline_date).days,
            overdue_days(milestone_open(row.status, row.actual_date), row.baseline_date, today),
        )


MONEY_COLUMNS = [
    Column("Programme code", width=14),
    Column("Cost line", width=40),
    Column("Category", width=16),
    Column("Capital or revenue", width=12),
    Column("One-off or recurring", width=12),
    Column("Financial year", width=12),
    Column("Requested", MONEY),
    Column("Approved", MONEY),
    Column("Forecast", MONEY),
    Column("Actual", MONEY),
    Column("Investment gap", MONEY),
]


def _money_rows(chosen: Select[Any], batch: int) -> Iterator[tuple[Any, ...]]:
    statement = (
        select(
            Programme.code,
            Investment.title,
            Investment.category,
            Investment.cost_type,
            Investment.recurrence,
            Investment.financial_year,
            Investment.requested,
            Investment.approved,
            Investment.forecast,
            Investment.actual,
        )
        .join(Programme, Programme.id == Investment.programme_id)
        .where(Investment.programme_id.in_(chosen))
        .order_by(Programme.code, Investment.financial_year, Investment.id)
    )
    for line in in_batches(statement, batch):
        yield (
            line.code,
            line.title,
            label(line.category),
            label(line.cost_type),
            label(line.recurrence),
            financial_year_label(line.financial_year),
            line.requested,
            line.approved,
            line.forecast,
            line.actual,
            funding_gap(line.requested, line.approved),
        )


BENEFIT_COLUMNS = [
    Column("Programme code", width=14),
    Column("Benefit", width=40),
    Column("Type", width=18),
    Column("Measure", width=30),
    Column("Unit", width=10),
    Column("Better when", width=10),
    Column("Adoption measure", width=10),
    Column("Baseline value", Kind.NUMBER),
    Column("Baseline date", DATE),
    Column("Target value", Kind.NUMBER),
    Column("Target date", DATE),
    Column("Latest measured value", Kind.NUMBER),
    Column("Latest measured on", DATE),
    Column("Owner in the service", width=24),
    Column("Status", width=14),
    Column("Handed over on", DATE),
]


def _benefit_rows(chosen: Select[Any], batch: int) -> Iterator[tuple[Any, ...]]:
    latest = latest_measurements()
    statement = (
        select(
            Programme.code,
            Benefit.title,
            Benefit.benefit_type,
            Benefit.measure,
            Benefit.unit,
            Benefit.direction,
            Benefit.adoption_measure,
            Benefit.baseline_value,
            Benefit.baseline_date,
            Benefit.target_value,
            Benefit.target_date,
            latest.c.value,
            latest.c.on_date,
            Benefit.owner,
            Benefit.status,
            Benefit.handed_over_on,
        )
        .join(Programme, Programme.id == Benefit.programme_id)
        .outerjoin(latest, and_(latest.c.benefit_id == Benefit.id, latest.c.position == 1))
        .where(Benefit.programme_id.in_(chosen))
        .order_by(Programme.code, Benefit.id)
    )
    for row in in_batches(statement, batch):
        yield (
            row.code,
            row.title,
            label(row.benefit_type),
            row.measure or None,
            row.unit or None,
            label(row.direction),
            row.adoption_measure,
            row.baseline_value,
            row.baseline_date,
            row.target_value,
            row.target_date,
            row.value,
            row.on_date,
            row.owner or None,
            label(row.status),
            row.handed_over_on,
        )


CHANGE_COLUMNS = [
    Column("Programme code", width=14),
    Column("Change request", width=40),
    Column("Kind", width=10),
    Column("Status", width=16),
    Column("Impact", width=40),
    Column("Baseline end date from", DATE),
    Column("Baseline end date to", DATE),
    Column("Whole-life baseline from", MONEY),
    Column("Whole-life baseline to", MONEY),
    Column("Benefit", width=30),
    Column("Target value from", Kind.NUMBER),
    Column("Target value to", Kind.NUMBER),
    Column("Target date from", DATE),
    Column("Target date to", DATE),
    Column("Asked by", width=24),
    Column("Asked on", DATE),
    Column("Decided by", width=24),
    Column("Decided on", DATE),
    Column("Decision note", width=40),
]


def _change_rows(chosen: Select[Any], batch: int) -> Iterator[tuple[Any, ...]]:
    """Every change request of the programmes, each baseline it names from what to what (blank if none)."""
    asker, decider = aliased(User), aliased(User)
    statement = (
        select(
            Programme.code,
            ChangeRequest.title,
            ChangeRequest.kind,
            ChangeRequest.status,
            ChangeRequest.impact,
            ChangeRequest.from_end_date,
            ChangeRequest.proposed_end_date,
            ChangeRequest.from_whole_life_baseline,
            ChangeRequest.proposed_whole_life_baseline,
            Benefit.title.label("benefit"),
            ChangeRequest.from_target_value,
            ChangeRequest.proposed_target_value,
            ChangeRequest.from_target_date,
            ChangeRequest.proposed_target_date,
            asker.name.label("asker"),
            ChangeRequest.requested_at,
            decider.name.label("decider"),
            ChangeRequest.decided_at,
            ChangeRequest.decision_note,
        )
        .join(Programme, Programme.id == ChangeRequest.programme_id)
        .outerjoin(Benefit, Benefit.id == ChangeRequest.benefit_id)
        .outerjoin(asker, asker.id == ChangeRequest.requested_by_id)
        .outerjoin(decider, decider.id == ChangeRequest.decided_by_id)
        .where(ChangeRequest.programme_id.in_(chosen))
        .order_by(Programme.code, ChangeRequest.requested_at, ChangeRequest.id)
    )
    for row in in_batches(statement, batch):
        yield (
            *row[:2],
            label(row.kind),
            label(row.status),
            *row[4:14],
            row.asker,
            london_today(row.requested_at),
            row.decider,
            london_today(row.decided_at) if row.decided_at else None,
            row.decision_note or None,
        )


def _lesson_rows(chosen: Select[Any], batch: int) -> Iterator[tuple[Any, ...]]:
    """Each lesson of the programmes, as the lessons log downloads it: newest first."""
    return sheet_rows(lessons_statement([Lesson.programme_id.in_(chosen)]), batch)


ACTION_COLUMNS = [
    Column("Programme code", width=14),
    Column("Action", width=40),
    Column("Description", width=50),
    Column("Owner", width=24),
    Column("Due date", DATE),
    Column("Days overdue", Kind.NUMBER, 10),
    Column("Status", width=8),
    Column("Date done", DATE),
    Column("Responds to", width=40),
]


def _action_rows(chosen: Select[Any], today: date, batch: int) -> Iterator[tuple[Any, ...]]:
    """Each action, with days overdue as the risk rule counts them (blank when not overdue)."""
    statement = (
        select(
            Programme.code,
            ProgrammeAction.title,
            ProgrammeAction.description,
            ProgrammeAction.owner,
            ProgrammeAction.due_date,
            ProgrammeAction.status,
            ProgrammeAction.done_on,
            RegisterEntry.title.label("entry_title"),
        )
        .join(Programme, Programme.id == ProgrammeAction.programme_id)
        .outerjoin(RegisterEntry, RegisterEntry.id == ProgrammeAction.entry_id)
        .where(ProgrammeAction.programme_id.in_(chosen))
        .order_by(
            Programme.code, ProgrammeAction.due_date.is_(None), ProgrammeAction.due_date, ProgrammeAction.id
        )
    )
    for row in in_batches(statement, batch):
        yield (
            row.code,
            row.title,
            row.description or None,
            row.owner or None,
            row.due_date,
            overdue_days(row.status is ActionStatus.OPEN, row.due_date, today),
            label(row.status),
            row.done_on,
            row.entry_title,
        )


DECISION_COLUMNS = [
    Column("Programme code", width=14),
    Column("Decision", width=40),
    Column("What was decided and why", width=60),
    Column("Decided by", width=24),
    Column("Date decided", DATE),
    Column("Status", width=10),
]


def _decision_rows(chosen: Select[Any], batch: int) -> Iterator[tuple[Any, ...]]:
    statement = (
        select(
            Programme.code,
            Decision.title,
            Decision.detail,
            Decision.decided_by,
            Decision.decided_on,
            Decision.status,
        )
        .join(Programme, Programme.id == Decision.programme_id)
        .where(Decision.programme_id.in_(chosen))
        .order_by(Programme.code, Decision.decided_on.is_(None), Decision.decided_on.desc(), Decision.id)
    )
    for row in in_batches(statement, batch):
        yield (
            row.code,
            row.title,
            row.detail or None,
            row.decided_by or None,
            row.decided_on,
            label(row.status),
        )
