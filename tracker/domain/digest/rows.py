"""What every weekly digest is built from: plain frozen rows read once for all recipients, not ORM objects."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from functools import cached_property
from typing import TypeVar

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
class ChangeRow:
    """A change request decided in the week before the digest, with what it moved in words."""

    programme_id: int
    id: int
    kind: str
    title: str
    approved: bool
    moved: str
    decided_by: str
    decided_at: datetime
    note: str


@dataclass(frozen=True)
class ClosedBenefitRow:
    """A benefit of a closed programme, still being measured and behind plan by the benefits rule."""

    programme_code: str
    programme_name: str
    manager_id: int | None
    title: str
    owner: str
    message: str


R = TypeVar("R", MilestoneRow, RequestRow, ChangeRow)


@dataclass(frozen=True)
class DigestSource:
    """Open programmes with their latest and week-old assessments, dated milestones and pending requests."""

    today: date
    programmes: tuple[ProgrammeRow, ...]
    latest: dict[int, AssessmentRow]
    previous: dict[int, AssessmentRow]
    milestones: tuple[MilestoneRow, ...]
    requests: tuple[RequestRow, ...]
    changes: tuple[ChangeRow, ...] = ()
    """Change requests approved or rejected in the week before, newest first."""
    after_closure: tuple[ClosedBenefitRow, ...] = ()
    """Closed programmes' benefits still being measured that are behind plan, by programme code."""

    # Indexes worked out once, on first use, for every recipient: a programme manager's digest then
    # costs what their own programmes cost, not a pass over the whole portfolio.

    @cached_property
    def programmes_of(self) -> dict[int, tuple[ProgrammeRow, ...]]:
        """Each person's programmes, managed or on the team, in the source's order (by code)."""
        found: defaultdict[int, list[ProgrammeRow]] = defaultdict(list)
        for programme in self.programmes:
            people = set(programme.member_ids)
            if programme.manager_id is not None:
                people.add(programme.manager_id)
            for person in people:
                found[person].append(programme)
        return {person: tuple(rows) for person, rows in found.items()}

    @cached_property
    def milestones_of(self) -> dict[int, tuple[MilestoneRow, ...]]:
        """Each programme's dated milestones, in the source's order."""
        return _by_programme(self.milestones)

    @cached_property
    def requests_of(self) -> dict[int, tuple[RequestRow, ...]]:
        """Each programme's pending re-baseline requests, oldest first."""
        return _by_programme(self.requests)

    @cached_property
    def changes_of(self) -> dict[int, tuple[ChangeRow, ...]]:
        """Each programme's change requests decided in the week, newest first."""
        return _by_programme(self.changes)


def _by_programme(rows: tuple[R, ...]) -> dict[int, tuple[R, ...]]:
    found: defaultdict[int, list[R]] = defaultdict(list)
    for row in rows:
        found[row.programme_id].append(row)
    return {pid: tuple(items) for pid, items in found.items()}
