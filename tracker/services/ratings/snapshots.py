"""Load what the risk rules need for every open programme: one query per table, grouped in Python.

The scan reads plain column tuples, never ORM objects, so the query count stays fixed and the cost
per row stays small however large the portfolio grows. `scan_statements` is public so the benchmark
can time the same SQL through the bare database driver. Given a past day, the same reads see the
portfolio as it stood then (see `snapshots_past`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import date
from itertools import chain
from typing import Any

from sqlalchemy import ColumnElement, Select, String, and_, or_, select, type_coerce

from tracker.domain.calendar import london_today
from tracker.domain.rating import Rating, Summary
from tracker.domain.rules_returns import previous_return_end
from tracker.domain.snapshot import (
    ActionSnap,
    BenefitSnap,
    DatedValue,
    InvestmentSnap,
    MilestoneSnap,
    ProgrammeSnapshot,
    RegisterSnap,
)
from tracker.extensions import db
from tracker.models import (
    ActionStatus,
    Benefit,
    BenefitStatus,
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
    Stage,
    TrajectoryPoint,
)
from tracker.models.types import utcnow
from tracker.services.capacity.sharing import team_loads
from tracker.services.portfolio.scope import is_latest
from tracker.services.ratings.dependencies import dependencies_statement, group_dependencies, past_statements
from tracker.services.ratings.past import Past

CHUNK_ROWS = 1_000


@dataclass(frozen=True)
class Previous:
    """The stored assessment a new one follows: its row (to retire if latest) and what trend compares."""

    id: int
    summary: Summary
    latest: bool = True


@dataclass(frozen=True)
class Portfolio:
    """Every open programme as a snapshot, each one's previous assessment, if any, and (rating a past day)
    the programmes whose latest assessment is newer than that day, which stays the latest."""

    snapshots: list[ProgrammeSnapshot]
    previous: dict[int, Previous]
    rated_later: frozenset[int] = frozenset()


def _text(column: Any) -> ColumnElement[str]:
    """Read an enum column as its stored string: the snapshot wants strings and checks them itself."""
    return type_coerce(column, String)


def scan_statements(
    as_of: date | None = None, *, programme_ids: Collection[int] | None = None, closed_too: bool = False
) -> dict[str, Select[Any]]:
    """The scan's reads, one per table, limited to programmes that are not closed (as of a past day, to
    what was known by its end; and to `programme_ids` when given: the re-rating after an edit reads its
    programme the scan's way).

    Ordered by id where the order shows in the flags, so a scan of the same data stores the same flags.
    `closed_too` reads the named programmes even once closed (a highlight report of one, as it stood).
    """
    is_open = Programme.stage != Stage.CLOSED
    if programme_ids is not None:
        chosen = Programme.id.in_(sorted(set(programme_ids)))
        is_open = chosen if closed_too else and_(is_open, chosen)
    past = None if as_of is None else Past(as_of)
    on_programme = Programme.id == Milestone.programme_id
    on_benefit_programme = Programme.id == Benefit.programme_id
    statements = {
        "programmes": select(
            Programme.id,
            Programme.code,
            Programme.name,
            _text(Programme.stage),
            Programme.paused,
            _text(Programme.confidence),
            Programme.last_update_at if past is None else past.last_update(),
            Programme.start_date,
            Programme.baseline_end_date,
            Programme.forecast_end_date,
            Programme.whole_life_baseline,
            Programme.whole_life_forecast,
            Programme.planned_gate_date,
        )
        .where(is_open)
        .order_by(Programme.id),
        "returns": select(
            ProgrammeReturn.programme_id,
            ProgrammeReturn.whole_life_baseline,
            ProgrammeReturn.as_at,
            ProgrammeReturn.end_date,
        )
        .join(Programme, Programme.id == ProgrammeReturn.programme_id)
        .where(
            is_open,
            or_(ProgrammeReturn.whole_life_baseline.is_not(None), ProgrammeReturn.end_date.is_not(None)),
        )
        .order_by(ProgrammeReturn.as_at.desc(), ProgrammeReturn.id.desc()),
        "milestones": select(
            Milestone.programme_id,
            Milestone.id,
            Milestone.title,
            _text(Milestone.kind),
            Milestone.critical,
            Milestone.baseline_date,
            Milestone.forecast_date,
            Milestone.actual_date,
            Milestone.status == MilestoneStatus.COMPLETE,
            Milestone.status == MilestoneStatus.CANCELLED,
        )
        .join(Programme, on_programme)
        .where(is_open)
        .order_by(Milestone.id),
        "rebaselines": select(Milestone.programme_id, MilestoneChange.changed_at)
        .join(Milestone, Milestone.id == MilestoneChange.milestone_id)
        .join(Programme, on_programme)
        .where(is_open, MilestoneChange.kind == ChangeKind.REBASELINE_APPROVED),
        "investments": select(
            Investment.programme_id,
            Investment.id,
            Investment.title,
            Investment.requested,
            Investment.approved,
            Investment.forecast,
            Investment.actual,
            _text(Investment.category),
        )
        .join(Programme, Programme.id == Investment.programme_id)
        .where(is_open)
        .order_by(Investment.id),
        "benefits": select(
            Benefit.programme_id,
            Benefit.id,
            Benefit.title,
            _text(Benefit.benefit_type),
            Benefit.owner,
            _text(Benefit.direction),
            Benefit.unit,
            Benefit.baseline_value,
            Benefit.adoption_measure,
            # Today's status, also for a past day's rating: when a benefit was realised is not kept.
            Benefit.status == BenefitStatus.TRACKING,
        )
        .join(Programme, on_benefit_programme)
        .where(is_open)
        .order_by(Benefit.id),
        "trajectory": select(TrajectoryPoint.benefit_id, TrajectoryPoint.on_date, TrajectoryPoint.value)
        .join(Benefit, Benefit.id == TrajectoryPoint.benefit_id)
        .join(Programme, on_benefit_programme)
        .where(is_open),
        "measurements": select(Measurement.benefit_id, Measurement.on_date, Measurement.value)
        .join(Benefit, Benefit.id == Measurement.benefit_id)
        .join(Programme, on_benefit_programme)
        .where(is_open),
        "register": select(
            RegisterEntry.programme_id,
            RegisterEntry.id,
            RegisterEntry.title,
            _text(RegisterEntry.kind),
            RegisterEntry.likelihood,
            RegisterEntry.impact,
            RegisterEntry.owner,
            RegisterEntry.mitigation,
            RegisterEntry.status == EntryStatus.OPEN if past is None else past.register_open(),
        )
        .join(Programme, Programme.id == RegisterEntry.programme_id)
        .where(is_open)
        .order_by(RegisterEntry.id),
        "actions": select(
            ProgrammeAction.programme_id,
            ProgrammeAction.id,
            ProgrammeAction.title,
            ProgrammeAction.owner,
            ProgrammeAction.due_date,
            ProgrammeAction.status == ActionStatus.OPEN if past is None else past.action_open(),
        )
        .join(Programme, Programme.id == ProgrammeAction.programme_id)
        .where(is_open)
        .order_by(ProgrammeAction.id),
        "latest": select(
            RiskAssessment.programme_id,
            RiskAssessment.id,
            _text(RiskAssessment.rating),
            RiskAssessment.score,
            RiskAssessment.flags,
        )
        .join(Programme, Programme.id == RiskAssessment.programme_id)
        .where(is_open, is_latest(by_programme=programme_ids is not None)),
        "dependencies": dependencies_statement(is_open),
    }
    if past is None:
        return statements
    return past.restrict(statements, is_open) | past_statements(past, is_open)


def load_portfolio(
    as_of: date | None = None,
    *,
    programme_ids: Collection[int] | None = None,
    closed_too: bool = False,
    today: date | None = None,
) -> Portfolio:
    """Read every open programme (or just `programme_ids`, closed ones too if `closed_too`) in a fixed
    number of queries and build its snapshot, as it stands now or as it stood at the end of `as_of`.
    Team loads run from `today`'s month (London's today if not given); a past day's rating has none."""
    statements = scan_statements(as_of, programme_ids=programme_ids, closed_too=closed_too)
    past = None if as_of is None else Past(as_of)
    # Core execution on the session's connection: plain rows, without the ORM's per-row loading.
    connection = db.session.connection()

    def rows(name: str) -> Iterable[Any]:
        # Rows in chunks, each freed once grouped: memory is reused instead of growing.
        return chain.from_iterable(connection.execute(statements[name]).partitions(CHUNK_ROWS))

    rebaselines: defaultdict[int, list[date]] = defaultdict(list)
    earlier: dict[int, dict[str, str | None]] = {}
    if past is None:
        for pid, changed_at in rows("rebaselines"):
            rebaselines[pid].append(london_today(changed_at))
    else:
        rebaselines, earlier = past.changes(rows("rebaselines"))
    milestones: defaultdict[int, list[MilestoneSnap]] = defaultdict(list)
    for pid, *values in rows("milestones"):
        milestone = MilestoneSnap(*values)
        milestones[pid].append(
            milestone if past is None else past.milestone(milestone, earlier.get(milestone.id, {}))
        )
    investments: defaultdict[int, list[InvestmentSnap]] = defaultdict(list)
    for pid, *values in rows("investments"):
        investments[pid].append(InvestmentSnap(*values))
    trajectory, measurements = _dated(rows("trajectory")), _dated(rows("measurements"))
    benefits = _benefits(rows("benefits"), trajectory, measurements)
    register: defaultdict[int, list[RegisterSnap]] = defaultdict(list)
    for pid, *values in rows("register"):
        register[pid].append(RegisterSnap(*values))
    actions: defaultdict[int, list[ActionSnap]] = defaultdict(list)
    for pid, *values in rows("actions"):
        actions[pid].append(ActionSnap(*values))
    changes = () if past is None else list(rows("predecessor_changes"))
    dependencies = group_dependencies(rows("dependencies"), past, changes)
    # Newest first, so the last value kept for each programme is its first baseline on record.
    return_rows = list(rows("returns"))
    return_ends = _return_ends(return_rows)
    if past is None:
        first_baselines = {pid: wlc for pid, wlc, *_ in return_rows if wlc is not None}
        reported: dict[int, Any] = {}
        previous, rated_later = _previous(rows("latest")), frozenset[int]()
    else:
        first_baselines, reported = past.returns(return_rows)
        earlier_assessments, rated_later = past.split_assessments(rows("latest"))
        previous = _previous(earlier_assessments, rated_later)
    # Not kept over time either: a past day's rating does not judge capacity to change.
    loads = (
        {} if past is not None else team_loads(today or london_today(utcnow()), programme_ids=programme_ids)
    )
    snapshots = [
        ProgrammeSnapshot(
            id=pid,
            code=code,
            name=name,
            stage=stage,
            paused=paused,
            confidence=confidence,
            last_update_on=None if updated_at is None else london_today(updated_at),
            milestones=tuple(milestones.get(pid, ())),
            investments=tuple(investments.get(pid, ())),
            benefits=tuple(benefits.get(pid, ())),
            register=tuple(register.get(pid, ())),
            actions=tuple(actions.get(pid, ())),
            rebaseline_dates=tuple(rebaselines.get(pid, ())),
            start_date=start,
            baseline_end_date=baseline_end,
            forecast_end_date=forecast_end,
            whole_life_baseline=wlc_baseline,
            whole_life_forecast=wlc_forecast,
            first_whole_life_baseline=first_baselines.get(pid, wlc_baseline),
            previous_return_end_date=previous_return_end(
                forecast_end or baseline_end, return_ends.get(pid, ())
            ),
            # Not kept over time: a rating of a past day does not judge its gate plan.
            planned_gate_date=planned_gate if past is None else None,
            team_loads=loads.get(pid, ()),
            dependencies=tuple(dependencies.get(pid, ())),
        )
        for (
            pid,
            code,
            name,
            stage,
            paused,
            confidence,
            updated_at,
            start,
            baseline_end,
            forecast_end,
            wlc_baseline,
            wlc_forecast,
            planned_gate,
        ) in rows("programmes")
    ]
    if past is not None:
        snapshots = [past.reported(snapshot, reported.get(snapshot.id)) for snapshot in snapshots]
    return Portfolio(snapshots, previous, rated_later)


