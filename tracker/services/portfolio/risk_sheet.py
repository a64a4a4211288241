"""The workbook's Risks and issues sheet: every register entry of the programmes, open ones first and
the highest scores first, in the columns the spreadsheet import reads back."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlalchemy import Select, case, select

from tracker.domain.spreadsheet import Column, Kind
from tracker.domain.vocabulary import label
from tracker.models import EntryStatus, Programme, RegisterEntry
from tracker.services.paging import in_batches

RISK_COLUMNS = [
    Column("Programme code", width=14),
    Column("Type", width=9),
    Column("Title", width=40),
    Column("Description", width=50),
    Column("Likelihood", Kind.NUMBER, 10),
    Column("Impact", Kind.NUMBER, 10),
    Column("Score", Kind.NUMBER, 8),
    Column("Owner", width=24),
    Column("Response", width=10),
    Column("Mitigation", width=50),
    Column("Status", width=8),
    Column("Review date", Kind.DATE),
]


def risk_rows(programme_ids: Select[Any], batch: int) -> Iterator[tuple[Any, ...]]:
    """Each risk and issue of these programmes, as the register lists them: open first, by score."""
    entry = RegisterEntry
    statement = (
        select(
            Programme.code,
            entry.kind,
            entry.title,
            entry.description,
            entry.likelihood,
            entry.impact,
            entry.owner,
            entry.response,
            entry.mitigation,
            entry.status,
            entry.review_date,
        )
        .join(Programme, Programme.id == entry.programme_id)
        .where(entry.programme_id.in_(programme_ids))
        .order_by(
            Programme.code,
            case((entry.status == EntryStatus.OPEN, 0), else_=1),
            (entry.likelihood * entry.impact).desc(),
            entry.id,
        )
    )
    for row in in_batches(statement, batch):
        yield (
            row.code,
            label(row.kind),
            row.title,
            row.description or None,
            row.likelihood,
            row.impact,
            row.likelihood * row.impact,
            row.owner or None,
            label(row.response),
            row.mitigation or None,
            label(row.status),
            row.review_date,
        )
