"""A portfolio first rated this week: the dashboard says there is nothing to compare with, not "no change"."""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime, timedelta

import pytest

from tracker.extensions import db
from tracker.models import Programme, Rag, RiskAssessment, Role, Stage, Trend

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def frozen(time_machine) -> None:
    time_machine.move_to(NOW, tick=False)


def rated(code: str, rating: Rag, *, days_ago: float) -> None:
    programme = Programme(
        code=code, name=f"Programme {code}", directorate="Place", focus="both", stage=Stage.DELIVERY
    )
    db.session.add(programme)
    db.session.flush()
    db.session.add(
        RiskAssessment(
            programme_id=programme.id,
            assessed_at=NOW - timedelta(days=days_ago),
            rating=rating,
            score=0 if rating is Rag.GREEN else 100,
            trend=Trend.NEW,
            flags=[],
            is_latest=True,
        )
    )
    db.session.commit()


def ratings_section(client) -> str:
    response = client.get("/dashboard")
    assert response.status_code == 200
    page = html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.get_data(as_text=True))))
    return page[page.index("At a glance") : page.index("Money in")]


def test_a_portfolio_first_rated_today_says_there_is_nothing_to_compare(client, auth) -> None:
    auth.sign_in_as(Role.CIO)
    rated("DIG-001", Rag.RED, days_ago=0.1)
    rated("DIG-002", Rag.GREEN, days_ago=0.1)

    section = ratings_section(client)

    assert "There are no ratings from a week ago to compare with yet." in section
    assert "since last week" not in section and "than last week" not in section
    assert "1 Red" in section and "1 Green" in section


def test_a_portfolio_rated_a_week_ago_shows_the_change(client, auth) -> None:
    auth.sign_in_as(Role.CIO)
    rated("DIG-001", Rag.RED, days_ago=9)
    rated("DIG-002", Rag.GREEN, days_ago=0.1)

    section = ratings_section(client)

    assert "There are no ratings from a week ago" not in section
    assert "1 Red No change since last week" in section
    assert "1 Green 1 more than last week" in section
    # The change in words: which programme, from what to what.
    assert "0 programmes got worse, 0 better and 1 was rated for the first time" in section
    assert "DIG-002 Programme DIG-002: first rated Green , with no flags now" in section