def _previous(rows: Iterable[Any], rated_later: frozenset[int] = frozenset()) -> dict[int, Previous]:
    """The stored assessment each new one follows; it is retired unless the programme was rated later."""
    return {
        pid: Previous(row_id, Summary(Rating(rating), score, _rules(flags)), pid not in rated_later)
        for pid, row_id, rating, score, flags in rows
    }


def _dated(rows: Iterable[Any]) -> dict[int, list[DatedValue]]:
    """Group (benefit id, date, value) rows into each benefit's dated values."""
    grouped: defaultdict[int, list[DatedValue]] = defaultdict(list)
    for benefit_id, on_date, value in rows:
        grouped[benefit_id].append((on_date, value))
    return grouped


def _benefits(
    rows: Iterable[Any], trajectory: dict[int, list[DatedValue]], measurements: dict[int, list[DatedValue]]
) -> dict[int, list[BenefitSnap]]:
    """Attach each benefit's trajectory and measurements, grouped by programme."""
    grouped: defaultdict[int, list[BenefitSnap]] = defaultdict(list)
    for pid, bid, title, kind, owner, direction, unit, baseline, adoption, measured in rows:
        grouped[pid].append(
            BenefitSnap(
                id=bid,
                title=title,
                type=kind,
                owner=owner,
                direction=direction,
                unit=unit,
                baseline_value=baseline,
                trajectory=tuple(trajectory.get(bid, ())),
                measurements=tuple(measurements.get(bid, ())),
                is_adoption_measure=adoption,
                still_measured=measured,
            )
        )
    return grouped


def _rules(flags: Any) -> tuple[str, ...]:
    """The distinct rules a stored assessment flagged (its JSON may predate today's shape)."""
    if not isinstance(flags, list):
        return ()
    return tuple(
        dict.fromkeys(str(flag["rule"]) for flag in flags if isinstance(flag, dict) and "rule" in flag)
    )


def _return_ends(rows: Iterable[Any]) -> dict[int, list[date]]:
    """Each programme's returned end dates, newest first (the end date is each row's last column)."""
    ends: defaultdict[int, list[date]] = defaultdict(list)
    for row in rows:
        if row[-1] is not None:
            ends[row[0]].append(row[-1])
    return ends
