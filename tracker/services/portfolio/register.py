"""The RAID view across the portfolio: the risks, actions, issues and decisions of the open programmes the
filters select, a page at a time or all of them for a download; a fixed number of queries whatever the
portfolio's size.

What it selects, and in what order, is `raid_items`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import and_, case, distinct, func, select

from tracker.domain.calendar import london_today
from tracker.domain.definitions import overdue_days
from tracker.domain.spreadsheet import Column, Kind, Sheet
from tracker.domain.vocabulary import RESPONSE_LABELS, ActionStatus, EntryStatus, Response
from tracker.extensions import db
from tracker.models import User
from tracker.models.types import utcnow
from tracker.services.paging import page_of
from tracker.services.portfolio.raid_items import (
    KIND_NAMES,
    KINDS,
    OVERDUE,
    STATUS_NAMES,
    RegisterQuery,
    in_order,
    raid_items,
)
from tracker.services.portfolio.scope import filter_choices
from tracker.services.register import band_for
from tracker.services.settings import current_thresholds

PER_PAGE = 50


@dataclass(frozen=True)
class RegisterRow:
    """One risk, action, issue or decision and its programme, as plain values (None where the kind has
    no such field)."""

    kind: str
    id: int
    title: str
    description: str
    owner: str
    likelihood: int | None
    impact: int | None
    response: str | None
    mitigation: str | None
    status: str
    review_date: date | None
    due_date: date | None
    done_on: date | None
    decided_by: str | None
    decided_on: date | None
    programme_id: int
    code: str
    programme_name: str
    directorate: str
    manager_name: str | None
    band: str | None
    review_overdue: bool
    days_overdue: int | None

    @property
    def score(self) -> int | None:
        return None if self.likelihood is None or self.impact is None else self.likelihood * self.impact

    @property
    def status_label(self) -> str:
        return STATUS_NAMES.get(self.status, self.status)

    @property
    def response_label(self) -> str | None:
        return None if self.response is None else RESPONSE_LABELS[Response(self.response)]


@dataclass(frozen=True)
class RegisterPage:
    rows: list[RegisterRow]
    total: int
    programmes: int
    page: int
    pages: int
    high_score: int
    counts: dict[str, int] = field(default_factory=dict)
    """How many of each kind the filters select, and how many of those actions are overdue."""
    directorates: list[str] = field(default_factory=list)
    managers: list[tuple[int, str]] = field(default_factory=list)


def register_page(
    user: User, query: RegisterQuery, *, today: date | None = None, per_page: int = PER_PAGE
) -> RegisterPage:
    """One page of items, the counts, and the filters' choices: four queries and the thresholds (read
    once a request)."""
    today = today or london_today(utcnow())
    high = current_thresholds().high_risk_score
    items = raid_items(user, query, high, today).subquery()
    overdue = and_(
        items.c.kind == "action",
        items.c.status == ActionStatus.OPEN.value,
        items.c.due_date < today,
    )
    counted = db.session.execute(
        select(
            func.count(),
            func.count(distinct(items.c.programme_id)),
            *(func.coalesce(func.sum(case((items.c.kind == kind, 1), else_=0)), 0) for kind in KINDS),
            func.coalesce(func.sum(case((overdue, 1), else_=0)), 0),
        )
    ).one()
    total, programmes, *per_kind, overdue_count = counted
    page, pages = page_of(query.page, total, per_page)
    statement = in_order(items).limit(per_page).offset((page - 1) * per_page)
    rows = [_row(values, high, today) for values in db.session.execute(statement)]
    directorates, managers = filter_choices()
    return RegisterPage(
        rows=rows,
        total=total,
        programmes=programmes,
        page=page,
        pages=pages,
        high_score=high,
        counts={**dict(zip(KINDS, per_kind, strict=True)), OVERDUE: overdue_count},
        directorates=directorates,
        managers=managers,
    )


CSV_COLUMNS = [
    Column("Programme code", width=14),
    Column("Programme", width=40),
    Column("Directorate", width=24),
    Column("Programme manager", width=24),
    Column("Type", width=9),
    Column("Title", width=40),
    Column("Description", width=60),
    Column("Likelihood", Kind.NUMBER, 10),
    Column("Impact", Kind.NUMBER, 10),
    Column("Score", Kind.NUMBER, 8),
    Column("Band", width=8),
    Column("Owner", width=24),
    Column("Response", width=10),
    Column("Mitigation", width=60),
    Column("Review date", Kind.DATE),
    Column("Due date", Kind.DATE),
    Column("Days overdue", Kind.NUMBER, 8),
    Column("Date done", Kind.DATE),
    Column("Decided by", width=24),
    Column("Date decided", Kind.DATE),
    Column("Status", width=10),
]


def register_sheet(user: User, query: RegisterQuery, *, today: date | None = None) -> Sheet:
    """Every item the page's filters select, all pages, in the page's order; read as it is written."""
    today = today or london_today(utcnow())
    return Sheet("RAID", CSV_COLUMNS, _sheet_rows(user, query, today))


def _sheet_rows(user: User, query: RegisterQuery, today: date) -> Iterator[tuple[Any, ...]]:
    high = current_thresholds().high_risk_score
    statement = in_order(raid_items(user, query, high, today).subquery()).execution_options(yield_per=500)
    for values in db.session.execute(statement):
        row = _row(values, high, today)
        yield (
            row.code,
            row.programme_name,
            row.directorate,
            row.manager_name,
            KIND_NAMES[row.kind],
            row.title,
            row.description or None,
            row.likelihood,
            row.impact,
            row.score,
            row.band.capitalize() if row.band else None,
            row.owner or None,
            row.response_label,
            row.mitigation or None,
            row.review_date,
            row.due_date,
            row.days_overdue,
            row.done_on,
            row.decided_by or None,
            row.decided_on,
            row.status_label,
        )


def _row(values: Any, high: int, today: date) -> RegisterRow:
    """A row of `_items`, whose columns are RegisterRow's first fields in order."""
    is_open = values.status in (EntryStatus.OPEN.value, ActionStatus.OPEN.value)
    score = None if values.likelihood is None else values.likelihood * values.impact
    review = values.review_date
    return RegisterRow(
        *values,
        band=None if score is None else band_for(score, high),
        review_overdue=is_open and review is not None and review < today,
        days_overdue=overdue_days(is_open and values.kind == "action", values.due_date, today),
    )
