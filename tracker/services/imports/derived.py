"""What a programme row implies besides the programme: a budget line from its budget columns and a
completion milestone from its end dates, so the risk scan's cost and slip rules see it."""

from __future__ import annotations

from tracker.domain.calendar import financial_year
from tracker.domain.imports.rows import ParsedRow, SheetMapping
from tracker.services.imports.children import plan_investment, plan_milestone
from tracker.services.imports.context import BUDGET_TITLE, COMPLETION_TITLE, Context
from tracker.services.imports.model import ChildOp, ProgrammeOp, Report
from tracker.services.money import FIRST_YEAR

BUDGET_FIELDS = {
    "budget_requested": "requested",
    "budget_approved": "approved",
    "budget_forecast": "forecast",
    "budget_actual": "actual",
}


def derived_children(
    row: ParsedRow, op: ProgrammeOp, context: Context, sheet: SheetMapping, report: Report
) -> list[ChildOp]:
    """A budget line from the budget columns and a completion milestone from the end dates."""
    children = []
    values = row.values
    budget = any(key in values for key in BUDGET_FIELDS)
    if budget and op.target is not None and op.target.id in context.itemised:
        message = (
            f"{op.code} already has its own investment lines, so a budget column would count its money "
            "twice: ignore the budget columns, or bring the lines in on an Investments sheet"
        )
        report.problems.append(sheet.problem(row.row, None, message))
    elif budget:
        start = op.values.get("start_date") or (op.target.start_date if op.target else None)
        end = op.values.get("baseline_end_date") or (op.target.baseline_end_date if op.target else None)
        year = values.get("budget_year") or year_before(values.get("published_year"))
        year = year or financial_year(start or end or context.today)
        line = {"programme_code": op.code, "title": BUDGET_TITLE, "financial_year": year}
        line |= {BUDGET_FIELDS[k]: v for k, v in values.items() if k in BUDGET_FIELDS}
        child = plan_investment(ParsedRow(row.row, line), sheet, context, report, whole_programme=True)
        children += [child] if child else []
    end = op.values.get("baseline_end_date") or (op.target.baseline_end_date if op.target else None)
    has_plan = op.code in context.sheet_milestones or (
        op.target is not None and op.target.id in context.planned_milestones
    )
    if end is not None and not has_plan and ({"baseline_end_date", "forecast_end_date"} & set(values)):
        milestone = {
            "programme_code": op.code,
            "title": COMPLETION_TITLE,
            "kind": "governance",
            "critical": True,
            "baseline_date": end,
        }
        forecast = op.values.get("forecast_end_date") or (op.target.forecast_end_date if op.target else None)
        if forecast is not None:
            milestone["forecast_date"] = forecast
        child = plan_milestone(ParsedRow(row.row, milestone), sheet, context, report)
        children += [child] if child else []
    return children


def year_before(published: object) -> int | None:
    """A return published in 2018 reports the financial year just ended, 2017/18 (none before 1990/91,
    the first year money is kept for)."""
    if not isinstance(published, int) or published - 1 < FIRST_YEAR:
        return None
    return published - 1
