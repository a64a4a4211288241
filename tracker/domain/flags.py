"""Flags: what a risk rule found about a programme, how serious it is, and what it points at."""

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Literal, get_args

SubjectKind = Literal["milestone", "investment", "benefit", "register_entry", "action", "programme"]
SUBJECT_KINDS: tuple[str, ...] = get_args(SubjectKind)

EvidenceValue = str | int | bool | None
Evidence = dict[str, EvidenceValue]
"""JSON-ready facts behind a flag: money and percentages as decimal strings, dates as ISO strings."""

MAX_WEIGHT = 9


class Severity(StrEnum):
    """How serious a flag is; the values are what gets stored."""

    AMBER = "amber"
    RED = "red"


@dataclass(frozen=True)
class Subject:
    """The record a flag is about, so the programme page can link straight to it."""

    kind: SubjectKind
    id: int

    def __post_init__(self) -> None:
        """Catch a mistyped kind where the flag is made, not where a link breaks."""
        if self.kind not in SUBJECT_KINDS:
            raise ValueError(f"Unknown subject kind: {self.kind!r}")


@dataclass(frozen=True)
class Flag:
    """One reason a programme is at risk, with a message a CIO can act on."""

    rule: str
    severity: Severity
    message: str
    evidence: Evidence = field(default_factory=dict, hash=False)
    subject: Subject | None = None
    weight: int = 0
    """Magnitude 0-9 (how far past the threshold), used only to order programmes with equal flag counts."""

    def __post_init__(self) -> None:
        """Keep weights in range so the score table in `rating` stays true."""
        if not 0 <= self.weight <= MAX_WEIGHT:
            raise ValueError(f"Flag weight must be 0 to {MAX_WEIGHT}, not {self.weight}")

    def as_dict(self) -> dict[str, object]:
        """Assessments are stored as JSON history; this is the shape that gets stored."""
        return {
            "rule": self.rule,
            "severity": self.severity.value,
            "message": self.message,
            "evidence": dict(self.evidence),
            "subject": None if self.subject is None else {"kind": self.subject.kind, "id": self.subject.id},
            "weight": self.weight,
        }

    @classmethod
    def from_dict(cls, data: dict[str, object]) -> "Flag":
        """Read a stored flag back, so history pages show the same flags the scan produced."""
        subject = data.get("subject")
        evidence = data.get("evidence") or {}
        weight = data.get("weight") or 0
        if not isinstance(evidence, dict) or not isinstance(weight, int):
            raise ValueError("Stored flag has malformed evidence or weight")
        return cls(
            rule=str(data["rule"]),
            severity=Severity(str(data["severity"])),
            message=str(data["message"]),
            evidence=dict(evidence),
            subject=Subject(subject["kind"], int(subject["id"])) if isinstance(subject, dict) else None,
            weight=weight,
        )


def weight_for(excess: float, step: float) -> int:
    """Turn 'how far past the threshold' into a 0-9 weight: one point per `step` beyond it."""
    if excess <= 0 or step <= 0:
        return 0
    return min(MAX_WEIGHT, int(excess // step))
