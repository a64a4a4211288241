"""Rows to values: apply a column mapping to a sheet and read every mapped cell, collecting problems.

Nothing here knows the database: whether a code exists or a manager is a user is the service's job.
A blank cell gives no value at all, so an import never clears a field the file leaves empty.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from tracker.domain.imports.fields import CATALOGUE, Field, Kind, SheetKind, fields_by_key
from tracker.domain.imports.tables import Cells, Sheet
from tracker.domain.imports.units import UnitChoice, choose_units
from tracker.domain.imports.values import (
    Unit,
    cell_text,
    is_blank,
    parse_choice,
    parse_confidence,
    parse_date,
    parse_financial_year,
    parse_flag,
    parse_money,
)

_PLACEHOLDER = re.compile(r"\{([^{}]+)\}")


@dataclass(frozen=True)
class Problem:
    """What is wrong, where: the row number in the file, the column, and plain words.

    For a transposed sheet `row` is the record's column in the file and `column` names its row.
    """

    sheet: str
    row: int
    column: str
    message: str
    transposed: bool = False


@dataclass(frozen=True)
class ParsedRow:
    row: int
    values: dict[str, object]
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    """Cells read as unknown rather than refused, such as a negative amount (income) in a cost column."""


@dataclass(frozen=True)
class SheetMapping:
    """Which column (by position) or template fills each field of one sheet, checked against its headers.

    `units` holds the money fields whose unit the header says or the amounts suggest.
    """

    sheet: Sheet
    kind: SheetKind
    columns: dict[str, int]
    templates: dict[str, str]
    values: dict[str, dict[str, str]]
    units: dict[str, UnitChoice] = field(default_factory=dict)

    def column_name(self, key: str) -> str:
        """How a field's column is named in messages: `Budget (D)`, or `row 9 (Budget)` when turned."""
        if key in self.columns:
            index = self.columns[key]
            header, place = self.sheet.headers[index], self.sheet.header_place(index)
            return f"{place} ({header})" if self.sheet.transposed else f"{header} ({place})"
        return fields_by_key(self.kind)[key].label

    def unit_for(self, key: str, unit: Unit) -> Unit:
        """The unit of a field's bare amounts: its column's own, else the one given for the import."""
        return self.units[key].unit if key in self.units else unit

    def problem(self, row: int, key: str | None, message: str) -> Problem:
        """A problem at a record and field of this sheet, placed as a person finds it in the file."""
        column = self.column_name(key) if key else ""
        return Problem(self.sheet.name, row, column, message, self.sheet.transposed)


def compile_mapping(
    sheet: Sheet,
    kind: SheetKind,
    columns: Mapping[str, str],
    *,
    templates: Mapping[str, str] | None = None,
    values: Mapping[str, Mapping[str, str]] | None = None,
    unit: Unit | None = None,
) -> tuple[SheetMapping, list[str]]:
    """Check a mapping of header -> field key (and field -> template) against the sheet's headers.

    Without a `unit` from the person, each money column takes the unit its header or amounts suggest.
    """
    known = fields_by_key(kind)
    positions = {header.strip().lower(): index for index, header in enumerate(sheet.headers)}
    errors: list[str] = []
    by_field: dict[str, int] = {}
    for header, key in columns.items():
        if not key:
            continue
        if key not in known:
            errors.append(f"'{key}' is not a field of the {kind.value} sheet")
        elif header.strip().lower() not in positions:
            errors.append(f"The {sheet.name} sheet has no column called '{header}'")
        elif key in by_field:
            errors.append(f"{known[key].label} is chosen for more than one column: choose it once")
        else:
            by_field[key] = positions[header.strip().lower()]
    checked_templates: dict[str, str] = {}
    for key, template in (templates or {}).items():
        if key not in known:
            errors.append(f"'{key}' is not a field of the {kind.value} sheet")
            continue
        missing = [name for name in _PLACEHOLDER.findall(template) if name.strip().lower() not in positions]
        if missing:
            errors.append(f"The template for {known[key].label} names no column called '{missing[0]}'")
        by_field.pop(key, None)
        checked_templates[key] = template
    translations = {
        key: {str(k).strip().lower(): str(v) for k, v in table.items()}
        for key, table in (values or {}).items()
    }
    money = {key: index for key, index in by_field.items() if known[key].kind is Kind.MONEY}
    units = choose_units(sheet.headers, money, (cells for _, cells in sheet.rows), given=unit)
    return SheetMapping(sheet, kind, by_field, checked_templates, translations, units), errors


def parse_rows(mapping: SheetMapping, unit: Unit) -> list[ParsedRow]:
    """Read every data row of the sheet through the mapping."""
    fields = {f.key: f for f in CATALOGUE[mapping.kind]}
    positions = {header.strip().lower(): index for index, header in enumerate(mapping.sheet.headers)}
    return [
        parse_row(mapping, fields, positions, number, cells, unit) for number, cells in mapping.sheet.rows
    ]


def parse_row(
    mapping: SheetMapping,
    fields: dict[str, Field],
    positions: dict[str, int],
    number: int,
    cells: Cells,
    unit: Unit,
) -> ParsedRow:
    """One row's values by field key; a cell that cannot be read becomes a problem instead."""
    raw: dict[str, object] = {key: cells[index] for key, index in mapping.columns.items()}
    for key, template in mapping.templates.items():
        raw[key] = _PLACEHOLDER.sub(
            lambda m: cell_text(cells[positions[m[1].strip().lower()]]), template
        ).strip()
    parsed = ParsedRow(number, {})
    for key, cell in raw.items():
        if is_blank(cell):
            continue
        table = mapping.values.get(key)
        if table and cell_text(cell).strip().lower() in table:
            cell = table[cell_text(cell).strip().lower()]
            if is_blank(cell):  # translated to unknown
                continue
        try:
            value = read_cell(fields[key], cell, mapping.unit_for(key, unit))
            if value is not None:  # a withheld figure is unknown, like a blank cell
                parsed.values[key] = value
        except NegativeAmount as error:
            parsed.warnings.append(mapping.problem(number, key, str(error)))
        except ValueError as error:
            parsed.problems.append(mapping.problem(number, key, str(error)))
    return parsed


class NegativeAmount(ValueError):
    """A negative figure in a cost column: returns show income this way, so it is unknown, not wrong."""


def read_cell(f: Field, cell: object, unit: Unit) -> object:
    """A cell as the field's kind of value; ValueError in plain words when it cannot be."""
    if f.kind is Kind.MONEY:
        amount = parse_money(cell, unit)
        if amount is not None and amount < 0:
            raise NegativeAmount(
                f"{f.label} is negative ({cell_text(cell)}), which a return uses for income: "
                "imported as unknown"
            )
        return amount
    if f.kind is Kind.DATE:
        return parse_date(cell)
    if f.kind is Kind.CONFIDENCE:
        return parse_confidence(cell)
    if f.kind is Kind.CHOICE:
        return parse_choice(cell, f.choices, f.label.lower())
    if f.kind is Kind.FLAG:
        return parse_flag(cell)
    if f.kind is Kind.YEAR:
        return parse_financial_year(cell)
    text = " ".join(cell_text(cell).split()) if f.max_length else cell_text(cell)
    if f.max_length and len(text) > f.max_length:
        raise ValueError(f"{f.label} is {len(text)} characters long: it must be {f.max_length} or fewer")
    return text
