"""A small portfolio for the API tests, and API tokens for any role."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from tests.factories import ProgrammeFactory
from tracker.extensions import db
from tracker.models import (
    Benefit,
    BenefitType,
    CostType,
    Direction,
    Investment,
    Measurement,
    Milestone,
    MilestoneKind,
    Programme,
    Rag,
    Recurrence,
    RiskAssessment,
    Role,
    TrajectoryPoint,
    Trend,
    User,
)
from tracker.services.accounts.tokens import create_token

FLAG = {
    "rule": "forecast_slip",
    "severity": "red",
    "message": "Go-live is forecast 45 days after its baseline",
    "evidence": {"days": 45, "baseline": "2026-12-01"},
    "subject": {"kind": "milestone", "id": None},
}


@dataclass
class World:
    manager_id: int
    own: str
    other: str
    own_milestone: int
    other_milestone: int
    own_benefit: int
    other_benefit: int


def _programme(code: str, manager: User, directorate: str) -> Programme:
    return ProgrammeFactory(code=code, directorate=directorate, manager_id=manager.id, confidence=Rag.AMBER)


def _records(programme: Programme) -> tuple[Milestone, Benefit]:
    milestone = Milestone(
        programme_id=programme.id,
        title="Go-live",
        kind=MilestoneKind.IT_DELIVERY,
        critical=True,
        original_baseline_date=date(2026, 12, 1),
        baseline_date=date(2026, 12, 1),
        forecast_date=date(2026, 12, 1),
    )
    benefit = Benefit(
        programme_id=programme.id,
        title="Faster assessments",
        benefit_type=BenefitType.CASHABLE,
        direction=Direction.HIGHER,
        unit="£",
        owner="Head of Adult Social Care",
        baseline_value=Decimal("0"),
        baseline_date=date(2026, 4, 1),
        target_value=Decimal("120000"),
        target_date=date(2027, 3, 31),
        trajectory=[
            TrajectoryPoint(on_date=date(2026, 4, 1), value=Decimal("0")),
            TrajectoryPoint(on_date=date(2027, 3, 31), value=Decimal("120000")),
        ],
        measurements=[Measurement(on_date=date(2026, 10, 1), value=Decimal("40000.5"), note="Q2 return")],
    )
    investment = Investment(
        programme_id=programme.id,
        title="Case management licences",
        cost_type=CostType.REVENUE,
        recurrence=Recurrence.RECURRING,
        financial_year=2026,
        requested=Decimal("250000.00"),
        approved=Decimal("200000.00"),
        forecast=Decimal("210000.10"),
        actual=Decimal("90000.01"),
    )
    db.session.add_all([milestone, benefit, investment])
    for when, rating, latest in (
        (datetime(2026, 11, 20, 6, tzinfo=UTC), Rag.AMBER, False),
        (datetime(2026, 11, 27, 6, tzinfo=UTC), Rag.RED, True),
    ):
        db.session.add(
            RiskAssessment(
                programme_id=programme.id,
                assessed_at=when,
                rating=rating,
                score=40 if latest else 20,
                trend=Trend.WORSE if latest else Trend.NEW,
                flags=[FLAG] if latest else [],
                is_latest=latest,
            )
        )
    db.session.flush()
    return milestone, benefit


@pytest.fixture
def world(app, make_user) -> World:
    """Two programmes in delivery: OWN-001 managed by user `world.manager_id`, OTH-001 by someone else."""
    manager = make_user(Role.PROGRAMME_MANAGER, name="Priya Manager")
    outsider = make_user(Role.PROGRAMME_MANAGER, name="Omar Outsider")
    own = _programme("OWN-001", manager, "Adults")
    other = _programme("OTH-001", outsider, "Resources")
    own_milestone, own_benefit = _records(own)
    other_milestone, other_benefit = _records(other)
    db.session.commit()
    return World(
        manager.id,
        own.code,
        other.code,
        own_milestone.id,
        other_milestone.id,
        own_benefit.id,
        other_benefit.id,
    )


@pytest.fixture
def bearer(make_user) -> Callable[..., dict[str, str]]:
    """Headers carrying a fresh API token of a new user with `role`, or of the user with `user_id`."""

    def headers(role: Role | str = Role.ADMIN, *, user_id: int | None = None) -> dict[str, str]:
        owner = db.session.get(User, user_id) if user_id else make_user(role)
        _, plaintext = create_token(owner, name="tests")
        return {"Authorization": f"Bearer {plaintext}"}

    return headers
