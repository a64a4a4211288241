"""Check every imported row against the database and work out what would change, without writing.

Reads in a fixed number of queries (programmes, managers, then the milestones and investment lines
of the programmes the file touches), so 10,000 rows check in seconds.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from tracker.domain.imports.fields import SheetKind, fields_by_key
from tracker.domain.imports.names import name_key
from tracker.domain.imports.rows import (
    ParsedRow,
    SheetMapping,
    parse_rows,
    read_cell,
)
from tracker.domain.imports.values import Unit, assessed_by
from tracker.models import Confidence, ConfidenceSource, Focus, Programme, Role, Stage, User
from tracker.policy import Action
from tracker.services.imports.children import plan_investment, plan_milestone
from tracker.services.imports.context import Context, Team, compile_all
from tracker.services.imports.dependencies import plan_dependencies
from tracker.services.imports.derived import derived_children, year_before
from tracker.services.imports.match import assign_codes, match_row
from tracker.services.imports.model import (
    ImportMapping,
    Plan,
    ProgrammeOp,
    Progress,
    Report,
    ReturnOptions,
    Sources,
)
from tracker.services.imports.past_decisions import plan_history
from tracker.services.imports.registers import plan_registers
from tracker.services.programmes.records import CODE_PATTERN, normalise_code

ENUMS: dict[str, Any] = {
    "focus": Focus,
    "stage": Stage,
    "confidence": Confidence,
    "confidence_source": ConfidenceSource,
}
PROGRAMME_ATTRS = (
    "external_reference",
    "name",
    "description",
    "directorate",
    "strategic_objective",
    "focus",
    "sro_name",
    "stage",
    "start_date",
    "baseline_end_date",
    "forecast_end_date",
    "confidence",
    "confidence_source",
    "confidence_assessed_on",
    "whole_life_forecast",
    "confidence_commentary",
    "change_plan",
    "adoption_owner",
)
RENAMED = {"whole_life_cost": "whole_life_baseline"}
"""Import field keys stored under another name on the programme."""


def plan_import(
    sources: Sources,
    mapping: ImportMapping,
    *,
    user: User | None,
    progress: Progress | None,
    options: ReturnOptions | None = None,
) -> Plan:
    """Every row checked; the problems, the counts and the changes to make, with nothing written."""
    from tracker.services.errors import Invalid

    compiled, errors = compile_all(sources, mapping)
    if errors:
        raise Invalid(errors[0])
    options = options or ReturnOptions()
    unit = mapping.unit or Unit.POUNDS
    parsed = {kind: parse_rows(sheet_mapping, unit) for kind, sheet_mapping in compiled.items()}
    programme_sheet = compiled.get(SheetKind.PROGRAMMES)
    report = Report(rows=len(parsed.get(SheetKind.PROGRAMMES, [])))
    if programme_sheet is None:  # registers alone: their rows are what is read
        report.has_programmes = False
        report.rows = sum(len(rows) for rows in parsed.values())
    report.footnotes = {s.name: s.footnote_rows for s in sources.sheets().values() if s.footnote_rows}
    plan = Plan(report, total=2 * report.rows)
    context = Context(user, mapping)
    context.as_at = options.as_at
    context.match_near, context.near_accepted = options.match_near, options.near_accepted
    derived = (
        _plan_programmes(parsed[SheetKind.PROGRAMMES], programme_sheet, context, plan, progress, options)
        if programme_sheet is not None
        else []
    )
    child_codes = {
        kind: {normalise_code(str(row.values.get("programme_code", ""))) for row in parsed.get(kind, [])}
        for kind in (SheetKind.MILESTONES, SheetKind.INVESTMENTS)
    }
    named = {p.id for code in set().union(*child_codes.values()) if (p := context.by_code.get(code))}
    context.load_children(sorted({op.target.id for op in plan.programmes if op.target is not None} | named))
    context.sheet_milestones = child_codes[SheetKind.MILESTONES]
    for row, op in derived:
        if op.older:
            continue
        assert programme_sheet is not None
        plan.children.extend(derived_children(row, op, context, programme_sheet, report))
    for kind, planner in ((SheetKind.MILESTONES, plan_milestone), (SheetKind.INVESTMENTS, plan_investment)):
        for row in parsed.get(kind, []):
            report.problems.extend(row.problems)
            if not row.problems:
                child = planner(row, compiled[kind], context, report)
                if child is not None:
                    existing = context.by_code.get(child.programme_code)
                    child.programme_id = existing.id if existing is not None else None
                    plan.children.append(child)
    plan.children.extend(plan_registers(parsed, compiled, context, report))
    plan.children.extend(plan_history(parsed, compiled, context, report))
    plan.children.extend(plan_dependencies(parsed, compiled, context, report, plan.children))
    report.needs = sorted(context.needs)
    _count(plan)
    first = programme_sheet.sheet.name if programme_sheet is not None else ""
    report.problems.sort(key=lambda p: (p.sheet != first, p.sheet, p.row))
    return plan


def _plan_programmes(
    rows: list[ParsedRow],
    sheet: SheetMapping,
    context: Context,
    plan: Plan,
    progress: Progress | None,
    options: ReturnOptions,
) -> list[tuple[ParsedRow, ProgrammeOp]]:
    """Each programme row matched and checked, new ones given codes; the rows planned, with their ops."""
    report, mapping = plan.report, context.mapping
    header = sheet.column_name("confidence") if "confidence" in sheet.columns else ""
    context.confidence_source = options.confidence_source or ConfidenceSource(assessed_by(header))
    filled = set(sheet.columns) | set(sheet.templates) | set(mapping.defaults)
    context.unfilled = {"directorate", "focus"} - filled
    seen: dict[str, int] = {}
    derived: list[tuple[ParsedRow, ProgrammeOp]] = []
    for index, row in enumerate(rows, start=1):
        report.problems.extend(row.problems)
        report.warnings.extend(row.warnings)
        op = _programme_op(row, sheet, context, seen, report)
        if op is not None and not row.problems:
            op.figures = _figures(row, context)
            plan.programmes.append(op)
            context.planned[op.code] = op
            derived.append((row, op))
        if progress is not None and index % 200 == 0:
            progress(index, plan.total)
    assign_codes(plan, context, sheet.sheet.name, mapping.code_prefix)
    return derived


def _programme_op(
    row: ParsedRow, sheet: SheetMapping, context: Context, seen: dict[str, int], report: Report
) -> ProgrammeOp | None:
    """Match a row to a programme and work out its new values, or add problems."""
    values = row.values

    def problem(key: str | None, message: str) -> None:
        report.problems.append(sheet.problem(row.row, key, message))

    reference = " ".join(str(values["code"]).split()) if "code" in values else ""
    code = normalise_code(reference) if CODE_PATTERN.fullmatch(normalise_code(reference)) else ""
    if not reference and values.get("external_reference"):
        # A file with references but no codes (an exported sheet without its Code column) matches by them.
        reference = " ".join(str(values["external_reference"]).split())
    name = str(values.get("name", "")).strip()
    key = reference.upper() or f"name:{name_key(name)}"
    if not reference and not name:
        problem(None, "The row has neither a code nor a name: give the programme one or the other")
        return None
    if key in seen:
        what = f"code {reference}" if reference else f"name '{name}'"
        problem(
            "code" if reference else "name", f"Row {seen[key]} has the same {what}: list each programme once"
        )
        return None
    seen[key] = row.row
    found = match_row(row, reference, code, name, context, sheet, report)
    if isinstance(found, str):
        problem("code" if reference and not name else "name", found)
        return None
    target = found
    if target is not None:
        context.claimed.add(target.id)
    attrs = {a: ENUMS[a](values[a]) if a in ENUMS else values[a] for a in PROGRAMME_ATTRS if a in values}
    attrs |= {attr: values[key] for key, attr in RENAMED.items() if key in values}
    if reference and not code:
        attrs["external_reference"] = reference
    if "manager" in values:
        found = context.managers.get(str(values["manager"]).strip().lower(), set())
        if len(found) != 1:
            reason = "No programme manager, CIO or admin" if not found else "More than one person"
            problem("manager", f"{reason} is called '{values['manager']}': use their email address")
            return None
        attrs["manager_id"] = next(iter(found))
    if "confidence" in attrs and (target is None or target.confidence != attrs["confidence"]):
        # Who assessed it and when come from their own columns when the file has them (a blank is not
        # known); else from the file: its header or --confidence-source, and the return's date.
        if "confidence_source" not in sheet.columns:
            attrs["confidence_source"] = context.confidence_source
        if "confidence_assessed_on" not in sheet.columns:
            attrs["confidence_assessed_on"] = _as_at(row, context)
    if target is None:
        return _new_programme(row, code, attrs, context, problem)
    latest = context.latest_return.get(target.id)
    if latest is not None and _as_at(row, context) < latest:
        # An older return only adds history: it fills blanks but never overwrites newer figures.
        attrs = {k: v for k, v in attrs.items() if getattr(target, k) in (None, "")}
        op = _update_programme(row, target, attrs, context, problem)
        if op is not None:
            op.older = True
        return op
    return _update_programme(row, target, attrs, context, problem)


def _new_programme(
    row: ParsedRow, code: str, attrs: dict[str, Any], context: Context, problem: Any
) -> ProgrammeOp | None:
    for key, value in context.mapping.defaults.items():
        if key not in attrs and key in PROGRAMME_ATTRS:
            parsed = read_cell(fields_by_key(SheetKind.PROGRAMMES)[key], value, Unit.POUNDS)
            if parsed is not None:  # a blank default is no default
                attrs[key] = ENUMS[key](parsed) if key in ENUMS else parsed
    missing = [
        label
        for key, label in (("name", "name"), ("directorate", "directorate"), ("focus", "focus"))
        if key not in attrs
    ]
    asked = [key for key in ("directorate", "focus") if key in missing and key in context.unfilled]
    if asked:  # no column holds it: one question for the file, not a problem on every row
        context.needs.update(asked)
        return None
    if missing:
        problem(
            None, f"A new programme needs a {' and a '.join(missing)}: fill in the cell or choose a default"
        )
        return None
    if context.user is not None and context.user.role is Role.PROGRAMME_MANAGER:
        attrs.setdefault("manager_id", context.user.id)
    if not context.may(Action.IMPORT_PROGRAMMES, Team(attrs.get("manager_id"))):
        problem(
            "manager", "You can only import programmes you manage: leave the manager blank or put yourself"
        )
        return None
    if not _dates_in_order(attrs.get("start_date"), attrs.get("baseline_end_date"), problem):
        return None
    return ProgrammeOp(row.row, code, None, attrs)


def _update_programme(
    row: ParsedRow, target: Programme, attrs: dict[str, Any], context: Context, problem: Any
) -> ProgrammeOp | None:
    if not context.may(Action.IMPORT_PROGRAMMES, target):
        problem(
            None,
            f"{target.code} {target.name} is managed by someone else: "
            "you can only update programmes you manage",
        )
        return None
    if "manager_id" in attrs and not context.may(Action.IMPORT_PROGRAMMES, Team(attrs["manager_id"])):
        problem("manager", f"You would hand {target.code} to someone else: only a CIO can change its manager")
        return None
    changes = {key: (getattr(target, key), new) for key, new in attrs.items() if getattr(target, key) != new}
    if target.stage is Stage.CLOSED and changes:
        if changes.get("stage") and not context.may(Action.REOPEN_PROGRAMME):
            problem("stage", f"{target.code} is closed: only an admin can reopen it")
            return None
        if "stage" not in changes:
            problem(None, f"{target.code} is closed, so its details cannot change: reopen it first")
            return None
    start = attrs.get("start_date", target.start_date)
    if not _dates_in_order(start, attrs.get("baseline_end_date", target.baseline_end_date), problem):
        return None
    return ProgrammeOp(row.row, target.code, target, attrs, changes)


def _as_at(row: ParsedRow, context: Context) -> date:
    """The date a row's figures were true: the import's, else 31 March of the year the return was published.

    A file that says nothing reports as at the day of the import.
    """
    if isinstance(row.values.get("as_at"), date):
        return row.values["as_at"]  # type: ignore[return-value]
    if context.as_at is not None:
        return context.as_at
    published = row.values.get("published_year")
    return date(published, 3, 31) if isinstance(published, int) else context.today


def _figures(row: ParsedRow, context: Context) -> dict[str, Any]:
    """The row's return: confidence, whole-life cost, the year's budget and forecast and the end date."""
    values = row.values
    reported = {
        "confidence": Confidence(values["confidence"]) if "confidence" in values else None,
        "whole_life_baseline": values.get("whole_life_cost"),
        "whole_life_forecast": values.get("whole_life_forecast"),
        "year_budget": values.get("budget_approved"),
        "year_forecast": values.get("budget_forecast"),
        "end_date": values.get("forecast_end_date") or values.get("baseline_end_date"),
    }
    if all(value is None for value in reported.values()):
        return {}
    year = values.get("budget_year") or year_before(values.get("published_year"))
    source = None
    if reported["confidence"] is not None:  # the row's own "assessed by", else the file's
        given = values.get("confidence_source")
        source = ConfidenceSource(given) if given else context.confidence_source
    return reported | {"as_at": _as_at(row, context), "financial_year": year, "confidence_source": source}


def _dates_in_order(start: date | None, end: date | None, problem: Any) -> bool:
    if start is not None and end is not None and end < start:
        problem("baseline_end_date", "The baseline end date is before the start date")
        return False
    return True


def _count(plan: Plan) -> None:
    report = plan.report
    for op in plan.programmes:
        if op.target is None:
            report.created += 1
        elif op.changes:
            report.updated += 1
        else:
            report.unchanged += 1
    for child in plan.children:
        if child.target is None or child.changes:
            attribute = f"{child.kind}_{'created' if child.target is None else 'updated'}"
            setattr(report, attribute, getattr(report, attribute) + 1)
    report.programme_codes = [op.code for op in plan.programmes]
