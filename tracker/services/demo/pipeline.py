"""The demo council's pipeline: scores for its idea (PLN-011) and business case (HSG-012), the default
weights, an envelope for next financial year and, where they have none, cost lines for that year, so the
pipeline page has something to rank and sum from the start. The committed programmes' recurring costs
(subscriptions, licences, posts) carry on into next year, requested and approved at this year's forecast,
so the money left is worked out against what the council has already committed."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal

from sqlalchemy import select

from tracker.domain.calendar import financial_year
from tracker.extensions import db
from tracker.models import (
    CostType,
    Investment,
    InvestmentCategory,
    PipelineScore,
    Programme,
    Recurrence,
    Setting,
)
from tracker.services.capacity.reads import COMMITTED
from tracker.services.pipeline.settings import PIPELINE, PipelineSettings

ENVELOPE = Decimal("2500000")
SCORES: dict[str, dict[str, int]] = {
    # Housing repairs: clear savings and service gains, modest cost; no statutory driver.
    "HSG-012": {
        "strategic_fit": 4,
        "cashable_savings": 4,
        "service_improvement": 5,
        "statutory_duty": 2,
        "risk": 3,
        "cost": 4,
    },
    # Planning: the contract ends, so a statutory service needs a system; costly and risky.
    "PLN-011": {
        "strategic_fit": 3,
        "cashable_savings": 2,
        "service_improvement": 3,
        "statutory_duty": 5,
        "risk": 2,
        "cost": 1,
    },
}
NEXT_YEAR_COSTS: dict[str, tuple[str, InvestmentCategory, Decimal]] = {
    "HSG-012": ("Scheduling system roll-out", InvestmentCategory.TECHNOLOGY, Decimal("420000")),
    "PLN-011": ("Planning system procurement", InvestmentCategory.TECHNOLOGY, Decimal("900000")),
}


def seed_pipeline(today: date, programmes: Mapping[str, Programme], *, user_id: int | None) -> None:
    """Add to the demo's transaction (the seed commits)."""
    year = financial_year(today) + 1
    settings = PipelineSettings(envelopes={year: ENVELOPE})
    db.session.merge(Setting(key=PIPELINE, value=settings.as_json(), updated_by_id=user_id))
    for code, scores in SCORES.items():
        programme = programmes.get(code)
        if programme is None:
            continue
        db.session.add_all(
            PipelineScore(programme_id=programme.id, criterion=key, score=value, updated_by_id=user_id)
            for key, value in scores.items()
        )
        has_lines = db.session.scalar(
            select(Investment.id).where(
                Investment.programme_id == programme.id, Investment.financial_year == year
            )
        )
        if has_lines is None:
            title, category, amount = NEXT_YEAR_COSTS[code]
            db.session.add(
                Investment(
                    programme_id=programme.id,
                    title=title,
                    cost_type=CostType.CAPITAL,
                    recurrence=Recurrence.ONE_OFF,
                    category=category,
                    financial_year=year,
                    requested=amount,
                    updated_by_id=user_id,
                )
            )
    _recurring_into(year, [p for p in programmes.values() if p.stage in COMMITTED], user_id=user_id)


def _recurring_into(year: int, committed: list[Programme], *, user_id: int | None) -> None:
    """Each committed programme's recurring lines of this year, carried into `year` at their forecast."""
    ids = [programme.id for programme in committed]
    lines = db.session.scalars(
        select(Investment).where(
            Investment.programme_id.in_(ids),
            Investment.financial_year == year - 1,
            Investment.recurrence == Recurrence.RECURRING,
        )
    ).all()
    db.session.add_all(
        Investment(
            programme_id=line.programme_id,
            title=line.title,
            cost_type=line.cost_type,
            recurrence=line.recurrence,
            category=line.category,
            financial_year=year,
            requested=line.forecast,
            approved=line.forecast,
            forecast=line.forecast,
            updated_by_id=user_id,
        )
        for line in lines
    )
