"""The demo council's whole-life costs and five-point confidence, with returns going back months.

Kept beside `demo_data` so each programme's whole-life story reads in one place. FIN-002's
whole-life cost has grown past the red threshold since its first baseline, and ICT-003's past amber,
so the growth rule fires in the demo; the others stay within it. ASC-004's return of eight months ago
gave an end date 150 days earlier than today's, so the end-date rule fires too.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from tracker.models import Confidence, ConfidenceSource, Programme
from tracker.models.returns import ProgrammeReturn

C, S = Confidence, ConfidenceSource


@dataclass(frozen=True)
class Past:
    """An earlier return: how many days ago, and the whole-life figures reported then."""

    days_ago: int
    baseline: str
    forecast: str | None
    confidence: Confidence
    end_earlier_days: int = 0
    """How many days before the programme's end date now this return's end date was (0: not given)."""


@dataclass(frozen=True)
class WholeLife:
    """A programme's figures now, who last assessed its confidence and when, and its earlier returns."""

    confidence: Confidence
    source: ConfidenceSource
    assessed_days_ago: int
    baseline: str | None
    forecast: str | None
    past: tuple[Past, ...] = ()


WHOLE_LIFE: dict[str, WholeLife] = {
    "DIG-001": WholeLife(
        C.GREEN, S.SELF_ASSESSMENT, 9, "2400000", "2460000", (Past(200, "2400000", None, C.GREEN),)
    ),
    "FIN-002": WholeLife(
        C.AMBER,
        S.GATEWAY_REVIEW,
        35,
        "7200000",
        "7900000",
        (
            Past(330, "6000000", "6000000", C.AMBER_GREEN),
            Past(150, "7200000", "7400000", C.AMBER),
        ),
    ),
    "ICT-003": WholeLife(
        C.AMBER, S.SELF_ASSESSMENT, 14, "1800000", "2050000", (Past(180, "1800000", None, C.AMBER_GREEN),)
    ),
    "ASC-004": WholeLife(
        C.GREEN,
        S.ASSURANCE_REVIEW,
        60,
        "5100000",
        "5250000",
        (Past(240, "5100000", "5100000", C.GREEN, end_earlier_days=150),),
    ),
    "DAT-005": WholeLife(C.AMBER, S.SELF_ASSESSMENT, 20, "1500000", None),
    "REV-006": WholeLife(C.GREEN, S.SELF_ASSESSMENT, 12, "950000", "960000"),
    "LIB-008": WholeLife(C.AMBER_GREEN, S.ASSURANCE_REVIEW, 45, "620000", "650000"),
    "CHI-010": WholeLife(C.AMBER_RED, S.SELF_ASSESSMENT, 25, None, None),
    "HSG-012": WholeLife(C.AMBER, S.SELF_ASSESSMENT, 30, "1100000", "1150000"),
}
"""Programmes not listed keep the three-colour confidence of their spec and no whole-life figures."""


def apply_whole_life(programme: Programme, today: date, *, user_id: int) -> list[ProgrammeReturn]:
    """Set the programme's figures and return its returns, oldest first, ending with today's."""
    spec = WHOLE_LIFE.get(programme.code)
    if spec is None:
        return []
    programme.confidence = spec.confidence
    programme.confidence_source = spec.source
    programme.confidence_assessed_on = today - timedelta(days=spec.assessed_days_ago)
    programme.whole_life_baseline = _pounds(spec.baseline)
    programme.whole_life_forecast = _pounds(spec.forecast)
    end = programme.forecast_end_date or programme.baseline_end_date
    rows = [
        ProgrammeReturn(
            programme_id=programme.id,
            as_at=today - timedelta(days=past.days_ago),
            source="import",
            note="Quarterly return",
            confidence=past.confidence,
            whole_life_baseline=_pounds(past.baseline),
            whole_life_forecast=_pounds(past.forecast),
            end_date=end - timedelta(days=past.end_earlier_days) if end and past.end_earlier_days else None,
            recorded_by_id=user_id,
        )
        for past in spec.past
    ]
    rows.append(
        ProgrammeReturn(
            programme_id=programme.id,
            as_at=programme.confidence_assessed_on,
            source="form",
            confidence=spec.confidence,
            confidence_source=spec.source,
            whole_life_baseline=programme.whole_life_baseline,
            whole_life_forecast=programme.whole_life_forecast,
            recorded_by_id=user_id,
        )
    )
    return rows


def _pounds(amount: str | None) -> Decimal | None:
    return None if amount is None else Decimal(amount)
