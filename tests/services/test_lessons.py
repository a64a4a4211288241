"""Lessons learned: recorded, changed and removed with the audit trail, counted for the closure gate, and
searched across the portfolio (closed programmes included) in words people type."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from tests.factories import ProgrammeFactory
from tracker.extensions import db
from tracker.models import AuditAction, AuditEvent, Lesson, LessonKind, Programme, Role, Stage, User
from tracker.services import lessons
from tracker.services.errors import Conflict, Invalid
from tracker.services.lessons import LessonValues
from tracker.services.portfolio.lessons import LessonsQuery, lessons_page, lessons_sheet


@pytest.fixture
def user(app, make_user) -> User:
    return make_user(Role.PROGRAMME_MANAGER, name="Priya Shah")


@pytest.fixture
def programme(user: User) -> Programme:
    return ProgrammeFactory(code="ASC-013", directorate="Adults", manager_id=user.id)


def values(**changes: object) -> LessonValues:
    base: dict[str, object] = {
        "kind": LessonKind.DO_DIFFERENTLY,
        "title": "Train the responders before go-live",
        "what_happened": "Alerts went unanswered in the first week.",
        "recommendation": "Book training a month ahead.",
    }
    return LessonValues(**{**base, **changes})  # type: ignore[arg-type]


def events(programme: Programme) -> list[AuditEvent]:
    return list(
        db.session.scalars(
            select(AuditEvent).where(AuditEvent.programme_id == programme.id).order_by(AuditEvent.id)
        )
    )


def test_a_lesson_is_recorded_with_who_and_when_and_counted(programme: Programme, user: User) -> None:
    assert lessons.lessons_count(programme.id) == 0

    lesson = lessons.create_lesson(programme, values=values(), user=user)

    assert lesson.recorded_by_id == user.id and lesson.recorded_at is not None
    assert lessons.lessons_count(programme.id) == 1
    (event,) = events(programme)
    assert event.action is AuditAction.CREATE and event.entity_type == "lesson"
    assert "Train the responders" in event.summary and "do differently" in event.summary
    assert event.changes["what_happened"] == [None, "Alerts went unanswered in the first week."]


def test_a_closed_programme_takes_lessons(user: User) -> None:
    closed = ProgrammeFactory(stage=Stage.CLOSED)

    lessons.create_lesson(closed, values=values(), user=user)

    assert lessons.lessons_count(closed.id) == 1


def test_every_problem_is_reported_at_once(programme: Programme, user: User) -> None:
    with pytest.raises(Invalid) as refused:
        lessons.create_lesson(programme, values=values(title="  ", what_happened=""), user=user)

    assert [field for field, _ in refused.value.problems] == ["title", "what_happened"]
    assert lessons.lessons_count(programme.id) == 0


def test_a_change_is_audited_and_a_stale_copy_refused(programme: Programme, user: User) -> None:
    lesson = lessons.create_lesson(programme, values=values(), user=user)
    version = lesson.version

    lessons.update_lesson(
        programme,
        lesson_id=lesson.id,
        values=values(kind=LessonKind.WENT_WELL),
        expected_version=version,
        user=user,
    )

    assert events(programme)[-1].changes == {"kind": ["do_differently", "went_well"]}
    with pytest.raises(Conflict, match="This lesson was changed by Priya Shah"):
        lessons.update_lesson(
            programme, lesson_id=lesson.id, values=values(title="Mine"), expected_version=version, user=user
        )
    with pytest.raises(Conflict):
        lessons.delete_lesson(programme, lesson_id=lesson.id, expected_version=version, user=user)
    assert lessons.lessons_count(programme.id) == 1


def test_a_deleted_lesson_leaves_what_it_said_in_the_history(programme: Programme, user: User) -> None:
    lesson = lessons.create_lesson(programme, values=values(), user=user)

    title = lessons.delete_lesson(programme, lesson_id=lesson.id, expected_version=lesson.version, user=user)

    assert title == "Train the responders before go-live"
    assert lessons.lessons_count(programme.id) == 0
    deleted = events(programme)[-1]
    assert deleted.action is AuditAction.DELETE
    assert deleted.changes["what_happened"] == ["Alerts went unanswered in the first week.", None]


def add(programme: Programme, title: str, *, at: datetime, kind=LessonKind.WENT_WELL, **text: str) -> None:
    db.session.add(
        Lesson(
            programme_id=programme.id,
            kind=kind,
            title=title,
            what_happened=text.get("what_happened", "It happened."),
            recommendation=text.get("recommendation", ""),
            recorded_at=at,
        )
    )
    db.session.commit()


def test_the_log_searches_every_word_in_any_case_across_open_and_closed_programmes(app, user: User) -> None:
    open_one = ProgrammeFactory(code="DIG-001", directorate="Resources")
    closed = ProgrammeFactory(code="ASC-013", directorate="Adults", stage=Stage.CLOSED)
    add(
        open_one,
        "Supplier capacity",
        at=datetime(2026, 10, 1, tzinfo=UTC),
        what_happened="The SUPPLIER ran late",
    )
    add(closed, "Train responders early", at=datetime(2026, 11, 1, tzinfo=UTC),
        recommendation="Ask the supplier for trainers", kind=LessonKind.DO_DIFFERENTLY)  # fmt: skip
    add(closed, "Fifty per cent done by 100% staff", at=datetime(2026, 9, 1, tzinfo=UTC))

    def titles(**query: object) -> list[str]:
        return [row.title for row in lessons_page(user, LessonsQuery(**query)).rows]  # type: ignore[arg-type]

    assert titles() == ["Train responders early", "Supplier capacity", "Fifty per cent done by 100% staff"]
    assert titles(words="supplier") == ["Train responders early", "Supplier capacity"]
    assert titles(words="Supplier   LATE") == ["Supplier capacity"]
    assert titles(words="supplier trainers", directorate="Adults") == ["Train responders early"]
    assert titles(kind=LessonKind.WENT_WELL, directorate="Adults") == ["Fifty per cent done by 100% staff"]
    assert titles(words="100%") == ["Fifty per cent done by 100% staff"]
    assert titles(words="%") == ["Fifty per cent done by 100% staff"]  # a character, not a pattern
    assert titles(words="_") == []
    page = lessons_page(user, LessonsQuery(words="supplier"))
    assert (page.total, page.programmes) == (2, 2)

    sheet = lessons_sheet(user, LessonsQuery(words="trainers"))
    (row,) = list(sheet.rows)
    assert row[:6] == ("ASC-013", closed.name, "Adults", "Closed", "Do differently", "Train responders early")
    assert row[-1].isoformat() == "2026-11-01"
