"""The scan's reads as the portfolio stood at the end of a past London day, and the replay of history.

Known by the end of a day means recorded before the midnight in London that follows it. Rows created
after that are left out, except a programme with a return on or before the day (imported later, it
existed then); a milestone's baseline, forecast, actual date and status go back to the value
the first later change in its history (MilestoneChange) moved away from; an actual date after the day
has not happened yet; measurements count from their own date; status updates from their submission.

Where no history records a past value, the current one stands in: a milestone's title, kind and
critical flag, and a status with no status change on record (so a milestone cancelled now, with no
record of when, counts as cancelled then); investment amounts; benefit definitions and trajectories;
register scores, owners and mitigations; an action's title, owner and due date; a programme's stage and
pause. An action done now counts as open then when it was done after the day. A register entry closed now
counts as open then when it last changed after the day, since closing is the likeliest later change.
A programme's confidence, whole-life figures and forecast end date come from its newest return on or
before the day, each where that return gives it, else from the programme as it is now; that return
counts as the programme reporting on its date.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, Select, String, and_, case, func, or_, select, true, type_coerce
from sqlalchemy.orm import aliased

from tracker.domain.calendar import LONDON
from tracker.domain.snapshot import MilestoneSnap, ProgrammeSnapshot
from tracker.models import (
    ActionStatus,
    Benefit,
    ChangeKind,
    EntryStatus,
    Investment,
    Measurement,
    Milestone,
    MilestoneChange,
    MilestoneStatus,
    Programme,
    ProgrammeAction,
    ProgrammeReturn,
    RegisterEntry,
    RiskAssessment,
    StatusUpdate,
)
from tracker.models.types import UTCDateTime

# The changes whose `from_value` says what a milestone's date or status was before them.
REPLAYED = (
    ChangeKind.REBASELINE_APPROVED,
    ChangeKind.FORECAST_MOVED,
    ChangeKind.ACTUAL_RECORDED,
    ChangeKind.STATUS_CHANGED,
)


def day_end(day: date) -> datetime:
    """Midnight in London after `day`, in UTC: the first moment that is no longer that day."""
    return datetime.combine(day + timedelta(days=1), time(), tzinfo=LONDON).astimezone(UTC)


def assessed_at(day: date, now: datetime) -> datetime:
    """When a rating as of `day` is stamped: the last second of that day, or now if the day is today."""
    return min(day_end(day) - timedelta(seconds=1), now)


@dataclass(frozen=True)
class Figures:
    """A programme's reported figures from its newest return by the day, each None where not given."""

    as_at: date
    confidence: str | None
    whole_life_baseline: Decimal | None
    whole_life_forecast: Decimal | None
    end_date: date | None


