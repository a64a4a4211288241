"""What every weekly digest is built from: plain frozen rows read once for all recipients, not ORM objects."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from tracker.domain.flags import Flag
from tracker.domain.rating import Rating

DUE_SOON_DAYS = 14


@dataclass(frozen=True)
class ProgrammeRow:
    id: int
    code: str
    name: str
    manager_id: int | None
    manager_name: str
    manager_email: str
    member_ids: frozenset[int]
    whole_life_baseline: Decimal | None = None
    whole_life_forecast: Decimal | None = None


@dataclass(frozen=True)
class AssessmentRow:
    """A stored assessment read back: rating, score and the flags behind them."""

    rating: Rating
    score: int
    flags: tuple[Flag, ...]


@dataclass(frozen=True)
class MilestoneRow:
    programme_id: int
    id: int
    title: str
    critical: bool
    baseline_date: date
    forecast_date: date | None


@dataclass(frozen=True)
class RequestRow:
    programme_id: int
    milestone_title: str
    baseline_date: date
    proposed_date: date
    reason: str
    requested_by: str
    requested_at: datetime


@dataclass(frozen=True)
class DigestSource:
    """Open programmes with their latest and week-old assessments, dated milestones and pending requests."""

    today: date
    programmes: tuple[ProgrammeRow, ...]
    latest: dict[int, AssessmentRow]
    previous: dict[int, AssessmentRow]
    milestones: tuple[MilestoneRow, ...]
    requests: tuple[RequestRow, ...]
