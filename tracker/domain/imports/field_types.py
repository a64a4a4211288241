"""What a field of an import is: the kind of sheet it belongs to, how its cells are read, its names."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class SheetKind(StrEnum):
    PROGRAMMES = "programmes"
    MILESTONES = "milestones"
    INVESTMENTS = "investments"
    RISKS = "risks"
    ISSUES = "issues"
    ACTIONS = "actions"
    DECISIONS = "decisions"
    LESSONS = "lessons"
    CHANGE_REQUESTS = "change_requests"
    GATES = "gates"
    DEPENDENCIES = "dependencies"


CHILD_KINDS = (
    SheetKind.MILESTONES,
    SheetKind.INVESTMENTS,
    SheetKind.RISKS,
    SheetKind.ISSUES,
    SheetKind.ACTIONS,
    SheetKind.DECISIONS,
    SheetKind.LESSONS,
    SheetKind.CHANGE_REQUESTS,
    SheetKind.GATES,
    SheetKind.DEPENDENCIES,
)
"""Sheets whose rows each name their programme by code."""


class Kind(StrEnum):
    TEXT = "text"
    MONEY = "money"
    DATE = "date"
    CONFIDENCE = "confidence"
    CHOICE = "choice"
    FLAG = "flag"
    YEAR = "year"


@dataclass(frozen=True)
class Field:
    """A tracker field: its key, its label on screen, how to read it, and the headers that name it."""

    key: str
    label: str
    kind: Kind = Kind.TEXT
    synonyms: tuple[str, ...] = ()
    max_length: int = 0
    choices: dict[str, str] = field(default_factory=dict)
