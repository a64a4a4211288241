"""Gate decisions: a programme asks to leave its stage with the gate's checklist answered; the gate's
approver approves (with conditions), defers or rejects. Approval moves the stage; every step is on the
programme's History with the checklist as it stood."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import aliased, contains_eager, joinedload

from tracker.domain.calendar import london_today
from tracker.domain.spreadsheet import Column, Kind
from tracker.domain.stage_models import BenefitHandover, Gate, StageModel, closure_problems
from tracker.domain.vocabulary import BenefitStatus, GateStatus, Stage, label
from tracker.extensions import db
from tracker.models import AuditAction, Benefit, GateRequest, Programme, User
from tracker.models.types import utcnow
from tracker.policy import gate_deciders_text, may_decide_gate
from tracker.services import audit
from tracker.services.editing import check_version, commit_or_conflict, get_programme
from tracker.services.errors import Conflict, Invalid, NotFound
from tracker.services.lessons import lessons_count
from tracker.services.paging import in_batches
from tracker.services.portfolio.scope import managed_or_on_team
from tracker.services.ratings.rerating import Trigger
from tracker.services.settings import current_stage_model

SUMMARY_LIMIT = 4000
DECIDED = (GateStatus.APPROVED, GateStatus.DEFERRED, GateStatus.REJECTED)


@dataclass(frozen=True)
class Answer:
    """One checklist item as the programme answered it."""

    item: str
    met: bool
    note: str = ""


@dataclass(frozen=True)
class GatesPage:
    programme: Programme
    model: StageModel
    index: int
    """The programme's stage in the model."""
    gate: Gate | None
    """The gate that ends its stage (None once closed)."""
    pending: GateRequest | None
    requests: list[GateRequest]
    """Every request, newest first."""
    closure_problems: list[str]
    """For the closure gate: what must be done before it can be asked for."""

    @property
    def stage_name(self) -> str:
        return self.model.stages[self.index].name

    @property
    def next_stage_name(self) -> str | None:
        following = self.index + 1
        return self.model.stages[following].name if following < len(self.model.stages) else None


def gates_page(code: str) -> GatesPage:
    """The programme's stage in the council's model, its next gate and every gate request (3 queries,
    4 at the closure gate)."""
    programme = get_programme(code)
    model = current_stage_model()
    index = model.stage(programme.model_stage, programme.stage)
    gate = None if programme.is_closed else model.gate_after(index)
    requests = list(
        db.session.scalars(
            select(GateRequest)
            .where(GateRequest.programme_id == programme.id)
            .options(joinedload(GateRequest.requested_by), joinedload(GateRequest.decided_by))
            .order_by(GateRequest.requested_at.desc(), GateRequest.id.desc())
        )
    )
    pending = next((request for request in requests if request.is_pending), None)
    problems = _closure_problems(programme.id) if gate is not None and gate.key == "closure" else []
    return GatesPage(programme, model, index, gate, pending, requests, problems)


def ask_for_gate(
    code: str, *, answers: Sequence[Answer], summary: str, user: User, expected_version: int | None
) -> GateRequest:
    """Ask for the decision of the gate that ends the programme's stage, with its checklist answered."""
    user_id = user.id
    page = gates_page(code)
    programme, gate = page.programme, page.gate
    check_version(programme, expected_version, what="programme")
    if gate is None:
        raise Invalid("This programme is closed: it has no gate left to pass", field="summary")
    if page.pending is not None:
        raise Invalid(
            f"The “{page.pending.gate_name}” gate is already waiting for a decision", field="summary"
        )
    if page.closure_problems:
        raise Invalid.every([(None, text) for text in page.closure_problems])
    summary = summary.strip()
    problems = _answer_problems(gate, answers, summary)
    if problems:
        raise Invalid.every(problems)
    following = page.model.stages[page.index + 1]
    request = GateRequest(
        programme_id=programme.id,
        gate_key=gate.key,
        gate_name=gate.name,
        from_stage=page.model.stages[page.index].key,
        from_stage_name=page.stage_name,
        to_stage=following.key,
        to_stage_name=following.name,
        approver_role=gate.approver.value,
        checklist=[{"item": a.item, "met": a.met, "note": a.note.strip()} for a in answers],
        summary=summary,
        requested_by_id=user_id,
        updated_by_id=user_id,
    )
    db.session.add(request)
    db.session.flush()
    audit.record(
        AuditAction.CREATE,
        request,
        user_id=user_id,
        programme_id=programme.id,
        summary=f"Asked for the “{gate.name}” gate decision (to move to {following.name})",
        changes={"checklist": (None, checklist_text(request.checklist)), "summary": (None, summary)},
    )
    commit_or_conflict(what="gate request")
    return request


def get_gate_request(request_id: int) -> GateRequest:
    request = db.session.get(GateRequest, request_id)
    if request is None:
        raise NotFound("There is no such gate request")
    return request


