"""The lessons log: every programme's lessons learned, closed programmes' included (that is where most are
written), newest first, searched by words and filtered; a page at a time or all of them for a download,
in a fixed number of queries whatever the portfolio's size."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Select, distinct, func, or_, select

from tracker.domain.calendar import LONDON
from tracker.domain.spreadsheet import Column, Kind, Sheet
from tracker.domain.vocabulary import label
from tracker.extensions import db
from tracker.models import Lesson, LessonKind, Programme, Stage, User
from tracker.services.paging import in_batches, page_of
from tracker.services.portfolio.scope import ProgrammeFilter, filter_choices, scope_conditions

PER_PAGE = 25
BATCH = 500
"""Rows a download fetches from the database at a time."""
MAX_SEARCH_WORDS = 10
"""Words of a search beyond this are ignored: each adds a condition on three text columns."""


@dataclass(frozen=True)
class LessonsQuery:
    """The log's filters: words every lesson shown contains, its programme's directorate and manager, and
    its kind."""

    words: str | None = None
    directorate: str | None = None
    manager_id: int | None = None
    kind: LessonKind | None = None
    page: int = 1

    def search_words(self) -> list[str]:
        """The words searched for, in lower case, each once."""
        return list(dict.fromkeys((self.words or "").lower().split()))[:MAX_SEARCH_WORDS]


@dataclass(frozen=True)
class LessonRow:
    """One lesson with its programme, as plain values."""

    id: int
    kind: LessonKind
    title: str
    what_happened: str
    recommendation: str
    recorded_at: datetime
    recorded_by: str | None
    code: str
    programme_name: str
    directorate: str
    stage: Stage


@dataclass(frozen=True)
class LessonsPage:
    rows: list[LessonRow]
    total: int
    programmes: int
    page: int
    pages: int
    directorates: list[str] = field(default_factory=list)
    managers: list[tuple[int, str]] = field(default_factory=list)


def lessons_page(user: User, query: LessonsQuery, *, per_page: int = PER_PAGE) -> LessonsPage:
    """One page of lessons, the count and programme count, and the filters' choices: four queries."""
    conditions = _conditions(user, query)
    total, programmes = db.session.execute(
        select(func.count(Lesson.id), func.count(distinct(Lesson.programme_id)))
        .join(Programme, Programme.id == Lesson.programme_id)
        .where(*conditions)
    ).one()
    page, pages = page_of(query.page, total, per_page)
    statement = lessons_statement(conditions).limit(per_page).offset((page - 1) * per_page)
    rows = [LessonRow(*values) for values in db.session.execute(statement)]
    directorates, managers = filter_choices(include_closed=True)
    return LessonsPage(
        rows=rows,
        total=total,
        programmes=programmes,
        page=page,
        pages=pages,
        directorates=directorates,
        managers=managers,
    )


LESSON_COLUMNS = [
    Column("Programme code", width=14),
    Column("Programme", width=40),
    Column("Directorate", width=24),
    Column("Programme stage", width=14),
    Column("Kind", width=14),
    Column("Lesson", width=40),
    Column("What happened", width=60),
    Column("Recommendation", width=60),
    Column("Recorded by", width=24),
    Column("Recorded on", Kind.DATE),
]


def lessons_sheet(user: User, query: LessonsQuery) -> Sheet:
    """Every lesson the log's filters select, all pages, newest first; read as it is written."""
    return Sheet("Lessons", LESSON_COLUMNS, sheet_rows(lessons_statement(_conditions(user, query))))


def sheet_rows(statement: Select[Any], batch: int = BATCH) -> Iterator[tuple[Any, ...]]:
    """The rows of `lessons_statement` as a sheet's cells (the log's download and the workbook's sheet)."""
    for values in in_batches(statement, batch):
        row = LessonRow(*values)
        yield (
            row.code,
            row.programme_name,
            row.directorate,
            label(row.stage),
            label(row.kind),
            row.title,
            row.what_happened or None,
            row.recommendation or None,
            row.recorded_by,
            row.recorded_at.astimezone(LONDON).date(),
        )


def _conditions(user: User, query: LessonsQuery) -> list[Any]:
    """Lessons of every programme the filters select, closed ones included, of the kind and words asked."""
    programmes = ProgrammeFilter(
        include_closed=True, directorate=query.directorate, manager_id=query.manager_id
    )
    conditions = scope_conditions(user.id, programmes)
    if query.kind:
        conditions.append(Lesson.kind == query.kind)
    texts = (Lesson.title, Lesson.what_happened, Lesson.recommendation)
    for word in query.search_words():
        # lower() on both sides: SQLite's LIKE and PostgreSQL's differ on case; a % or _ is a character.
        conditions.append(or_(*(func.lower(text).contains(word, autoescape=True) for text in texts)))
    return conditions


def lessons_statement(conditions: list[Any]) -> Select[Any]:
    """Lessons newest first, with their programme; columns in LessonRow's order."""
    return (
        select(
            Lesson.id,
            Lesson.kind,
            Lesson.title,
            Lesson.what_happened,
            Lesson.recommendation,
            Lesson.recorded_at,
            User.name.label("recorded_by"),
            Programme.code,
            Programme.name.label("programme_name"),
            Programme.directorate,
            Programme.stage,
        )
        .join(Programme, Programme.id == Lesson.programme_id)
        .outerjoin(User, User.id == Lesson.recorded_by_id)
        .where(*conditions)
        .order_by(Lesson.recorded_at.desc(), Lesson.id.desc())
    )
