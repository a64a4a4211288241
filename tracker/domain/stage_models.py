"""Stage models: the stages a council's programmes pass through and the gate at the end of each.

A stage model is the council's own ladder (the Green Book's business cases, GDS's phases, or a simple
one); each of its stages counts as one of the tracker's five lifecycle stages, which the rules, the
filters and the returns read. Leaving a stage takes a gate decision: a checklist the programme answers
and a role that approves. The last gate is the closure gate, whose own checks (benefits handed over,
lessons recorded) are made from the records, not ticked. Pure values: the council's edits are applied
by `with_edits`, and stored by the settings service.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date

from tracker.domain.vocabulary import Role, Stage

APPROVER_ROLES = (Role.CIO, Role.BOARD, Role.ADMIN)
"""Who may be named as a gate's approver; an admin may always decide."""
CHECKLIST_LIMIT = 12
ITEM_LIMIT = 200
CLOSURE = "closure"


@dataclass(frozen=True)
class StageSpec:
    key: str
    name: str
    lifecycle: Stage


@dataclass(frozen=True)
class Gate:
    """The decision that ends a stage: what it is called, what it asks, who approves it."""

    key: str
    name: str
    checklist: tuple[str, ...]
    approver: Role = Role.CIO


@dataclass(frozen=True)
class StageModel:
    """Stages in order; `gates[i]` leads from `stages[i]` to `stages[i + 1]`."""

    key: str
    name: str
    description: str
    stages: tuple[StageSpec, ...]
    gates: tuple[Gate, ...]

    def __post_init__(self) -> None:
        if len(self.gates) != len(self.stages) - 1:
            raise ValueError("A stage model has one gate between each pair of stages")
        if self.stages[-1].lifecycle is not Stage.CLOSED or self.gates[-1].key != CLOSURE:
            raise ValueError("A stage model ends with the closure gate into Closed")

    def stage(self, key: str | None, lifecycle: Stage) -> int:
        """Where a programme stands: its own stage key if this model has it, else the first stage that
        counts as its lifecycle stage (a programme created or imported before the model was chosen)."""
        for index, spec in enumerate(self.stages):
            if spec.key == key and spec.lifecycle is lifecycle:
                return index
        for index, spec in enumerate(self.stages):
            if spec.lifecycle is lifecycle:
                return index
        return 0

    def gate_after(self, index: int) -> Gate | None:
        return self.gates[index] if index < len(self.gates) else None

    def gate(self, key: str) -> Gate | None:
        return next((gate for gate in self.gates if gate.key == key), None)


CLOSING_STAGES = (
    StageSpec("closing", "Closing", Stage.CLOSING),
    StageSpec("closed", "Closed", Stage.CLOSED),
)
CLOSURE_GATE = Gate(
    CLOSURE,
    "Closure",
    (
        "Deliverables accepted by the service",
        "Outstanding risks, issues and actions handed to named owners",
        "Contracts and budgets closed or handed over",
    ),
)
"""Beside its checklist, the closure gate checks the records: see `closure_problems`."""

SIMPLE = StageModel(
    "simple",
    "Simple",
    "Idea, business case, delivery and closure: for councils without a formal method.",
    (
        StageSpec("idea", "Idea", Stage.IDEA),
        StageSpec("business_case", "Business case", Stage.BUSINESS_CASE),
        StageSpec("delivery", "Delivery", Stage.DELIVERY),
        *CLOSING_STAGES,
    ),
    (
        Gate("idea", "Idea approved", ("Problem and outcome described", "Sponsor (SRO) named")),
        Gate(
            "business_case",
            "Business case approved",
            ("Options appraised", "Costs and funding agreed", "Benefits with owners and measures"),
        ),
        Gate("delivery", "Ready to close", ("Milestones delivered or cancelled", "Service ready to run it")),
        CLOSURE_GATE,
    ),
)