def decide_gate(
    request_id: int,
    *,
    outcome: GateStatus,
    conditions: str,
    note: str,
    user: User,
    expected_version: int | None,
) -> GateRequest:
    """Approve (with any conditions), defer or reject a gate request. Approval moves the programme to the
    next stage of the model (Closed, for the closure gate), in the same transaction that records it."""
    user_id = user.id
    request = get_gate_request(request_id)
    programme = db.session.get(Programme, request.programme_id)
    assert programme is not None
    if not may_decide_gate(user, request.approver_role, programme):
        raise Invalid(f"Only {gate_deciders_text(request.approver_role)} can decide this gate")
    check_version(request, expected_version, what="gate request")
    if not request.is_pending:
        raise Conflict(f"This gate request was already {label(request.status).lower()}.")
    conditions, note = conditions.strip(), note.strip()
    problems = decision_problems(outcome, conditions, note)
    if problems:
        raise Invalid.every(problems)
    model = current_stage_model()
    if model.stages[model.stage(programme.model_stage, programme.stage)].key != request.from_stage:
        raise Conflict(
            "The programme's stage has changed since this gate was asked for: reject it, and the programme "
            "manager can ask again."
        )
    request.status = outcome
    request.conditions = conditions if outcome is GateStatus.APPROVED else ""
    request.decision_note = note
    request.decided_by_id = user_id
    request.decided_at = utcnow()
    request.updated_by_id = user_id
    changes: dict[str, tuple[Any, Any]] = {"checklist": (None, checklist_text(request.checklist))}
    if outcome is GateStatus.APPROVED:
        moved = _move(programme, model, request.to_stage, user_id)
        changes = {**moved, **changes}
        if conditions:
            changes["conditions"] = (None, conditions)
    if note:
        changes["decision_note"] = (None, note)
    audit.record(
        AuditAction.UPDATE,
        request,
        user_id=user_id,
        programme_id=programme.id,
        summary=decision_words(request),
        changes=changes,
    )
    commit_or_conflict(
        what="gate request",
        refresh=[programme.id] if outcome is GateStatus.APPROVED else (),
        trigger=Trigger.STAGE,
        user_id=user_id,
    )
    return request


def withdraw_gate(request_id: int, *, user: User) -> GateRequest:
    """The programme takes back a request not yet decided."""
    user_id = user.id
    request = get_gate_request(request_id)
    if not request.is_pending:
        raise Conflict(f"This gate request was already {label(request.status).lower()}.")
    request.status = GateStatus.WITHDRAWN
    request.updated_by_id = user_id
    audit.record(
        AuditAction.UPDATE,
        request,
        user_id=user_id,
        programme_id=request.programme_id,
        summary=f"Withdrew the request for the “{request.gate_name}” gate decision",
    )
    commit_or_conflict(what="gate request")
    return request


def set_planned_gate_date(
    code: str, *, planned: date | None, user: User, expected_version: int | None
) -> None:
    """When the programme plans to pass its current stage's gate; past it, a rule flags the programme."""
    user_id = user.id
    programme = get_programme(code)
    check_version(programme, expected_version, what="programme")
    if programme.is_closed:
        raise Invalid("This programme is closed", field="planned_gate_date")
    changes = audit.apply_changes(programme, {"planned_gate_date": planned})
    if not changes:
        return
    programme.updated_by_id = user_id
    audit.record(
        AuditAction.UPDATE,
        programme,
        user_id=user_id,
        programme_id=programme.id,
        summary="Changed the planned gate date",
        changes=changes,
    )
    commit_or_conflict(what="programme", refresh=[programme.id], trigger=Trigger.STAGE, user_id=user_id)


def pending_gates(*, of_user: int | None = None) -> list[GateRequest]:
    """Gate requests waiting for a decision, oldest first, with their programme (one query); with
    `of_user`, those on that person's programmes."""
    statement = (
        select(GateRequest)
        .join(GateRequest.programme)
        .where(GateRequest.status == GateStatus.PENDING)
        .options(joinedload(GateRequest.requested_by), contains_eager(GateRequest.programme))
        .order_by(GateRequest.requested_at, GateRequest.id)
    )
    if of_user is not None:
        statement = statement.where(managed_or_on_team(of_user))
    return list(db.session.scalars(statement))


def checklist_text(checklist: Sequence[dict[str, Any]]) -> str:
    """The checklist as it stood, in one line a person reads on History: each item met or not, and why."""
    parts = []
    for entry in checklist:
        mark = "Met" if entry.get("met") else "Not met"
        note = f" ({entry['note']})" if entry.get("note") else ""
        parts.append(f"{mark}: {entry.get('item', '')}{note}")
    return "; ".join(parts)


