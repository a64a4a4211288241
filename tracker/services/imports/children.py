"""Milestones and investment lines in an import: matched to their programme by code, then by title.

A milestone is matched by title within its programme; an investment line by title and financial
year (the programme's imported budget line by its title alone). A moved approved baseline is a
re-baseline, so only someone who may approve one can import it.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from tracker.domain.imports.fields import SheetKind, fields_by_key
from tracker.domain.imports.rows import ParsedRow, Problem, SheetMapping, read_cell
from tracker.domain.imports.values import Unit
from tracker.models import (
    ChangeKind,
    CostType,
    InvestmentCategory,
    MilestoneKind,
    MilestoneStatus,
    Recurrence,
    Stage,
)
from tracker.policy import Action
from tracker.services.imports.model import ChildOp, History, Report
from tracker.services.programmes.records import normalise_code

if TYPE_CHECKING:
    from tracker.services.imports.context import Context

AMOUNTS = ("requested", "approved", "forecast", "actual")
DEFAULT_CATEGORY = InvestmentCategory.OTHER
"""A new line's category when neither the file nor the person importing says: not assumed to be IT."""


def default_category(defaults: dict[str, str]) -> InvestmentCategory:
    """The category chosen for new lines of this import, else `DEFAULT_CATEGORY`."""
    chosen = defaults.get("category")
    if not chosen:
        return DEFAULT_CATEGORY
    return InvestmentCategory(
        read_cell(fields_by_key(SheetKind.INVESTMENTS)["category"], chosen, Unit.POUNDS)
    )


class CheckedRow:
    """A row being checked: its values, where its problems go, and its programme."""

    def __init__(self, row: ParsedRow, sheet: SheetMapping, context: Context, report: Report) -> None:
        self.row, self.sheet, self.context, self.report = row, sheet, context, report
        self.values = row.values
        self.ok = True
        self.closed_code = ""

    def problem(self, key: str | None, message: str) -> None:
        known = key is not None and (key in self.sheet.columns or key in fields_by_key(self.sheet.kind))
        column = self.sheet.column_name(key) if known and key else ""
        self.report.problems.append(
            Problem(self.sheet.sheet.name, self.row.row, column, message, self.sheet.sheet.transposed)
        )
        self.ok = False

    def programme(self) -> tuple[str, int | None] | None:
        """The programme's code and id (None while it is new in this file), or None after a problem."""
        code = normalise_code(str(self.values.get("programme_code", "")))
        if not code:
            self.problem("programme_code", "Give the code of the programme this row belongs to")
            return None
        existing = self.context.by_code.get(code)
        planned = self.context.planned.get(code)
        if existing is not None and existing.stage is Stage.CLOSED:
            staying = planned is None or planned.values.get("stage", Stage.CLOSED) is Stage.CLOSED
            self.closed_code = code if staying else ""
        if existing is None and planned is None:
            self.problem(
                "programme_code", f"No programme has the code {code}, in the tracker or in this file"
            )
            return None
        if (
            existing is not None
            and planned is None
            and not self.context.may(Action.IMPORT_PROGRAMMES, existing)
        ):
            self.problem(
                "programme_code",
                f"{code} is managed by someone else: you can only import into programmes you manage",
            )
            return None
        return code, existing.id if existing is not None else None

    def title(self) -> str | None:
        title = str(self.values.get("title", "")).strip()
        if not title:
            self.problem("title", "Give this row a title")
            return None
        return title

    def writable(self, changed: bool, what: str = "plan") -> bool:
        """A closed programme's milestones, money and register stay as they are."""
        if changed and self.closed_code:
            self.problem(None, f"{self.closed_code} is closed, so its {what} cannot change: reopen it first")
        return self.ok

    def once(self, key: tuple[Any, ...], what: str) -> bool:
        """False, with a problem, when an earlier row of the file has the same milestone or line."""
        first = self.context.seen.setdefault(key, self.row.row)
        if first != self.row.row:
            self.problem("title", f"Row {first} has the same {what}: list each one once")
            return False
        return True


