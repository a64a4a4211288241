"""Lessons learned: what a programme would repeat or do differently, recorded during it and at its
closure, and read by the programmes that come after it.

Lessons are not facts the risk rules read, so recording one does not re-rate the programme or count as
an update from it; they stay recordable once the programme is closed (the policy's RECORD_LESSON)."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from tracker.domain.vocabulary import label
from tracker.extensions import db
from tracker.models import AuditAction, Lesson, LessonKind, Programme, User
from tracker.services import audit
from tracker.services.editing import check_version, commit_or_conflict
from tracker.services.errors import Invalid, NotFound, Problem

MAX_TITLE = 200
MAX_TEXT = 4000


@dataclass(frozen=True)
class LessonValues:
    """What a person enters for a lesson."""

    kind: LessonKind
    title: str
    what_happened: str
    recommendation: str = ""


def lessons_count(programme_id: int) -> int:
    """How many lessons a programme has recorded: the closure gate asks for at least one."""
    return db.session.scalar(select(func.count(Lesson.id)).where(Lesson.programme_id == programme_id)) or 0


def list_lessons(programme: Programme) -> list[Lesson]:
    """A programme's lessons, newest first, with who recorded each: one query."""
    return list(
        db.session.scalars(
            select(Lesson)
            .where(Lesson.programme_id == programme.id)
            .options(joinedload(Lesson.recorded_by))
            .order_by(Lesson.recorded_at.desc(), Lesson.id.desc())
        )
    )


def get_lesson(programme: Programme, lesson_id: int) -> Lesson:
    """A lesson of this programme, or NotFound."""
    lesson = db.session.scalar(
        select(Lesson)
        .where(Lesson.id == lesson_id, Lesson.programme_id == programme.id)
        .options(joinedload(Lesson.recorded_by))
    )
    if lesson is None:
        raise NotFound("There is no such lesson in this programme")
    return lesson


def lesson_problems(*, title: str | None, what_happened: str | None) -> list[Problem]:
    """Every rule a lesson breaks (None: not given, or refused by the form already)."""
    problems: list[Problem] = []
    if title is not None and not title.strip():
        problems.append(("title", "Enter the lesson in a few words"))
    if what_happened is not None and not what_happened.strip():
        problems.append(("what_happened", "Enter what happened"))
    return problems


def create_lesson(programme: Programme, *, values: LessonValues, user: User) -> Lesson:
    """Record a lesson against a programme, open or closed."""
    user_id = user.id
    _check(values)
    lesson = Lesson(
        programme_id=programme.id, recorded_by_id=user_id, updated_by_id=user_id, **asdict(values)
    )
    db.session.add(lesson)
    db.session.flush()
    audit.record(
        AuditAction.CREATE,
        lesson,
        user_id=user_id,
        programme_id=programme.id,
        summary=f"Recorded a lesson ({label(values.kind).lower()}): '{values.title}'",
        changes={name: (None, value) for name, value in asdict(values).items() if value not in (None, "")},
    )
    db.session.commit()
    return lesson


def update_lesson(
    programme: Programme, *, lesson_id: int, values: LessonValues, expected_version: int | None, user: User
) -> Lesson:
    """Change a lesson, refusing a save made from a stale copy."""
    user_id = user.id
    lesson = get_lesson(programme, lesson_id)
    check_version(lesson, expected_version, what="lesson")
    _check(values)
    changes = audit.apply_changes(lesson, asdict(values))
    if not changes:
        return lesson
    lesson.updated_by_id = user_id
    audit.record(
        AuditAction.UPDATE,
        lesson,
        user_id=user_id,
        programme_id=programme.id,
        summary=f"Changed the lesson '{lesson.title}'",
        changes=changes,
    )
    commit_or_conflict(what="lesson")
    return lesson


def delete_lesson(programme: Programme, *, lesson_id: int, expected_version: int | None, user: User) -> str:
    """Remove a lesson; the audit trail keeps its title and what it said."""
    user_id = user.id
    lesson = get_lesson(programme, lesson_id)
    check_version(lesson, expected_version, what="lesson")
    title = lesson.title
    audit.record(
        AuditAction.DELETE,
        lesson,
        user_id=user_id,
        programme_id=programme.id,
        summary=f"Deleted the lesson '{title}'",
        changes={"title": (title, None), "what_happened": (lesson.what_happened, None)},
    )
    db.session.delete(lesson)
    commit_or_conflict(what="lesson")
    return title


def _check(values: LessonValues) -> None:
    problems = lesson_problems(title=values.title, what_happened=values.what_happened)
    if problems:
        raise Invalid.every(problems)
