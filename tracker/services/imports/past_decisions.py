"""Change requests decided before the council moved to the tracker, imported as the history they are
(and, through `past_gates`, gate decisions).

A row is a decision already taken (approved, rejected or withdrawn) and is recorded as it was: what it
moved from and to is kept, but no baseline, end date or benefit target moves, and the programme is not
re-rated. A row whose title the programme's change requests already have is left as it is, so a
workbook exported by the tracker comes back unchanged. Recording a decision is a decider's act: only
someone who may approve a change request (a CIO or an admin) imports one, and not into a closed
programme.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from tracker.domain.calendar import format_date
from tracker.domain.formatting import money
from tracker.domain.imports.fields import SheetKind
from tracker.domain.imports.rows import ParsedRow, SheetMapping
from tracker.models import ChangeRequestKind, ChangeRequestStatus
from tracker.policy import Action
from tracker.services.changes.requests import MAX_COST
from tracker.services.imports.children import CheckedRow
from tracker.services.imports.model import HISTORY_KINDS, ChildOp, Report
from tracker.services.imports.past_common import load_past, people, start_of, with_decider
from tracker.services.imports.past_gates import plan_gate
from tracker.services.imports.past_gates import summary as gate_summary
from tracker.services.programmes.records import normalise_code

if TYPE_CHECKING:
    from tracker.services.imports.context import Context

TEXTS = ("description", "impact", "decision_note")
MOVES = ("from_end_date", "proposed_end_date", "from_whole_life_baseline", "proposed_whole_life_baseline")
TARGETS = ("from_target_date", "proposed_target_date")
NEEDS = {
    ChangeRequestKind.TIME: ("proposed_end_date", "the new baseline end date it asked for"),
    ChangeRequestKind.COST: ("proposed_whole_life_baseline", "the new whole-life cost baseline it asked for"),
    ChangeRequestKind.BENEFITS: ("benefit", "the benefit whose target it changed"),
}


def plan_history(
    parsed: dict[SheetKind, list[ParsedRow]],
    compiled: dict[SheetKind, SheetMapping],
    context: Context,
    report: Report,
) -> list[ChildOp]:
    """The past change requests and gate decisions the file records, each checked; those the tracker
    has already are left alone."""
    kinds = [kind for kind in HISTORY_KINDS if kind in parsed]
    if not kinds:
        return []
    report.registers += [kind.value for kind in kinds]
    codes = {
        normalise_code(str(row.values.get("programme_code", ""))) for kind in kinds for row in parsed[kind]
    }
    load_past(context, sorted(p.id for code in codes if (p := context.by_code.get(code)) is not None))
    named = people()
    children = []
    for kind in kinds:
        for row in parsed[kind]:
            report.problems.extend(row.problems)
            child = None if row.problems else PLANNERS[kind](row, compiled[kind], context, report, named)
            children += [child] if child is not None else []
    return children


def plan_change(
    row: ParsedRow, sheet: SheetMapping, context: Context, report: Report, people: dict[str, int]
) -> ChildOp | None:
    """A decided change request to record, or None: already recorded, or with the row's problems."""
    checked = CheckedRow(row, sheet, context, report)
    found, title = checked.programme(), checked.title()
    if found is None or title is None:
        return None
    code, programme_id = found
    if not checked.once(("change_request", code, title.lower()), f"change request for {code}"):
        return None
    if context.records.get(("change_request", programme_id or 0, title.lower())) is not None:
        return None  # history is kept as it was first recorded
    values = row.values
    status = ChangeRequestStatus(values["status"]) if "status" in values else None
    kind = ChangeRequestKind(values["kind"]) if "kind" in values else None
    if not context.may(Action.APPROVE_REBASELINE):
        checked.problem(None, "Only a CIO or an admin can record a change request's decision")
        return None
    if status is None or status is ChangeRequestStatus.PENDING:
        checked.problem(
            "status",
            "Give the decision taken (approved, rejected or withdrawn): a change request still waiting "
            "is raised in the tracker, not imported",
        )
    if kind is None:
        checked.problem("kind", "Say what the change was to: scope, time, cost or benefits")
    record = {key: values.get(key, "") for key in TEXTS} | {key: values.get(key) for key in MOVES + TARGETS}
    if not str(record["impact"]).strip():
        checked.problem("impact", "Describe the impact the change had on the programme and the service")
    if kind in NEEDS and values.get(NEEDS[kind][0]) is None:
        checked.problem(NEEDS[kind][0], f"A {kind.value} change request needs {NEEDS[kind][1]}")
    for key in ("from_whole_life_baseline", "proposed_whole_life_baseline"):
        amount = values.get(key)
        if isinstance(amount, Decimal) and amount >= MAX_COST:
            checked.problem(key, f"The whole-life cost baseline must be less than {money(MAX_COST)}")
    benefit_id = _benefit(checked, values.get("benefit"), code, programme_id, context)
    when = _dates(checked, values, status, context.today)
    if not checked.writable(True, "change requests") or kind is None or status is None or when is None:
        return None
    asked, decided = when
    record = with_decider(record, values.get("decided_by"), people)
    record |= {
        "title": title,
        "kind": kind,
        "status": status,
        "benefit_id": benefit_id,
        "requested_by_id": people.get(str(values.get("requested_by", "")).strip().lower()),
        "requested_at": start_of(asked),
        "decided_at": start_of(decided) if decided else None,
    }
    op = ChildOp("change_requests", row.row, code, None, record)
    op.programme_id = programme_id
    return op


