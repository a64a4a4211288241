"""Tables as CSV and Excel files: typed columns, so money stays a number and dates stay dates.

Text is neutralised on the way out: a cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage
return would be read by Excel as a formula, so it gets a leading apostrophe (OWASP's advice).
"""

from __future__ import annotations

import csv
import io
import math
import os
import re
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import IO, Any
from xml.sax.saxutils import escape

from tracker.domain.imports.values import column_letter

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
    """A workbook with a sheet per table, its rows streamed into the file as they are read.

    Each sheet's XML goes into the zip archive a few hundred rows at a time, text inline, so neither
    the table nor the sheet is held in memory. The parts are the few a workbook needs (ECMA-376: the
    package's content types and relationships, the workbook, its styles and the sheets). A writer of
    our own because the general ones cost several microseconds a cell in Python: XlsxWriter's
    constant-memory mode took 14 s for the 3.2 million cells of a 10,000-programme portfolio, this
    takes about 4 (docs/benchmarks.md).
    """
    sheets = list(sheets)  # their names; the rows stay unread until each sheet is written
    names = _sheet_names(sheets)
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", _content_types(len(sheets)))
        archive.writestr("_rels/.rels", _PACKAGE_RELATIONSHIPS)
        archive.writestr("xl/workbook.xml", _workbook(names))
        archive.writestr("xl/_rels/workbook.xml.rels", _workbook_relationships(len(sheets)))
        archive.writestr("xl/styles.xml", _STYLES)
        for number, sheet in enumerate(sheets, start=1):
            with archive.open(f"xl/worksheets/sheet{number}.xml", "w") as part:
                for chunk in _sheet_xml(sheet, selected=number == 1):
                    part.write(chunk.encode("utf-8", errors="replace"))


_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_RELATIONSHIPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PACKAGE = "http://schemas.openxmlformats.org/package/2006"
_XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_OFFICE = "application/vnd.openxmlformats-officedocument.spreadsheetml"

_PACKAGE_RELATIONSHIPS = (
    f'{_XML}<Relationships xmlns="{_PACKAGE}/relationships">'
    f'<Relationship Id="rId1" Type="{_RELATIONSHIPS}/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
)

# Cell styles, by their index in cellXfs: plain, bold heading, money, a date column's date, any
# other date. Number formats from 164 are the workbook's own.
_PLAIN, _HEADING, _MONEY, _DATE, _OTHER_DATE = range(5)
_STYLES = (
    f'{_XML}<styleSheet xmlns="{_MAIN}">'
    '<numFmts count="3">'
    f'<numFmt numFmtId="164" formatCode="{escape(MONEY_FORMAT, {chr(34): "&quot;"})}"/>'
    f'<numFmt numFmtId="165" formatCode="{DATE_FORMAT}"/>'
    '<numFmt numFmtId="166" formatCode="yyyy-mm-dd"/>'
    "</numFmts>"
    '<fonts count="2">'
    '<font><sz val="11"/><name val="Calibri"/><family val="2"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font>'
    "</fonts>"
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="5">'
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="166" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    "</cellXfs>"
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)


def _content_types(sheet_count: int) -> str:
    sheets = "".join(
        f'<Override PartName="/xl/worksheets/sheet{n}.xml" ContentType="{_OFFICE}.worksheet+xml"/>'
        for n in range(1, sheet_count + 1)
    )
    return (
        f'{_XML}<Types xmlns="{_PACKAGE}/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/xl/workbook.xml" ContentType="{_OFFICE}.sheet.main+xml"/>'
        f'<Override PartName="/xl/styles.xml" ContentType="{_OFFICE}.styles+xml"/>'
        f"{sheets}</Types>"
    )


def _sheet_names(sheets: Sequence[Sheet]) -> list[str]:
    """Names Excel accepts: at most 31 characters, none of : \\ / ? * [ ], each different."""
    names: list[str] = []
    for number, sheet in enumerate(sheets, start=1):
        name = re.sub(r"[:\\/?*\[\]]", " ", sheet.name).strip(" '")[:31] or f"Sheet{number}"
        while name.casefold() in {taken.casefold() for taken in names}:
            name = f"{name[:27]} ({number})"
        names.append(name)
    return names


def _workbook(names: Sequence[str]) -> str:
    sheets = "".join(
        f'<sheet name="{escape(name, {chr(34): "&quot;"})}" sheetId="{n}" r:id="rId{n}"/>'
        for n, name in enumerate(names, start=1)
    )
    return (
        f'{_XML}<workbook xmlns="{_MAIN}" xmlns:r="{_RELATIONSHIPS}">'
        f'<bookViews><workbookView activeTab="0"/></bookViews><sheets>{sheets}</sheets></workbook>'
    )


def _workbook_relationships(sheet_count: int) -> str:
    sheets = "".join(
        f'<Relationship Id="rId{n}" Type="{_RELATIONSHIPS}/worksheet" Target="worksheets/sheet{n}.xml"/>'
        for n in range(1, sheet_count + 1)
    )
    styles = f'<Relationship Id="rId{sheet_count + 1}" Type="{_RELATIONSHIPS}/styles" Target="styles.xml"/>'
    return f'{_XML}<Relationships xmlns="{_PACKAGE}/relationships">{sheets}{styles}</Relationships>'


