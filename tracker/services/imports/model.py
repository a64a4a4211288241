"""The values an import passes between its steps: the sheets and mapping, the plan, the report."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from tracker.domain.imports.fields import SheetKind
from tracker.domain.imports.guessing import guess_columns
from tracker.domain.imports.rows import Problem
from tracker.domain.imports.tables import Sheet
from tracker.domain.imports.values import Unit
from tracker.models import ChangeKind, ConfidenceSource, Programme
from tracker.services.errors import Invalid

Progress = Callable[[int, int], None]
REGISTER_KINDS = (
    SheetKind.RISKS,
    SheetKind.ISSUES,
    SheetKind.ACTIONS,
    SheetKind.DECISIONS,
    SheetKind.LESSONS,
)
HISTORY_KINDS = (SheetKind.CHANGE_REQUESTS, SheetKind.GATES)
"""Decisions taken before the tracker, recorded as they were: they move nothing."""
DEPENDENCY_KINDS = (SheetKind.DEPENDENCIES,)
"""Milestones waiting for other programmes' milestones (see `imports.dependencies`)."""
RECORD_KINDS = REGISTER_KINDS + HISTORY_KINDS + DEPENDENCY_KINDS
REGISTER_COUNTS = {
    "risks": "risks and issues",
    "actions": "actions",
    "decisions": "decisions",
    "lessons": "lessons",
    "change_requests": "change requests",
    "gates": "gate decisions",
    "dependencies": "dependencies",
}
"""Each record's counts in the report (the Risks and Issues sheets count together), and its name."""
History = tuple[ChangeKind, str | None, str | None]
LINE_DEFAULTS = ("category",)
"""Import defaults that apply to new investment lines rather than new programmes."""
DEFAULTABLE = ("directorate", "focus", "stage", *LINE_DEFAULTS)
CODE_PREFIX = ""
"""No prefix given: each new code takes one from its directorate, else from the file's name."""


@dataclass(frozen=True)
class Sources:
    """The sheets to import: programmes, and optionally milestones, investment lines and registers
    (risks, issues, actions, decisions, lessons) by kind. A workbook of registers alone (a RAID log)
    has no programmes sheet: its rows name programmes already in the tracker."""

    programmes: Sheet | None
    milestones: Sheet | None = None
    investments: Sheet | None = None
    registers: dict[SheetKind, Sheet] = field(default_factory=dict)

    def sheets(self) -> dict[SheetKind, Sheet]:
        found = {SheetKind.PROGRAMMES: self.programmes, SheetKind.MILESTONES: self.milestones}
        found[SheetKind.INVESTMENTS] = self.investments
        found |= {kind: self.registers.get(kind) for kind in RECORD_KINDS}
        return {kind: sheet for kind, sheet in found.items() if sheet is not None}

    def headings(self) -> tuple[str, ...]:
        """The headings a saved mapping is found by: the programmes sheet's, else the first sheet's."""
        return next(iter(self.sheets().values())).headers


