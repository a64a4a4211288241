"""Import programmes (with milestones and investment lines) from a spreadsheet, all or nothing.

One path for the wizard and the CLI: read the file, map its columns, check every row against the
database, then write everything in one transaction with an audit event per change, or nothing.
Matching: by programme code, else by name (case and outer spaces ignored); re-importing a file
updates what it created. Blank cells leave the tracker's value as it is.
"""

from __future__ import annotations

from collections.abc import Mapping

from tracker.domain.imports.fields import CATALOGUE, SheetKind
from tracker.domain.imports.guessing import is_known_header, sheet_kind_for
from tracker.domain.imports.limits import WEB, ReadLimits
from tracker.domain.imports.rows import Problem
from tracker.domain.imports.tables import UnreadableFile, Workbook, column_letter, read_workbook
from tracker.domain.imports.units import UnitChoice
from tracker.extensions import db
from tracker.models import User
from tracker.policy import Action, can
from tracker.services.errors import Invalid
from tracker.services.imports.apply import apply_plan
from tracker.services.imports.context import compile_all
from tracker.services.imports.model import (
    CODE_PREFIX,
    DEFAULTABLE,
    LINE_DEFAULTS,
    RECORD_KINDS,
    ChildOp,
    History,
    ImportMapping,
    NearMatch,
    Plan,
    ProgrammeOp,
    Progress,
    Report,
    ReturnOptions,
    Sources,
)
from tracker.services.imports.plan import plan_import

__all__ = [
    "CODE_PREFIX",
    "DEFAULTABLE",
    "LINE_DEFAULTS",
    "ChildOp",
    "History",
    "ImportMapping",
    "NearMatch",
    "Plan",
    "ProgrammeOp",
    "Progress",
    "Report",
    "ReturnOptions",
    "Sources",
    "as_plain",
    "describe",
    "field_choices",
    "mapping_errors",
    "pick_sources",
    "read_file",
    "run_import",
    "unit_choices",
]


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
    """The programmes sheet (by name, else the first), milestones or investments by sheet name or file,
    and the registers (Risks, Issues, Actions, Decisions, Lessons learned...) by sheet name."""
    kinds = {sheet.name: sheet_kind_for(sheet.name) for sheet in book.sheets}
    found = {kind: next((s for s in book.sheets if kinds[s.name] is kind), None) for kind in SheetKind}
    unnamed = next((s for s in book.sheets if kinds[s.name] is None), None)
    registers = {kind: sheet for kind in RECORD_KINDS if (sheet := found[kind]) is not None}
    # A book whose every sheet is named as another kind is not read as programmes: a RAID log's
    # titles must never rename the programmes its rows belong to.
    programmes = found[SheetKind.PROGRAMMES] or unnamed or (None if registers else book.sheets[0])
    return Sources(
        programmes,
        milestones.sheets[0] if milestones else found[SheetKind.MILESTONES],
        investments.sheets[0] if investments else found[SheetKind.INVESTMENTS],
        registers,
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
    if user is not None and not can(user, Action.IMPORT_PROGRAMMES):
        raise Invalid("You do not have permission to import programmes")
    if sources.programmes is not None and not sources.programmes.rows:
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
    return compile_all(sources, mapping)[1]


def unit_choices(sources: Sources, mapping: ImportMapping) -> dict[SheetKind, dict[str, UnitChoice]]:
    """Per sheet, the money fields whose unit a header said or the amounts suggested, to show the person."""
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
