"""A flag's evidence as a few labelled figures in plain English, for the details under its one-line message.

Evidence is stored as JSON (dates as ISO strings, money and percentages as decimal strings). Each rule
names the figures worth showing, in order, with words for them; a key no table knows (a rule added
later, say) is labelled from its words, never shown as a raw key, and technical keys are left out.
"""

from collections.abc import Mapping
from datetime import date
from decimal import Decimal, InvalidOperation

from tracker.domain.calendar import format_date
from tracker.domain.money import format_money
from tracker.domain.wording import format_number, format_percent, plural

# Each key: (label, kind). Kinds: date, money, percent, days, number, yes_no, text.
Field = tuple[str, str]

_BY_RULE: dict[str, dict[str, Field]] = {
    "overdue_milestone": {
        "baseline_date": ("Approved baseline", "date"),
        "days_overdue": ("Overdue by", "days"),
        "forecast_date": ("Forecast", "date"),
        "slip_days": ("Forecast later than baseline by", "days"),
        "critical": ("Critical milestone", "yes_no"),
    },
    "forecast_slip": {
        "baseline_date": ("Approved baseline", "date"),
        "forecast_date": ("Forecast", "date"),
        "slip_days": ("Forecast later than baseline by", "days"),
        "threshold_days": ("Flagged when later by more than", "days"),
    },
    "repeated_rebaselining": {
        "count": ("Re-baselines approved", "number"),
        "window_days": ("Counted over the last", "days"),
        "latest": ("Latest re-baseline", "date"),
    },
    "cost_overrun": {
        "forecast": ("Forecast spend", "money"),
        "approved": ("Approved budget", "money"),
        "over_pct": ("Over budget by", "percent"),
    },
    "burn_ahead_of_progress": {
        "spent_pct": ("Share of budget spent", "percent"),
        "done_pct": ("Share of milestones done", "percent"),
        "milestones_done": ("Milestones done", "number"),
        "milestones": ("Milestones in the plan", "number"),
    },
    "benefits_behind_trajectory": {
        "measured_on": ("Measured on", "date"),
        "actual": ("Measured value", "number"),
        "planned": ("Planned value by then", "number"),
        "pct": ("Against plan", "percent"),
    },
    "no_benefits": {
        "benefits": ("Benefits defined", "number"),
        "benefit": ("Benefit", "text"),
    },
    "gate_overdue": {
        "planned_gate_date": ("Gate planned for", "date"),
        "days_past": ("Past the planned date by", "days"),
    },
    "stale": {
        "days_since_update": ("Days since the last update", "days"),
        "last_update_on": ("Last update", "date"),
    },
    "technology_only": {"it_investment": ("Technology investment", "money")},
    "investment_gap": {
        "requested": ("Requested", "money"),
        "approved": ("Approved", "money"),
        "gap_pct": ("Shortfall", "percent"),
    },
    "unmitigated_high_risks": {
        "kind": ("Register entry", "text"),
        "score": ("Score", "number"),
        "likelihood": ("Likelihood (1 to 5)", "number"),
        "impact": ("Impact (1 to 5)", "number"),
        "missing": ("Not recorded", "text"),
    },
    "overdue_action": {
        "due_date": ("Due", "date"),
        "days_overdue": ("Overdue by", "days"),
        "owner": ("Owner", "text"),
        "overdue_actions": ("Open actions overdue", "number"),
    },
    "over_capacity": {
        "team": ("Service team", "text"),
        "month": ("Month", "text"),
        "load": ("Change days planned", "number"),
        "capacity": ("Capacity (change days)", "number"),
        "share": ("From this programme", "number"),
        "over_pct": ("Over capacity by", "percent"),
        "other_programmes": ("Shared with", "text"),
    },
    "dependency_late": {
        "waiting_milestone": ("Waiting milestone", "text"),
        "predecessor_programme": ("Waits for the programme", "text"),
        "predecessor_milestone": ("Its milestone", "text"),
        "predecessor_state": ("Where that milestone stands", "text"),
        "predecessor_date": ("Its date", "date"),
        "needed_by": ("Needed by", "date"),
        "days_late": ("Late by", "days"),
    },
    "end_date_moved": {
        "end_date": ("End date now", "date"),
        "previous_end_date": ("End date in the previous return", "date"),
        "moved_days": ("Moved by", "days"),
    },
    "optimism": {
        "confidence": ("Reported confidence", "text"),
        "rating": ("Computed rating", "text"),
        "flags": ("Other flags", "number"),
    },
}

