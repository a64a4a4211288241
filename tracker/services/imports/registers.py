"""A programme's registers in an import: risks and issues, actions, decisions and lessons.

Each row names its programme by code and is matched by title within it (a risk and the issue raised
from it may share a title, so an entry also by its kind). The rules are the register forms' own. A
closed programme's risks, actions and decisions stay as they are, but its lessons are still recorded,
as the policy allows after closure. A blank cell leaves the tracker's value as it is.
"""

from __future__ import annotations

from dataclasses import fields
from datetime import date
from typing import TYPE_CHECKING, Any

from tracker.domain.calendar import format_date
from tracker.domain.imports.fields import SheetKind
from tracker.domain.imports.rows import ParsedRow, SheetMapping
from tracker.domain.raid_values import ActionValues, DecisionValues, action_problems, decision_problems
from tracker.domain.vocabulary import label
from tracker.models import (
    ActionStatus,
    DecisionStatus,
    EntryKind,
    EntryStatus,
    LessonKind,
    Response,
)
from tracker.services.errors import Problem
from tracker.services.imports.children import CheckedRow
from tracker.services.imports.model import REGISTER_KINDS, ChildOp, Report
from tracker.services.lessons import LessonValues, lesson_problems
from tracker.services.programmes.records import normalise_code
from tracker.services.register import ISSUE_LIKELIHOOD, EntryValues, entry_problems

if TYPE_CHECKING:
    from tracker.services.imports.context import Context

ENUMS: dict[str, dict[str, Any]] = {
    "risks": {"kind": EntryKind, "response": Response, "status": EntryStatus},
    "actions": {"status": ActionStatus},
    "decisions": {"status": DecisionStatus},
    "lessons": {"kind": LessonKind},
}
NUMBERS = ("likelihood", "impact")
ARTICLES = {"likelihood": "a", "impact": "an"}
TABLES = {"actions": "programme_action", "decisions": "decision", "lessons": "lesson"}
"""Where `Context.records` keeps each register's records (risks and issues by their kind instead)."""


def plan_registers(
    parsed: dict[SheetKind, list[ParsedRow]],
    compiled: dict[SheetKind, SheetMapping],
    context: Context,
    report: Report,
) -> list[ChildOp]:
    """The risks, issues, actions, decisions and lessons the file adds or changes."""
    kinds = [kind for kind in REGISTER_KINDS if kind in parsed]
    report.registers = list(
        dict.fromkeys("risks" if kind is SheetKind.ISSUES else kind.value for kind in kinds)
    )
    codes = {
        normalise_code(str(row.values.get("programme_code", ""))) for kind in kinds for row in parsed[kind]
    }
    context.load_registers(sorted(p.id for code in codes if (p := context.by_code.get(code)) is not None))
    children = []
    for kind in kinds:
        for row in parsed[kind]:
            report.problems.extend(row.problems)
            child = None if row.problems else plan_record(kind, row, compiled[kind], context, report)
            children += [child] if child is not None else []
    return children


def plan_record(
    kind: SheetKind, row: ParsedRow, sheet: SheetMapping, context: Context, report: Report
) -> ChildOp | None:
    """A risk, issue, action, decision or lesson to add or change, or None with the row's problems."""
    register = "risks" if kind in (SheetKind.RISKS, SheetKind.ISSUES) else kind.value
    checked = CheckedRow(row, sheet, context, report)
    found, title = checked.programme(), checked.title()
    if found is None or title is None:
        return None
    code, programme_id = found
    attrs = _attrs(register, row.values)
    target, key = _match(register, kind, attrs, title, programme_id, context)
    what = {"risks": key, "actions": "action", "decisions": "decision", "lessons": "lesson"}[register]
    if not checked.once((register, key, code, title.lower()), f"{what} for {code}"):
        return None
    if target is None:
        values = _new(
            register, title, attrs | ({"kind": EntryKind(key)} if register == "risks" else {}), checked
        )
        if values is None:
            return None
        changes: dict[str, tuple[Any, Any]] = {}
    else:
        values = {name: getattr(target, name) for name in _fields(register)} | attrs
        if register == "actions" and values["status"] is ActionStatus.OPEN:
            values["done_on"] = None  # an open action is not done, whatever the file says
        changes = {
            name: (getattr(target, name), new) for name, new in values.items() if getattr(target, name) != new
        }
        attrs = {name: new for name, (_, new) in changes.items()}
    for name, message in _problems(register, values, context.today):
        checked.problem(name, message)
    closed_refuses = register != "lessons"  # lessons go on being recorded after closure
    if not checked.writable(closed_refuses and (target is None or bool(changes)), "register"):
        return None
    op = ChildOp(register, row.row, code, target, values if target is None else attrs, changes)
    op.programme_id = programme_id
    return op


