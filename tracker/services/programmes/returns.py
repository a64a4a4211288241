"""Programme returns: each saved change to whole-life cost or delivery confidence is kept as history."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import select

from tracker.domain.calendar import london_today
from tracker.domain.rules_whole_life import current_whole_life, growth_pct
from tracker.extensions import db
from tracker.models import Programme
from tracker.models.returns import ProgrammeReturn
from tracker.models.types import utcnow

RETURN_FIELDS = frozenset(
    {
        "confidence",
        "confidence_source",
        "confidence_assessed_on",
        "whole_life_baseline",
        "whole_life_forecast",
    }
)
"""Key facts whose changes are recorded as a return, so both whole-life figures keep a history."""


@dataclass(frozen=True)
class WholeLifeCost:
    """What the Money page says about whole-life cost: now, against the first baseline, and over time."""

    baseline: Decimal | None
    forecast: Decimal | None
    first_baseline: Decimal | None
    growth_pct: Decimal | None
    """Growth of the forecast (else the baseline) over the first baseline; None when not measurable."""
    returns: list[ProgrammeReturn]


def record_form_return(programme: Programme, *, user_id: int, today: date | None = None) -> ProgrammeReturn:
    """Keep today's figures as a return; a second save on the same day replaces the first (one a day)."""
    as_at = today or london_today(utcnow())
    row = db.session.scalar(
        select(ProgrammeReturn).where(
            ProgrammeReturn.programme_id == programme.id, ProgrammeReturn.as_at == as_at
        )
    )
    if row is None:
        row = ProgrammeReturn(programme_id=programme.id, as_at=as_at)
        db.session.add(row)
    row.source = "form"
    row.note = ""
    row.confidence = programme.confidence
    row.confidence_source = programme.confidence_source
    row.whole_life_baseline = programme.whole_life_baseline
    row.whole_life_forecast = programme.whole_life_forecast
    row.end_date = programme.forecast_end_date
    row.recorded_at = utcnow()
    row.recorded_by_id = user_id
    return row


def programme_returns(programme_id: int) -> list[ProgrammeReturn]:
    """A programme's returns, newest first, for the History and Money pages."""
    return list(
        db.session.scalars(
            select(ProgrammeReturn)
            .where(ProgrammeReturn.programme_id == programme_id)
            .order_by(ProgrammeReturn.as_at.desc())
        )
    )


def first_whole_life_baseline(programme: Programme, returns: list[ProgrammeReturn]) -> Decimal | None:
    """The earliest baseline on record, as the growth rule uses it: earliest return, else the current one."""
    dated = [row.whole_life_baseline for row in reversed(returns) if row.whole_life_baseline is not None]
    return dated[0] if dated else programme.whole_life_baseline


def whole_life_cost(programme: Programme) -> WholeLifeCost:
    """The Money page's summary, measured exactly as the growth rule measures it."""
    returns = programme_returns(programme.id)
    first = first_whole_life_baseline(programme, returns)
    current = current_whole_life(programme.whole_life_forecast, programme.whole_life_baseline)
    return WholeLifeCost(
        baseline=programme.whole_life_baseline,
        forecast=programme.whole_life_forecast,
        first_baseline=first,
        growth_pct=growth_pct(current, first),
        returns=returns,
    )