@dataclass(frozen=True)
class Past:
    """One past day, and how the scan's reads change to see the portfolio as it stood then."""

    day: date
    end: datetime = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "end", day_end(self.day))

    def last_update(self) -> ColumnElement[Any]:
        """The programme's last report by then: its last activity if that was before the day ended, else
        its newest status update submitted by then."""
        submitted = (
            select(func.max(StatusUpdate.submitted_at))
            .where(StatusUpdate.programme_id == Programme.id, StatusUpdate.submitted_at < self.end)
            .scalar_subquery()
        )
        known = case((Programme.last_update_at < self.end, Programme.last_update_at), else_=submitted)
        return type_coerce(known, UTCDateTime())

    def register_open(self) -> ColumnElement[bool]:
        """Open then: open now, or closed by a change made after the day."""
        return or_(RegisterEntry.status == EntryStatus.OPEN, RegisterEntry.updated_at >= self.end)

    def action_open(self) -> ColumnElement[bool]:
        """Open then: open now, or done after the day (an action done with no date counts as done then)."""
        return or_(ProgrammeAction.status == ActionStatus.OPEN, ProgrammeAction.done_on > self.day)

    def restrict(
        self, statements: dict[str, Select[Any]], scope: ColumnElement[bool]
    ) -> dict[str, Select[Any]]:
        """Leave out what was created after the day, and read history in place of the latest rows.

        `scope` picks the programmes, as in the statements given; the history reads are built with it.
        """
        created = {
            "programmes": or_(Programme.created_at < self.end, self._returned()),
            "milestones": Milestone.created_at < self.end,
            "investments": Investment.created_at < self.end,
            "benefits": Benefit.created_at < self.end,
            "register": RegisterEntry.created_at < self.end,
            "actions": ProgrammeAction.created_at < self.end,
            "measurements": Measurement.on_date <= self.day,
        }
        restricted = {name: statement.where(created[name]) if name in created else statement
                      for name, statement in statements.items()}  # fmt: skip
        restricted["rebaselines"] = self._changes(scope)
        restricted["returns"] = self._returns(scope)
        restricted["latest"] = self._latest(scope)
        return restricted

    def _returned(self) -> ColumnElement[bool]:
        """The programme made a return on or before the day."""
        return (
            select(ProgrammeReturn.id)
            .where(ProgrammeReturn.programme_id == Programme.id, ProgrammeReturn.as_at <= self.day)
            .exists()
        )

    def _changes(self, scope: ColumnElement[bool]) -> Select[Any]:
        """Re-baselines approved by then (their dates feed a rule), and every later change, to replay back."""
        later = MilestoneChange.changed_at >= self.end
        return (
            select(
                Milestone.programme_id,
                MilestoneChange.changed_at,
                MilestoneChange.milestone_id,
                type_coerce(MilestoneChange.kind, String),
                MilestoneChange.from_value,
            )
            .join(Milestone, Milestone.id == MilestoneChange.milestone_id)
            .join(Programme, Programme.id == Milestone.programme_id)
            .where(scope)
            .where(
                or_(
                    and_(MilestoneChange.kind == ChangeKind.REBASELINE_APPROVED, ~later),
                    and_(MilestoneChange.kind.in_(REPLAYED), later),
                )
            )
            .order_by(MilestoneChange.changed_at, MilestoneChange.id)
        )

    def _returns(self, scope: ColumnElement[bool]) -> Select[Any]:
        """Every return on or before the day, newest first, with the figures a snapshot takes from it."""
        return (
            select(
                ProgrammeReturn.programme_id,
                ProgrammeReturn.whole_life_baseline,
                ProgrammeReturn.as_at,
                type_coerce(ProgrammeReturn.confidence, String),
                ProgrammeReturn.whole_life_forecast,
                ProgrammeReturn.end_date,
            )
            .join(Programme, Programme.id == ProgrammeReturn.programme_id)
            .where(scope, ProgrammeReturn.as_at <= self.day)
            .order_by(ProgrammeReturn.as_at.desc(), ProgrammeReturn.id.desc())
        )

    def _latest(self, scope: ColumnElement[bool]) -> Select[Any]:
        """The newest assessment from before the day ended (to compare with), and the latest if newer."""
        earlier = aliased(RiskAssessment)
        before = (
            select(func.max(earlier.assessed_at))
            .where(earlier.programme_id == RiskAssessment.programme_id, earlier.assessed_at < self.end)
            .scalar_subquery()
        )
        return (
            select(
                RiskAssessment.programme_id,
                RiskAssessment.id,
                type_coerce(RiskAssessment.rating, String),
                RiskAssessment.score,
                RiskAssessment.flags,
                RiskAssessment.assessed_at,
            )
            .join(Programme, Programme.id == RiskAssessment.programme_id)
            .where(scope, or_(RiskAssessment.is_latest == true(), RiskAssessment.assessed_at == before))
        )

    def changes(self, rows: Iterable[Any]) -> tuple[dict[int, list[date]], dict[int, dict[str, str | None]]]:
        """Re-baseline dates by programme, and for each milestone the value of each field the first later
        change moved it from (that is, its value at the end of the day)."""
        rebaselines: defaultdict[int, list[date]] = defaultdict(list)
        before: defaultdict[int, dict[str, str | None]] = defaultdict(dict)
        for pid, changed_at, milestone_id, kind, from_value in rows:
            if changed_at < self.end:
                rebaselines[pid].append(changed_at.astimezone(LONDON).date())
            else:
                before[milestone_id].setdefault(kind, from_value)
        return rebaselines, before

    def milestone(self, snap: MilestoneSnap, before: dict[str, str | None]) -> MilestoneSnap:
        """The milestone as it stood at the end of the day, from its current values and later changes."""
        baseline = _date(before, ChangeKind.REBASELINE_APPROVED, snap.baseline_date)
        forecast = _date(before, ChangeKind.FORECAST_MOVED, snap.forecast_date)
        actual = _date(before, ChangeKind.ACTUAL_RECORDED, snap.actual_date)
        if actual is not None and actual > self.day:
            actual = None
        complete, cancelled = snap.complete, snap.cancelled
        if ChangeKind.STATUS_CHANGED.value in before:
            status = before[ChangeKind.STATUS_CHANGED.value]
            complete, cancelled = status == MilestoneStatus.COMPLETE, status == MilestoneStatus.CANCELLED
        return replace(
            snap,
            baseline_date=baseline,
            forecast_date=forecast,
            actual_date=actual,
            complete=complete and actual is not None,
            cancelled=cancelled,
        )

    def split_assessments(self, rows: Iterable[Any]) -> tuple[list[Any], frozenset[int]]:
        """Assessments from before the day ended (without their time: the rating as of the day follows
        them), and the programmes with a latest assessment from after it, which stays the latest."""
        rows = list(rows)
        earlier = [row[:-1] for row in rows if row[-1] < self.end]
        return earlier, frozenset(row[0] for row in rows if row[-1] >= self.end)

    @staticmethod
    def reported(snapshot: ProgrammeSnapshot, figures: Figures | None) -> ProgrammeSnapshot:
        """The snapshot with what the newest return by the day reported, where it reported it."""
        if figures is None:
            return snapshot
        last_update = snapshot.last_update_on
        return replace(
            snapshot,
            last_update_on=figures.as_at if last_update is None else max(last_update, figures.as_at),
            confidence=figures.confidence or snapshot.confidence,
            whole_life_baseline=_given(figures.whole_life_baseline, snapshot.whole_life_baseline),
            whole_life_forecast=_given(figures.whole_life_forecast, snapshot.whole_life_forecast),
            forecast_end_date=figures.end_date or snapshot.forecast_end_date,
        )

    @staticmethod
    def returns(rows: Iterable[Any]) -> tuple[dict[int, Decimal], dict[int, Figures]]:
        """From returns newest first: each programme's first whole-life baseline and newest figures."""
        first: dict[int, Decimal] = {}
        newest: dict[int, Figures] = {}
        for pid, baseline, as_at, confidence, forecast, end_date in rows:
            if baseline is not None:
                first[pid] = baseline
            newest.setdefault(pid, Figures(as_at, confidence, baseline, forecast, end_date))
        return first, newest


def _given(value: Decimal | None, otherwise: Decimal | None) -> Decimal | None:
    return otherwise if value is None else value


def _date(before: dict[str, str | None], kind: ChangeKind, current: date | None) -> date | None:
    """The value a later change moved from, when there was one and it reads as a date."""
    if kind.value not in before:
        return current
    old = before[kind.value]
    if old is None:
        return None if kind is ChangeKind.ACTUAL_RECORDED else current
    try:
        return date.fromisoformat(old)
    except ValueError:
        return current
