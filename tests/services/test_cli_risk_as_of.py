"""`flask risk scan --as-of` rates the portfolio as it stood on a past day, and refuses days it cannot."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from flask import Flask
from sqlalchemy import select

from tracker.domain.calendar import format_date, london_today
from tracker.extensions import db
from tracker.models import (
    Benefit,
    BenefitType,
    Direction,
    Milestone,
    MilestoneKind,
    Programme,
    RiskAssessment,
    Stage,
)
from tracker.services.ratings.past import day_end


def add_programme_due(days_ago: int) -> Programme:
    """A programme on the books for three months, last heard from 40 days ago, whose one milestone fell due
    `days_ago` days ago."""
    now = datetime.now(UTC)
    due = london_today(now) - timedelta(days=days_ago)
    programme = Programme(
        code="DIG-101",
        name="Digital front door",
        directorate="Customer and Digital",
        focus="both",
        stage=Stage.DELIVERY,
        last_update_at=now - timedelta(days=40),
        created_at=now - timedelta(days=90),
    )
    db.session.add(programme)
    db.session.flush()
    db.session.add(
        Milestone(
            programme_id=programme.id,
            title="Staff trained",
            kind=MilestoneKind.BUSINESS_CHANGE,
            original_baseline_date=due,
            baseline_date=due,
            created_at=now - timedelta(days=90),
        )
    )
    db.session.add(
        Benefit(
            programme_id=programme.id,
            title="More transactions completed online",
            benefit_type=BenefitType.SERVICE_IMPROVEMENT,
            direction=Direction.HIGHER,
            owner="Head of Customer Services",
            adoption_measure=True,
            created_at=now - timedelta(days=90),
        )
    )
    db.session.commit()
    return programme


def test_scan_as_of_a_past_day_rates_it_as_it_stood_then(app: Flask) -> None:
    programme = add_programme_due(days_ago=10)
    day = london_today(datetime.now(UTC)) - timedelta(days=30)

    result = app.test_cli_runner().invoke(args=["risk", "scan", "--as-of", day.isoformat()])

    assert result.exit_code == 0, result.output
    assert f"Scanned 1 programme as of {format_date(day)}: 0 Red, 0 Amber, 1 Green." in result.output
    row = db.session.scalars(select(RiskAssessment).filter_by(programme_id=programme.id)).one()
    assert row.assessed_at == day_end(day) - timedelta(seconds=1)

    result = app.test_cli_runner().invoke(args=["risk", "scan"])
    assert "Scanned 1 programme: 0 Red, 1 Amber, 0 Green." in result.output


def test_scan_as_of_refuses_a_date_it_cannot_read(app: Flask) -> None:
    result = app.test_cli_runner().invoke(args=["risk", "scan", "--as-of", "31/02/2027"])

    assert result.exit_code == 2
    assert "enter a date as YYYY-MM-DD, like 2027-03-01, not '31/02/2027'" in result.output
    assert db.session.scalar(select(RiskAssessment.id)) is None


def test_scan_as_of_refuses_a_future_day(app: Flask) -> None:
    add_programme_due(days_ago=10)
    tomorrow = london_today(datetime.now(UTC)) + timedelta(days=1)

    result = app.test_cli_runner().invoke(args=["risk", "scan", "--as-of", tomorrow.isoformat()])

    assert result.exit_code == 2
    assert f"{tomorrow.isoformat()} is in the future" in result.output
    assert db.session.scalar(select(RiskAssessment.id)) is None
