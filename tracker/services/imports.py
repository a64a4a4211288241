"""Import programmes (with milestones and investment lines) from a spreadsheet, all or nothing.

One path for the wizard and the CLI: read the file, map its columns, check every row against the
database, then write everything in one transaction with an audit event per change, or nothing.
Matching: by programme code, else by name (case and outer spaces ignored); re-importing a file
updates what it created. Blank cells leave the tracker's value as it is.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from tracker.domain.imports.fields import CATALOGUE, SheetKind
from tracker.domain.imports.guessing import guess_columns, is_known_header, sheet_kind_for
from tracker.domain.imports.limits import WEB, ReadLimits
from tracker.domain.imports.rows import Problem
from tracker.domain.imports.tables import Sheet, UnreadableFile, Workbook, column_letter, read_workbook
from tracker.domain.imports.units import UnitChoice
from tracker.domain.imports.values import Unit
from tracker.extensions import db
from tracker.models import ConfidenceSource, User
from tracker.policy import Action, can
from tracker.services.errors import Invalid
from tracker.services.import_children import LINE_DEFAULTS

Progress = Callable[[int, int], None]
DEFAULTABLE = ("directorate", "focus", "stage", *LINE_DEFAULTS)
CODE_PREFIX = ""
"""No prefix given: each new code takes one from its directorate, else from the file's name."""


@dataclass(frozen=True)
class Sources:
    """The sheets to import: programmes, and optionally milestones and investment lines."""

    programmes: Sheet
    milestones: Sheet | None = None
    investments: Sheet | None = None

    def sheets(self) -> dict[SheetKind, Sheet]:
        found = {SheetKind.PROGRAMMES: self.programmes, SheetKind.MILESTONES: self.milestones}
        found[SheetKind.INVESTMENTS] = self.investments
        return {kind: sheet for kind, sheet in found.items() if sheet is not None}


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
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    footnotes: dict[str, tuple[int, ...]] = field(default_factory=dict)
    committed: bool = False
    needs: list[str] = field(default_factory=list)
    """Fields every new programme needs and the file has no column for: a default to ask once."""
    programme_codes: list[str] = field(default_factory=list)
    near_matches: list[NearMatch] = field(default_factory=list)

    @property
    def rejected_rows(self) -> int:
        return len({(p.sheet, p.row) for p in self.problems if p.row})

    def summary(self) -> str:
        """One line for the CLI and the flash message."""
        verb = "Imported" if self.committed else "Would import" if not self.problems else "Checked"
        parts = [f"{self.created} new", f"{self.updated} updated", f"{self.unchanged} unchanged programmes"]
        text = f"{verb} {self.rows} rows: " + ", ".join(parts)
        if self.milestones_created or self.milestones_updated:
            text += f"; milestones {self.milestones_created} new, {self.milestones_updated} updated"
        if self.investments_created or self.investments_updated:
            text += f"; investment lines {self.investments_created} new, {self.investments_updated} updated"
        if self.needs:
            text += f"; new programmes need a {' and a '.join(self.needs)}"
        if self.problems:
            text += f"; {self.rejected_rows} rows rejected"
        if self.problems or self.needs:
            text += ", nothing written"
        return text + "."


def read_file(data: bytes, filename: str, *, limits: ReadLimits = WEB) -> Workbook:
    """The file's tables; Invalid in plain words when it is empty, damaged, not a spreadsheet or past a cap.

    The web's caps by default; the command line passes `limits.CLI`, which has no row or time limit.
    """
    try:
        return read_workbook(data, filename, is_known_header, limits)
    except UnreadableFile as error:
        raise Invalid(str(error), field="file") from None


def pick_sources(
    book: Workbook, *, milestones: Workbook | None = None, investments: Workbook | None = None
) -> Sources:
    """The programmes sheet (by name, else the first), and milestones or investments by sheet name or file."""
    kinds = {sheet.name: sheet_kind_for(sheet.name) for sheet in book.sheets}
    found = {kind: next((s for s in book.sheets if kinds[s.name] is kind), None) for kind in SheetKind}
    unnamed = next((s for s in book.sheets if kinds[s.name] is None), book.sheets[0])
    programmes = found[SheetKind.PROGRAMMES] or unnamed
    return Sources(
        programmes,
        milestones.sheets[0] if milestones else found[SheetKind.MILESTONES],
        investments.sheets[0] if investments else found[SheetKind.INVESTMENTS],
    )


def field_choices(kind: SheetKind) -> list[tuple[str, str]]:
    """(key, label) of every field a column of this kind of sheet can fill, for the mapping page."""
    return [(f.key, f.label) for f in CATALOGUE[kind]]


def run_import(
    sources: Sources,
    mapping: ImportMapping,
    *,
    user: User | None,
    source_name: str,
    dry_run: bool,
    progress: Progress | None = None,
    options: ReturnOptions | None = None,
) -> Report:
    """Check every row; unless this is a dry run or a row is rejected, write it all in one transaction.

    `user` None means the system (the CLI without --as): allowed everything, recorded as nobody.
    """
    from tracker.services.import_apply import apply_plan
    from tracker.services.import_plan import plan_import

    if user is not None and not can(user, Action.IMPORT_PROGRAMMES):
        raise Invalid("You do not have permission to import programmes")
    if not sources.programmes.rows:
        raise Invalid("The programmes sheet has headings but no rows: is it the right file?", field="file")
    plan = plan_import(sources, mapping, user=user, progress=progress, options=options)
    report = plan.report
    if report.problems or report.needs or dry_run:
        db.session.rollback()
        return report
    try:
        apply_plan(plan, user=user, source_name=source_name, progress=progress)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    report.committed = True
    return report


def mapping_errors(sources: Sources, mapping: ImportMapping) -> list[str]:
    """Problems with the mapping itself (unknown columns, a field chosen twice, no name or code)."""
    from tracker.services.import_context import compile_all

    return compile_all(sources, mapping)[1]


def unit_choices(sources: Sources, mapping: ImportMapping) -> dict[SheetKind, dict[str, UnitChoice]]:
    """Per sheet, the money fields whose unit a header said or the amounts suggested, to show the person."""
    from tracker.services.import_context import compile_all

    return {kind: sheet.units for kind, sheet in compile_all(sources, mapping)[0].items() if sheet.units}


def as_plain(mapping: Mapping[SheetKind, Mapping[str, str]]) -> dict[str, dict[str, str]]:
    """A mapping's columns as plain JSON (for the wizard's session and for saving as a file)."""
    return {kind.value: dict(columns) for kind, columns in mapping.items()}


def describe(problem: Problem) -> str:
    """A problem as one line: `Milestones row 7, Baseline date (D): ...`, or `... column C, row 9 (...)`."""
    where = problem.sheet
    if problem.row:
        where += f" column {column_letter(problem.row - 1)}" if problem.transposed else f" row {problem.row}"
    if problem.column:
        return f"{where}, {problem.column}: {problem.message}"
    return f"{where}: {problem.message}"