def _dates(
    checked: CheckedRow, values: dict[str, object], status: ChangeRequestStatus | None, today: date
) -> tuple[date, date | None] | None:
    """When it was asked (the decision's date if the file does not say) and decided; None after a problem."""
    if status is None or status is ChangeRequestStatus.PENDING:
        return None  # no decision taken: the status's problem says so, and dates cannot mend it
    decided, asked = values.get("decided_on"), values.get("requested_on")
    assert decided is None or isinstance(decided, date)
    assert asked is None or isinstance(asked, date)
    if decided is None and status in (ChangeRequestStatus.APPROVED, ChangeRequestStatus.REJECTED):
        checked.problem("decided_on", "Give the date it was decided")
        return None
    for key, day in (("decided_on", decided), ("requested_on", asked)):
        if day is not None and day > today:
            checked.problem(key, "A decision already taken has no date to come: use today or an earlier date")
    if asked is not None and decided is not None and decided < asked:
        checked.problem("decided_on", "It was decided before it was asked: check the two dates")
    if asked is None and decided is None:
        checked.problem("requested_on", "Give the date it was asked or decided")
    if status is ChangeRequestStatus.REJECTED and not str(values.get("decision_note", "")).strip():
        checked.problem("decision_note", "Say why the change request was rejected")
    start = asked or decided
    return (start, decided) if checked.ok and start is not None else None


def _benefit(
    checked: CheckedRow, title: object, code: str, programme_id: int | None, context: Context
) -> int | None:
    if title is None:
        return None
    found = context.records.get(("benefit", programme_id or 0, str(title).strip().lower()))
    if found is None:
        checked.problem("benefit", f"{code} has no benefit called '{title}'")
        return None
    return int(found.id)


def summary(child: ChildOp) -> str:
    """The audit event's summary: what was recorded, and that it moved nothing."""
    if child.kind == "gates":
        return gate_summary(child)
    values = child.values
    when = values["decided_at"] or values["requested_at"]
    return (
        f"Recorded the change request '{values['title']}', {values['status'].value} on "
        f"{format_date(when.date())}: history from before the tracker, nothing moved"
    )


PLANNERS = {SheetKind.CHANGE_REQUESTS: plan_change, SheetKind.GATES: plan_gate}
