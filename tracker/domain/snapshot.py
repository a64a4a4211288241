"""Plain, frozen values describing one programme at one moment: everything the risk rules may look at.

The scan service builds these from the database; tests build them by hand. An amount or date not
known is None, never zero. Values are checked here so that a bad snapshot fails loudly where it is made.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Literal, get_args

from tracker.domain.definitions import milestone_done, milestone_in_plan, milestone_open
from tracker.domain.vocabulary import MilestoneStatus

Stage = Literal["idea", "business_case", "delivery", "closing", "closed"]
Confidence = Literal["green", "amber_green", "amber", "amber_red", "red"]
"""Delivery confidence on the IPA's five-point scale."""
InvestmentCategory = Literal["technology", "business_change", "other"]
MilestoneKind = Literal["it_delivery", "business_change", "governance", "benefit"]
BenefitType = Literal["cashable", "non_cashable", "service_improvement", "dis_benefit"]
Direction = Literal["higher", "lower"]
RegisterKind = Literal["risk", "issue"]
DatedValue = tuple[date, Decimal]

STAGES: tuple[str, ...] = get_args(Stage)
CONFIDENCES: tuple[str, ...] = get_args(Confidence)
INVESTMENT_CATEGORIES: tuple[str, ...] = get_args(InvestmentCategory)
MILESTONE_KINDS: tuple[str, ...] = get_args(MilestoneKind)
BENEFIT_TYPES: tuple[str, ...] = get_args(BenefitType)
DIRECTIONS: tuple[str, ...] = get_args(Direction)
REGISTER_KINDS: tuple[str, ...] = get_args(RegisterKind)
ZERO = Decimal(0)


def _check(value: object, allowed: tuple[str, ...], name: str) -> None:
    """Reject values outside a closed list, naming the field."""
    if value not in allowed:
        raise ValueError(f"{name} must be one of {', '.join(allowed)}, not {value!r}")


@dataclass(frozen=True)
class MilestoneSnap:
    """A milestone; done when marked complete or when it has an actual date; open when neither done nor
    cancelled."""

    id: int
    title: str
    kind: MilestoneKind
    critical: bool
    baseline_date: date | None
    """Latest approved baseline date."""
    forecast_date: date | None = None
    actual_date: date | None = None
    complete: bool = False
    cancelled: bool = False

    def __post_init__(self) -> None:
        """Only the four kinds the design names."""
        _check(self.kind, MILESTONE_KINDS, "Milestone kind")

    @property
    def status(self) -> MilestoneStatus:
        """The status the shared definitions read: complete, cancelled, or still open (read as in progress:
        a snapshot does not tell not started from in progress, and the definitions treat them alike)."""
        if self.complete:
            return MilestoneStatus.COMPLETE
        return MilestoneStatus.CANCELLED if self.cancelled else MilestoneStatus.IN_PROGRESS

    @property
    def done(self) -> bool:
        """An actual date means it happened, whatever the status says (see `definitions`)."""
        return milestone_done(self.status, self.actual_date)

    @property
    def open(self) -> bool:
        """Still to happen: neither done nor cancelled (see `definitions`)."""
        return milestone_open(self.status, self.actual_date)

    @property
    def in_plan(self) -> bool:
        """Counts towards progress: done or still to happen, not cancelled (see `definitions`)."""
        return milestone_in_plan(self.status, self.actual_date)


@dataclass(frozen=True)
class InvestmentSnap:
    """A cost line: requested, approved, forecast and actual amounts in pounds, each None when unknown."""

    id: int
    title: str
    requested: Decimal | None = None
    approved: Decimal | None = None
    forecast: Decimal | None = None
    actual: Decimal | None = None
    category: InvestmentCategory = "technology"

    def __post_init__(self) -> None:
        """Only the three categories the design names."""
        _check(self.category, INVESTMENT_CATEGORIES, "Investment category")


@dataclass(frozen=True)
class BenefitSnap:
    """A benefit with its planned trajectory and measured values (both lists of (date, value))."""

    id: int
    title: str
    type: BenefitType
    owner: str | None
    direction: Direction = "higher"
    unit: str = ""
    baseline_value: Decimal | None = None
    trajectory: tuple[DatedValue, ...] = ()
    measurements: tuple[DatedValue, ...] = ()
    is_adoption_measure: bool = False
    still_measured: bool = True
    """False once realised or written off: such a benefit leaves the benefits rules."""

    def __post_init__(self) -> None:
        """Only known types and directions."""
        _check(self.type, BENEFIT_TYPES, "Benefit type")
        _check(self.direction, DIRECTIONS, "Benefit direction")


