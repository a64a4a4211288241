"""The programmes list and the dashboard read the same filters into one value: for the same filters they
select the same programmes, counted by directorate and rating."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime, timedelta

import pytest

from tests.factories import ProgrammeFactory, UserFactory
from tracker.extensions import db
from tracker.models import Focus, ProgrammeMember, Rag, RiskAssessment, Role, Stage, Trend, User
from tracker.services.dashboard.page import portfolio_dashboard
from tracker.services.portfolio.listing import PortfolioQuery, list_programmes
from tracker.services.portfolio.scope import NO_MANAGER, NOT_RATED, ProgrammeFilter

NOW = datetime(2027, 3, 10, 12, 0, tzinfo=UTC)
TODAY = date(2027, 3, 10)


def rate(programme_id: int, rating: Rag) -> None:
    db.session.add(
        RiskAssessment(
            programme_id=programme_id,
            rating=rating,
            score={Rag.RED: 300, Rag.AMBER: 100, Rag.GREEN: 0}[rating],
            trend=Trend.SAME,
            assessed_at=NOW - timedelta(days=1),
            is_latest=True,
            flags=[],
        )
    )


@pytest.fixture
def portfolio(app) -> dict[str, int]:
    pm, other = UserFactory(role=Role.PROGRAMME_MANAGER), UserFactory(role=Role.PROGRAMME_MANAGER)
    resources = {"directorate": "Resources"}
    adults = {"directorate": "Adults"}
    managed = ProgrammeFactory(code="RES-001", manager_id=pm.id, **resources)
    on_team = ProgrammeFactory(
        code="RES-002",
        manager_id=other.id,
        focus=Focus.COST_REDUCTION,
        stage=Stage.BUSINESS_CASE,
        **resources,
    )
    unrated = ProgrammeFactory(code="ADU-001", focus=Focus.SERVICE_IMPROVEMENT, **adults)
    idea = ProgrammeFactory(code="ADU-002", manager_id=other.id, stage=Stage.IDEA, **adults)
    closed = ProgrammeFactory(code="RES-009", manager_id=pm.id, stage=Stage.CLOSED, **resources)
    db.session.add(ProgrammeMember(programme_id=on_team.id, user_id=pm.id))
    rate(managed.id, Rag.RED)
    rate(on_team.id, Rag.AMBER)
    rate(idea.id, Rag.GREEN)
    rate(closed.id, Rag.RED)  # kept as history: closed programmes are not rated
    db.session.commit()
    assert unrated.id
    return {"pm": pm.id, "other": other.id}


FILTERS = [
    {},
    {"mine": True},
    {"directorate": "Resources"},
    {"stage": Stage.DELIVERY},
    {"focus": Focus.BOTH},
    {"manager_id": "other"},
    {"manager_id": NO_MANAGER},
    {"rating": "red"},
    {"rating": "amber"},
    {"rating": NOT_RATED},
    {"directorate": "Adults", "rating": NOT_RATED},
    {"mine": True, "rating": "red", "stage": Stage.DELIVERY},
]


@pytest.mark.parametrize("filters", FILTERS)
def test_the_list_and_the_dashboard_select_the_same_programmes(portfolio, filters: dict) -> None:
    if filters.get("manager_id") == "other":
        filters = {**filters, "manager_id": portfolio["other"]}
    user = db.session.get(User, portfolio["pm"])
    rows = list_programmes(user, PortfolioQuery(**filters), today=TODAY).rows
    found = portfolio_dashboard(user, ProgrammeFilter(**filters), now=NOW)

    listed = Counter((row.directorate, row.rating.value if row.rating else NOT_RATED) for row in rows)
    shown = Counter(
        {
            (row.directorate, cell.rating): cell.count
            for row in found.heatmap
            for cell in row.cells
            if cell.count
        }
    )
    assert rows, "each filter selects some programme, so the comparison says something"
    assert found.programmes == len(rows)
    assert shown == listed
    assert {item.key: item.count for item in found.ratings if item.count} == Counter(
        rating for _, rating in listed.elements()
    )
    assert "RES-009" not in {row.code for row in rows}
