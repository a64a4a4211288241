"""Write a checked import: programmes, then milestones, investment lines, registers and dependencies, each
change audited.

Called inside `run_import`'s transaction, which commits once at the end or rolls everything back.
Audit events and milestone history go in as one bulk insert each: on SQLite the ORM would send
them one row at a time.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import insert, select, tuple_, update

from tracker.extensions import db
from tracker.models import (
    AuditAction,
    AuditEvent,
    ChangeRequest,
    Decision,
    GateRequest,
    Investment,
    Lesson,
    Milestone,
    MilestoneChange,
    Programme,
    ProgrammeAction,
    ProgrammeReturn,
    RegisterEntry,
    User,
)
from tracker.models.types import utcnow
from tracker.services.audit import display
from tracker.services.editing import facts_changed
from tracker.services.imports.context import CHUNK
from tracker.services.imports.dependencies import apply_dependencies
from tracker.services.imports.model import ChildOp, Plan, ProgrammeOp, Progress
from tracker.services.imports.past_decisions import summary as past_summary
from tracker.services.imports.registers import summary as register_summary
from tracker.services.programmes.records import REPORTED_FIELDS
from tracker.services.ratings.rerating import Trigger

NAMES = {"milestones": "milestone", "investments": "investment line"}
MODELS: dict[str, tuple[Any, tuple[str, ...]]] = {
    "milestones": (Milestone, ("programme_id", "title")),
    "investments": (Investment, ("programme_id", "title", "financial_year")),
    "risks": (RegisterEntry, ("programme_id", "kind", "title")),
    "actions": (ProgrammeAction, ("programme_id", "title")),
    "decisions": (Decision, ("programme_id", "title")),
    "lessons": (Lesson, ("programme_id", "title")),
    "change_requests": (ChangeRequest, ("programme_id", "title")),
    "gates": (GateRequest, ("programme_id", "gate_name", "requested_at")),
}
"""Each kind of record an import adds: its model, and the columns that tell its new rows apart."""
QUIET = ("lessons", "change_requests", "gates")
"""Records that are not a programme's facts: adding one neither re-rates it nor counts as an update."""


class _Log:
    """Audit events and milestone history gathered while writing, inserted in bulk at the end."""

    def __init__(self, user_id: int | None, source: str) -> None:
        self.user_id, self.source = user_id, source
        self.now = utcnow()
        self.events: list[dict[str, Any]] = []
        self.history: list[dict[str, Any]] = []

    def audit(
        self,
        action: AuditAction,
        table: str,
        entity_id: int,
        programme_id: int,
        summary: str,
        changes: dict[str, tuple[Any, Any]],
    ) -> None:
        self.events.append(
            {
                "at": self.now,
                "user_id": self.user_id,
                "action": action,
                "entity_type": table,
                "entity_id": entity_id,
                "programme_id": programme_id,
                "summary": f"{summary} by {self.source}"[:300],
                "changes": {key: [display(old), display(new)] for key, (old, new) in changes.items()},
            }
        )

    def moved(self, child: ChildOp, milestone_id: int) -> None:
        """The milestone's own history: every moved date says it came from the import."""
        for kind, old, new in child.history:
            self.history.append(
                {
                    "milestone_id": milestone_id,
                    "kind": kind,
                    "from_value": old,
                    "to_value": new,
                    "reason": f"Imported ({self.source})",
                    "changed_by_id": self.user_id,
                    "changed_at": self.now,
                }
            )

    def write(self) -> None:
        for model, rows in ((AuditEvent, self.events), (MilestoneChange, self.history)):
            for start in range(0, len(rows), CHUNK):
                db.session.execute(insert(model), rows[start : start + CHUNK])


def apply_plan(plan: Plan, *, user: User | None, source_name: str, progress: Progress | None) -> None:
    """Make every planned change and its audit events; flushes, never commits."""
    user_id = user.id if user is not None else None
    log = _Log(user_id, f"import of {source_name}")
    ids: dict[str, int] = {}
    reported: set[int] = set()
    for op in plan.programmes:
        if op.target is not None:
            ids[op.code] = op.target.id
            if op.changes:
                _set(op.target, op.changes, user_id)
    db.session.flush()
    new = [op for op in plan.programmes if op.target is None]
    ids |= _bulk_insert(Programme, [{"code": op.code, **op.values} for op in new], log, key=("code",))
    for index, op in enumerate(new, start=1):
        initial = {k: (None, v) for k, v in op.values.items() if v not in (None, "")}
        log.audit(
            AuditAction.CREATE,
            "programme",
            ids[op.code],
            ids[op.code],
            f"Created programme {op.code} {op.values['name']}",
            initial,
        )
        if REPORTED_FIELDS & set(op.values):
            reported.add(ids[op.code])
        if progress is not None and index % 200 == 0:
            progress(min(plan.total, plan.report.rows + index), plan.total)
    for op in plan.programmes:
        if op.target is not None and op.changes:
            _audit_update(op, log)
            if REPORTED_FIELDS & set(op.changes):
                reported.add(op.target.id)
    touched = _apply_children([child for child in plan.children if child.kind != "dependencies"], ids, log)
    touched |= apply_dependencies(plan.children, log)  # after the milestones they may name
    reported |= touched
    _write_returns(plan.programmes, ids, log)
    log.write()
    ordered = sorted(reported)
    for start in range(0, len(ordered), CHUNK):
        db.session.execute(
            update(Programme)
            .where(Programme.id.in_(ordered[start : start + CHUNK]))
            .values(last_update_at=log.now)
            .execution_options(synchronize_session=False)
        )
    _refresh_figures(sorted(set(ids.values()) | touched), user_id)
    if progress is not None:
        progress(plan.total, plan.total)


