"""Dependencies between programmes in an import: a row names a milestone of its programme (by the
programme's code and the milestone's title) that waits for a milestone of another programme, and the
date it is needed by.

Both milestones may be in the tracker or added by the same file. The rules are the forms' own: another
programme, a milestone still to happen, a needed-by date, and no loop (checked with the file's other rows
too). A row naming a pair already recorded updates its needed-by date and note (a blank note leaves it);
nothing is written unless every row of every sheet is clean. Each dependency added is audited on both
programmes, and the waiting programme is re-rated with the import.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol

from sqlalchemy import insert, select
from sqlalchemy.orm import aliased

from tracker.domain.calendar import format_date
from tracker.domain.definitions import milestone_open
from tracker.domain.dependencies import loop_message, loop_through
from tracker.domain.imports.fields import SheetKind
from tracker.domain.imports.rows import ParsedRow, SheetMapping
from tracker.extensions import db
from tracker.models import AuditAction, Milestone, MilestoneDependency, Programme
from tracker.services.dependencies.records import NOTE_LENGTH, OWN_PROGRAMME
from tracker.services.imports.children import CheckedRow
from tracker.services.imports.context import CHUNK
from tracker.services.imports.model import ChildOp, Report
from tracker.services.programmes.records import normalise_code

if TYPE_CHECKING:
    from tracker.services.imports.context import Context

Key = tuple[str, str]
"""A milestone as a file names it: its programme's code and its title in lower case."""


class AuditLog(Protocol):
    """What the import's writer gathers audit events in (`apply._Log`)."""

    user_id: int | None
    now: datetime

    def audit(
        self,
        action: AuditAction,
        table: str,
        entity_id: int,
        programme_id: int,
        summary: str,
        changes: dict[str, tuple[Any, Any]],
    ) -> None: ...


@dataclass(frozen=True)
class Recorded:
    """A dependency already in the tracker, with what its audit events name."""

    dependency: MilestoneDependency
    waiting_programme: int
    predecessor_programme: int
    title: str
    other_title: str


@dataclass(frozen=True)
class Known:
    """A milestone already in the tracker."""

    id: int
    title: str
    open: bool


def plan_dependencies(
    parsed: dict[SheetKind, list[ParsedRow]],
    compiled: dict[SheetKind, SheetMapping],
    context: Context,
    report: Report,
    children: Iterable[ChildOp],
) -> list[ChildOp]:
    """The dependencies the file adds or changes, each row checked; `children` are the milestones and
    other records already planned, whose new milestones a row may name."""
    rows = parsed.get(SheetKind.DEPENDENCIES)
    if rows is None:
        return []
    report.registers.append("dependencies")
    sheet = compiled[SheetKind.DEPENDENCIES]
    codes = {
        normalise_code(str(row.values.get(key, "")))
        for row in rows
        for key in ("programme_code", "depends_on_code")
    }
    known = _milestones(sorted(code for code in codes if code in context.by_code))
    added = {
        (child.programme_code, str(child.values["title"]).strip().lower()): str(child.values["title"]).strip()
        for child in children
        if child.kind == "milestones" and child.target is None
    }
    recorded, edges = _recorded()
    planner = _Planner(sheet, context, report, known, added, recorded, edges)
    ops = []
    for row in rows:
        report.problems.extend(row.problems)
        op = None if row.problems else planner.plan(row)
        ops += [op] if op is not None else []
    return ops


