"""The table of risk rules: each a pure `(snapshot, today, thresholds) -> list[Flag]`, run in this order.

`optimism` is not in the table: it needs the rating the other rules produce, so `risk.assess` adds it.
"""

from collections.abc import Callable
from datetime import date

from tracker.domain.flags import Flag
from tracker.domain.rules_benefits import benefits_behind_trajectory, no_benefits
from tracker.domain.rules_capacity import over_capacity
from tracker.domain.rules_delivery import (
    forecast_slip,
    overdue_milestone,
    repeated_rebaselining,
    stale,
    unmitigated_high_risks,
)
from tracker.domain.rules_dependencies import dependency_late
from tracker.domain.rules_gates import gate_overdue
from tracker.domain.rules_money import (
    burn_ahead_of_progress,
    cost_overrun,
    investment_gap,
    no_forecast,
    technology_only,
)
from tracker.domain.rules_raid import overdue_action
from tracker.domain.rules_returns import end_date_moved
from tracker.domain.rules_whole_life import whole_life_cost_growth
from tracker.domain.snapshot import ProgrammeSnapshot
from tracker.domain.thresholds import Thresholds

Rule = Callable[[ProgrammeSnapshot, date, Thresholds], list[Flag]]

RULES: tuple[tuple[str, Rule], ...] = (
    ("overdue_milestone", overdue_milestone),
    ("forecast_slip", forecast_slip),
    ("repeated_rebaselining", repeated_rebaselining),
    ("cost_overrun", cost_overrun),
    ("whole_life_cost_growth", whole_life_cost_growth),
    ("end_date_moved", end_date_moved),
    ("burn_ahead_of_progress", burn_ahead_of_progress),
    ("no_forecast", no_forecast),
    ("benefits_behind_trajectory", benefits_behind_trajectory),
    ("no_benefits", no_benefits),
    ("stale", stale),
    ("technology_only", technology_only),
    ("investment_gap", investment_gap),
    ("unmitigated_high_risks", unmitigated_high_risks),
    ("gate_overdue", gate_overdue),
    ("overdue_action", overdue_action),
    ("over_capacity", over_capacity),
    ("dependency_late", dependency_late),
)

RULE_LABELS: dict[str, str] = {
    "overdue_milestone": "Overdue milestone",
    "forecast_slip": "Forecast slip",
    "repeated_rebaselining": "Repeated re-baselining",
    "cost_overrun": "Cost overrun",
    "whole_life_cost_growth": "Whole-life cost growth",
    "end_date_moved": "End date moved since the last return",
    "burn_ahead_of_progress": "Spend ahead of progress",
    "no_forecast": "No forecast",
    "benefits_behind_trajectory": "Benefits behind plan",
    "no_benefits": "Benefits missing or unowned",
    "stale": "No recent update",
    "technology_only": "Technology only",
    "investment_gap": "Investment gap",
    "unmitigated_high_risks": "Unmitigated high risk",
    "gate_overdue": "Past its planned gate date",
    "overdue_action": "Overdue action",
    "over_capacity": "Team over capacity",
    "dependency_late": "Waiting on a late dependency",
    "optimism": "Optimistic self-assessment",
}
"""Short names for each rule, for headings and filters; includes `optimism`."""

RULE_NAMES: tuple[str, ...] = tuple(RULE_LABELS)
