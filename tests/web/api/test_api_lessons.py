"""Lessons learned and a benefit's status through the API: read as the pages show them, closed
programmes' included."""

from __future__ import annotations

from datetime import UTC, date, datetime

from flask.testing import FlaskClient

from tracker.extensions import db
from tracker.models import Benefit, BenefitStatus, Lesson, LessonKind, Programme, Role, Stage


def test_a_programmes_lessons_newest_first_closed_or_not(
    client: FlaskClient, world, bearer, make_user
) -> None:
    author = make_user(Role.PROGRAMME_MANAGER, name="Tom Barker")
    programme = db.session.scalar(db.select(Programme).where(Programme.code == "OWN-001"))
    programme.stage = Stage.CLOSED
    for title, day, kind in (
        ("Pilot with one team first", 1, LessonKind.WENT_WELL),
        ("Clean the data before migrating", 3, LessonKind.DO_DIFFERENTLY),
    ):
        db.session.add(
            Lesson(programme_id=programme.id, kind=kind, title=title, what_happened="It did.",
                   recorded_by_id=author.id, recorded_at=datetime(2026, 11, day, 9, tzinfo=UTC))
        )  # fmt: skip
    db.session.commit()

    response = client.get("/api/v1/programmes/OWN-001/lessons", headers=bearer(Role.VIEWER))

    assert response.status_code == 200
    items = response.get_json()["items"]
    assert [item["title"] for item in items] == [
        "Clean the data before migrating",
        "Pilot with one team first",
    ]
    assert items[0]["kind"] == "do_differently" and items[0]["recorded_by"] == "Tom Barker"
    assert items[0]["recorded_at"].startswith("2026-11-03T09:00") and items[0]["recommendation"] == ""
    assert client.get("/api/v1/programmes/OTH-001/lessons", headers=bearer()).get_json() == {"items": []}


def test_benefits_carry_their_status_and_handover(client: FlaskClient, world, bearer) -> None:
    benefit = db.session.get(Benefit, world.own_benefit)
    benefit.status, benefit.status_reason = BenefitStatus.REALISED, "Savings in the budget"
    benefit.handed_over_on = date(2026, 11, 30)
    db.session.commit()

    item = client.get("/api/v1/programmes/OWN-001/benefits", headers=bearer()).get_json()["items"][0]

    assert (item["status"], item["status_reason"], item["handed_over_on"]) == (
        "realised",
        "Savings in the budget",
        "2026-11-30",
    )