class _Planner:
    def __init__(
        self,
        sheet: SheetMapping,
        context: Context,
        report: Report,
        known: dict[Key, Known],
        added: dict[Key, str],
        recorded: dict[tuple[Key, Key], Recorded],
        edges: list[tuple[Key, Key]],
    ) -> None:
        self.sheet, self.context, self.report = sheet, context, report
        self.known, self.added, self.recorded, self.edges = known, added, recorded, edges
        self.seen: dict[tuple[Key, Key], int] = {}

    def plan(self, row: ParsedRow) -> ChildOp | None:
        """One row's dependency to add or change, or None with its problems reported."""
        checked = CheckedRow(row, self.sheet, self.context, self.report)
        values = row.values
        found = checked.programme()
        title = str(values.get("milestone", "")).strip()
        other = normalise_code(str(values.get("depends_on_code", "")))
        other_title = str(values.get("depends_on_milestone", "")).strip()
        note = str(values.get("note", "")).strip()
        if not title:
            checked.problem("milestone", "Give the title of the milestone that waits")
        if not other:
            checked.problem("depends_on_code", "Give the code of the programme it waits for")
        elif other not in self.context.by_code and other not in self.context.planned:
            checked.problem(
                "depends_on_code", f"No programme has the code {other}, in the tracker or in this file"
            )
        elif found is not None and other == found[0]:
            checked.problem("depends_on_code", OWN_PROGRAMME)
        if not other_title:
            checked.problem("depends_on_milestone", "Give the title of the milestone it waits for")
        if values.get("needed_by") is None:
            checked.problem("needed_by", "Give the date it is needed by")
        if len(note) > NOTE_LENGTH:
            checked.problem("note", f"The note must be {NOTE_LENGTH:,} characters or fewer")
        if found is None or not checked.ok:
            return None
        code, programme_id = found
        waiting, predecessor = (code, title.lower()), (other, other_title.lower())
        for key, field, name in (
            (waiting, "milestone", title),
            (predecessor, "depends_on_milestone", other_title),
        ):
            if key not in self.known and key not in self.added:
                checked.problem(
                    field, f"{key[0]} has no milestone called '{name}', in the tracker or in this file"
                )
        if not checked.ok:
            return None
        first = self.seen.setdefault((waiting, predecessor), row.row)
        if first != row.row:
            checked.problem(
                "depends_on_milestone", f"Row {first} has the same dependency: list each one once"
            )
            return None
        target = self.recorded.get((waiting, predecessor))
        values_now = {"needed_by": values["needed_by"]} | ({"note": note} if note else {})
        if target is None:
            changes: dict[str, tuple[Any, Any]] = {}
            record = self._new(checked, waiting, predecessor, values_now)
            if record is None:
                return None
        else:
            held = target.dependency
            changes = {
                key: (getattr(held, key), new) for key, new in values_now.items() if getattr(held, key) != new
            }
            record = {key: new for key, (_, new) in changes.items()}
        if not checked.writable(target is None or bool(changes), "dependencies"):
            return None
        if target is None:
            self.edges.append((waiting, predecessor))
        op = ChildOp("dependencies", row.row, code, target, record, changes)
        op.programme_id = programme_id
        return op

    def _new(
        self, checked: CheckedRow, waiting: Key, predecessor: Key, given: dict[str, Any]
    ) -> dict[str, Any] | None:
        """A new dependency's values, or None when its waiting milestone is done or it closes a loop."""
        known = self.known.get(waiting)
        if known is not None and not known.open and waiting not in self.added:
            checked.problem("milestone", f"{known.title} is done or cancelled: it waits for nothing now")
            return None
        loop = loop_through(self.edges, (waiting, predecessor))
        if loop is not None:
            names = {key: f"{key[0]} {self._title(key)}" for key in loop}
            checked.problem("depends_on_milestone", loop_message(loop, names))
            return None
        return {
            "milestone": (waiting[0], self._title(waiting)),
            "depends_on": (predecessor[0], self._title(predecessor)),
            "note": "",
            **given,
        }

    def _title(self, key: Key) -> str:
        known = self.known.get(key)
        return known.title if known is not None else self.added.get(key, key[1])


def _milestones(codes: list[str]) -> dict[Key, Known]:
    """The milestones of these programmes by (code, title), the first of a title winning."""
    found: dict[Key, Known] = {}
    for start in range(0, len(codes), CHUNK):
        rows = db.session.execute(
            select(Programme.code, Milestone.id, Milestone.title, Milestone.status, Milestone.actual_date)
            .join(Programme, Programme.id == Milestone.programme_id)
            .where(Programme.code.in_(codes[start : start + CHUNK]))
            .order_by(Milestone.id)
        )
        for code, milestone_id, title, status, actual in rows:
            found.setdefault(
                (code, title.strip().lower()), Known(milestone_id, title, milestone_open(status, actual))
            )
    return found


