"""Which programme a row of an import is, and codes for the new ones.

By code, then the return's own reference, then the exact name (case and spacing ignored); a name
that only nearly matches (it drifted between years) is listed for a person to confirm, never merged
on its own. A new programme without a usable code gets a prefix and the next free number.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tracker.domain.imports.names import code_prefix, loose_key, name_key
from tracker.domain.imports.rows import ParsedRow, Problem, SheetMapping
from tracker.models import Programme
from tracker.services.imports.context import Context
from tracker.services.imports.model import NearMatch, Report

if TYPE_CHECKING:
    from tracker.services.imports.model import Plan


def match_row(
    row: ParsedRow,
    reference: str,
    code: str,
    name: str,
    context: Context,
    sheet: SheetMapping,
    report: Report,
) -> Programme | str | None:
    """The programme a row is: by code, then external reference, then exact name, then a confirmed
    near-match of its name. A string says why the row cannot be matched."""
    if code and code in context.by_code:
        return context.by_code[code]
    keys = (("reference", reference, context.by_reference, reference.upper()),)
    keys += (("name", name, context.by_name, name_key(name)),)
    for what, given, index, key in keys:
        same = index.get(key, []) if key else []
        if len(same) > 1:
            return f"{len(same)} programmes have the {what} '{given}': add a Code column to say which"
        if same:
            return same[0]
    if code or not name:
        return None
    near = [p for p in context.by_loose.get(loose_key(name), []) if p.id not in context.claimed]
    if len(near) != 1 or (near[0].external_reference and reference):
        return None
    candidate = near[0]
    accepted = context.match_near or candidate.code in context.near_accepted
    report.near_matches.append(
        NearMatch(sheet.sheet.name, row.row, name, candidate.code, candidate.name, accepted)
    )
    return candidate if accepted else None


def assign_codes(plan: Plan, context: Context, sheet: str, prefix: str) -> None:
    """Codes for new programmes the file gives none: a prefix (the mapping's, else the directorate's,
    else the file's) and its next free number. Re-imports find them again by reference or name."""
    used: dict[str, int] = {}
    for existing in list(context.by_code) + list(context.planned):
        letters, _, number = existing.partition("-")
        if number.isdigit():
            used[letters] = max(used.get(letters, 0), int(number))
    for op in plan.programmes:
        if op.code:
            continue
        chosen = prefix or code_prefix(str(op.values.get("directorate", "")), sheet)
        number = used.get(chosen, 0) + 1
        if number > 9999:
            plan.report.problems.append(
                Problem(sheet, op.row, "", f"No codes left after {chosen}-9999: give a code prefix")
            )
            continue
        used[chosen] = number
        op.code = f"{chosen}-{number:04d}"
        context.planned[op.code] = op