def _attrs(register: str, values: dict[str, object]) -> dict[str, Any]:
    """What the row gives, as the tracker stores it (the title is matched on, never changed)."""
    enums = ENUMS[register]
    given = {name: values[name] for name in _fields(register) if name in values and name != "title"}
    for name, value in given.items():
        if name in enums:
            given[name] = enums[name](value)
        elif name in NUMBERS:
            given[name] = int(str(value))
    return given


def _match(
    register: str,
    kind: SheetKind,
    attrs: dict[str, Any],
    title: str,
    programme_id: int | None,
    context: Context,
) -> tuple[Any, str]:
    """The record this row updates (None: a new one) and the register it belongs to.

    An entry is a risk or an issue as the row says; else the sheet's kind is tried first, then the other."""
    if register != "risks":
        table = TABLES[register]
        return context.records.get((table, programme_id or 0, title.lower())), table
    sheet_kind = EntryKind.ISSUE if kind is SheetKind.ISSUES else EntryKind.RISK
    kinds = (
        [attrs["kind"]] if "kind" in attrs else [sheet_kind, *(k for k in EntryKind if k is not sheet_kind)]
    )
    for entry_kind in kinds:
        found = context.records.get((entry_kind.value, programme_id or 0, title.lower()))
        if found is not None:
            return found, entry_kind.value
    return None, kinds[0].value


def _new(register: str, title: str, attrs: dict[str, Any], checked: CheckedRow) -> dict[str, Any] | None:
    """A new record's values: the form's defaults under the row's, or None when it lacks one it needs."""
    if register == "risks":
        kind = attrs["kind"]
        if kind is EntryKind.ISSUE:
            attrs.setdefault("likelihood", ISSUE_LIKELIHOOD)  # an issue has happened: it is certain
        for name in NUMBERS:
            if name not in attrs:
                checked.problem(name, f"A new {kind.value} needs {ARTICLES[name]} {name} from 1 to 5")
        base: dict[str, Any] = {"description": "", "owner": "", "response": Response.TREAT, "mitigation": ""}
        base |= {"review_date": None, "status": EntryStatus.OPEN}
    elif register == "actions":
        done = attrs.get("done_on") is not None
        base = {"description": "", "owner": "", "due_date": None, "done_on": None}
        base["status"] = ActionStatus.DONE if done and "status" not in attrs else ActionStatus.OPEN
        if attrs.get("status") is ActionStatus.OPEN:
            attrs["done_on"] = None
    elif register == "decisions":
        base = {"detail": "", "decided_by": "", "decided_on": None, "status": DecisionStatus.MADE}
    else:
        if "kind" not in attrs:
            checked.problem("kind", "Say whether the lesson went well or is one to do differently")
        base = {"what_happened": "", "recommendation": ""}
    if register == "risks" and not checked.ok:
        return None  # without both scores there is nothing for the register's rules to check
    return {"title": title, **base, **attrs}


def _fields(register: str) -> tuple[str, ...]:
    values = {"risks": EntryValues, "actions": ActionValues, "decisions": DecisionValues}.get(
        register, LessonValues
    )
    return tuple(f.name for f in fields(values) if f.name != "entry_id")


def _problems(register: str, values: dict[str, Any], today: date) -> list[Problem]:
    """The register form's own rules, every one the record breaks."""
    if register == "risks":
        return entry_problems(EntryValues(**values))
    if register == "actions":
        return action_problems(ActionValues(**values), today)
    if register == "decisions":
        return decision_problems(DecisionValues(**values), today)
    return lesson_problems(title=values["title"], what_happened=values["what_happened"])


def summary(child: ChildOp) -> str:
    """The audit event's summary, worded as the register's own forms word it."""
    title = child.values.get("title") or child.target.title
    if child.target is not None:
        kind = child.target.kind.value if child.kind == "risks" else child.kind[:-1]
        return f"Changed {'the lesson' if kind == 'lesson' else kind} '{title}'"
    values = child.values
    if child.kind == "risks":
        return f"Added {values['kind'].value} '{title}' (score {values['likelihood'] * values['impact']})"
    if child.kind == "actions":
        due = f"due {format_date(values['due_date'])}" if values["due_date"] else "due date not known"
        return f"Added action '{title}' ({due})"
    if child.kind == "decisions":
        return f"Recorded decision '{title}'"
    return f"Recorded a lesson ({label(values['kind']).lower()}): '{title}'"