GREEN_BOOK = StageModel(
    "green_book",
    "Green Book business cases",
    "HM Treasury's three business cases: strategic outline, outline and full, then delivery and closure.",
    (
        StageSpec("strategic_outline_case", "Strategic outline case", Stage.IDEA),
        StageSpec("outline_business_case", "Outline business case", Stage.BUSINESS_CASE),
        StageSpec("full_business_case", "Full business case", Stage.BUSINESS_CASE),
        StageSpec("delivery", "Delivery", Stage.DELIVERY),
        *CLOSING_STAGES,
    ),
    (
        Gate(
            "strategic_outline_case",
            "Strategic outline case",
            ("Case for change and spending objectives", "Long list of options", "Preferred way forward"),
        ),
        Gate(
            "outline_business_case",
            "Outline business case",
            (
                "Short list appraised and preferred option chosen",
                "Affordability and funding",
                "Commercial approach",
                "Benefits realisation plan with owners",
            ),
        ),
        Gate(
            "full_business_case",
            "Full business case",
            ("Supplier and contract chosen", "Final costs and funding agreed", "Delivery plan and team"),
        ),
        Gate("delivery", "Ready to close", ("Milestones delivered or cancelled", "Service ready to run it")),
        CLOSURE_GATE,
    ),
)

GDS = StageModel(
    "gds",
    "GDS service phases",
    "The Service Manual's discovery, alpha, beta and live, then closure of the programme.",
    (
        StageSpec("discovery", "Discovery", Stage.IDEA),
        StageSpec("alpha", "Alpha", Stage.BUSINESS_CASE),
        StageSpec("beta", "Beta", Stage.DELIVERY),
        StageSpec("live", "Live", Stage.DELIVERY),
        *CLOSING_STAGES,
    ),
    (
        Gate("discovery", "End of discovery", ("User needs understood", "Constraints and policy known")),
        Gate(
            "alpha",
            "Alpha assessment",
            ("Riskiest assumptions tested with prototypes", "Service standard assessment passed"),
        ),
        Gate(
            "beta",
            "Beta assessment (go live)",
            ("Service standard assessment passed", "Performance data collected", "Support model agreed"),
        ),
        Gate("live", "Ready to close", ("Service run by its team", "Continuous improvement funded")),
        CLOSURE_GATE,
    ),
)

MODELS: dict[str, StageModel] = {model.key: model for model in (SIMPLE, GREEN_BOOK, GDS)}
DEFAULT_MODEL = SIMPLE.key


class StageModelError(ValueError):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


def with_edits(key: str, edits: Mapping[str, Mapping[str, object]]) -> StageModel:
    """The shipped model `key` with the council's checklists and approvers; unknown keys are ignored,
    so a stored edit of a gate a later release renames cannot break the page."""
    model = MODELS.get(key, MODELS[DEFAULT_MODEL])
    gates = []
    for gate in model.gates:
        edit = edits.get(gate.key) or {}
        checklist = edit.get("checklist")
        approver = edit.get("approver")
        gates.append(
            replace(
                gate,
                checklist=tuple(str(item) for item in checklist)
                if isinstance(checklist, list)
                else gate.checklist,
                approver=Role(approver)
                if approver in {role.value for role in APPROVER_ROLES}
                else gate.approver,
            )
        )
    return replace(model, gates=tuple(gates))


def checklist_problems(field: str, lines: Sequence[str]) -> list[StageModelError]:
    """A gate's checklist as typed, one item a line: at least one, at most CHECKLIST_LIMIT, each short."""
    items = [line.strip() for line in lines if line.strip()]
    problems = []
    if not items:
        problems.append(StageModelError(field, "Enter at least one checklist item, one a line"))
    if len(items) > CHECKLIST_LIMIT:
        problems.append(StageModelError(field, f"Enter at most {CHECKLIST_LIMIT} checklist items"))
    if any(len(item) > ITEM_LIMIT for item in items):
        problems.append(
            StageModelError(field, f"Each checklist item must be {ITEM_LIMIT} characters or fewer")
        )
    return problems


@dataclass(frozen=True)
class BenefitHandover:
    """What the closure gate needs of a benefit: its title, owner, handover date and whether written off."""

    title: str
    owner: str
    handed_over_on: date | None
    written_off: bool


def closure_problems(benefits: Sequence[BenefitHandover], lessons: int) -> list[str]:
    """Why the closure gate cannot be asked for yet: each benefit still to be realised handed to a named
    owner in the service, and at least one lesson recorded. Empty when it can."""
    problems = []
    for benefit in benefits:
        if benefit.written_off:
            continue
        if not benefit.owner.strip():
            problems.append(f"Name the owner in the service of the benefit “{benefit.title}”")
        elif benefit.handed_over_on is None:
            problems.append(f"Record when the benefit “{benefit.title}” was handed to {benefit.owner}")
    if lessons < 1:
        problems.append("Record at least one lesson learned")
    return problems
