"""Risk thresholds: the numbers the rules compare against, with defaults here and admin overrides.

Every threshold is a whole number and every comparison is "more than": a value exactly at the
threshold does not raise a flag.
"""

from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import NamedTuple


class ThresholdField(NamedTuple):
    """How an admin settings page labels and bounds one threshold."""

    name: str
    label: str
    minimum: int
    maximum: int


class ThresholdError(ValueError):
    """A threshold value is not acceptable; `field` names which one, for the form error."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field


class ThresholdErrors(ThresholdError):
    """Several thresholds are not acceptable; `problems` lists each, so a form can show them all at once."""

    def __init__(self, problems: list[ThresholdError]) -> None:
        first = problems[0]
        super().__init__(first.field, str(first).removeprefix(f"{first.field}: "))
        self.problems = problems


@dataclass(frozen=True)
class Thresholds:
    """The limits the risk rules use; construct with no arguments for the defaults."""

    forecast_slip_days: int = 30
    """Amber when a milestone's forecast is more than this many days after its baseline."""
    forecast_slip_red_days: int = 90
    """Red when the forecast is more than this many days after the baseline."""
    rebaseline_count: int = 2
    """Amber when at least this many re-baselines were approved within the window."""
    rebaseline_window_days: int = 180
    """The window, in days up to and including today, for counting re-baselines."""
    cost_overrun_pct: int = 10
    """Amber when forecast spend is more than this percentage above approved budget."""
    cost_overrun_red_pct: int = 25
    """Red when forecast spend is more than this percentage above approved budget."""
    burn_ahead_pct_points: int = 25
    """Amber when the % of budget spent exceeds the % of milestones done by more than this many points."""
    benefits_behind_pct: int = 20
    """Amber when a benefit is more than this percentage behind plan (realised below 80% by default)."""
    benefits_behind_red_pct: int = 50
    """Red when a benefit is more than this percentage behind plan (realised below 50% by default)."""
    stale_days: int = 30
    """Amber when there has been no status update for more than this many days."""
    stale_red_days: int = 60
    """Red when there has been no status update for more than this many days."""
    investment_gap_pct: int = 20
    """Amber when approved funding falls short of requested funding by more than this percentage of it."""
    high_risk_score: int = 15
    """Open register entries scoring at least this (likelihood x impact) need a mitigation and an owner."""
    whole_life_growth_pct: int = 10
    """Amber when the whole-life cost is more than this percentage above the first approved baseline."""
    whole_life_growth_red_pct: int = 25
    """Red when the whole-life cost is more than this percentage above the first approved baseline."""
    end_date_moved_days: int = 90
    """Amber when the end date is more than this many days later than in the previous return."""
    end_date_moved_red_days: int = 365
    """Red when the end date is more than this many days later than in the previous return."""
    gate_overdue_red_days: int = 90
    """Amber once a stage runs past its planned gate date; red when more than this many days past it."""
    overdue_action_red_days: int = 30
    """An open action past its due date is amber; red when more than this many days past it."""
    overdue_actions_red_count: int = 3
    """Red when at least this many of a programme's open actions are past their due dates."""
    over_capacity_red_pct: int = 25
    """A team over capacity in a month is amber; red when its load is more than this percentage above it."""
    dependency_late_red_days: int = 30
    """A milestone waiting for another programme's, due after the date it is needed by, is amber; red when
    the predecessor is more than this many days late."""

    def __post_init__(self) -> None:
        """Reject values a rule could not use sensibly, naming the field."""
        problems = _problems(asdict(self))
        if problems:
            raise problems[0]

    @classmethod
    def from_mapping(cls, values: Mapping[str, object]) -> "Thresholds":
        """Build thresholds from stored settings or a form; missing names keep their defaults.

        Raises ThresholdErrors naming every unacceptable value, not just the first."""
        known = {spec.name for spec in THRESHOLD_FIELDS}
        for name in values:
            if name not in known:
                raise ThresholdError(name, "is not a risk threshold")
        numbers: dict[str, object] = asdict(cls())
        problems: list[ThresholdError] = []
        for name, raw in values.items():
            try:
                numbers[name] = _whole_number(name, raw)
            except ThresholdError as error:
                problems.append(error)
                numbers[name] = None
        problems += _problems(numbers)
        if problems:
            raise ThresholdErrors(problems)
        return cls(**numbers)  # type: ignore[arg-type]

    def as_dict(self) -> dict[str, int]:
        """Settings are stored as plain name-to-number pairs."""
        return asdict(self)