def plan_milestone(row: ParsedRow, sheet: SheetMapping, context: Context, report: Report) -> ChildOp | None:
    """A milestone to add or change, or None with the row's problems reported."""
    checked = CheckedRow(row, sheet, context, report)
    found, title = checked.programme(), checked.title()
    if found is None or title is None:
        return None
    code, programme_id = found
    if not checked.once(("milestone", code, title.lower()), f"milestone for {code}"):
        return None
    values = row.values
    target = context.milestones.get((programme_id, title.lower())) if programme_id else None
    if target is None:
        baseline = values.get("baseline_date") or values.get("original_baseline_date")
        if baseline is None:
            checked.problem("baseline_date", "A new milestone needs a baseline date")
            return None
        actual = values.get("actual_date")
        status = MilestoneStatus(values.get("status") or ("complete" if actual else "not_started"))
        new = {
            "title": title,
            "kind": MilestoneKind(values.get("kind", "it_delivery")),
            "critical": bool(values.get("critical", False)),
            "owner": str(values.get("owner", "")),
            "original_baseline_date": values.get("original_baseline_date") or baseline,
            "baseline_date": baseline,
            "forecast_date": values.get("forecast_date") or baseline,
            "actual_date": actual,
            "status": status,
        }
        _check_progress(checked, status, actual, context.today)
        history: list[History] = [(ChangeKind.CREATED, None, baseline.isoformat())]
        return (
            ChildOp("milestones", row.row, code, None, new, history=history)
            if checked.writable(True)
            else None
        )
    attrs = {
        key: values[key]
        for key in ("critical", "owner", "forecast_date", "actual_date", "baseline_date")
        if key in values
    }
    if "kind" in values:
        attrs["kind"] = MilestoneKind(values["kind"])
    if "status" in values:
        attrs["status"] = MilestoneStatus(values["status"])
    changes = {key: (getattr(target, key), new) for key, new in attrs.items() if getattr(target, key) != new}
    if "baseline_date" in changes and not context.may(Action.APPROVE_REBASELINE):
        checked.problem(
            "baseline_date",
            f"'{title}' has an approved baseline of {target.baseline_date:%d/%m/%Y}: "
            "only a CIO can move it (ask for a re-baseline in the tracker)",
        )
    _check_progress(
        checked,
        attrs.get("status", target.status),
        attrs.get("actual_date", target.actual_date),
        context.today,
    )
    history = [
        (kind, _iso(changes[key][0]), _iso(changes[key][1]))
        for key, kind in (
            ("baseline_date", ChangeKind.REBASELINE_APPROVED),
            ("forecast_date", ChangeKind.FORECAST_MOVED),
            ("actual_date", ChangeKind.ACTUAL_RECORDED),
            ("status", ChangeKind.STATUS_CHANGED),
        )
        if key in changes
    ]
    if not checked.writable(bool(changes)):
        return None
    return ChildOp("milestones", row.row, code, target, attrs, changes, history)


def _check_progress(checked: CheckedRow, status: MilestoneStatus, actual: date | None, today: date) -> None:
    if status is MilestoneStatus.COMPLETE and actual is None:
        checked.problem("actual_date", "A complete milestone needs an actual date")
    if actual is not None and actual > today:
        checked.problem("actual_date", "The actual date is in the future: use the forecast date for plans")


def _iso(value: Any) -> str | None:
    if value is None:
        return None
    return value.isoformat() if isinstance(value, date) else str(getattr(value, "value", value))


def plan_investment(
    row: ParsedRow, sheet: SheetMapping, context: Context, report: Report, *, whole_programme: bool = False
) -> ChildOp | None:
    """An investment line to add or change; the budget from a programme row matches by title alone."""
    checked = CheckedRow(row, sheet, context, report)
    found, title = checked.programme(), checked.title()
    if found is None or title is None:
        return None
    code, programme_id = found
    values = row.values
    year = values.get("financial_year")
    key = ("budget", code) if whole_programme else ("investment", code, title.lower(), year)
    if not checked.once(key, f"investment line and year for {code}"):
        return None
    lines = context.investments.get((programme_id, title.lower()), []) if programme_id else []
    target = (
        lines[0] if whole_programme and lines else next((i for i in lines if i.financial_year == year), None)
    )
    attrs: dict[str, Any] = {key: values[key] for key in AMOUNTS if key in values}
    if "category" in values:
        attrs["category"] = InvestmentCategory(values["category"])
    if "cost_type" in values:
        attrs["cost_type"] = CostType(values["cost_type"])
    if "recurrence" in values:
        attrs["recurrence"] = Recurrence(values["recurrence"])
    if target is None:
        if year is None:
            checked.problem("financial_year", "A new investment line needs a financial year, like 2026/27")
            return None
        new = {
            "title": title,
            "financial_year": year,
            "category": default_category(context.mapping.defaults),
            "cost_type": CostType.CAPITAL,
            "recurrence": Recurrence.ONE_OFF,
        }
        new |= {key: None for key in AMOUNTS} | attrs
        return ChildOp("investments", row.row, code, None, new) if checked.writable(True) else None
    if whole_programme and year is not None:
        attrs["financial_year"] = year
    changes = {
        key: (getattr(target, key), new) for key, new in attrs.items() if _differs(getattr(target, key), new)
    }
    return (
        ChildOp("investments", row.row, code, target, attrs, changes)
        if checked.writable(bool(changes))
        else None
    )


def _differs(old: Any, new: Any) -> bool:
    if isinstance(old, Decimal) and isinstance(new, Decimal):
        return old.compare(new) != 0
    return bool(old != new)
