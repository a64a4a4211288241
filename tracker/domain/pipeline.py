"""The prioritised pipeline, as pure functions: programmes scored on the council's weighted criteria and
ranked, their cost next year set against the budget envelope, and the teams a scenario pushes over
capacity.

Every criterion is scored 0 to 5 where 5 is always best for the council (for risk, 5 is the lowest risk;
for cost, 5 the cheapest), so a higher weighted score is always better. A criterion not scored is unknown,
never 0: a programme missing any score is ranked after every fully scored one, and says which are missing.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from tracker.domain.capacity import TeamMonth

MIN_SCORE, MAX_SCORE = 0, 5
MIN_WEIGHT, MAX_WEIGHT = 0, 10


@dataclass(frozen=True)
class Criterion:
    key: str
    label: str
    best: str  # what a 5 means, so the page says which way round each score goes


CRITERIA: tuple[Criterion, ...] = (
    Criterion("strategic_fit", "Strategic fit", "5 fits the council's strategy best"),
    Criterion("cashable_savings", "Cashable savings", "5 saves the most money"),
    Criterion("service_improvement", "Service improvement", "5 improves services most"),
    Criterion("statutory_duty", "Statutory duty", "5 is most needed to meet a statutory duty"),
    Criterion("risk", "Risk", "5 is the lowest risk"),
    Criterion("cost", "Cost", "5 is the cheapest"),
)
CRITERION_KEYS: tuple[str, ...] = tuple(criterion.key for criterion in CRITERIA)
CRITERION_LABELS: dict[str, str] = {criterion.key: criterion.label for criterion in CRITERIA}

DEFAULT_WEIGHTS: dict[str, int] = {
    "strategic_fit": 8,
    "cashable_savings": 6,
    "service_improvement": 6,
    "statutory_duty": 10,
    "risk": 4,
    "cost": 4,
}


@dataclass(frozen=True)
class Candidate:
    """A pipeline programme as the ranking needs it: its scores (criteria not scored are absent)."""

    programme_id: int
    code: str
    scores: Mapping[str, int]


@dataclass(frozen=True)
class Ranked:
    rank: int
    candidate: Candidate
    score: Decimal | None  # to one decimal place out of 5; None: missing scores or all weights zero
    missing: tuple[str, ...]  # labels of the criteria not scored, in the order of CRITERIA

    @property
    def complete(self) -> bool:
        return not self.missing


def missing_criteria(scores: Mapping[str, int]) -> tuple[str, ...]:
    return tuple(criterion.label for criterion in CRITERIA if criterion.key not in scores)


def weighted_total(scores: Mapping[str, int], weights: Mapping[str, int]) -> int | None:
    """sum(weight x score): the weighted score's numerator, whose denominator (the sum of the weights) is
    the same for every programme, so ranking by it is exact. None when a criterion is not scored."""
    if any(key not in scores for key in CRITERION_KEYS):
        return None
    return sum(weights.get(key, 0) * scores[key] for key in CRITERION_KEYS)


def weighted_score(scores: Mapping[str, int], weights: Mapping[str, int]) -> Decimal | None:
    """sum(weight x score) / sum(weights), to one decimal place out of 5 (halves up); None when a criterion
    is not scored or every weight is zero (no ranking can be worked out from nothing)."""
    total = sum(weights.get(key, 0) for key in CRITERION_KEYS)
    value = weighted_total(scores, weights)
    if value is None or total == 0:
        return None
    return _one_place(value, total)


def _one_place(value: int, total: int) -> Decimal:
    return (Decimal(value) / Decimal(total)).quantize(Decimal("0.1"), ROUND_HALF_UP)


def rank(candidates: Iterable[Candidate], weights: Mapping[str, int]) -> list[Ranked]:
    """Highest weighted score first (ties by code, so the order is stable); then, by code, the programmes
    whose score cannot be worked out. Ranks are positions: 1, 2, 3..."""
    total = sum(weights.get(key, 0) for key in CRITERION_KEYS)
    scored: list[tuple[int, Candidate]] = []
    unscored: list[Candidate] = []
    for candidate in candidates:
        value = weighted_total(candidate.scores, weights) if total else None
        if value is None:
            unscored.append(candidate)
        else:
            scored.append((value, candidate))
    scored.sort(key=lambda pair: (-pair[0], pair[1].code, pair[1].programme_id))
    unscored.sort(key=lambda candidate: (candidate.code, candidate.programme_id))
    ranked = [
        Ranked(position, candidate, _one_place(value, total), ())
        for position, (value, candidate) in enumerate(scored, start=1)
    ]
    return ranked + [
        Ranked(position, candidate, None, missing_criteria(candidate.scores))
        for position, candidate in enumerate(unscored, start=len(ranked) + 1)
    ]


@dataclass(frozen=True)
class Money:
    """The money a scenario leaves in next year's envelope; unknown parts are counted, never read as £0."""

    envelope: Decimal | None
    committed: Decimal  # the known costs of committed programmes
    committed_unknown: int  # committed programmes whose cost next year is not known
    committed_count: int
    chosen: Decimal  # the known costs of the ticked programmes
    chosen_unknown: int  # ticked programmes whose cost next year is not known
    chosen_count: int

    @property
    def left(self) -> Decimal | None:
        """None when the envelope is not set: the money left cannot be worked out."""
        if self.envelope is None:
            return None
        return self.envelope - self.committed - self.chosen

    @property
    def over(self) -> bool:
        return self.left is not None and self.left < 0


def scenario_money(
    envelope: Decimal | None,
    committed: Decimal,
    chosen_costs: Sequence[Decimal | None],
    *,
    committed_count: int,
    committed_unknown: int,
) -> Money:
    """The committed programmes come summed (there are thousands); the ticked ones are summed here, what
    is known of them, with those not known counted."""
    return Money(
        envelope=envelope,
        committed=committed,
        committed_unknown=committed_unknown,
        committed_count=committed_count,
        chosen=sum((cost for cost in chosen_costs if cost is not None), Decimal("0.00")),
        chosen_unknown=sum(1 for cost in chosen_costs if cost is None),
        chosen_count=len(chosen_costs),
    )


@dataclass(frozen=True)
class Overload:
    """A team over capacity in a month with the scenario; `pushed` when the scenario itself put it over."""

    team_id: int
    month: date
    capacity: Decimal
    load_without: Decimal
    load_with: Decimal
    pushed: bool


def overloads(
    without: Mapping[tuple[int, date], TeamMonth], with_scenario: Mapping[tuple[int, date], TeamMonth]
) -> list[Overload]:
    """The team months over capacity with the scenario, by month then team id."""
    result = []
    for key, cell in with_scenario.items():
        if not cell.over or cell.capacity is None:
            continue
        before = without.get(key)
        load_without = before.load if before is not None else Decimal("0.0")
        pushed = before is None or not before.over
        result.append(Overload(cell.team_id, cell.month, cell.capacity, load_without, cell.load, pushed))
    result.sort(key=lambda overload: (overload.month, overload.team_id))
    return result


def check_score(value: int) -> bool:
    return MIN_SCORE <= value <= MAX_SCORE


def check_weight(value: int) -> bool:
    return MIN_WEIGHT <= value <= MAX_WEIGHT
