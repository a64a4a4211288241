"""Risks and issues across the portfolio: the register entries of the open programmes the filters select,
highest score first, a page at a time or all of them for a download; a fixed number of queries whatever
the portfolio's size."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import Select, and_, distinct, func, select

from tracker.domain.calendar import london_today
from tracker.domain.spreadsheet import Column, Kind, Sheet
from tracker.domain.vocabulary import label
from tracker.extensions import db
from tracker.models import EntryKind, EntryStatus, Programme, RegisterEntry, Response, User
from tracker.models.types import utcnow
from tracker.services.paging import page_of
from tracker.services.portfolio.scope import ProgrammeFilter, filter_choices, scope_conditions
from tracker.services.register import band_for
from tracker.services.settings import current_thresholds

PER_PAGE = 50
MEDIUM_SCORE = 5
"""The lowest score the register calls medium; high is the risk scan's threshold (a setting)."""
BANDS = ("high", "medium")


@dataclass(frozen=True)
class RegisterQuery:
    """The page's filters: which programmes, risks or issues, open or closed, and the least band."""

    mine: bool = False
    directorate: str | None = None
    manager_id: int | None = None
    kind: EntryKind | None = None
    status: EntryStatus | None = EntryStatus.OPEN
    """None: open and closed."""
    band: str | None = None
    """"high": the risk scan's high scores only; "medium": medium and high; None: every score."""
    owner: str | None = None
    """Part of the owner's name, in any case."""
    page: int = 1

    def programmes(self) -> ProgrammeFilter:
        """The programme filters, which leave out closed programmes as the list does."""
        return ProgrammeFilter(mine=self.mine, directorate=self.directorate, manager_id=self.manager_id)


@dataclass(frozen=True)
class RegisterRow:
    """One entry and its programme, as plain values."""

    id: int
    kind: EntryKind
    title: str
    likelihood: int
    impact: int
    owner: str
    response: Response
    mitigation: str
    status: EntryStatus
    review_date: date | None
    code: str
    programme_name: str
    directorate: str
    manager_name: str | None
    band: str
    review_overdue: bool

    @property
    def score(self) -> int:
        return self.likelihood * self.impact


@dataclass(frozen=True)
class RegisterPage:
    rows: list[RegisterRow]
    total: int
    programmes: int
    page: int
    pages: int
    high_score: int
    directorates: list[str] = field(default_factory=list)
    managers: list[tuple[int, str]] = field(default_factory=list)


def register_page(
    user: User, query: RegisterQuery, *, today: date | None = None, per_page: int = PER_PAGE
) -> RegisterPage:
    """One page of entries, the count and programme count, and the filters' choices: four queries and
    the thresholds (read once a request)."""
    today = today or london_today(utcnow())
    high = current_thresholds().high_risk_score
    conditions = _conditions(user, query, high)
    total, programmes = db.session.execute(
        select(func.count(RegisterEntry.id), func.count(distinct(RegisterEntry.programme_id)))
        .join(Programme, Programme.id == RegisterEntry.programme_id)
        .where(*conditions)
    ).one()
    page, pages = page_of(query.page, total, per_page)
    statement = _rows_statement(conditions).limit(per_page).offset((page - 1) * per_page)
    rows = [_row(values, high, today) for values in db.session.execute(statement)]
    directorates, managers = filter_choices()
    return RegisterPage(
        rows=rows,
        total=total,
        programmes=programmes,
        page=page,
        pages=pages,
        high_score=high,
        directorates=directorates,
        managers=managers,
    )


CSV_COLUMNS = [
    Column("Programme code", width=14),
    Column("Programme", width=40),
    Column("Directorate", width=24),
    Column("Programme manager", width=24),
    Column("Type", width=8),
    Column("Title", width=40),
    Column("Likelihood", Kind.NUMBER, 10),
    Column("Impact", Kind.NUMBER, 10),
    Column("Score", Kind.NUMBER, 8),
    Column("Band", width=8),
    Column("Owner", width=24),
    Column("Response", width=10),
    Column("Mitigation", width=60),
    Column("Review date", Kind.DATE),
    Column("Status", width=8),
]


def register_sheet(user: User, query: RegisterQuery, *, today: date | None = None) -> Sheet:
    """Every entry the page's filters select, all pages, in the page's order; read as it is written."""
    today = today or london_today(utcnow())
    return Sheet("Risks and issues", CSV_COLUMNS, _sheet_rows(user, query, today))


def _sheet_rows(user: User, query: RegisterQuery, today: date) -> Iterator[tuple[Any, ...]]:
    high = current_thresholds().high_risk_score
    statement = _rows_statement(_conditions(user, query, high)).execution_options(yield_per=500)
    for values in db.session.execute(statement):
        row = _row(values, high, today)
        yield (
            row.code,
            row.programme_name,
            row.directorate,
            row.manager_name,
            label(row.kind),
            row.title,
            row.likelihood,
            row.impact,
            row.score,
            row.band.capitalize(),
            row.owner or None,
            label(row.response),
            row.mitigation or None,
            row.review_date,
            label(row.status),
        )


def _conditions(user: User, query: RegisterQuery, high: int) -> list[Any]:
    """Entries of the open programmes the filters select, of the kind, status, band and owner asked."""
    conditions = scope_conditions(user.id, query.programmes())
    if query.kind:
        conditions.append(RegisterEntry.kind == query.kind)
    if query.status:
        conditions.append(RegisterEntry.status == query.status)
    if query.band in BANDS:
        least = high if query.band == "high" else MEDIUM_SCORE
        conditions.append(RegisterEntry.likelihood * RegisterEntry.impact >= least)
    if query.owner:
        conditions.append(func.lower(RegisterEntry.owner).contains(query.owner.lower(), autoescape=True))
    return conditions


def _rows_statement(conditions: list[Any]) -> Select[Any]:
    """Entries by score, highest first; then the soonest review, then the programme."""
    score = RegisterEntry.likelihood * RegisterEntry.impact
    return (
        select(
            RegisterEntry.id,
            RegisterEntry.kind,
            RegisterEntry.title,
            RegisterEntry.likelihood,
            RegisterEntry.impact,
            RegisterEntry.owner,
            RegisterEntry.response,
            RegisterEntry.mitigation,
            RegisterEntry.status,
            RegisterEntry.review_date,
            Programme.code,
            Programme.name.label("programme_name"),
            Programme.directorate,
            User.name.label("manager_name"),
        )
        .join(Programme, Programme.id == RegisterEntry.programme_id)
        .outerjoin(User, User.id == Programme.manager_id)
        .where(and_(*conditions))
        .order_by(
            score.desc(), RegisterEntry.review_date.is_(None), RegisterEntry.review_date, Programme.code
        )
        .order_by(RegisterEntry.id)
    )


def _row(values: Any, high: int, today: date) -> RegisterRow:
    """A row of `_rows_statement`, whose columns are RegisterRow's first fields in order."""
    review = values.review_date
    open_entry = values.status is EntryStatus.OPEN
    return RegisterRow(
        *values,
        band=band_for(values.likelihood * values.impact, high),
        review_overdue=open_entry and review is not None and review < today,
    )