@dataclass(frozen=True)
class ImportMapping:
    """Per sheet kind: header -> field key; plus templates, value translations, defaults and the unit.

    A unit of None means the person did not say: each money column's header, else the size of its
    amounts, decides, and pounds when neither does.
    """

    columns: dict[SheetKind, dict[str, str]]
    unit: Unit | None = None
    templates: dict[SheetKind, dict[str, str]] = field(default_factory=dict)
    values: dict[SheetKind, dict[str, dict[str, str]]] = field(default_factory=dict)
    defaults: dict[str, str] = field(default_factory=dict)
    code_prefix: str = CODE_PREFIX
    same_programmes: dict[str, str] = field(default_factory=dict)
    """Near-matches a person confirmed: a name in the file -> the existing programme's code."""

    @classmethod
    def from_json(cls, data: Any) -> ImportMapping:
        """A mapping file's contents (see the README); Invalid names the first thing wrong."""
        if not isinstance(data, dict):
            raise Invalid("The mapping file must hold a JSON object")
        try:
            unit = Unit(str(data["unit"]).lower()) if data.get("unit") else None
        except ValueError:
            raise Invalid("The mapping's unit must be pounds, thousands, millions or billions") from None
        columns, templates, values = {}, {}, {}
        for kind in SheetKind:
            section = data.get(kind.value, {})
            if not isinstance(section, dict):
                raise Invalid(f"'{kind.value}' in the mapping file must be a JSON object")
            columns[kind] = _strings(section.get("columns", {}), f"{kind.value}.columns")
            templates[kind] = _strings(section.get("templates", {}), f"{kind.value}.templates")
            raw_values = section.get("values", {})
            if not isinstance(raw_values, dict):
                raise Invalid(f"'{kind.value}.values' in the mapping file must be a JSON object")
            values[kind] = {
                key: _strings(table, f"{kind.value}.values.{key}") for key, table in raw_values.items()
            }
        defaults = {k: v for k, v in _strings(data.get("defaults", {}), "defaults").items() if v.strip()}
        unknown = sorted(set(defaults) - set(DEFAULTABLE))
        if unknown:
            raise Invalid(
                f"The mapping file gives a default for '{unknown[0]}': defaults are for "
                + ", ".join(DEFAULTABLE)
            )
        prefix = str(data.get("code_prefix", CODE_PREFIX)).strip().upper()
        pairs = _strings(data.get("same_programmes", {}), "same_programmes")
        same = {" ".join(name.split()): code.strip().upper() for name, code in pairs.items() if code.strip()}
        return cls(columns, unit, templates, values, defaults, prefix, same)

    def with_guesses(self, sources: Sources) -> ImportMapping:
        """Guess every column and field the mapping does not name; what it names is used as given.

        A column mapped to "" is ignored on purpose and never guessed. With an investments sheet, the
        programmes sheet's totals are not guessed as its budget: the lines already hold that money (an
        exported workbook comes back in unchanged).
        """
        columns, templates = dict(self.columns), dict(self.templates)
        for kind, sheet in sources.sheets().items():
            given, given_templates = self.columns.get(kind, {}), self.templates.get(kind, {})
            guess = guess_columns(sheet.headers, kind, (cells for _, cells in sheet.rows))
            guessed, fixed = guess.columns, guess.templates
            if kind is SheetKind.PROGRAMMES and sources.investments is not None:
                guessed = {h: key for h, key in guessed.items() if not key.startswith("budget_")}
                fixed = {}
            named = {header.strip().lower() for header in given}
            taken = {key for key in given.values() if key} | set(given_templates)
            merged = dict(given)
            merged |= {
                h: key for h, key in guessed.items() if h.strip().lower() not in named and key not in taken
            }
            columns[kind] = merged
            kept = {key: text for key, text in fixed.items() if key not in set(merged.values())}
            if kept or given_templates:
                templates[kind] = kept | dict(given_templates)
        return replace(self, columns=columns, templates=templates)

    def near_accepted(self) -> frozenset[str]:
        """The existing programmes' codes whose near-matches the mapping confirms, for `ReturnOptions`."""
        return frozenset(self.same_programmes.values())

    def but(self, **changes: Any) -> ImportMapping:
        """A copy with some parts replaced (the CLI's options over a mapping file, the wizard's answers)."""
        return replace(self, **changes)


def _strings(value: Any, where: str) -> dict[str, str]:
    if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
        raise Invalid(f"'{where}' in the mapping file must map names to text")
    return {str(k): v for k, v in value.items()}


@dataclass(frozen=True)
class ReturnOptions:
    """What a file may not say about the return it carries: its date and who assessed the confidence.

    `as_at` None: 31 March of the year a row says the return was published, else the import day.
    `confidence_source` None: read from the confidence column's header (a DCA is an assurance review).
    `match_near` takes every near-match of a name as the same programme; `near_accepted` only those
    whose existing programme codes the person confirmed. Otherwise a near-match is listed and imported new.
    """

    as_at: date | None = None
    confidence_source: ConfidenceSource | None = None
    match_near: bool = False
    near_accepted: frozenset[str] = frozenset()


@dataclass(frozen=True)
class NearMatch:
    """A row whose name is close to an existing programme's but not the same: for a person to confirm."""

    sheet: str
    row: int
    name: str
    code: str
    existing_name: str
    accepted: bool = False

    def describe(self) -> str:
        verb = "matched to" if self.accepted else "imported as new, not"
        return f"{self.sheet} row {self.row}: '{self.name}' {verb} {self.code} '{self.existing_name}'"