def _move(programme: Programme, model: StageModel, to_stage: str, user_id: int) -> dict[str, tuple[Any, Any]]:
    """Set the programme's model stage and the lifecycle stage it counts as; the plan date is spent."""
    before = model.stages[model.stage(programme.model_stage, programme.stage)]
    after = next(spec for spec in model.stages if spec.key == to_stage)
    values: dict[str, Any] = {"model_stage": after.key, "stage": after.lifecycle, "planned_gate_date": None}
    if after.lifecycle is Stage.CLOSED:
        values["paused"] = False
    changes = audit.apply_changes(programme, values)
    programme.updated_by_id = user_id
    changes.pop("model_stage", None)
    changes["stage"] = (before.name, after.name)
    return changes


def _closure_problems(programme_id: int) -> list[str]:
    benefits = [
        BenefitHandover(title, owner, handed_over_on, status is BenefitStatus.WRITTEN_OFF)
        for title, owner, handed_over_on, status in db.session.execute(
            select(Benefit.title, Benefit.owner, Benefit.handed_over_on, Benefit.status)
            .where(Benefit.programme_id == programme_id)
            .order_by(Benefit.id)
        )
    ]
    return closure_problems(benefits, lessons_count(programme_id))


def _answer_problems(gate: Gate, answers: Sequence[Answer], summary: str) -> list[tuple[str | None, str]]:
    problems: list[tuple[str | None, str]] = []
    if [answer.item for answer in answers] != list(gate.checklist):
        problems.append(("summary", "The gate's checklist has changed: check the items below and ask again"))
    for number, answer in enumerate(answers):
        if not answer.met and not answer.note.strip():
            problems.append((f"note_{number}", f"Say why “{answer.item}” is not met, or tick it"))
    if not summary:
        problems.append(("summary", "Enter the case for passing the gate, with the evidence to read"))
    elif len(summary) > SUMMARY_LIMIT:
        problems.append(("summary", f"The case must be {SUMMARY_LIMIT:,} characters or fewer"))
    return problems


def decision_problems(outcome: GateStatus, conditions: str, note: str) -> list[tuple[str | None, str]]:
    """Every rule a decision breaks: an outcome, a reason unless approved, and the texts' length."""
    if outcome not in DECIDED:
        return [("outcome", "Choose whether to approve, defer or reject")]
    if outcome is not GateStatus.APPROVED and not note:
        word = "deferring" if outcome is GateStatus.DEFERRED else "rejecting"
        return [("note", f"Enter the reason for {word}: the programme manager reads it")]
    if len(conditions) > SUMMARY_LIMIT or len(note) > SUMMARY_LIMIT:
        return [("note", f"Conditions and reasons must be {SUMMARY_LIMIT:,} characters or fewer")]
    return []


def decision_words(request: GateRequest) -> str:
    """What was decided, in a sentence: for History and the page's confirmation."""
    if request.status is GateStatus.APPROVED:
        conditions = " with conditions" if request.conditions else ""
        return f"Approved the “{request.gate_name}” gate{conditions}: moved to {request.to_stage_name}"
    return f"{label(request.status)} the “{request.gate_name}” gate decision"


GATE_COLUMNS = [
    Column("Programme code", width=14),
    Column("Gate", width=30),
    Column("From stage", width=24),
    Column("To stage", width=24),
    Column("Status", width=22),
    Column("Checklist as answered", width=60),
    Column("The case for passing", width=50),
    Column("Conditions", width=40),
    Column("Decision note", width=40),
    Column("Asked by", width=24),
    Column("Asked on", Kind.DATE),
    Column("Decided by", width=24),
    Column("Decided on", Kind.DATE),
]


def gate_rows(programme_ids: Select[Any], batch: int) -> Iterator[tuple[Any, ...]]:
    """Every gate request of these programmes, oldest first, as the workbook's Gate decisions sheet."""
    asker, decider = aliased(User), aliased(User)
    statement = (
        select(
            Programme.code,
            GateRequest.gate_name,
            GateRequest.from_stage_name,
            GateRequest.to_stage_name,
            GateRequest.status,
            GateRequest.checklist,
            GateRequest.summary,
            GateRequest.conditions,
            GateRequest.decision_note,
            asker.name,
            GateRequest.requested_at,
            decider.name,
            GateRequest.decided_at,
        )
        .join(Programme, Programme.id == GateRequest.programme_id)
        .outerjoin(asker, asker.id == GateRequest.requested_by_id)
        .outerjoin(decider, decider.id == GateRequest.decided_by_id)
        .where(GateRequest.programme_id.in_(programme_ids))
        .order_by(Programme.code, GateRequest.requested_at, GateRequest.id)
    )
    for (
        code,
        gate,
        before,
        after,
        status,
        checklist,
        case,
        conditions,
        note,
        by,
        at,
        decided_by,
        decided,
    ) in in_batches(statement, batch):
        yield (
            code, gate, before, after, label(status), checklist_text(checklist), case or None,
            conditions or None, note or None, by, london_today(at), decided_by,
            london_today(decided) if decided else None,
        )  # fmt: skip
