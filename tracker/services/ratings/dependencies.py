"""What the scan reads of dependencies: each milestone of the rated programmes that waits for a milestone
of another programme, with that predecessor as it stands, in one query whatever the size of the portfolio.

As of a past day: the dependencies recorded by its end (one removed since is not seen: removing deletes
it), and each predecessor's dates and status replayed to that day from its history, as the scan replays
the rated programmes' own milestones (one more query).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from sqlalchemy import ColumnElement, Select, String, select, type_coerce
from sqlalchemy.orm import aliased

from tracker.domain.snapshot import DependencySnap, MilestoneSnap
from tracker.models import Milestone, MilestoneChange, MilestoneDependency, MilestoneStatus, Programme
from tracker.services.ratings.past import REPLAYED, Past


def dependencies_statement(is_open: ColumnElement[bool]) -> Select[Any]:
    """Every dependency of the chosen programmes' milestones, with the predecessor and its programme."""
    predecessor = aliased(Milestone, name="predecessor")
    owner = aliased(Programme, name="predecessor_programme")
    return (
        select(
            Milestone.programme_id,
            MilestoneDependency.id,
            MilestoneDependency.milestone_id,
            Milestone.title,
            MilestoneDependency.needed_by,
            owner.code,
            owner.name,
            predecessor.id,
            predecessor.title,
            type_coerce(predecessor.kind, String),
            predecessor.critical,
            predecessor.baseline_date,
            predecessor.forecast_date,
            predecessor.actual_date,
            predecessor.status == MilestoneStatus.COMPLETE,
            predecessor.status == MilestoneStatus.CANCELLED,
        )
        .select_from(MilestoneDependency)
        .join(Milestone, Milestone.id == MilestoneDependency.milestone_id)
        .join(Programme, Programme.id == Milestone.programme_id)
        .join(predecessor, predecessor.id == MilestoneDependency.depends_on_id)
        .join(owner, owner.id == predecessor.programme_id)
        .where(is_open)
        .order_by(MilestoneDependency.id)
    )


def past_statements(past: Past, scope: ColumnElement[bool]) -> dict[str, Select[Any]]:
    """As of the day: the dependencies recorded by then, and the later changes of their predecessors."""
    chosen = (
        select(MilestoneDependency.depends_on_id)
        .join(Milestone, Milestone.id == MilestoneDependency.milestone_id)
        .join(Programme, Programme.id == Milestone.programme_id)
        .where(scope)
    )
    later = (
        select(
            MilestoneChange.milestone_id,
            type_coerce(MilestoneChange.kind, String),
            MilestoneChange.from_value,
        )
        .where(
            MilestoneChange.milestone_id.in_(chosen),
            MilestoneChange.kind.in_(REPLAYED),
            MilestoneChange.changed_at >= past.end,
        )
        .order_by(MilestoneChange.changed_at, MilestoneChange.id)
    )
    recorded = dependencies_statement(scope).where(MilestoneDependency.created_at < past.end)
    return {"dependencies": recorded, "predecessor_changes": later}


def group_dependencies(
    rows: Iterable[Any], past: Past | None = None, changes: Iterable[Any] = ()
) -> dict[int, list[DependencySnap]]:
    """Each programme's dependencies, their predecessors replayed to the past day when there is one."""
    before: defaultdict[int, dict[str, str | None]] = defaultdict(dict)
    for milestone_id, kind, from_value in changes:
        before[milestone_id].setdefault(kind, from_value)  # the first later change says what it was
    grouped: defaultdict[int, list[DependencySnap]] = defaultdict(list)
    for pid, dependency_id, waiting_id, waiting_title, needed_by, code, name, *milestone in rows:
        predecessor = MilestoneSnap(*milestone)
        if past is not None:
            predecessor = past.milestone(predecessor, before.get(predecessor.id, {}))
        grouped[pid].append(
            DependencySnap(dependency_id, waiting_id, waiting_title, needed_by, code, name, predecessor)
        )
    return grouped