@dataclass(frozen=True)
class RegisterSnap:
    """A risk or issue register entry; score is likelihood times impact (each 1 to 5)."""

    id: int
    title: str
    kind: RegisterKind
    likelihood: int
    impact: int
    owner: str | None = None
    mitigation: str | None = None
    open: bool = True

    def __post_init__(self) -> None:
        """Scores only mean something on the 5 by 5 grid."""
        _check(self.kind, REGISTER_KINDS, "Register entry kind")
        for name, value in (("likelihood", self.likelihood), ("impact", self.impact)):
            if not 1 <= value <= 5:
                raise ValueError(f"Register entry {name} must be 1 to 5, not {value}")

    @property
    def score(self) -> int:
        """The usual 5 by 5 risk score."""
        return self.likelihood * self.impact


@dataclass(frozen=True)
class ActionSnap:
    """An action in the programme's register: who owns it, when it is due (None: not known), and
    whether it is still open."""

    id: int
    title: str
    owner: str | None = None
    due_date: date | None = None
    open: bool = True


@dataclass(frozen=True)
class Sharer:
    """Another programme landing work on the same service team in the same month."""

    code: str
    name: str


@dataclass(frozen=True)
class TeamLoadSnap:
    """A service team's load in a month this programme lands change in: the change days every committed
    programme lands (`load`), the team's capacity (None: not set), this programme's `share`, and the
    other programmes landing there."""

    team_id: int
    team: str
    month: date
    load: Decimal
    capacity: Decimal | None
    share: Decimal
    others: tuple[Sharer, ...] = ()
    milestone_ids: tuple[int, ...] = ()
    """This programme's milestones landing there, so a flag can point at one."""


@dataclass(frozen=True)
class DependencySnap:
    """One of the programme's milestones waiting for a milestone of another programme: the predecessor as
    it stands (its programme named by code and name) and the date it is needed by."""

    id: int
    milestone_id: int
    """The waiting milestone, one of the programme's own."""
    milestone_title: str
    needed_by: date
    predecessor_code: str
    predecessor_name: str
    predecessor: MilestoneSnap

    @property
    def expected_date(self) -> date | None:
        """The predecessor's actual date, else its forecast, else its baseline (see `domain.dependencies`)."""
        milestone = self.predecessor
        return milestone.actual_date or milestone.forecast_date or milestone.baseline_date


@dataclass(frozen=True)
class ProgrammeSnapshot:
    """One programme and everything the rules need about it."""

    id: int
    code: str
    name: str
    stage: Stage
    paused: bool = False
    confidence: Confidence | None = None
    """Delivery confidence as last assessed (five-point), if any."""
    last_update_on: date | None = None
    """Date of the latest submitted status update, if any."""
    milestones: tuple[MilestoneSnap, ...] = ()
    investments: tuple[InvestmentSnap, ...] = ()
    benefits: tuple[BenefitSnap, ...] = ()
    register: tuple[RegisterSnap, ...] = ()
    actions: tuple[ActionSnap, ...] = ()
    rebaseline_dates: tuple[date, ...] = ()
    """Dates on which re-baselines were approved."""
    start_date: date | None = None
    baseline_end_date: date | None = None
    forecast_end_date: date | None = None
    whole_life_baseline: Decimal | None = None
    """The whole-life cost baseline approved now."""
    whole_life_forecast: Decimal | None = None
    """The current whole-life cost forecast."""
    first_whole_life_baseline: Decimal | None = None
    """The first whole-life cost baseline on record (earliest return, else the current baseline)."""
    previous_return_end_date: date | None = None
    """The end date in the return before the one now in force (see rules_returns.previous_return_end)."""
    planned_gate_date: date | None = None
    """When the gate that ends the programme's current stage is planned, if it is."""
    team_loads: tuple[TeamLoadSnap, ...] = ()
    """The team-months this programme lands change in over the next 12 months, with every programme's load."""
    dependencies: tuple[DependencySnap, ...] = ()
    """What the programme's milestones wait for in other programmes."""

    def __post_init__(self) -> None:
        """Only known stages and confidence values."""
        _check(self.stage, STAGES, "Programme stage")
        if self.confidence is not None:
            _check(self.confidence, CONFIDENCES, "Programme confidence")
