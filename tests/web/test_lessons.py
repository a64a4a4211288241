"""Lessons learned as people use them: a programme manager records, changes and deletes their programme's
lessons (closed or not), History shows it, and anyone searches every programme's lessons in the log,
filters and downloads them, at a query cost that does not grow with the portfolio."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import insert, select

from tests.factories import ProgrammeFactory
from tests.helpers import csrf_token_from
from tests.web.pages import counting_queries, error_summary, get, table_rows, words
from tracker.extensions import db
from tracker.models import Lesson, LessonKind, Programme, Role, Stage, User

LESSON = {
    "kind": "do_differently",
    "title": "Train responders before go-live",
    "what_happened": "Alerts went unanswered in the first week.\nThe rota had no one trained.",
    "recommendation": "Book training a month ahead.",
}


@pytest.fixture
def manager(auth) -> User:
    return auth.sign_in_as(Role.PROGRAMME_MANAGER)


@pytest.fixture
def programme(manager: User) -> Programme:
    return ProgrammeFactory(code="ASC-013", name="Telecare switchover", manager_id=manager.id)


def post(client, path: str, data: dict[str, str]):
    """Open the form, then send it with its token and the version it shows, as a browser would."""
    opened = client.get(path)
    version = re.search(r'name="version"[^>]*value="(\d+)"', opened.get_data(as_text=True))
    sent = {**data, "csrf_token": csrf_token_from(opened)} | (
        {"version": version.group(1)} if version else {}
    )
    return client.post(path, data=sent)


def test_a_manager_records_a_lesson_and_history_shows_it(client, programme: Programme) -> None:
    page = get(client, "/programmes/ASC-013/lessons/")
    assert "No lessons recorded yet" in page and 'aria-current="page">Lessons' in page

    response = post(client, "/programmes/ASC-013/lessons/new", LESSON)

    assert response.status_code == 302 and "/programmes/ASC-013/lessons/#lesson-" in response.location
    shown = words(get(client, "/programmes/ASC-013/lessons/"))
    assert "1 lesson, newest first" in shown and "Train responders before go-live" in shown
    assert "Do differently" in shown and "The rota had no one trained." in shown
    assert "Book training a month ahead." in shown
    history = words(get(client, "/programmes/ASC-013/history"))
    assert "Recorded a lesson (do differently): 'Train responders before go-live'" in history


def test_every_error_shows_at_once_and_what_was_typed_stays(client, programme: Programme) -> None:
    response = post(
        client,
        "/programmes/ASC-013/lessons/new",
        {"title": "", "what_happened": " ", "recommendation": "Keep"},
    )

    assert response.status_code == 200
    summary = error_summary(response)
    assert "Select whether it went well or should be done differently" in summary
    assert "Enter the lesson in a few words" in summary and "Enter what happened" in summary
    assert ">Keep</textarea>" in response.get_data(as_text=True)
    assert db.session.scalar(select(Lesson.id)) is None


def test_a_lesson_is_changed_and_deleted(client, programme: Programme) -> None:
    post(client, "/programmes/ASC-013/lessons/new", LESSON)
    lesson_id = db.session.scalar(select(Lesson.id))

    edited = post(
        client,
        f"/programmes/ASC-013/lessons/{lesson_id}/edit",
        {**LESSON, "kind": "went_well", "title": "Rota"},
    )
    assert edited.status_code == 302
    assert "Went well" in words(get(client, "/programmes/ASC-013/lessons/"))

    deleted = post(client, f"/programmes/ASC-013/lessons/{lesson_id}/delete", {})
    assert deleted.status_code == 302
    assert "No lessons recorded yet" in get(client, "/programmes/ASC-013/lessons/")
    history = words(get(client, "/programmes/ASC-013/history"))
    assert "Changed the lesson 'Rota'" in history and "Deleted the lesson 'Rota'" in history


def test_a_closed_programme_still_takes_lessons(client, programme: Programme) -> None:
    programme.stage = Stage.CLOSED
    db.session.commit()

    page = get(client, "/programmes/ASC-013/lessons/")
    assert "Record a lesson" in page and "its lessons, can still be recorded" in words(page)
    response = post(client, "/programmes/ASC-013/lessons/new", LESSON)

    assert response.status_code == 302
    assert "Train responders before go-live" in get(client, "/programmes/ASC-013/lessons/")


def test_a_viewer_reads_lessons_but_is_offered_no_change(client, auth, make_user) -> None:
    programme = ProgrammeFactory(code="DIG-001")
    db.session.add(Lesson(programme_id=programme.id, kind=LessonKind.WENT_WELL, title="Pilot first",
                          what_happened="The pilot found the gaps."))  # fmt: skip
    db.session.commit()
    auth.sign_in_as(Role.VIEWER)

    page = get(client, "/programmes/DIG-001/lessons/")

    assert "Pilot first" in page and "Record a lesson" not in page and "/edit" not in page


# The lessons log


@pytest.fixture
def log(make_user) -> None:
    pm = make_user(Role.PROGRAMME_MANAGER, name="Tom Barker")
    digital = ProgrammeFactory(code="DIG-001", directorate="Resources", manager_id=pm.id)
    closed = ProgrammeFactory(code="ASC-013", directorate="Adults", stage=Stage.CLOSED)
    day = datetime(2026, 11, 1, 12, tzinfo=UTC)
    rows = [
        (digital, LessonKind.DO_DIFFERENTLY, "Book supplier capacity early", "The supplier had no one free.",
         "Ask at contract award.", day),
        (closed, LessonKind.WENT_WELL, "Trained responders ahead", "Nobody missed an alert.",
         "Use the same supplier's trainers.", day + timedelta(days=2)),
        (closed, LessonKind.DO_DIFFERENTLY, "Clean the data first", "Addresses were wrong.", "",
         day - timedelta(1)),
    ]  # fmt: skip
    for programme, kind, title, happened, recommendation, at in rows:
        lesson = Lesson(programme_id=programme.id, kind=kind, title=title, what_happened=happened,
                        recommendation=recommendation, recorded_at=at, recorded_by_id=pm.id)  # fmt: skip
        db.session.add(lesson)
    db.session.commit()


def test_the_log_lists_every_programmes_lessons_newest_first(client, auth, log) -> None:
    auth.sign_in_as(Role.VIEWER)

    page = get(client, "/lessons/")

    rows = table_rows(page)
    assert [row.split(" ")[0] for row in rows] == ["ASC-013", "DIG-001", "ASC-013"]
    assert "Trained responders ahead" in rows[0] and "closed" in rows[0] and "3 November 2026" in rows[0]
    assert "Tom Barker" in rows[0] and "Use the same supplier's trainers." in rows[0]
    assert "3 lessons from 2 programmes" in words(page)
    assert 'href="/lessons/"' in page and ">Lessons<" in page  # in the main navigation


@pytest.mark.parametrize(
    ("query", "titles"),
    [
        ("words=SUPPLIER", ["Trained responders ahead", "Book supplier capacity early"]),
        ("words=supplier+award", ["Book supplier capacity early"]),
        ("words=supplier&directorate=Adults", ["Trained responders ahead"]),
        ("kind=do_differently", ["Book supplier capacity early", "Clean the data first"]),
        (
            "kind=nonsense&words=",
            ["Trained responders ahead", "Book supplier capacity early", "Clean the data first"],
        ),
        ("words=nothing+like+it", []),
    ],
)
def test_the_search_and_filters_choose_the_lessons(client, auth, log, query: str, titles: list[str]) -> None:
    auth.sign_in_as(Role.CIO)

    page = get(client, f"/lessons/?{query}")

    shown = [row.split(" ", 1)[1] for row in table_rows(page)] if titles else []
    assert [title for title in ["Trained responders ahead", "Book supplier capacity early",
            "Clean the data first"] if any(title in row for row in shown)] == titles  # fmt: skip
    if not titles:
        assert "No lesson matches ‘nothing like it’." in words(page)


def test_the_csv_has_every_lesson_the_search_finds(client, auth, log) -> None:
    auth.sign_in_as(Role.VIEWER)

    response = client.get("/lessons/export.csv?words=supplier")

    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert 'filename="lessons-' in response.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert [row["Lesson"] for row in rows] == ["Trained responders ahead", "Book supplier capacity early"]
    assert rows[0]["Programme stage"] == "Closed" and rows[0]["Kind"] == "Went well"
    assert rows[1]["Recorded on"] == "2026-11-01" and rows[1]["Recorded by"] == "Tom Barker"


def bulk_lessons(count: int, first_id: int) -> None:
    programme = db.session.scalar(select(Programme).where(Programme.code == "BLK-001"))
    if programme is None:
        programme = ProgrammeFactory(code="BLK-001", directorate="Place", stage=Stage.CLOSED)
    at = datetime(2026, 1, 1, tzinfo=UTC)
    db.session.execute(
        insert(Lesson),
        [
            {"id": first_id + n, "programme_id": programme.id, "kind": LessonKind.WENT_WELL,
             "title": f"Bulk lesson {n}", "what_happened": "Supplier work", "recommendation": "",
             "recorded_at": at + timedelta(hours=n)}
            for n in range(count)
        ],
    )  # fmt: skip
    db.session.commit()


def test_the_log_and_its_csv_cost_the_same_queries_at_10_and_300_lessons(client, auth) -> None:
    auth.sign_in_as(Role.VIEWER)
    bulk_lessons(10, first_id=1_000)
    client.get("/lessons/")  # warm up
    with counting_queries() as page_at_10:
        assert "10 lessons from 1 programme" in words(
            get(client, "/lessons/?words=supplier&directorate=Place")
        )
    with counting_queries() as csv_at_10:
        assert client.get("/lessons/export.csv").get_data(as_text=True).count("Bulk lesson") == 10
    bulk_lessons(290, first_id=2_000)
    with counting_queries() as page_at_300:
        assert "300 lessons from 1 programme" in words(get(client, "/lessons/?words=supplier&page=5"))
    with counting_queries() as csv_at_300:
        assert client.get("/lessons/export.csv").get_data(as_text=True).count("Bulk lesson") == 300

    assert len(page_at_10) == len(page_at_300) <= 8
    assert len(csv_at_10) == len(csv_at_300)
