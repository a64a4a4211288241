"""Gate decisions taken before the council moved to the tracker, imported as the history they are.

The gate is one of the council's stage model, named as it is there; the stages it leads from and to,
and who approves it, come from the model. Recording one moves no stage: the programme's stage already
says where the decision left it. Only those who may decide the gate (its approver, or a role above
it) record its decision, and not into a closed programme. A row whose gate and day asked the
programme already has is left as it is.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from tracker.domain.calendar import format_date
from tracker.domain.imports.rows import ParsedRow, SheetMapping
from tracker.domain.vocabulary import GateStatus
from tracker.policy import gate_deciders_text, may_decide_gate
from tracker.services.imports.children import CheckedRow
from tracker.services.imports.model import ChildOp, Report
from tracker.services.imports.past_common import gate_key, start_of, with_decider
from tracker.services.programmes.gates import decision_problems

if TYPE_CHECKING:
    from tracker.services.imports.context import Context

FORM_FIELDS = {"note": "decision_note", "outcome": "status"}
"""The decision form's fields as this sheet's."""


def plan_gate(
    row: ParsedRow, sheet: SheetMapping, context: Context, report: Report, people: dict[str, int]
) -> ChildOp | None:
    """A gate decision to record, or None: already recorded, or with the row's problems."""
    checked = CheckedRow(row, sheet, context, report)
    found = checked.programme()
    values = row.values
    name = " ".join(str(values.get("gate", "")).split())
    if not name:
        checked.problem("gate", "Give the name of the gate decided")
    if found is None or not name:
        return None
    code, programme_id = found
    status = GateStatus(values["status"]) if "status" in values else None
    decided, asked = values.get("decided_on"), values.get("requested_on")
    assert (decided is None or isinstance(decided, date)) and (asked is None or isinstance(asked, date))
    day = asked or decided
    if day is None:
        checked.problem("decided_on", "Give the date the gate was decided")
        return None
    if not checked.once(("gate", code, gate_key(name, day)), f"gate and date for {code}"):
        return None
    if context.records.get(("gate_request", programme_id or 0, gate_key(name, day))) is not None:
        return None  # history is kept as it was first recorded
    model = context.stage_model
    index = next((i for i, gate in enumerate(model.gates) if gate.name.lower() == name.lower()), None)
    if index is None:
        names = ", ".join(gate.name for gate in model.gates)
        checked.problem(
            "gate", f"The council's stage model has no gate called '{name}': its gates are {names}"
        )
        return None
    gate = model.gates[index]
    if context.user is not None and not may_decide_gate(context.user, gate.approver.value):
        who = gate_deciders_text(gate.approver.value, starts_sentence=True)
        checked.problem(None, f"{who} can record the “{gate.name}” gate's decision, not you")
        return None
    _decision(checked, status, values, decided, context.today)
    if not checked.writable(True, "gate decisions") or status is None:
        return None
    record = with_decider(
        {
            "summary": str(values.get("summary", "")),
            "conditions": str(values.get("conditions", "")) if status is GateStatus.APPROVED else "",
            "decision_note": str(values.get("decision_note", "")),
        },
        values.get("decided_by"),
        people,
    )
    record |= {
        "gate_key": gate.key,
        "gate_name": gate.name,
        "from_stage": model.stages[index].key,
        "from_stage_name": model.stages[index].name,
        "to_stage": model.stages[index + 1].key,
        "to_stage_name": model.stages[index + 1].name,
        "approver_role": gate.approver.value,
        "checklist": [],
        "status": status,
        "requested_by_id": people.get(str(values.get("requested_by", "")).strip().lower()),
        "requested_at": start_of(day),
        "decided_at": start_of(decided) if decided else None,
    }
    op = ChildOp("gates", row.row, code, None, record)
    op.programme_id = programme_id
    return op


def _decision(
    checked: CheckedRow,
    status: GateStatus | None,
    values: dict[str, object],
    decided: date | None,
    today: date,
) -> None:
    """The gate decision form's rules, and a decision's date to be past."""
    if status is None or status is GateStatus.PENDING:
        checked.problem(
            "status",
            "Give the decision taken (approved, deferred, rejected or withdrawn): a gate still waiting "
            "is asked for in the tracker, not imported",
        )
        return
    if status is not GateStatus.WITHDRAWN:
        note, conditions = (
            str(values.get("decision_note", "")).strip(),
            str(values.get("conditions", "")).strip(),
        )
        for key, message in decision_problems(status, conditions, note):
            checked.problem(FORM_FIELDS.get(str(key), key), message)
        if decided is None:
            checked.problem("decided_on", "Give the date the gate was decided")
    for key in ("decided_on", "requested_on"):
        day = values.get(key)
        if isinstance(day, date) and day > today:
            checked.problem(key, "A decision already taken has no date to come: use today or an earlier date")


def summary(child: ChildOp) -> str:
    """The audit event's summary: what was recorded, and that it moved no stage."""
    values = child.values
    when = values["decided_at"] or values["requested_at"]
    return (
        f"Recorded the “{values['gate_name']}” gate decision, {values['status'].value} on "
        f"{format_date(when.date())}: history from before the tracker, the stage did not move"
    )