def _stored_width(characters: int) -> float:
    """A width in characters as a workbook stores it (ECMA-376 18.3.1.13, Calibri 11's 7-pixel digits)."""
    return int((characters * 7 + 5) / 7 * 256) / 256


ROWS_PER_CHUNK = 500
_MARGINS = '<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>'


def _sheet_xml(sheet: Sheet, *, selected: bool) -> Iterator[str]:
    """One sheet's XML in pieces: the frozen heading row, the column widths, then the rows."""
    letters = [column_letter(index) for index in range(len(sheet.columns))]
    widths = "".join(
        f'<col min="{n}" max="{n}" width="{_stored_width(column.width)}" customWidth="1"/>'
        for n, column in enumerate(sheet.columns, start=1)
    )
    view = ' tabSelected="1"' if selected else ""
    heading = "".join(
        _text_cell(f"{letter}1", neutralise(column.heading), _HEADING)
        for letter, column in zip(letters, sheet.columns, strict=True)
    )
    yield (
        f'{_XML}<worksheet xmlns="{_MAIN}" xmlns:r="{_RELATIONSHIPS}">'
        f'<sheetViews><sheetView workbookViewId="0"{view}>'
        '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
        '<selection pane="bottomLeft" activeCell="A2" sqref="A2"/>'
        "</sheetView></sheetViews>"
        '<sheetFormatPr defaultRowHeight="15"/>'
        f"<cols>{widths}</cols><sheetData>"
        f'<row r="1">{heading}</row>'
    )
    writers = [_cell_writer(letter, column) for letter, column in zip(letters, sheet.columns, strict=True)]
    chunk: list[str] = []
    for number, row in enumerate(sheet.rows, start=2):
        reference = str(number)
        chunk.append(f'<row r="{reference}">')
        for write, value in zip(writers, row, strict=True):
            if value is not None:  # empty stays empty
                chunk.append(write(reference, value))
        chunk.append("</row>")
        if number % ROWS_PER_CHUNK == 0:
            yield "".join(chunk)
            chunk.clear()
    chunk.append(f"</sheetData>{_MARGINS}</worksheet>")
    yield "".join(chunk)


def _cell_writer(letter: str, column: Column) -> Callable[[str, Any], str]:
    """How one column's cells are written: numbers and dates as themselves, money and dates with
    their display format, yes or no for a flag, text neutralised (never read as a formula or link)."""
    number_style = {Kind.MONEY: _MONEY, Kind.DATE: _DATE}.get(column.kind, _PLAIN)
    date_style = _DATE if column.kind is Kind.DATE else _OTHER_DATE
    number_open = f'<c r="{letter}' + "{}" + (f'" s="{number_style}"><v>' if number_style else '"><v>')

    def write(row: str, value: Any) -> str:
        if isinstance(value, str):
            return _text_cell(letter + row, neutralise(value), _PLAIN)
        if isinstance(value, bool):
            return _text_cell(letter + row, "Yes" if value else "No", _PLAIN)
        if isinstance(value, date):
            return f'<c r="{letter}{row}" s="{date_style}"><v>{_serial(value)}</v></c>'
        if isinstance(value, Decimal):
            return f"{number_open.format(row)}{value:f}</v></c>"
        if isinstance(value, int | float) and math.isfinite(value):
            return f"{number_open.format(row)}{value!r}</v></c>"
        raise TypeError(f"A spreadsheet cell cannot hold {value!r}")

    return write


EXCEL_EPOCH = datetime(1899, 12, 30)  # day 0 of Excel's 1900 date system, as dates from March 1900 count
MAX_TEXT = 32767  # the most characters Excel keeps in a cell
_NEEDS_ESCAPE = re.compile(r"[&<>\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]|_x[0-9A-Fa-f]{4}_")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]|_(?=x[0-9A-Fa-f]{4}_)")


def _serial(value: date) -> str:
    """A date (or a time, without its zone) as Excel's serial number of days."""
    if isinstance(value, datetime):
        days = (value.replace(tzinfo=None) - EXCEL_EPOCH).total_seconds() / 86400
        return repr(days)
    return str(value.toordinal() - EXCEL_EPOCH.toordinal())


def _text_cell(reference: str, text: str, style: int) -> str:
    """Inline text, escaped for XML; characters XML cannot carry are written as Excel's _xHHHH_."""
    if len(text) > MAX_TEXT:
        text = text[:MAX_TEXT]
    if _NEEDS_ESCAPE.search(text):
        text = _CONTROL.sub(lambda match: f"_x{ord(match.group()):04X}_", text)
        text = escape(text)
    space = ' xml:space="preserve"' if text[:1].isspace() or text[-1:].isspace() else ""
    styled = f' s="{style}"' if style else ""
    return f'<c r="{reference}"{styled} t="inlineStr"><is><t{space}>{text}</t></is></c>'


def xlsx_bytes(sheets: Iterable[Sheet]) -> bytes:
    """A whole workbook in memory (for small tables and tests)."""
    buffer = io.BytesIO()
    write_xlsx(sheets, buffer)
    return buffer.getvalue()