def _recorded() -> tuple[dict[tuple[Key, Key], Recorded], list[tuple[Key, Key]]]:
    """Every dependency recorded, by the (code, title) of its two milestones, and all of them as edges
    (a loop may run through any programme). One query."""
    waiting, predecessor = aliased(Milestone), aliased(Milestone)
    ours, theirs = aliased(Programme), aliased(Programme)
    rows = db.session.execute(
        select(
            MilestoneDependency, ours.id, ours.code, waiting.title, theirs.id, theirs.code, predecessor.title
        )
        .join(waiting, waiting.id == MilestoneDependency.milestone_id)
        .join(ours, ours.id == waiting.programme_id)
        .join(predecessor, predecessor.id == MilestoneDependency.depends_on_id)
        .join(theirs, theirs.id == predecessor.programme_id)
    )
    recorded: dict[tuple[Key, Key], Recorded] = {}
    for dependency, our_id, code, title, their_id, other, other_title in rows:
        key = ((code, title.strip().lower()), (other, other_title.strip().lower()))
        recorded.setdefault(key, Recorded(dependency, our_id, their_id, title, other_title))
    return recorded, list(recorded)


def apply_dependencies(children: list[ChildOp], log: AuditLog) -> set[int]:
    """Write the planned dependencies (after the file's milestones), each audited on both programmes;
    the waiting programmes, to re-rate."""
    ops = [child for child in children if child.kind == "dependencies"]
    if not ops:
        return set()
    new = [op for op in ops if op.target is None]
    codes = sorted({code for op in new for code, _ in (op.values["milestone"], op.values["depends_on"])})
    ids = _ids(codes)
    touched: set[int] = set()
    for op in ops:
        if op.target is None:
            continue
        held: Recorded = op.target
        for key, (_, value) in op.changes.items():
            setattr(held.dependency, key, value)
        held.dependency.updated_by_id = log.user_id
        summary = f"Changed when {held.title} needs {held.other_title}"
        for programme_id in (held.waiting_programme, held.predecessor_programme):
            log.audit(
                AuditAction.UPDATE,
                MilestoneDependency.__tablename__,
                held.dependency.id,
                programme_id,
                summary,
                op.changes,
            )
        touched.add(held.waiting_programme)
    rows = []
    for op in new:
        (code, title), (other, other_title) = op.values["milestone"], op.values["depends_on"]
        waiting, waiting_programme = ids[code, title.lower()]
        predecessor, predecessor_programme = ids[other, other_title.lower()]
        rows.append((op, waiting_programme, predecessor_programme, {
            "milestone_id": waiting,
            "depends_on_id": predecessor,
            "needed_by": op.values["needed_by"],
            "note": op.values["note"],
            "updated_by_id": log.user_id,
            "created_at": log.now,
            "updated_at": log.now,
            "version": 1,
        }))  # fmt: skip
    for start in range(0, len(rows), CHUNK):
        chunk = rows[start : start + CHUNK]
        inserted = db.session.execute(
            insert(MilestoneDependency).returning(
                MilestoneDependency.id, MilestoneDependency.milestone_id, MilestoneDependency.depends_on_id
            ),
            [values for *_, values in chunk],
        )
        made = {(waiting, predecessor): row_id for row_id, waiting, predecessor in inserted}
        for op, waiting_programme, predecessor_programme, values in chunk:
            row_id = made[values["milestone_id"], values["depends_on_id"]]
            (code, title), (other, other_title) = op.values["milestone"], op.values["depends_on"]
            needed = format_date(values["needed_by"])
            changes = {
                "waiting_milestone": (None, f"{code} {title}"),
                "depends_on": (None, f"{other} {other_title}"),
                "needed_by": (None, values["needed_by"]),
            } | ({"note": (None, values["note"])} if values["note"] else {})
            for programme_id, summary in (
                (waiting_programme, f"{title} now waits for {other} {other_title}, needed by {needed}"),
                (predecessor_programme, f"{code} {title} now waits for {other_title}, needed by {needed}"),
            ):
                log.audit(
                    AuditAction.CREATE,
                    MilestoneDependency.__tablename__,
                    row_id,
                    programme_id,
                    summary,
                    changes,
                )
            touched.add(waiting_programme)
    return touched


def _ids(codes: list[str]) -> dict[Key, tuple[int, int]]:
    """Each milestone of these programmes, those the import just added too: (id, programme id) by
    (code, title in lower case), the first of a title winning."""
    found: dict[Key, tuple[int, int]] = {}
    for start in range(0, len(codes), CHUNK):
        rows = db.session.execute(
            select(Programme.code, Milestone.title, Milestone.id, Milestone.programme_id)
            .join(Programme, Programme.id == Milestone.programme_id)
            .where(Programme.code.in_(codes[start : start + CHUNK]))
            .order_by(Milestone.id)
        )
        for code, title, milestone_id, programme_id in rows:
            found.setdefault((code, title.strip().lower()), (milestone_id, programme_id))
    return found