def _problems(values: Mapping[str, object]) -> list[ThresholdError]:
    """Every out-of-range value, then every red not above its amber; None means already reported."""
    problems = []
    for spec in THRESHOLD_FIELDS:
        value = values[spec.name]
        if value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, int):
            problems.append(ThresholdError(spec.name, f"{spec.label} must be a whole number"))
        elif not spec.minimum <= value <= spec.maximum:
            problems.append(
                ThresholdError(spec.name, f"{spec.label} must be between {spec.minimum} and {spec.maximum}")
            )
    bad = {problem.field for problem in problems} | {name for name, value in values.items() if value is None}
    for amber, red in _AMBER_RED_PAIRS:
        if amber in bad or red in bad:
            continue
        if values[red] <= values[amber]:  # type: ignore[operator]
            problems.append(ThresholdError(red, f"{_LABELS[red]} must be more than {_LABELS[amber].lower()}"))
    return problems


def _whole_number(name: str, raw: object) -> int:
    """Settings arrive as ints from storage or strings from forms; accept both, nothing else."""
    if isinstance(raw, int) and not isinstance(raw, bool):
        return raw
    if isinstance(raw, str) and raw.strip().lstrip("-").isdigit():
        return int(raw.strip())
    raise ThresholdError(name, f"{_LABELS[name]} must be a whole number")


THRESHOLD_FIELDS: tuple[ThresholdField, ...] = (
    ThresholdField("forecast_slip_days", "Forecast slip, amber (days)", 1, 365),
    ThresholdField("forecast_slip_red_days", "Forecast slip, red (days)", 2, 730),
    ThresholdField("rebaseline_count", "Re-baselines to flag", 1, 20),
    ThresholdField("rebaseline_window_days", "Re-baseline window (days)", 7, 1095),
    ThresholdField("cost_overrun_pct", "Cost overrun, amber (%)", 1, 200),
    ThresholdField("cost_overrun_red_pct", "Cost overrun, red (%)", 2, 500),
    ThresholdField("burn_ahead_pct_points", "Spend ahead of progress (percentage points)", 1, 100),
    ThresholdField("benefits_behind_pct", "Benefits behind plan, amber (%)", 1, 99),
    ThresholdField("benefits_behind_red_pct", "Benefits behind plan, red (%)", 2, 100),
    ThresholdField("stale_days", "No update, amber (days)", 1, 365),
    ThresholdField("stale_red_days", "No update, red (days)", 2, 730),
    ThresholdField("investment_gap_pct", "Investment gap (%)", 1, 100),
    ThresholdField("high_risk_score", "High risk score (1 to 25)", 1, 25),
    ThresholdField("whole_life_growth_pct", "Whole-life cost growth, amber (%)", 1, 200),
    ThresholdField("whole_life_growth_red_pct", "Whole-life cost growth, red (%)", 2, 500),
    ThresholdField("end_date_moved_days", "End date moved since last return, amber (days)", 1, 1095),
    ThresholdField("end_date_moved_red_days", "End date moved since last return, red (days)", 2, 3650),
    ThresholdField("gate_overdue_red_days", "Past the planned gate date, red (days)", 1, 730),
    ThresholdField("overdue_action_red_days", "Overdue action, red (days past its due date)", 1, 365),
    ThresholdField("overdue_actions_red_count", "Overdue actions, red (how many at once)", 2, 50),
    ThresholdField("over_capacity_red_pct", "Team over capacity, red (% above its capacity)", 1, 500),
    ThresholdField(
        "dependency_late_red_days", "Late dependency, red (days after the needed-by date)", 1, 365
    ),
)
_LABELS = {spec.name: spec.label for spec in THRESHOLD_FIELDS}
_AMBER_RED_PAIRS = (
    ("forecast_slip_days", "forecast_slip_red_days"),
    ("cost_overrun_pct", "cost_overrun_red_pct"),
    ("benefits_behind_pct", "benefits_behind_red_pct"),
    ("stale_days", "stale_red_days"),
    ("whole_life_growth_pct", "whole_life_growth_red_pct"),
    ("end_date_moved_days", "end_date_moved_red_days"),
)