def _bulk_insert(
    model: Any, rows: list[dict[str, Any]], log: _Log, *, key: tuple[str, ...]
) -> dict[Any, int]:
    """Insert rows in batches and return each new id by its key (unique within the import)."""
    ids: dict[Any, int] = {}
    extra = {"updated_by_id": log.user_id, "created_at": log.now, "updated_at": log.now, "version": 1}
    columns = [model.id, *(getattr(model, name) for name in key)]
    for start in range(0, len(rows), CHUNK):
        chunk = [{**extra, **row} for row in rows[start : start + CHUNK]]
        for row_id, *values in db.session.execute(insert(model).returning(*columns), chunk):
            ids[values[0] if len(values) == 1 else tuple(values)] = row_id
    return ids


def _set(entity: Any, changes: dict[str, tuple[Any, Any]], user_id: int | None) -> None:
    for key, (_, new) in changes.items():
        setattr(entity, key, new)
    entity.updated_by_id = user_id


def _audit_update(op: ProgrammeOp, log: _Log) -> None:
    target = op.target
    assert target is not None
    changes = dict(op.changes)
    if "manager_id" in changes:
        changes["manager"] = changes.pop("manager_id")
    log.audit(
        AuditAction.UPDATE, "programme", target.id, target.id, f"Updated programme {target.code}", changes
    )


def _apply_children(children: list[ChildOp], ids: dict[str, int], log: _Log) -> set[int]:
    """Create and update milestones, investment lines and register records; the programmes whose facts
    changed (a lesson or a past change request is not one: it neither re-rates a programme nor counts as
    an update from it)."""
    touched: set[int] = set()
    for child in children:
        if child.target is not None and child.changes:
            _set(child.target, child.changes, log.user_id)
            if child.kind not in QUIET:
                touched.add(child.target.programme_id)
    db.session.flush()
    for kind, (model, key) in MODELS.items():
        new = [child for child in children if child.kind == kind and child.target is None]
        given = {"recorded_by_id": log.user_id, "recorded_at": log.now} if kind == "lessons" else {}
        rows = [{"programme_id": _programme_id(child, ids), **child.values, **given} for child in new]
        new_ids = _bulk_insert(model, rows, log, key=key)
        for child, row in zip(new, rows, strict=True):
            entity_id = new_ids[tuple(row[name] for name in key)]
            initial = {k: (None, v) for k, v in child.values.items() if v not in (None, "")}
            log.audit(
                AuditAction.CREATE,
                model.__tablename__,
                entity_id,
                row["programme_id"],
                _summary(child),
                initial,
            )
            log.moved(child, entity_id)
            if kind not in QUIET:
                touched.add(row["programme_id"])
    for child in children:
        if child.target is not None and child.changes:
            target = child.target
            log.audit(
                AuditAction.UPDATE,
                type(target).__tablename__,
                target.id,
                target.programme_id,
                _summary(child),
                child.changes,
            )
            log.moved(child, target.id)
    return touched


def _summary(child: ChildOp) -> str:
    """The audit event's summary for a record added or changed."""
    if child.kind in ("change_requests", "gates"):
        return past_summary(child)
    if child.kind not in NAMES:
        return register_summary(child)
    verb, title = (
        ("Added", child.values["title"]) if child.target is None else ("Updated", child.target.title)
    )
    return f"{verb} {NAMES[child.kind]} {title}"


def _programme_id(child: ChildOp, ids: dict[str, int]) -> int:
    """The id of a record's programme: written by this import, or already in the tracker."""
    found = ids.get(child.programme_code, child.programme_id)
    assert found is not None
    return found


def _write_returns(programmes: list[ProgrammeOp], ids: dict[str, int], log: _Log) -> None:
    """Each row's figures as its programme's return for the date; importing that date again replaces it."""
    rows = [
        {"programme_id": ids[op.code], **op.figures} for op in programmes if op.figures and op.code in ids
    ]
    keys = [(row["programme_id"], row["as_at"]) for row in rows]
    existing: dict[tuple[int, Any], ProgrammeReturn] = {}
    for start in range(0, len(keys), CHUNK):
        chunk = keys[start : start + CHUNK]
        key = tuple_(ProgrammeReturn.programme_id, ProgrammeReturn.as_at)
        found = db.session.scalars(select(ProgrammeReturn).where(key.in_(chunk)))
        existing |= {(r.programme_id, r.as_at): r for r in found}
    extra = {"source": "import", "note": log.source.removeprefix("import of ")[:200], "recorded_at": log.now}
    extra["recorded_by_id"] = log.user_id
    new = []
    for row in rows:
        held = existing.get((row["programme_id"], row["as_at"]))
        if held is None:
            new.append(row | extra)
            continue
        for key, value in (row | extra).items():
            setattr(held, key, value)
    for start in range(0, len(new), CHUNK):
        db.session.execute(insert(ProgrammeReturn), new[start : start + CHUNK])


def _refresh_figures(programme_ids: list[int], user_id: int | None) -> None:
    """Re-rate what the import touched and keep the dashboard's stored figures in step.

    A chunk at a time: every id is a bound variable, and SQLite refuses a statement with more than
    32,766 of them (PostgreSQL 65,535), so a 200,000-row import would fail at the last step."""
    for start in range(0, len(programme_ids), CHUNK):
        facts_changed(programme_ids[start : start + CHUNK], trigger=Trigger.IMPORT, user_id=user_id)