# Words for keys any rule may use, so a new rule's flags read decently before it has a table of its own.
_ANY_RULE: dict[str, Field] = {
    "whole_life_baseline": ("Whole-life cost baseline", "money"),
    "whole_life_forecast": ("Whole-life cost forecast", "money"),
    "first_whole_life_baseline": ("First whole-life cost baseline", "money"),
    "growth_pct": ("Growth", "percent"),
    "requested": ("Requested", "money"),
    "approved": ("Approved", "money"),
    "forecast": ("Forecast", "money"),
    "actual": ("Actual", "money"),
    "spent": ("Spent", "money"),
    "baseline_date": ("Approved baseline", "date"),
    "forecast_date": ("Forecast", "date"),
    "threshold_days": ("Flagged beyond", "days"),
    "threshold_pct": ("Flagged beyond", "percent"),
    "confidence": ("Reported confidence", "text"),
    "rating": ("Computed rating", "text"),
}
_SUFFIXES: tuple[tuple[str, str, str], ...] = (
    ("_pct", "percent", ""),
    ("_days", "days", ""),
    ("_date", "date", ""),
    ("_on", "date", ""),
    ("_amount", "money", ""),
    ("_cost", "money", " cost"),
)
_HIDDEN = frozenset({"id", "subject_id", "subject_kind"})
NOT_RECORDED = "Not recorded"


def describe(rule: str, evidence: Mapping[str, object]) -> list[tuple[str, str]]:
    """The figures behind a flag as (label, value) in plain English, in the rule's order."""
    table = _BY_RULE.get(rule, {})
    keys = [key for key in table if key in evidence]
    keys += [key for key in evidence if key not in table and key not in _HIDDEN]
    lines = []
    for key in keys:
        label, kind = table.get(key) or _ANY_RULE.get(key) or _guess(key)
        value = evidence[key]
        if rule == "stale" and key == "days_since_update" and value is None:
            lines.append(("Last update", "None submitted yet"))
            continue
        if value is None or value == "":
            if kind in ("date", "money"):
                lines.append((label, NOT_RECORDED))
            continue
        lines.append((label, _show(value, kind)))
    return lines


def _guess(key: str) -> Field:
    """Words and a kind for a key no table knows, from its shape: `growth_pct` is 'Growth', a percentage."""
    for suffix, kind, keep in _SUFFIXES:
        if key.endswith(suffix) and key != suffix.lstrip("_"):
            return _words(key.removesuffix(suffix)) + keep, kind
    return _words(key), "text"


def _words(key: str) -> str:
    """'whole_life_growth' reads 'Whole life growth'."""
    text = " ".join(part for part in key.replace("-", "_").split("_") if part)
    return text[:1].upper() + text[1:] if text else "Detail"


def _show(value: object, kind: str) -> str:
    """One figure as a person reads it; anything that does not parse is shown as written."""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    text = str(value)
    try:
        if kind == "date":
            return format_date(date.fromisoformat(text))
        if kind == "money":
            return format_money(Decimal(text))
        if kind == "percent":
            return format_percent(Decimal(text))
        if kind == "days":
            return plural(int(Decimal(text)), "day")
        if kind == "number":
            return format_number(Decimal(text))
    except (ValueError, ArithmeticError, InvalidOperation):
        pass
    if kind == "yes_no":
        return "Yes" if text.lower() in ("true", "yes", "1") else "No"
    return _capital(text)


def _capital(text: str) -> str:
    """Stored words such as 'risk' or 'amber_green' start with a capital when shown alone."""
    text = text.replace("_", " ") if text.islower() else text
    return text[:1].upper() + text[1:]