@dataclass
class Report:
    """What an import did, or would do: counts, and every problem with its row and column."""

    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    milestones_created: int = 0
    milestones_updated: int = 0
    investments_created: int = 0
    investments_updated: int = 0
    risks_created: int = 0
    risks_updated: int = 0
    actions_created: int = 0
    actions_updated: int = 0
    decisions_created: int = 0
    decisions_updated: int = 0
    lessons_created: int = 0
    lessons_updated: int = 0
    change_requests_created: int = 0
    change_requests_updated: int = 0
    gates_created: int = 0
    gates_updated: int = 0
    dependencies_created: int = 0
    dependencies_updated: int = 0
    has_programmes: bool = True
    """False for a file of registers alone, whose rows name programmes already in the tracker."""
    registers: list[str] = field(default_factory=list)
    """The registers the file has a sheet for (keys of `REGISTER_COUNTS`), to show their counts."""
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    footnotes: dict[str, tuple[int, ...]] = field(default_factory=dict)
    committed: bool = False
    needs: list[str] = field(default_factory=list)
    """Fields every new programme needs and the file has no column for: a default to ask once."""
    programme_codes: list[str] = field(default_factory=list)
    near_matches: list[NearMatch] = field(default_factory=list)

    def register_counts(self) -> list[tuple[str, int, int]]:
        """(name, new, updated) for each register the file has a sheet for, or that changed."""
        return [
            (name, getattr(self, f"{key}_created"), getattr(self, f"{key}_updated"))
            for key, name in REGISTER_COUNTS.items()
            if key in self.registers or getattr(self, f"{key}_created") or getattr(self, f"{key}_updated")
        ]

    @property
    def rejected_rows(self) -> int:
        return len({(p.sheet, p.row) for p in self.problems if p.row})

    def summary(self) -> str:
        """One line for the CLI and the flash message."""
        verb = "Imported" if self.committed else "Would import" if not self.problems else "Checked"
        parts = [f"{self.created} new", f"{self.updated} updated", f"{self.unchanged} unchanged programmes"]
        text = (
            f"{verb} {self.rows} rows: " + ", ".join(parts)
            if self.has_programmes
            else f"{verb} {self.rows} rows"
        )
        if self.milestones_created or self.milestones_updated:
            text += f"; milestones {self.milestones_created} new, {self.milestones_updated} updated"
        if self.investments_created or self.investments_updated:
            text += f"; investment lines {self.investments_created} new, {self.investments_updated} updated"
        for name, created, updated in self.register_counts():
            if created or updated:
                text += f"; {name} {created} new, {updated} updated"
        if self.needs:
            text += f"; new programmes need a {' and a '.join(self.needs)}"
        if self.problems:
            text += f"; {self.rejected_rows} rows rejected"
        if self.problems or self.needs:
            text += ", nothing written"
        return text + "."


@dataclass
class ChildOp:
    """A milestone, investment line or register record to create (target None) or update, with its
    history entries. `kind` is the table's name in the report (`milestones`, `risks`, `lessons`...)."""

    kind: str
    row: int
    programme_code: str
    target: Any
    values: dict[str, Any]
    changes: dict[str, tuple[Any, Any]] = field(default_factory=dict)
    history: list[History] = field(default_factory=list)
    programme_id: int | None = None
    """The programme's id when it is already in the tracker (None while it is new in this file)."""


@dataclass
class ProgrammeOp:
    row: int
    code: str
    target: Programme | None
    values: dict[str, Any]
    changes: dict[str, tuple[Any, Any]] = field(default_factory=dict)
    figures: dict[str, Any] = field(default_factory=dict)
    """What the row reports as at the import's date, kept as the programme's return for that date."""
    older: bool = False
    """The row is a return older than the programme's newest: it adds history and changes nothing."""


@dataclass
class Plan:
    report: Report
    programmes: list[ProgrammeOp] = field(default_factory=list)
    children: list[ChildOp] = field(default_factory=list)
    total: int = 0
