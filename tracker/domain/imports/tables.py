"""Files to tables: decode text, find the delimiter, the header row and the footnotes; read workbooks.

A row keeps the number a person sees when they open the file in a spreadsheet (records counted
from 1, a quoted cell over several lines being one row), so error messages point at the right row.
A transposed sheet (field names down column A, one column per programme) is turned so each
programme is a row, and remembers it was: its "rows" are then numbered by the file's columns.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from itertools import islice

from tracker.domain.imports.limits import WEB, ReadLimits, UnreadableFile, capped
from tracker.domain.imports.values import column_letter, is_blank
from tracker.domain.imports.zipcheck import UnsafeWorkbook, check_zip

__all__ = ["Sheet", "UnreadableFile", "Workbook", "build_sheet", "column_letter", "read_workbook"]

DELIMITERS = (",", ";", "\t", "|")
SAMPLE_ROWS = 30
ENCODINGS = ("utf-8-sig", "cp1252", "latin-1")
Cells = tuple[object, ...]


@dataclass(frozen=True)
class Sheet:
    """One table: its header cells, and data rows with their row numbers in the file.

    When `transposed`, a data row's number is its column in the file (3 for column C), the headers
    came from column `header_row`, and `header_lines` holds the file row of each header.
    """

    name: str
    header_row: int
    headers: tuple[str, ...]
    rows: tuple[tuple[int, Cells], ...]
    footnote_rows: tuple[int, ...] = ()
    transposed: bool = False
    header_lines: tuple[int, ...] = ()

    def row_place(self, number: int) -> str:
        """Where a record is in the file, as a person finds it: `row 7`, or `column C` when turned."""
        return f"column {column_letter(number - 1)}" if self.transposed else f"row {number}"

    def header_place(self, index: int) -> str:
        """Where a field is in the file: its column letter, or its row when the sheet was turned."""
        return f"row {self.header_lines[index]}" if self.transposed else column_letter(index)


@dataclass(frozen=True)
class Workbook:
    """Every table found in one file, and how the text was read (for CSV)."""

    sheets: tuple[Sheet, ...]
    encoding: str = ""
    delimiter: str = ""

    def sheet(self, *names: str) -> Sheet | None:
        """The first sheet whose name matches one of `names`, ignoring case and spaces."""
        wanted = {name.strip().lower() for name in names}
        return next((s for s in self.sheets if s.name.strip().lower() in wanted), None)


def read_workbook(
    data: bytes, filename: str, is_known_header: Callable[[str], bool], limits: ReadLimits = WEB
) -> Workbook:
    """Read CSV or XLSX bytes into tables; the content decides the type, not the file name.

    `limits` caps rows, columns, cell length and time as the rows stream in, so a hostile file is
    refused early with a message rather than holding a worker.
    """
    if not data.strip():
        raise UnreadableFile("The file is empty")
    if data.startswith(b"PK\x03\x04"):
        return _read_xlsx(data, is_known_header, limits)
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise UnreadableFile(
            "The file is an old Excel (.xls) workbook: save it as .xlsx or .csv and try again"
        )
    if b"\x00" in data[:4096]:
        raise UnreadableFile("The file is not a CSV or XLSX spreadsheet")
    text, encoding = decode(data)
    delimiter = sniff_delimiter(text)
    stem = filename.rsplit("/", 1)[-1].rsplit(".", 1)[0] or "Sheet1"
    records = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        sheet = build_sheet(stem, capped(stem, records, limits), is_known_header)
    except csv.Error as error:  # a cell past the csv module's own length limit, or a stray NUL
        raise UnreadableFile(f"{stem} cannot be read as CSV near row {records.line_num}: {error}") from None
    if sheet is None:
        raise UnreadableFile("The file has no rows")
    return Workbook((sheet,), encoding=encoding, delimiter=delimiter)


def decode(data: bytes) -> tuple[str, str]:
    """Text from UTF-8 (with or without a byte-order mark), else Windows-1252, else Latin-1."""
    for encoding in ENCODINGS:
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    raise AssertionError("latin-1 decodes any bytes")  # pragma: no cover


def sniff_delimiter(text: str) -> str:
    """The delimiter whose commonest row width (over one), times the rows that have it, is largest.

    Counting cells as well as rows lets a transposed return, a few very wide records of long quoted
    text, beat a delimiter that splits many lines of that text in two.
    """
    sample = text[:65_536]
    best, best_score = ",", (0, 0)
    for delimiter in DELIMITERS:
        widths = Counter(
            len(record)
            for record in islice(
                csv.reader(io.StringIO(sample, newline=""), delimiter=delimiter), SAMPLE_ROWS
            )
            if len(record) > 1
        )
        if not widths:
            continue
        width, rows = widths.most_common(1)[0]
        if (rows * width, rows) > best_score:
            best, best_score = delimiter, (rows * width, rows)
    return best


def _read_xlsx(data: bytes, is_known_header: Callable[[str], bool], limits: ReadLimits) -> Workbook:
    """Every non-empty worksheet of an XLSX workbook, values only (formulas as last calculated).

    The zip is checked before openpyxl opens it (it reads the shared strings whole), and each
    sheet's declared dimension is dropped: rows stream as they are stored, and the caps stop them.
    """
    from openpyxl import load_workbook

    try:
        check_zip(data, limits.zip)
    except UnsafeWorkbook as error:
        raise UnreadableFile(str(error)) from None
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        raise UnreadableFile("The file looks like a workbook but cannot be opened: is it damaged?") from error
    try:
        sheets = []
        for worksheet in book.worksheets:
            if not hasattr(worksheet, "reset_dimensions"):  # a chart sheet has no cells
                continue
            worksheet.reset_dimensions()
            rows = capped(worksheet.title, worksheet.iter_rows(values_only=True), limits)
            sheet = build_sheet(worksheet.title, rows, is_known_header)
            if sheet is not None:
                sheets.append(sheet)
    finally:
        book.close()
    if not sheets:
        raise UnreadableFile("The workbook has no rows")
    return Workbook(tuple(sheets))


def build_sheet(
    name: str, records: Iterable[Sequence[object]], is_known_header: Callable[[str], bool]
) -> Sheet | None:
    """Find the header, drop blank rows and trailing footnotes; None when there is nothing at all."""
    numbered = [
        (number, tuple(record))
        for number, record in enumerate(records, start=1)
        if not all(is_blank(c) for c in record)
    ]
    if not numbered:
        return None
    if is_transposed([cells for _, cells in numbered[:SAMPLE_ROWS]], is_known_header):
        return _turned(name, numbered)
    header_at = find_header([cells for _, cells in numbered[:SAMPLE_ROWS]], is_known_header)
    header_row, header_cells = numbered[header_at]
    width = max(_last_filled(header_cells), 1)
    headers = _headers(header_cells[:width])
    body = [(number, _fit(cells, width)) for number, cells in numbered[header_at + 1 :]]
    footnotes: list[int] = []
    while body and width > 1 and _is_footnote(body[-1][1]):
        footnotes.insert(0, body.pop()[0])
    return Sheet(name, header_row, headers, tuple(body), tuple(footnotes))


def is_transposed(rows: Sequence[Cells], is_known_header: Callable[[str], bool]) -> bool:
    """Whether field names run down the first column rather than along a row.

    By share, not count: a row of 200 projects may hold a few cells like "No end date", but most of
    a header row, and most of a header column, are field names.
    """
    firsts = [cells[0] for cells in rows if cells and not is_blank(cells[0])]
    down = sum(1 for cell in firsts if _known(cell, is_known_header))
    if down < 3 or down * 2 < len(firsts):
        return False
    across = max(_share(cells, is_known_header) for cells in rows)
    return across * 2 < down / len(firsts)


def _share(cells: Cells, is_known_header: Callable[[str], bool]) -> float:
    filled = [c for c in cells if not is_blank(c)]
    return sum(1 for c in filled if _known(c, is_known_header)) / len(filled) if filled else 0.0


def _known(cell: object, is_known_header: Callable[[str], bool]) -> bool:
    return isinstance(cell, str) and is_known_header(cell)


def _turned(name: str, numbered: list[tuple[int, Cells]]) -> Sheet:
    """A transposed sheet turned: column A gives the headers, each later filled column a record.

    Rows with a label and nothing beside it at the end are footnotes, as in an upright sheet.
    """
    footnotes: list[int] = []
    while len(numbered) > 1 and _is_footnote(numbered[-1][1]):
        footnotes.insert(0, numbered.pop()[0])
    lines = tuple(number for number, _ in numbered)
    width = max(len(cells) for _, cells in numbered)
    records = []
    for column in range(1, width):
        cells = tuple(cells[column] if column < len(cells) else None for _, cells in numbered)
        if not all(is_blank(c) for c in cells):
            records.append((column + 1, cells))
    headers = _headers(tuple(cells[0] for _, cells in numbered))
    return Sheet(name, 1, headers, tuple(records), tuple(footnotes), transposed=True, header_lines=lines)


def _is_footnote(cells: Cells) -> bool:
    """A trailing row with text in the first column only (`* Budgets include VAT`, `Source: ...`)."""
    return not is_blank(cells[0]) and all(is_blank(c) for c in cells[1:])


def find_header(rows: Sequence[Cells], is_known_header: Callable[[str], bool]) -> int:
    """The header row: the first naming two known fields, else the first wide row of words only."""
    for index, cells in enumerate(rows):
        if sum(1 for c in cells if isinstance(c, str) and is_known_header(c)) >= 2:
            return index
    filled = [sum(not is_blank(c) for c in cells) for cells in rows]
    widest = max(filled)
    for index, cells in enumerate(rows):
        words = [c for c in cells if not is_blank(c)]
        if len(words) >= 2 and len(words) * 2 >= widest and all(_is_word(c) for c in words):
            return index
    return 0


def _is_word(cell: object) -> bool:
    """Header cells are text that is not a number."""
    if not isinstance(cell, str):
        return False
    try:
        float(cell.replace(",", "").strip("£$€ "))
    except ValueError:
        return True
    return False


def _last_filled(cells: Cells) -> int:
    return max((i + 1 for i, c in enumerate(cells) if not is_blank(c)), default=0)


def _fit(cells: Cells, width: int) -> Cells:
    """Pad short rows with blanks; cells past the last header are dropped."""
    return tuple(cells[:width]) + (None,) * (width - len(cells))


def _headers(cells: Cells) -> tuple[str, ...]:
    """Header text, with names for blank headers and duplicates told apart."""
    seen: Counter[str] = Counter()
    names = []
    for index, cell in enumerate(cells):
        text = " ".join(str(cell).split()) if not is_blank(cell) else f"Column {column_letter(index)}"
        seen[text.lower()] += 1
        names.append(text if seen[text.lower()] == 1 else f"{text} ({seen[text.lower()]})")
    return tuple(names)
