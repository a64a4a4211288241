"""Tables as CSV and Excel files: typed columns, so money stays a number and dates stay dates.

Text is neutralised on the way out: a cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage
return would be read by Excel as a formula, so it gets a leading apostrophe (OWASP's advice).
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import IO, Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
BOM = "\ufeff"
MONEY_FORMAT = '"£"#,##0.00;-"£"#,##0.00'
DATE_FORMAT = "d mmmm yyyy"


class Kind(StrEnum):
    """What a column holds, which decides how each file writes it."""

    TEXT = "text"
    DATE = "date"
    MONEY = "money"
    NUMBER = "number"


@dataclass(frozen=True)
class Column:
    heading: str
    kind: Kind = Kind.TEXT
    width: int = 16


@dataclass(frozen=True)
class Sheet:
    """A named table: columns, then rows of plain values (str, int, Decimal, date or None)."""

    name: str
    columns: Sequence[Column]
    rows: Iterable[Sequence[Any]]


def neutralise(text: str) -> str:
    """Text Excel could take for a formula, made plain by a leading apostrophe."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _csv_value(value: Any) -> str:
    """ISO dates and plain numbers, so Power BI and Excel read them without a locale guess."""
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, int):
        return str(value)
    return neutralise(str(value))


def csv_chunks(sheet: Sheet, *, rows_per_chunk: int = 500) -> Iterator[bytes]:
    """One sheet as CSV, a few hundred rows at a time, so a download starts before the last row is read.

    UTF-8 with a byte-order mark (so Excel reads £ right) and CRLF line ends.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    buffer.write(BOM)
    writer.writerow([neutralise(column.heading) for column in sheet.columns])
    for number, row in enumerate(sheet.rows, start=1):
        writer.writerow([_csv_value(value) for value in row])
        if number % rows_per_chunk == 0:
            yield _drain(buffer)
    yield _drain(buffer)


def _drain(buffer: io.StringIO) -> bytes:
    """What the buffer holds, encoded, leaving it empty for the next rows."""
    text = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    return text.encode("utf-8")


def csv_bytes(sheet: Sheet) -> bytes:
    """One sheet as a whole CSV file in memory (for small tables and tests)."""
    return b"".join(csv_chunks(sheet))


def write_xlsx(sheets: Iterable[Sheet], target: str | os.PathLike[str] | IO[bytes]) -> None:
    """A workbook with a sheet per table, written row by row to a file (openpyxl's write-only mode).

    Rows are taken from each sheet as they come and not kept, so memory does not grow with the table.
    """
    workbook = Workbook(write_only=True)
    bold = Font(bold=True)
    for sheet in sheets:
        worksheet = workbook.create_sheet(sheet.name[:31])
        worksheet.freeze_panes = "A2"
        for number, column in enumerate(sheet.columns, start=1):
            worksheet.column_dimensions[get_column_letter(number)].width = column.width
        worksheet.append([_heading(worksheet, column.heading, bold) for column in sheet.columns])
        for row in sheet.rows:
            worksheet.append(
                [
                    _xlsx_cell(worksheet, column, value)
                    for column, value in zip(sheet.columns, row, strict=True)
                ]
            )
    workbook.save(target)


def xlsx_bytes(sheets: Iterable[Sheet]) -> bytes:
    """A whole workbook in memory (for small tables and tests)."""
    buffer = io.BytesIO()
    write_xlsx(sheets, buffer)
    return buffer.getvalue()


def _heading(worksheet: Any, text: str, font: Font) -> WriteOnlyCell:
    cell = WriteOnlyCell(worksheet, value=neutralise(text))
    cell.font = font
    return cell


def _xlsx_cell(worksheet: Any, column: Column, value: Any) -> Any:
    """Numbers and dates as themselves with a display format; text neutralised; empty stays empty."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, str):
        return neutralise(value)
    if column.kind not in (Kind.MONEY, Kind.DATE):
        return value  # a plain number: no cell object to build
    cell = WriteOnlyCell(worksheet, value=value)
    cell.number_format = MONEY_FORMAT if column.kind is Kind.MONEY else DATE_FORMAT
    return cell
