"""What the check step shows before anything is written: the first rows as understood, money totals in
pounds with each column's unit and why, and the cell texts that still need a translation.

A column read in the wrong unit is out by a factor of a thousand or a million: the totals make it seen.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from tracker.domain.imports.fields import CATALOGUE, Field, Kind, SheetKind
from tracker.domain.imports.rows import SheetMapping, parse_rows
from tracker.domain.imports.units import UnitChoice
from tracker.domain.imports.unreadable import unreadable_texts
from tracker.domain.imports.values import Unit
from tracker.domain.vocabulary import CONFIDENCE_LABELS
from tracker.services.imports.model import ImportMapping, Sources

PREVIEW_ROWS = 20
SHOWN = ("code", "name", "directorate", "focus", "stage", "confidence", "start_date", "baseline_end_date")


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    kind: str
    unit: UnitChoice | None = None


@dataclass
class Preview:
    """The programmes sheet as the import reads it."""

    columns: list[Column] = field(default_factory=list)
    rows: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    totals: dict[str, Decimal] = field(default_factory=dict)
    unknown: dict[str, int] = field(default_factory=dict)
    unreadable: dict[SheetKind, dict[str, list[str]]] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)
    choices: dict[str, list[tuple[str, str]]] = field(default_factory=dict)


def preview(sources: Sources, mapping: ImportMapping, *, limit: int = PREVIEW_ROWS) -> Preview:
    """The first rows read through the mapping, every money column's total, and texts no field reads."""
    from tracker.services.imports.context import compile_all

    compiled, _ = compile_all(sources, mapping)
    unit = mapping.unit or Unit.POUNDS
    result = Preview()
    if SheetKind.PROGRAMMES in compiled:
        _programmes(result, compiled[SheetKind.PROGRAMMES], unit, limit)
    for kind, sheet_mapping in compiled.items():
        texts = unreadable_texts(sheet_mapping, unit)
        if texts:
            result.unreadable[kind] = texts
            for f in CATALOGUE[kind]:
                if f.key in texts:
                    result.labels[f"{kind.value}.{f.key}"] = f.label
                    result.choices[f"{kind.value}.{f.key}"] = _answers(f)
    return result


def _programmes(result: Preview, sheet: SheetMapping, unit: Unit, limit: int) -> None:
    """The programmes sheet's first rows as read, and each money column's total."""
    fields = {f.key: f for f in CATALOGUE[SheetKind.PROGRAMMES]}
    filled = set(sheet.columns) | set(sheet.templates)
    money = [key for key in fields if key in filled and fields[key].kind is Kind.MONEY]
    result.columns = [
        Column(key, fields[key].label, fields[key].kind.value, sheet.units.get(key))
        for key in [*SHOWN, *money]
        if key in filled
    ]
    parsed = parse_rows(sheet, unit)
    result.rows = [(row.row, row.values) for row in parsed[:limit]]
    for key in money:
        amounts = [row.values[key] for row in parsed if isinstance(row.values.get(key), Decimal)]
        result.totals[key] = sum(amounts, Decimal(0))
        result.unknown[key] = len(parsed) - len(amounts)


def _answers(f: Field) -> list[tuple[str, str]]:
    """The values a person may translate a text to: the field's list, or none when it is typed."""
    if f.kind is Kind.CONFIDENCE:
        return list(CONFIDENCE_LABELS.items())
    return [(value, value.replace("_", " ").capitalize()) for value in dict.fromkeys(f.choices.values())]
