"""Tables as CSV and Excel files: typed columns, so money stays a number and dates stay dates.

Text is neutralised on the way out: a cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage
return would be read by Excel as a formula, so it gets a leading apostrophe (OWASP's advice).
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import IO, Any

import xlsxwriter

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
    """A workbook with a sheet per table, written row by row to a file.

    XlsxWriter's constant-memory mode: each row goes to disk as it is written, its text inline, so
    the table is never held in memory (openpyxl's write-only mode keeps every distinct text, and
    used about two and a half times the CPU; docs/benchmarks.md).
    """
    workbook = xlsxwriter.Workbook(target, {"constant_memory": True})
    formats = {
        "heading": workbook.add_format({"bold": True}),
        Kind.MONEY: workbook.add_format({"num_format": MONEY_FORMAT}),
        Kind.DATE: workbook.add_format({"num_format": DATE_FORMAT}),
        "other date": workbook.add_format({"num_format": "yyyy-mm-dd"}),
    }
    for sheet in sheets:
        worksheet = workbook.add_worksheet(sheet.name[:31])
        worksheet.freeze_panes(1, 0)
        for index, column in enumerate(sheet.columns):
            worksheet.set_column(index, index, column.width)
            worksheet.write_string(0, index, neutralise(column.heading), formats["heading"])
        writers = [
            _cell_writer(worksheet, index, column, formats) for index, column in enumerate(sheet.columns)
        ]
        for number, row in enumerate(sheet.rows, start=1):
            for write, value in zip(writers, row, strict=True):
                if value is not None:  # empty stays empty
                    write(number, value)
    workbook.close()


def _cell_writer(
    worksheet: Any, index: int, column: Column, formats: dict[Any, Any]
) -> Callable[[int, Any], None]:
    """How one column's cells are written: numbers and dates as themselves, money and dates with
    their display format, yes or no for a flag, text neutralised (never read as a formula or link)."""
    number_format = formats.get(column.kind)
    date_format = formats[Kind.DATE] if column.kind is Kind.DATE else formats["other date"]

    def write(row: int, value: Any) -> None:
        if isinstance(value, str):
            worksheet.write_string(row, index, neutralise(value))
        elif isinstance(value, bool):
            worksheet.write_string(row, index, "Yes" if value else "No")
        elif isinstance(value, date):
            worksheet.write_datetime(row, index, value, date_format)
        else:
            worksheet.write_number(row, index, value, number_format)

    return write


def xlsx_bytes(sheets: Iterable[Sheet]) -> bytes:
    """A whole workbook in memory (for small tables and tests)."""
    buffer = io.BytesIO()
    write_xlsx(sheets, buffer)
    return buffer.getvalue()
